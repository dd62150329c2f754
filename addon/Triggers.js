// The onEdit simple trigger: a check-in on a key result stamps its Updated date.

/** Columns whose edit on a key-result row counts as a check-in. */
const OKRTREE_CHECK_IN_COLUMNS = ['Current', 'Start', 'Target', 'Confidence', 'Note'];

/**
 * Stamps today's date into `Updated` on each key-result row whose Current, Start, Target,
 * Confidence or Note was edited. Runs without network and never alerts: a simple trigger must
 * stay quiet.
 * @param {GoogleAppsScript.Events.SheetsOnEdit} e
 */
function onEdit(e) {
  if (!e || !e.range) {
    return;
  }
  try {
    stampCheckIns_(e.range);
  } catch (err) {
    console.warn('okrtree onEdit: ' + (errorText_(err)));
  }
}

/**
 * @param {GoogleAppsScript.Spreadsheet.Range} range  the edited cells
 * @returns {number} how many Updated cells were stamped
 */
function stampCheckIns_(range) {
  const sheet = range.getSheet();
  const header = readHeader_(sheet);
  if (!header) {
    return 0;
  }
  const typeColumn = header.columns['Type'];
  const updatedColumn = header.columns['Updated'];
  if (!typeColumn || !updatedColumn) {
    return 0;
  }
  const firstColumn = range.getColumn();
  const lastColumn = firstColumn + range.getNumColumns() - 1;
  const touchesCheckIn = OKRTREE_CHECK_IN_COLUMNS.some(function (name) {
    const column = header.columns[name];
    return column !== undefined && column >= firstColumn && column <= lastColumn;
  });
  if (!touchesCheckIn) {
    return 0;
  }
  const firstRow = Math.max(range.getRow(), header.row + 1);
  const lastRow = range.getRow() + range.getNumRows() - 1;
  if (firstRow > lastRow) {
    return 0;
  }
  const types = sheet.getRange(firstRow, typeColumn, lastRow - firstRow + 1, 1).getValues();
  const today = todayText_(sheet.getParent());
  let stamped = 0;
  let runStart = -1;
  for (let i = 0; i <= types.length; i++) {
    const isKeyResult = i < types.length && kindOf_(types[i][0]) === 'key_result';
    if (isKeyResult && runStart === -1) {
      runStart = i;
    } else if (!isKeyResult && runStart !== -1) {
      const length = i - runStart;
      /** @type {string[][]} */
      const cells = [];
      for (let k = 0; k < length; k++) {
        cells.push([today]);
      }
      sheet.getRange(firstRow + runStart, updatedColumn, length, 1).setValues(cells);
      stamped += length;
      runStart = -1;
    }
  }
  return stamped;
}

/**
 * Today as yyyy-MM-dd in the spreadsheet's time zone; Sheets reads it as a date.
 * @param {GoogleAppsScript.Spreadsheet.Spreadsheet} spreadsheet
 * @returns {string}
 */
function todayText_(spreadsheet) {
  const zone = spreadsheet.getSpreadsheetTimeZone() || Session.getScriptTimeZone();
  return Utilities.formatDate(new Date(), zone, 'yyyy-MM-dd');
}
