// Set up this sheet: create or repair the OKRs tab from the standard template without
// changing any existing row's values.

const OKRTREE_PROTECTION_PREFIX = 'okrtree output: ';
const OKRTREE_OUTPUT_COLUMNS = ['Score', 'Status', 'Warnings'];
/** Rows given to a tab that has nothing below its header, so formats have somewhere to go. */
const OKRTREE_SETUP_MIN_DATA_ROWS = 100;

/** Menu: Set up this sheet. */
function setUpSheet() {
  runCommand_('Set up this sheet', function () {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    const report = setUpOkrSheet_(spreadsheet);
    showAlert_('okrtree: Set up this sheet', report);
  });
}

/**
 * Creates or repairs the OKRs tab and says what it did.
 * @param {GoogleAppsScript.Spreadsheet.Spreadsheet} spreadsheet
 * @returns {string}
 */
function setUpOkrSheet_(spreadsheet) {
  const found = findOkrSheet_(spreadsheet);
  let sheet = found ? found.sheet : spreadsheet.getSheetByName(OKRTREE_TEMPLATE.team_tab);
  let header = found ? found.header : null;
  let created = false;
  if (!sheet) {
    sheet = spreadsheet.insertSheet(OKRTREE_TEMPLATE.team_tab);
    created = true;
  }
  if (!header) {
    if (sheet.getLastRow() > 0) {
      throw new OkrAddonError(
        'The tab "' + sheet.getName() + '" has content but no header row (a row with ID and Type ' +
          'among its first ' + OKRTREE_TEMPLATE.header_search_rows + ' rows). Add the header row ' +
          'yourself, or rename the tab and run Set up this sheet again to get a new OKRs tab. ' +
          'Nothing was changed.'
      );
    }
    header = { row: 1, columns: {}, lastColumn: 0 };
  }

  const added = appendMissingColumns_(sheet, header);
  const headerRow = header.row;
  if (sheet.getMaxRows() <= headerRow) {
    sheet.insertRowsAfter(sheet.getMaxRows(), OKRTREE_SETUP_MIN_DATA_ROWS);
  }
  const dataRows = sheet.getMaxRows() - headerRow;
  const columns = header.columns;

  sheet.getRange(headerRow, 1, 1, header.lastColumn).setFontWeight('bold');
  if (sheet.getFrozenRows() < headerRow) {
    sheet.setFrozenRows(headerRow);
  }
  OKRTREE_TEMPLATE.team_columns.forEach(function (def) {
    sheet.getRange(headerRow + 1, columns[def.name], dataRows, 1).setNumberFormat(def.number_format);
  });
  // Dropdowns that accept other values too: aliases such as KR, numbers for Confidence.
  OKRTREE_TEMPLATE.team_columns.forEach(function (def) {
    if (!def.validation || columns[def.name] === undefined) {
      return;
    }
    const help = def.name === 'Type' ? 'Objective or Key Result (O, Obj, KR also work).' : def.note || '';
    sheet.getRange(headerRow + 1, columns[def.name], dataRows, 1).setDataValidation(
      SpreadsheetApp.newDataValidation()
        .requireValueInList(def.validation, true)
        .setAllowInvalid(true)
        .setHelpText(help)
        .build()
    );
  });
  protectOutputColumns_(sheet, headerRow, columns);
  colourOutputColumns_(sheet, headerRow, dataRows, columns);

  spreadsheet.setActiveSheet(sheet);
  const lines = [
    created
      ? 'Created the ' + sheet.getName() + ' tab from the okrtree template.'
      : 'Checked the ' + sheet.getName() + ' tab against the okrtree template.',
  ];
  if (!created) {
    lines.push(
      added.length > 0 ? 'Added columns: ' + added.join(', ') + '.' : 'All template columns were there.',
      'Existing rows keep their values.'
    );
  }
  lines.push(
    'Type and Confidence have dropdowns; Score, Status and Warnings are written by okrtree and warn before a manual edit.'
  );
  return lines.join('\n');
}

/**
 * Writes the template columns the header lacks after its last cell (every column on a new
 * tab), with widths and notes, and records their positions in `header`.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @param {OkrHeader} header
 * @returns {string[]} the names added
 */
function appendMissingColumns_(sheet, header) {
  const missing = OKRTREE_TEMPLATE.team_columns.filter(function (def) {
    return !header.columns[def.name];
  });
  if (missing.length === 0) {
    return [];
  }
  const first = header.lastColumn + 1;
  const needed = first + missing.length - 1 - sheet.getMaxColumns();
  if (needed > 0) {
    sheet.insertColumnsAfter(sheet.getMaxColumns(), needed);
  }
  sheet.getRange(header.row, first, 1, missing.length).setValues([
    missing.map(function (def) { return def.name; }),
  ]);
  missing.forEach(function (def, index) {
    const column = first + index;
    header.columns[def.name] = column;
    sheet.setColumnWidth(column, def.width * 8);
    if (def.note) {
      sheet.getRange(header.row, column).setNote(def.note);
    }
  });
  header.lastColumn = first + missing.length - 1;
  return missing.map(function (def) { return def.name; });
}

/**
 * Protects Score, Status and Warnings (header included) with a warning only, replacing the
 * protections an earlier set-up made.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @param {number} headerRow
 * @param {Object<string, number>} columns
 */
function protectOutputColumns_(sheet, headerRow, columns) {
  sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE).forEach(function (protection) {
    if (protection.getDescription().indexOf(OKRTREE_PROTECTION_PREFIX) === 0) {
      protection.remove();
    }
  });
  const rows = sheet.getMaxRows() - headerRow + 1;
  OKRTREE_OUTPUT_COLUMNS.forEach(function (name) {
    sheet
      .getRange(headerRow, columns[name], rows, 1)
      .protect()
      .setDescription(OKRTREE_PROTECTION_PREFIX + name)
      .setWarningOnly(true);
  });
}

/**
 * Colours Status by label (status_colours) and Score by its row's Status, replacing the
 * rules that apply to those columns alone.
 * @param {GoogleAppsScript.Spreadsheet.Sheet} sheet
 * @param {number} headerRow
 * @param {number} dataRows
 * @param {Object<string, number>} columns
 */
function colourOutputColumns_(sheet, headerRow, dataRows, columns) {
  const statusRange = sheet.getRange(headerRow + 1, columns['Status'], dataRows, 1);
  const scoreRange = sheet.getRange(headerRow + 1, columns['Score'], dataRows, 1);
  const ours = [columns['Status'], columns['Score']];
  const kept = sheet.getConditionalFormatRules().filter(function (rule) {
    return !rule.getRanges().every(function (range) {
      return range.getNumColumns() === 1 && ours.indexOf(range.getColumn()) !== -1;
    });
  });
  const colours = OKRTREE_TEMPLATE.status_colours;
  /** @type {GoogleAppsScript.Spreadsheet.ConditionalFormatRule[]} */
  const rules = Object.keys(colours).map(function (label) {
    return SpreadsheetApp.newConditionalFormatRule()
      .whenTextEqualTo(label)
      .setBackground('#' + colours[label])
      .setRanges([statusRange])
      .build();
  });
  // Score wears its row's Status colour, as in the workbooks okrtree makes.
  const scoreCell = scoreRange.getCell(1, 1).getA1Notation();
  const statusCell = '$' + statusRange.getCell(1, 1).getA1Notation();
  Object.keys(colours).forEach(function (label) {
    rules.push(
      SpreadsheetApp.newConditionalFormatRule()
        .whenFormulaSatisfied('=AND(ISNUMBER(' + scoreCell + '),' + statusCell + '="' + label + '")')
        .setBackground('#' + colours[label])
        .setRanges([scoreRange])
        .build()
    );
  });
  sheet.setConditionalFormatRules(kept.concat(rules));
}
