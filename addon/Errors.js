// Failures the user can act on, and the one place that turns any failure into an alert.

/** A failure with a message that tells the user what happened and what to do. */
class OkrAddonError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'OkrAddonError';
  }
}

/**
 * The message of anything thrown.
 * @param {unknown} err
 * @returns {string}
 */
function errorText_(err) {
  const message = err !== null && typeof err === 'object' ? /** @type {{message?: unknown}} */ (err).message : undefined;
  return typeof message === 'string' ? message : String(err);
}

/**
 * Shows a message in a dialog with an OK button.
 * @param {string} title
 * @param {string} message
 */
function showAlert_(title, message) {
  const ui = SpreadsheetApp.getUi();
  ui.alert(title, message, ui.ButtonSet.OK);
}

/**
 * Runs a menu command; any failure ends in an alert instead of a bare script error.
 * @template T
 * @param {string} title  the command's name, shown as the alert's title
 * @param {function(): T} command
 * @returns {T | undefined}
 */
function runCommand_(title, command) {
  try {
    return command();
  } catch (err) {
    if (err instanceof OkrAddonError) {
      showAlert_('okrtree: ' + title, err.message);
    } else {
      const detail = errorText_(err);
      showAlert_(
        'okrtree: ' + title,
        'Something went wrong: ' + detail + '\n\nReload the spreadsheet and try again; if it keeps ' +
          'happening, tell your okrtree administrator what you were doing.'
      );
    }
    return undefined;
  }
}
