'use strict';
// A small in-memory SpreadsheetApp: spreadsheets, sheets, ranges, builders and the UI.
// Every change to a sheet is logged in world.writes so tests can assert "nothing written".

/** @param {number} column 1-based */
function columnLetter(column) {
  let letters = '';
  while (column > 0) {
    const rem = (column - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    column = Math.floor((column - 1) / 26);
  }
  return letters;
}

function blankCell() {
  return { value: '', format: 'General', note: '', validation: null, fontWeight: 'normal' };
}

class FakeRange {
  constructor(sheet, row, column, numRows, numColumns) {
    for (const [name, value] of [['row', row], ['column', column], ['rows', numRows], ['columns', numColumns]]) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`Exception: The ${name} of the range must be at least 1 (got ${value}).`);
      }
    }
    if (row + numRows - 1 > sheet.maxRows || column + numColumns - 1 > sheet.maxColumns) {
      throw new Error('Exception: Those rows or columns are out of bounds.');
    }
    this.sheet = sheet;
    this.row = row;
    this.column = column;
    this.numRows = numRows;
    this.numColumns = numColumns;
  }
  getSheet() { return this.sheet; }
  getRow() { return this.row; }
  getColumn() { return this.column; }
  getLastRow() { return this.row + this.numRows - 1; }
  getLastColumn() { return this.column + this.numColumns - 1; }
  getNumRows() { return this.numRows; }
  getNumColumns() { return this.numColumns; }
  getCell(row, column) { return new FakeRange(this.sheet, this.row + row - 1, this.column + column - 1, 1, 1); }
  getA1Notation() {
    const start = columnLetter(this.column) + this.row;
    if (this.numRows === 1 && this.numColumns === 1) return start;
    return `${start}:${columnLetter(this.getLastColumn())}${this.getLastRow()}`;
  }
  forEachCell(fn) {
    for (let r = 0; r < this.numRows; r++) {
      for (let c = 0; c < this.numColumns; c++) fn(this.sheet.cell(this.row + r, this.column + c), r, c);
    }
  }
  getValues() {
    const out = [];
    for (let r = 0; r < this.numRows; r++) {
      const line = [];
      for (let c = 0; c < this.numColumns; c++) line.push(this.sheet.peek(this.row + r, this.column + c).value);
      out.push(line);
    }
    return out;
  }
  getValue() { return this.sheet.peek(this.row, this.column).value; }
  setValues(values) {
    if (!Array.isArray(values) || values.length !== this.numRows) {
      throw new Error(`Exception: The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${this.numRows}.`);
    }
    values.forEach((line) => {
      if (!Array.isArray(line) || line.length !== this.numColumns) {
        throw new Error('Exception: The number of columns in the data does not match the number of columns in the range.');
      }
    });
    this.sheet.log('setValues', this);
    this.forEachCell((cell, r, c) => { cell.value = values[r][c]; });
    return this;
  }
  setValue(value) {
    this.sheet.log('setValue', this);
    this.forEachCell((cell) => { cell.value = value; });
    return this;
  }
  getNumberFormat() { return this.sheet.peek(this.row, this.column).format; }
  setNumberFormat(format) {
    this.sheet.log('setNumberFormat', this);
    this.forEachCell((cell) => { cell.format = format; });
    return this;
  }
  getNote() { return this.sheet.peek(this.row, this.column).note; }
  setNote(note) {
    this.sheet.log('setNote', this);
    this.forEachCell((cell) => { cell.note = note; });
    return this;
  }
  getFontWeight() { return this.sheet.peek(this.row, this.column).fontWeight; }
  setFontWeight(weight) {
    this.sheet.log('setFontWeight', this);
    this.forEachCell((cell) => { cell.fontWeight = weight; });
    return this;
  }
  getDataValidation() { return this.sheet.peek(this.row, this.column).validation; }
  setDataValidation(rule) {
    this.sheet.log('setDataValidation', this);
    this.forEachCell((cell) => { cell.validation = rule; });
    return this;
  }
  protect() {
    this.sheet.log('protect', this);
    const protection = new FakeProtection(this);
    this.sheet.protections.push(protection);
    return protection;
  }
  activate() {
    const spreadsheet = this.sheet.spreadsheet;
    spreadsheet.activeSheet = this.sheet;
    this.sheet.activeRange = this;
    return this;
  }
}

class FakeProtection {
  constructor(range) {
    this.range = range;
    this.description = '';
    this.warningOnly = false;
  }
  getRange() { return this.range; }
  getDescription() { return this.description; }
  setDescription(text) { this.description = text; return this; }
  isWarningOnly() { return this.warningOnly; }
  setWarningOnly(value) { this.warningOnly = value; return this; }
  remove() {
    this.range.sheet.log('removeProtection', this.range);
    const list = this.range.sheet.protections;
    list.splice(list.indexOf(this), 1);
  }
}

class FakeSheet {
  /** @param {FakeSpreadsheet} spreadsheet @param {string} name @param {unknown[][]} rows */
  constructor(spreadsheet, name, rows = [], maxRows = 1000, maxColumns = 26) {
    this.spreadsheet = spreadsheet;
    this.name = name;
    this.maxRows = Math.max(maxRows, rows.length);
    this.maxColumns = Math.max(maxColumns, ...rows.map((r) => r.length), 1);
    this.cells = rows.map((line) => line.map((value) => Object.assign(blankCell(), { value })));
    this.frozenRows = 0;
    this.columnWidths = {};
    this.protections = [];
    this.conditionalRules = [];
    this.activeRange = null;
  }
  log(op, range) {
    this.spreadsheet.world.writes.push({ op, sheet: this.name, a1: range ? range.getA1Notation() : '' });
  }
  /** A cell for writing: created on demand. */
  cell(row, column) {
    while (this.cells.length < row) this.cells.push([]);
    const line = this.cells[row - 1];
    while (line.length < column) line.push(blankCell());
    return line[column - 1];
  }
  /** A cell for reading: never grows the grid. */
  peek(row, column) {
    const line = this.cells[row - 1];
    return (line && line[column - 1]) || blankCell();
  }
  getName() { return this.name; }
  getParent() { return this.spreadsheet; }
  getSheetId() { return this.spreadsheet.sheets.indexOf(this); }
  getMaxRows() { return this.maxRows; }
  getMaxColumns() { return this.maxColumns; }
  getLastRow() {
    for (let r = this.cells.length; r >= 1; r--) {
      if (this.cells[r - 1].some((cell) => cell.value !== '' && cell.value !== null)) return r;
    }
    return 0;
  }
  getLastColumn() {
    let last = 0;
    this.cells.forEach((line) => line.forEach((cell, c) => {
      if (cell.value !== '' && cell.value !== null) last = Math.max(last, c + 1);
    }));
    return last;
  }
  getRange(row, column, numRows = 1, numColumns = 1) {
    if (typeof row === 'string') throw new Error('the fake supports numeric getRange only');
    return new FakeRange(this, row, column, numRows, numColumns);
  }
  getDataRange() {
    return new FakeRange(this, 1, 1, Math.max(this.getLastRow(), 1), Math.max(this.getLastColumn(), 1));
  }
  getActiveRange() { return this.activeRange; }
  activate() { this.spreadsheet.activeSheet = this; return this; }
  insertRowsAfter(afterPosition, howMany) {
    if (afterPosition < 1 || afterPosition > this.maxRows) throw new Error('Exception: Those rows are out of bounds.');
    this.log('insertRowsAfter', null);
    const fresh = Array.from({ length: howMany }, () => []);
    while (this.cells.length < afterPosition) this.cells.push([]);
    this.cells.splice(afterPosition, 0, ...fresh);
    this.maxRows += howMany;
    this.protections.forEach((p) => {
      const r = p.range;
      if (afterPosition >= r.row && afterPosition < r.row + r.numRows) r.numRows += howMany;
      else if (afterPosition < r.row) r.row += howMany;
    });
    return this;
  }
  insertRowAfter(afterPosition) { return this.insertRowsAfter(afterPosition, 1); }
  insertColumnsAfter(afterPosition, howMany) {
    this.log('insertColumnsAfter', null);
    this.cells.forEach((line) => {
      if (line.length > afterPosition) line.splice(afterPosition, 0, ...Array.from({ length: howMany }, blankCell));
    });
    this.maxColumns += howMany;
    return this;
  }
  getFrozenRows() { return this.frozenRows; }
  setFrozenRows(rows) { this.log('setFrozenRows', null); this.frozenRows = rows; }
  getColumnWidth(column) { return this.columnWidths[column] || 100; }
  setColumnWidth(column, width) { this.log('setColumnWidth', null); this.columnWidths[column] = width; return this; }
  getProtections(type) {
    if (type !== 'RANGE') return [];
    return this.protections.slice();
  }
  getConditionalFormatRules() { return this.conditionalRules.slice(); }
  setConditionalFormatRules(rules) { this.log('setConditionalFormatRules', null); this.conditionalRules = Array.from(rules); }
}

class FakeSpreadsheet {
  constructor(world, { id = 'sheet-id', name = 'Platform OKRs', timeZone = 'Europe/Paris' } = {}) {
    this.world = world;
    this.id = id;
    this.name = name;
    this.timeZone = timeZone;
    this.sheets = [];
    this.activeSheet = null;
  }
  addSheet(name, rows, maxRows, maxColumns) {
    const sheet = new FakeSheet(this, name, rows, maxRows, maxColumns);
    this.sheets.push(sheet);
    if (!this.activeSheet) this.activeSheet = sheet;
    return sheet;
  }
  getId() { return this.id; }
  getName() { return this.name; }
  getUrl() { return `https://docs.google.com/spreadsheets/d/${this.id}/edit`; }
  getSpreadsheetTimeZone() { return this.timeZone; }
  getSheets() { return this.sheets.slice(); }
  getSheetByName(name) {
    return this.sheets.find((s) => s.name.toLowerCase() === String(name).toLowerCase()) || null;
  }
  insertSheet(name) {
    if (this.getSheetByName(name)) throw new Error(`Exception: A sheet with the name "${name}" already exists.`);
    this.world.writes.push({ op: 'insertSheet', sheet: name, a1: '' });
    const sheet = this.addSheet(name, []);
    this.activeSheet = sheet;
    return sheet;
  }
  getActiveSheet() { return this.activeSheet; }
  setActiveSheet(sheet) { this.activeSheet = sheet; return sheet; }
  getActiveRange() { return this.activeSheet ? this.activeSheet.activeRange : null; }
}

function dataValidationBuilder() {
  const spec = { values: null, dropdown: false, allowInvalid: true, helpText: '' };
  const builder = {
    requireValueInList(values, showDropdown = true) { spec.values = Array.from(values); spec.dropdown = showDropdown; return builder; },
    setAllowInvalid(value) { spec.allowInvalid = value; return builder; },
    setHelpText(text) { spec.helpText = text; return builder; },
    build() {
      if (!spec.values) throw new Error('Exception: the data validation rule has no criteria.');
      return { kind: 'dataValidation', ...spec, getHelpText: () => spec.helpText, getAllowInvalid: () => spec.allowInvalid };
    },
  };
  return builder;
}

function conditionalFormatRuleBuilder() {
  const spec = { condition: null, values: [], background: null, ranges: [] };
  const builder = {
    whenTextEqualTo(text) { spec.condition = 'TEXT_EQ'; spec.values = [text]; return builder; },
    whenNumberGreaterThanOrEqualTo(number) { spec.condition = 'NUMBER_GREATER_THAN_OR_EQUAL_TO'; spec.values = [number]; return builder; },
    whenNumberLessThan(number) { spec.condition = 'NUMBER_LESS_THAN'; spec.values = [number]; return builder; },
    whenNumberBetween(a, b) { spec.condition = 'NUMBER_BETWEEN'; spec.values = [a, b]; return builder; },
    whenFormulaSatisfied(formula) { spec.condition = 'CUSTOM_FORMULA'; spec.values = [formula]; return builder; },
    setBackground(colour) {
      if (!/^#[0-9A-Fa-f]{6}$/.test(colour)) throw new Error(`Exception: Invalid color ${colour}`);
      spec.background = colour; return builder;
    },
    setRanges(ranges) { spec.ranges = Array.from(ranges); return builder; },
    build() {
      if (!spec.condition || spec.ranges.length === 0) throw new Error('Exception: the rule needs a condition and ranges.');
      const rule = { spec: { ...spec, ranges: spec.ranges.slice() }, getRanges: () => spec.ranges.slice() };
      return rule;
    },
  };
  return builder;
}

class FakeUi {
  constructor(world) {
    this.world = world;
    this.ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' };
    this.Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' };
  }
  createAddonMenu() {
    const menu = { type: 'addon', items: [], added: false };
    this.world.menus.push(menu);
    const api = {
      addItem(caption, functionName) { menu.items.push({ caption, functionName }); return api; },
      addSeparator() { menu.items.push({ separator: true }); return api; },
      addSubMenu(sub) { menu.items.push({ subMenu: sub }); return api; },
      addToUi() { menu.added = true; },
    };
    return api;
  }
  createMenu() { throw new Error('an add-on must use createAddonMenu()'); }
  alert(titleOrPrompt, prompt, buttons) {
    const entry = prompt === undefined ? { title: '', message: titleOrPrompt, buttons: 'OK' }
      : { title: titleOrPrompt, message: prompt, buttons };
    this.world.alerts.push(entry);
    return (this.world.alertAnswers || []).shift() || this.Button.OK;
  }
  prompt(title, prompt, buttons) {
    this.world.prompts.push({ title, message: prompt, buttons });
    const next = this.world.promptAnswers.shift();
    if (!next) throw new Error(`unexpected prompt: ${title}`);
    return { getResponseText: () => next.text || '', getSelectedButton: () => next.button || 'OK' };
  }
  showSidebar(output) { this.world.sidebars.push(output); }
  showModelessDialog(output, title) { this.world.dialogs.push({ output, title }); }
  showModalDialog(output, title) { this.world.dialogs.push({ output, title, modal: true }); }
}

function makeSpreadsheetApp(world) {
  const guard = (name) => world.guard(`SpreadsheetApp.${name}`);
  return {
    ProtectionType: { RANGE: 'RANGE', SHEET: 'SHEET' },
    getUi() { world.touch('SpreadsheetApp.getUi'); return world.ui; },
    getActiveSpreadsheet() { guard('getActiveSpreadsheet'); return world.spreadsheet; },
    getActive() { guard('getActive'); return world.spreadsheet; },
    getActiveSheet() { guard('getActiveSheet'); return world.spreadsheet.getActiveSheet(); },
    getActiveRange() { guard('getActiveRange'); return world.spreadsheet.getActiveRange(); },
    newDataValidation() { world.touch('SpreadsheetApp.newDataValidation'); return dataValidationBuilder(); },
    newConditionalFormatRule() { world.touch('SpreadsheetApp.newConditionalFormatRule'); return conditionalFormatRuleBuilder(); },
    flush() {},
  };
}

module.exports = { FakeSpreadsheet, FakeSheet, FakeRange, FakeUi, makeSpreadsheetApp, columnLetter };
