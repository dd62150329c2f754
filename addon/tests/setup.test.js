'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('./fakes/load');
const { columnLetter } = require('./fakes/sheets');

const TEMPLATE = require('../../sheets_templates/template.json');
const NAMES = TEMPLATE.team_columns.map((c) => c.name);

function headerOf(sheet, row) {
  return sheet.getRange(row, 1, 1, sheet.getLastColumn()).getValues()[0];
}

/** Checks formats, validation, protections and colours of a set-up tab. */
function assertSetUp(sheet, headerRow) {
  const header = headerOf(sheet, headerRow);
  const colOf = (name) => {
    const def = TEMPLATE.team_columns.find((c) => c.name === name);
    const labels = [def.name, ...def.aliases].map((l) => l.toLowerCase());
    const index = header.findIndex((h) => labels.includes(String(h).trim().toLowerCase()));
    assert.notEqual(index, -1, `${name} in the header`);
    return index + 1;
  };
  const last = sheet.getMaxRows();
  for (const def of TEMPLATE.team_columns) {
    const column = colOf(def.name);
    for (const row of [headerRow + 1, Math.floor((headerRow + last) / 2), last]) {
      assert.equal(sheet.getRange(row, column).getNumberFormat(), def.number_format, `${def.name} row ${row}`);
    }
  }
  const typeRule = sheet.getRange(headerRow + 1, colOf('Type')).getDataValidation();
  assert.deepEqual(typeRule.values, ['Objective', 'Key Result']);
  assert.equal(typeRule.dropdown, true);
  assert.equal(sheet.getRange(last, colOf('Type')).getDataValidation(), typeRule);
  assert.equal(sheet.getRange(headerRow, colOf('Type')).getDataValidation(), null, 'not on the header');
  const confidenceRule = sheet.getRange(last, colOf('Confidence')).getDataValidation();
  assert.deepEqual(confidenceRule.values, ['Low', 'Medium', 'High']);
  assert.equal(confidenceRule.getAllowInvalid(), true, 'numbers and percentages stay typeable');
  assert.match(confidenceRule.getHelpText(), /0-10/);

  const protections = sheet.getProtections('RANGE');
  assert.deepEqual(protections.map((p) => [p.getDescription(), p.isWarningOnly(), p.getRange().getA1Notation()]).sort(),
    ['Score', 'Status', 'Warnings'].map((name) => {
      const letter = columnLetter(colOf(name));
      return [`okrtree output: ${name}`, true, `${letter}${headerRow}:${letter}${last}`];
    }).sort());

  const rules = sheet.getConditionalFormatRules().map((rule) => rule.spec);
  const statusA1 = `${columnLetter(colOf('Status'))}${headerRow + 1}:${columnLetter(colOf('Status'))}${last}`;
  const scoreLetter = columnLetter(colOf('Score'));
  const scoreA1 = `${scoreLetter}${headerRow + 1}:${scoreLetter}${last}`;
  const ours = rules.filter((r) => r.ranges.length === 1 && [statusA1, scoreA1].includes(r.ranges[0].getA1Notation()));
  assert.deepEqual(ours.map((r) => [r.ranges[0].getA1Notation(), r.condition, r.values, r.background]), [
    ...Object.entries(TEMPLATE.status_colours).map(([label, hex]) => [statusA1, 'TEXT_EQ', [label], `#${hex}`]),
    ...Object.entries(TEMPLATE.status_colours).map(([label, hex]) => [scoreA1, 'CUSTOM_FORMULA',
      [`=AND(ISNUMBER(${scoreLetter}${headerRow + 1}),$${columnLetter(colOf('Status'))}${headerRow + 1}="${label}")`],
      `#${hex}`]),
  ]);
  assert.ok(sheet.getFrozenRows() >= headerRow);
  assert.equal(sheet.getRange(headerRow, 1).getFontWeight(), 'bold');
  return { colOf, rules };
}

test('Set up creates the OKRs tab from the template in a new spreadsheet', () => {
  const w = loadAddon();
  w.spreadsheet.addSheet('Sheet1', []);
  w.call('setUpSheet');
  const sheet = w.spreadsheet.getSheetByName('OKRs');
  assert.ok(sheet, 'OKRs tab created');
  assert.equal(w.spreadsheet.getActiveSheet(), sheet);
  assert.deepEqual(headerOf(sheet, 1), NAMES);
  assert.equal(sheet.getLastRow(), 1, 'only the header');
  assertSetUp(sheet, 1);
  assert.equal(sheet.getColumnWidth(3), 48 * 8, 'Title width from the template');
  assert.equal(sheet.getRange(1, 1).getNote(), 'Unique across the organisation, e.g. ENG-1.');
  assert.equal(w.alerts.length, 1);
  assert.match(w.alerts[0].message, /Created the OKRs tab/);
  assert.equal(w.requests.length, 0);
});

test('Set up repairs an existing tab: missing columns appended, rows untouched', () => {
  const w = loadAddon();
  const rows = [
    ['Platform OKRs 2026-Q4', '', '', '', '', '', '', ''],
    ['Type', ' id ', 'Title', 'Champion', 'Aligns to', 'Target', 'Current', 'Notes'],
    ['Objective', 'PLAT-1', 'Self-service DBs', 'lee@example.com', 'ENG-2', '', '', 'keep me'],
    ['KR', 'PLAT-2', 'Teams on Postgres', 'lee@example.com', '', 12, 3, ''],
    ['', '', '', '', '', '', '', ''],
    ['KR', 'PLAT-3', 'Cost per DB', '', '', '<= 40', '=40+5', 'formula stays'],
  ];
  const sheet = w.spreadsheet.addSheet('OKRs', rows, 300, 12);
  w.spreadsheet.addSheet('Other', [['x']]);
  w.spreadsheet.setActiveSheet(w.spreadsheet.getSheetByName('Other'));
  w.call('setUpSheet');

  const missing = NAMES.filter((n) => !['ID', 'Type', 'Title', 'Owner', 'Parent', 'Target', 'Current'].includes(n));
  assert.deepEqual(headerOf(sheet, 2), [...rows[1], ...missing]);
  const values = sheet.getRange(1, 1, 6, 8).getValues();
  assert.deepEqual(values, rows, 'existing cells unchanged');
  assert.equal(sheet.getLastRow(), 6, 'no row added or removed');
  for (let row = 3; row <= 6; row++) {
    assert.ok(sheet.getRange(row, 9, 1, missing.length).getValues()[0].every((v) => v === ''), 'new columns blank');
  }
  assertSetUp(sheet, 2);
  assert.equal(sheet.getMaxColumns(), 8 + missing.length, 'grid widened for the new columns');
  assert.equal(w.spreadsheet.getActiveSheet(), sheet);
  assert.match(w.alerts[0].message, new RegExp(`Added columns: ${missing.join(', ')}\\.`));
  assert.match(w.alerts[0].message, /Existing rows keep their values/);
});

test('Set up twice changes nothing more and keeps other conditional formats', () => {
  const w = loadAddon();
  w.spreadsheet.addSheet('Sheet1', []);
  w.call('setUpSheet');
  const sheet = w.spreadsheet.getSheetByName('OKRs');
  const userRule = {
    spec: { ranges: [sheet.getRange(2, 1, 10, 3)] },
    getRanges() { return this.spec.ranges; },
  };
  sheet.setConditionalFormatRules([userRule, ...sheet.getConditionalFormatRules()]);
  const header = headerOf(sheet, 1);
  w.call('setUpSheet');
  assert.deepEqual(headerOf(sheet, 1), header);
  const { rules } = assertSetUp(sheet, 1);
  assert.equal(rules.length, 1 + 2 * Object.keys(TEMPLATE.status_colours).length);
  assert.equal(sheet.getConditionalFormatRules()[0], userRule);
  assert.equal(sheet.getProtections('RANGE').length, 3);
  assert.match(w.alerts[1].message, /All template columns were there/);
});

test('Set up repairs the active tab when it has the OKR header, whatever its name', () => {
  const w = loadAddon();
  const sheet = w.spreadsheet.addSheet('Q4', [['ID', 'Type', 'Title', 'Parent'], ['A-1', 'O', 'x', '']]);
  w.call('setUpSheet');
  assert.equal(w.spreadsheet.getSheetByName('OKRs'), null);
  assert.deepEqual(headerOf(sheet, 1), [...['ID', 'Type', 'Title', 'Parent'],
    ...NAMES.filter((n) => !['ID', 'Type', 'Title', 'Parent'].includes(n))]);
  assertSetUp(sheet, 1);
});

test('Set up gives a header-only tab rows to format', () => {
  const w = loadAddon();
  const sheet = w.spreadsheet.addSheet('OKRs', [NAMES], 1, NAMES.length);
  w.call('setUpSheet');
  assert.ok(sheet.getMaxRows() > 1);
  assertSetUp(sheet, 1);
});

test('Set up refuses a tab with content but no header, and writes nothing', () => {
  const w = loadAddon();
  w.spreadsheet.addSheet('OKRs', [['Our goals'], ['Grow'], ['Ship']]);
  w.call('setUpSheet');
  assert.equal(w.alerts.length, 1);
  assert.equal(w.alerts[0].title, 'okrtree: Set up this sheet');
  assert.match(w.alerts[0].message, /"OKRs" has content but no header row.*Nothing was changed/s);
  assert.deepEqual(w.writes, []);
});
