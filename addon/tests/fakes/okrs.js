'use strict';
// Builds OKRs tabs for tests: the template's header and rows given by column name.

const HEADER = ['ID', 'Type', 'Title', 'Owner', 'Parent', 'Depends on', 'Start', 'Target', 'Current',
  'Weight', 'Updated', 'Why now', 'Score', 'Status', 'Warnings', 'Confidence', 'Note'];

/** Column number (1-based) of a header name in HEADER. */
function col(name) {
  const index = HEADER.indexOf(name);
  if (index === -1) throw new Error(`no column ${name}`);
  return index + 1;
}

/**
 * Rows of an OKRs tab: the header, then one row per spec. A spec is [id, type, title] or an
 * object by column name.
 */
function okrRows(specs, header = HEADER) {
  return [header.slice()].concat(specs.map((spec) => {
    const byName = Array.isArray(spec) ? { ID: spec[0], Type: spec[1], Title: spec[2] } : spec;
    return header.map((name) => (byName[name] === undefined ? '' : byName[name]));
  }));
}

/** Adds an OKRs tab to the world's spreadsheet and makes it active. */
function addOkrSheet(world, specs, { name = 'OKRs', header = HEADER, above = [] } = {}) {
  const rows = above.map((line) => line.slice()).concat(okrRows(specs, header));
  const sheet = world.spreadsheet.addSheet(name, rows);
  world.spreadsheet.setActiveSheet(sheet);
  return sheet;
}

/** Selects one cell of a sheet, as a user's click would. */
function select(sheet, row, column = 1) {
  sheet.getRange(row, column).activate();
}

module.exports = { HEADER, col, okrRows, addOkrSheet, select };
