// Finding the template's header and columns in a tab, and reading a row's type.

/**
 * A header cell or type value as compared: trimmed, lower case.
 * @param {unknown} value
 * @returns {string}
 */
function normaliseLabel_(value) {
  return String(value === null || value === undefined ? '' : value).trim().toLowerCase();
}

/**
 * Maps each template column to the 1-based position of the first header cell that
 * carries its name or one of its aliases.
 * @param {unknown[]} headerCells
 * @returns {Object<string, number>}
 */
function mapColumns_(headerCells) {
  const labels = headerCells.map(normaliseLabel_);
  /** @type {Object<string, number>} */
  const columns = {};
  OKRTREE_TEMPLATE.team_columns.forEach(function (def) {
    const names = [def.name].concat(def.aliases).map(normaliseLabel_);
    const index = labels.findIndex(function (label) {
      return names.indexOf(label) !== -1;
    });
    if (index !== -1) {
      columns[def.name] = index + 1;
    }
  });
  return columns;
}

/**
 * The header among the first rows of a tab: the first row with cells `ID` and `Type`.
 * @param {unknown[][]} values  the tab's top rows, starting at row 1
 * @returns {OkrHeader | null}
 */
function findHeader_(values) {
  const limit = Math.min(values.length, OKRTREE_TEMPLATE.header_search_rows);
  for (let r = 0; r < limit; r++) {
    const labels = values[r].map(normaliseLabel_);
    if (labels.indexOf('id') !== -1 && labels.indexOf('type') !== -1) {
      let lastColumn = labels.length;
      while (lastColumn > 0 && labels[lastColumn - 1] === '') {
        lastColumn--;
      }
      return { row: r + 1, columns: mapColumns_(values[r]), lastColumn: lastColumn };
    }
  }
  return null;
}

/**
 * Reads the header of a tab, or null when none of its first rows has `ID` and `Type`.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @returns {OkrHeader | null}
 */
function readHeader_(sheet) {
  const lastRow = Math.min(sheet.getLastRow(), OKRTREE_TEMPLATE.header_search_rows);
  const lastColumn = sheet.getLastColumn();
  if (lastRow < 1 || lastColumn < 1) {
    return null;
  }
  return findHeader_(sheet.getRange(1, 1, lastRow, lastColumn).getValues());
}

/**
 * The kind of row a `Type` cell names, or null for blank and unknown values.
 * @param {unknown} value
 * @returns {OkrKind | null}
 */
function kindOf_(value) {
  const label = normaliseLabel_(value);
  if (label === '') {
    return null;
  }
  const types = OKRTREE_TEMPLATE.type_values;
  if (types['Objective'].map(normaliseLabel_).indexOf(label) !== -1) {
    return 'objective';
  }
  if (types['Key Result'].map(normaliseLabel_).indexOf(label) !== -1) {
    return 'key_result';
  }
  return null;
}

/**
 * The tab holding this spreadsheet's OKRs: the active tab when it has the template's
 * header, else the tab named like the template's (`OKRs`) when it has one, else null.
 * @param {GoogleAppsScript.Spreadsheet.Spreadsheet} spreadsheet
 * @returns {{sheet: GoogleAppsScript.Spreadsheet.Sheet, header: OkrHeader} | null}
 */
function findOkrSheet_(spreadsheet) {
  const active = spreadsheet.getActiveSheet();
  const activeHeader = active ? readHeader_(active) : null;
  if (active && activeHeader) {
    return { sheet: active, header: activeHeader };
  }
  const named = spreadsheet.getSheetByName(OKRTREE_TEMPLATE.team_tab);
  const namedHeader = named ? readHeader_(named) : null;
  if (named && namedHeader) {
    return { sheet: named, header: namedHeader };
  }
  return null;
}
