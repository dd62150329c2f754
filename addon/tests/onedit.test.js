'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('./fakes/load');
const { addOkrSheet, col, HEADER } = require('./fakes/okrs');

const OLD = '2026-10-01';
const ROWS = [
  { ID: 'ENG-1', Type: 'Objective', Title: 'Ship faster' }, //                          row 2
  { ID: 'ENG-2', Type: 'Key Result', Title: 'Lead time', Start: 10, Target: 2, Current: 6, Updated: OLD }, // row 3
  { ID: 'ENG-3', Type: 'kr', Title: 'Deploys', Start: 1, Target: 10, Current: 3, Updated: OLD }, // row 4
  { ID: 'ENG-4', Type: 'O', Title: 'Fewer incidents', Updated: OLD }, //                  row 5
  { ID: 'ENG-5', Type: ' KeyResult ', Title: 'MTTR', Target: '<= 1', Updated: OLD }, //   row 6
  {}, //                                                                                  row 7 (blank)
  { ID: 'ENG-6', Type: 'Key result', Title: 'Pages', Current: 'yes' }, //               row 8
];

const C = (name) => col(name);
// [what, row, column, rows, columns, rows whose Updated is stamped]
const CASES = [
  ['Current on a key result', 3, C('Current'), 1, 1, [3]],
  ['Start on a key result', 4, C('Start'), 1, 1, [4]],
  ['Target on a key result (KeyResult, padded)', 6, C('Target'), 1, 1, [6]],
  ['Current on a key result typed "Key result"', 8, C('Current'), 1, 1, [8]],
  ['Current on an objective', 2, C('Current'), 1, 1, []],
  ['Target on an objective typed O', 5, C('Target'), 1, 1, []],
  ['Title on a key result', 3, C('Title'), 1, 1, []],
  ['Updated itself', 3, C('Updated'), 1, 1, []],
  ['Score (an output column)', 3, C('Score'), 1, 1, []],
  ['Weight', 4, C('Weight'), 1, 1, []],
  ['the header cell of Current', 1, C('Current'), 1, 1, []],
  ['a blank row', 7, C('Current'), 1, 1, []],
  ['below the data', 40, C('Current'), 1, 1, []],
  ['a column of Current cells over every row', 2, C('Current'), 7, 1, [3, 4, 6, 8]],
  ['Start..Current on two key results', 3, C('Start'), 2, 3, [3, 4]],
  ['from the header down, Current only', 1, C('Current'), 4, 1, [3, 4]],
  ['whole rows pasted', 2, 1, 5, HEADER.length, [3, 4, 6]],
  ['Title..Target ending in Start', 3, C('Title'), 2, C('Start') - C('Title') + 1, [3, 4]],
  ['Owner..Depends on (no check-in column)', 3, C('Owner'), 4, 3, []],
  ['Updated..Warnings (no check-in column)', 3, C('Updated'), 4, 4, []],
  ['Confidence on a key result', 3, C('Confidence'), 1, 1, [3]],
  ['Note on a key result typed kr', 4, C('Note'), 1, 1, [4]],
  ['Confidence and Note on an objective', 2, C('Confidence'), 1, 2, []],
  ['Note on two key results', 3, C('Note'), 2, 1, [3, 4]],
  ['Warnings..Note (the check-in columns after the outputs)', 3, C('Warnings'), 1, 3, [3]],
];

function world(options = {}) {
  const w = loadAddon({ authMode: 'LIMITED', ...options });
  const sheet = addOkrSheet(w, ROWS);
  return { w, sheet };
}

function edit(w, sheet, row, column, rows, columns) {
  const range = sheet.getRange(row, column, rows, columns);
  w.call('onEdit', { authMode: 'LIMITED', range, source: w.spreadsheet, value: undefined, oldValue: undefined });
}

function updatedColumn(sheet, header = HEADER) {
  const column = header.indexOf('Updated') + 1;
  return sheet.getRange(1, column, 8, 1).getValues().map((line) => line[0]);
}

for (const [what, row, column, rows, columns, stamped] of CASES) {
  test(`onEdit: ${what} -> stamps ${JSON.stringify(stamped)}`, () => {
    const { w, sheet } = world();
    const before = updatedColumn(sheet);
    edit(w, sheet, row, column, rows, columns);
    const after = updatedColumn(sheet);
    const expected = before.map((value, i) => (stamped.includes(i + 1) ? '2026-11-21' : value));
    assert.deepEqual(after, expected);
    assert.ok(w.writes.every((write) => write.op === 'setValues' && write.a1.startsWith('K')), JSON.stringify(w.writes));
    assert.equal(w.requests.length, 0, 'no network');
    assert.ok(!w.touched.some((name) => name.startsWith('UrlFetchApp')), 'UrlFetchApp never called');
    assert.deepEqual(w.alerts, []);
  });
}

test('onEdit writes each run of adjacent key-result rows at once', () => {
  const { w, sheet } = world();
  edit(w, sheet, 2, C('Current'), 7, 1);
  assert.deepEqual(w.writes.map((write) => write.a1), ['K3:K4', 'K6', 'K8']);
});

test('onEdit uses the spreadsheet\'s time zone for today', () => {
  const { w, sheet } = world({ now: '2026-11-21T23:30:00Z', spreadsheet: { timeZone: 'Europe/Paris' } });
  edit(w, sheet, 3, C('Current'), 1, 1);
  assert.equal(sheet.getRange(3, C('Updated')).getValue(), '2026-11-22');
});

test('onEdit finds columns by alias in any order, with the header below title rows', () => {
  const header = ['Actual', 'Type', 'ID', 'Baseline', 'Last check-in', 'Title'];
  const w = loadAddon({ authMode: 'LIMITED' });
  const sheet = addOkrSheet(w, [
    { ID: 'P-1', Type: 'Objective', Title: 'o' },
    { ID: 'P-2', Type: 'KR', Title: 'k', Actual: 1 },
  ], { header, above: [['Platform'], ['']], name: 'Q4 OKRs' });
  edit(w, sheet, 5, 1, 1, 1);
  assert.deepEqual(sheet.getRange(4, 5, 2, 1).getValues(), [[''], ['2026-11-21']]);
  edit(w, sheet, 3, 1, 1, 1);
  assert.deepEqual(w.writes.length, 1, 'the header row is never stamped');
});

test('onEdit ignores tabs without the OKR header or without an Updated column', () => {
  const w = loadAddon({ authMode: 'LIMITED' });
  const notes = w.spreadsheet.addSheet('Notes', [['Current', 'Updated'], [1, '']]);
  edit(w, notes, 2, 1, 1, 1);
  const noUpdated = w.spreadsheet.addSheet('Old', [['ID', 'Type', 'Current'], ['A-1', 'KR', 1]]);
  edit(w, noUpdated, 2, 3, 1, 1);
  assert.deepEqual(w.writes, []);
});

test('onEdit never throws: a failure is logged and the edit stands', () => {
  const { w, sheet } = world();
  const range = sheet.getRange(3, C('Current'));
  sheet.getRange = () => { throw new Error('Exception: Service Spreadsheets timed out'); };
  assert.doesNotThrow(() => w.call('onEdit', { authMode: 'LIMITED', range, source: w.spreadsheet }));
  assert.match(w.logs.join('\n'), /timed out/);
  assert.doesNotThrow(() => w.call('onEdit', {}));
  assert.deepEqual(w.writes, []);
});
