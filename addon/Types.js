// Shared JSDoc types: the template definition and the okrtree service's replies.

/**
 * @typedef {Object} OkrColumnDef
 * @property {string} name
 * @property {string[]} aliases
 * @property {string} on  "both", "key_result", "objective" or "output"
 * @property {boolean} required
 * @property {number} width
 * @property {string} number_format
 * @property {string[]} [validation]
 * @property {string} [note]
 * @property {boolean} [wrap]  the column wraps its text (Warnings)
 */

/**
 * @typedef {Object} OkrTemplate
 * @property {number} version
 * @property {string} team_tab
 * @property {number} header_search_rows
 * @property {Object<string, string[]>} type_values
 * @property {OkrColumnDef[]} team_columns
 * @property {Object<string, unknown>} hub_tabs
 * @property {Object<string, string>} status_colours
 * @property {{green_from: number, yellow_from: number}} score_bands
 */

/**
 * Where the template's columns sit in one tab.
 * @typedef {Object} OkrHeader
 * @property {number} row  1-based row of the header
 * @property {Object<string, number>} columns  canonical column name -> 1-based column
 * @property {number} lastColumn  1-based column of the last non-blank header cell
 */

/** @typedef {"objective" | "key_result"} OkrKind */

/**
 * @typedef {Object} OkrFinding
 * @property {string} severity  "error", "warning" or "info"
 * @property {string} code
 * @property {string | null} id
 * @property {string} team
 * @property {string} message
 * @property {string[]} related
 * @property {number | null} row
 */

/**
 * One item of a validate reply (the fields the sidebar uses; others are ignored).
 * @typedef {Object} OkrItem
 * @property {string} id
 * @property {string} type  "objective" or "key_result"
 * @property {number | null} [confidence]  the owner's forecast, 0-10
 * @property {string | null} [note]  the latest check-in note
 */

/**
 * @typedef {Object} OkrSummary
 * @property {number} error
 * @property {number} warning
 * @property {number} info
 */

/**
 * @typedef {Object} OkrWrites
 * @property {number} spreadsheets
 * @property {number} cells
 */

/**
 * Reply of POST /api/validate (other keys are allowed and ignored).
 * @typedef {Object} OkrValidateResponse
 * @property {string} spreadsheet
 * @property {string} team
 * @property {string} tab
 * @property {string} as_of
 * @property {OkrItem[]} items
 * @property {OkrFinding[]} findings
 * @property {OkrWrites} writes
 * @property {OkrSummary} summary
 */

/**
 * Reply of POST /api/sync (other keys are allowed and ignored).
 * @typedef {Object} OkrSyncResponse
 * @property {string} as_of
 * @property {number} teams
 * @property {number} items
 * @property {OkrSummary} summary
 * @property {OkrWrites} writes
 */

/**
 * One team in a reply of POST /api/rollover.
 * @typedef {Object} OkrRolloverTeam
 * @property {string} team
 * @property {string} archive_tab
 * @property {string} state  planned, rolled, already_rolled, skipped or not_rolled
 * @property {string | null} [reason]
 * @property {{id: string | null}[]} [carried]
 * @property {{id: string | null}[]} [archived]
 */

/**
 * Reply of POST /api/rollover (other keys are allowed and ignored).
 * @typedef {Object} OkrRolloverResponse
 * @property {boolean} dry_run
 * @property {boolean} settings_written
 * @property {{name: string}} from
 * @property {{name: string}} to
 * @property {OkrRolloverTeam[]} teams
 */
