'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('./fakes/load');
const { addOkrSheet, select, col, HEADER } = require('./fakes/okrs');

// Row 1 is the header; rows 2.. follow.
const ORG = [
  ['ENG-1', 'Objective', 'Ship faster'], //          row 2
  ['ENG-2', 'Key Result', 'Lead time 10d -> 2d'], // row 3
  ['ENG-3', 'KR', 'Deploys per day 1 -> 10'], //     row 4
  ['', '', ''], //                                   row 5 (blank)
  ['ENG-5', 'objective', 'Fewer incidents'], //      row 6
  ['ENG-6', 'key result', 'Sev1 per month 4 -> 1'], // row 7
  ['ENG-12', 'KeyResult', 'MTTR 3h -> 1h'], //       row 8
  ['ENG-7', 'Obj', 'Happier on-call'], //            row 9, no key results
];

// [what, command, selected row, new row, new ID]
const POSITION_CASES = [
  ['KR on an objective goes after its last KR', 'insertKeyResult', 2, 5, 'ENG-13'],
  ['KR on a KR goes after the last KR of its objective', 'insertKeyResult', 3, 5, 'ENG-13'],
  ['KR on the blank row after a block joins that block', 'insertKeyResult', 5, 5, 'ENG-13'],
  ['KR on the second objective', 'insertKeyResult', 6, 9, 'ENG-13'],
  ['KR on its last KR', 'insertKeyResult', 8, 9, 'ENG-13'],
  ['KR on an objective without KRs goes right below it', 'insertKeyResult', 9, 10, 'ENG-13'],
  ['KR below the data goes under the last objective', 'insertKeyResult', 30, 10, 'ENG-13'],
  ['objective on an objective goes after its block', 'insertObjective', 2, 5, 'ENG-13'],
  ['objective on a KR goes after the block', 'insertObjective', 3, 5, 'ENG-13'],
  ['objective on a blank row goes below it', 'insertObjective', 5, 6, 'ENG-13'],
  ['objective inside the second block', 'insertObjective', 7, 9, 'ENG-13'],
  ['objective on the header goes first', 'insertObjective', 1, 2, 'ENG-13'],
  ['objective on the last objective', 'insertObjective', 9, 10, 'ENG-13'],
  ['objective far below the data goes below the selection', 'insertObjective', 15, 16, 'ENG-13'],
];

function run(rows, command, selectedRow, options = {}) {
  const w = loadAddon();
  const sheet = addOkrSheet(w, rows, options);
  select(sheet, selectedRow, options.selectColumn || 3);
  const before = sheet.getDataRange().getValues();
  w.call(command);
  return { w, sheet, before };
}

function assertInserted({ w, sheet, before }, newRow, id, label, { header = HEADER, headerRow = 1 } = {}) {
  assert.deepEqual(w.alerts, [], JSON.stringify(w.alerts));
  const after = sheet.getDataRange().getValues();
  assert.equal(after.length, Math.max(before.length + 1, newRow));
  const line = after[newRow - 1];
  const byName = Object.fromEntries(header.map((name, i) => [name, line[i]]));
  const idName = header.find((h) => h.trim().toLowerCase() === 'id');
  const typeName = header.find((h) => h.trim().toLowerCase() === 'type');
  assert.equal(byName[idName], id);
  assert.equal(byName[typeName], label);
  assert.equal(line.filter((v) => v !== '').length, 2, 'only ID and Type are filled in');
  // Every other row is where it was, shifted by one below the new row.
  const expected = before.slice();
  while (expected.length < newRow - 1) expected.push(before[0].map(() => ''));
  expected.splice(newRow - 1, 0, line);
  assert.deepEqual(after.slice(0, expected.length), expected);
  const active = sheet.getActiveRange();
  assert.equal(active.getRow(), newRow);
  assert.ok(headerRow < newRow);
}

for (const [what, command, selected, newRow, id] of POSITION_CASES) {
  test(`${command}: ${what} (select ${selected} -> row ${newRow}, ${id})`, () => {
    const label = command === 'insertObjective' ? 'Objective' : 'Key Result';
    const result = run(ORG, command, selected);
    assertInserted(result, newRow, id, label);
    assert.equal(result.sheet.getActiveRange().getColumn(), col('Title'));
  });
}

// [what, rows, command, selected row, expected ID]
const PREFIX_CASES = [
  ['the most used prefix when the selection has no ID',
    [['ENG-1', 'O', 'a'], ['ENG-2', 'KR', 'b'], ['WEB-7', 'O', 'c'], ['WEB-8', 'KR', 'd'], ['WEB-9', 'KR', 'e'], ['', '', '']],
    'insertObjective', 7, 'WEB-10'],
  ['the selected row\'s prefix over the most used',
    [['ENG-1', 'O', 'a'], ['ENG-2', 'KR', 'b'], ['WEB-7', 'O', 'c'], ['WEB-8', 'KR', 'd'], ['WEB-9', 'KR', 'e']],
    'insertKeyResult', 2, 'ENG-3'],
  ['a tie goes to the prefix seen first',
    [['OPS-4', 'O', 'a'], ['SRE-1', 'O', 'b'], ['', '', '']], 'insertObjective', 4, 'OPS-5'],
  ['prefixes compare case-insensitively; the selected spelling is kept',
    [['plat-3', 'O', 'a'], ['PLAT-10', 'KR', 'b']], 'insertKeyResult', 2, 'plat-11'],
  ['a prefix is everything before the last -number',
    [['ENG-WEB-4', 'O', 'a'], ['ENG-WEB-5', 'KR', 'b'], ['ENG-9', 'KR', 'c']], 'insertKeyResult', 3, 'ENG-WEB-6'],
  ['IDs are trimmed',
    [[' ENG-4 ', 'O', 'a'], ['ENG-8  ', 'KR', 'b']], 'insertKeyResult', 2, 'ENG-9'],
  ['values that are not IDs are ignored',
    [['ENG-2', 'O', 'a'], ['TBD', 'KR', 'b'], ['2026-1', 'KR', 'c'], ['ENG-x', 'KR', 'd']], 'insertKeyResult', 3, 'ENG-3'],
];

for (const [what, rows, command, selected, id] of PREFIX_CASES) {
  test(`next ID: ${what} -> ${id}`, () => {
    const result = run(rows, command, selected);
    assert.deepEqual(result.w.alerts, []);
    const values = result.sheet.getDataRange().getValues();
    assert.ok(values.some((line) => line[0] === id), `${id} inserted: ${JSON.stringify(values.map((l) => l[0]))}`);
  });
}

test('header below title rows, columns in another order, aliases', () => {
  const header = ['Title', 'Champion', 'type', ' id ', 'Aligns to', 'Actual', 'Last check-in'];
  const above = [['Platform OKRs 2026-Q4'], ['']];
  const rows = [
    { Title: 'Self-service DBs', type: 'O', ' id ': 'PLAT-1' },
    { Title: 'Teams on Postgres', type: 'KR', ' id ': 'PLAT-2' },
    { Title: 'Cost per DB', type: 'KR', ' id ': 'PLAT-3' },
    { Title: 'Faster CI', type: 'O', ' id ': 'PLAT-4' },
  ];
  const result = run(rows, 'insertKeyResult', 5, { header, above, selectColumn: 1 });
  assertInserted(result, 7, 'PLAT-5', 'Key Result', { header: header, headerRow: 3 });
  assert.equal(result.sheet.getActiveRange().getColumn(), 1, 'Title column selected');
});

test('the first ID in an empty tab asks for the prefix', () => {
  const w = loadAddon();
  const sheet = addOkrSheet(w, []);
  select(sheet, 1);
  w.answerPrompt(' PLAT ');
  w.call('insertObjective');
  assert.equal(w.prompts.length, 1);
  assert.match(w.prompts[0].message, /no IDs yet/);
  assert.deepEqual(sheet.getRange(2, 1, 1, 2).getValues(), [['PLAT-1', 'Objective']]);
});

for (const [typed, button, alert] of [['', 'CANCEL', null], ['12', 'OK', /is not an ID prefix/], ['ENG-3', 'OK', /is not an ID prefix/]]) {
  test(`prefix prompt answered ${JSON.stringify(typed)} (${button}) inserts nothing`, () => {
    const w = loadAddon();
    const sheet = addOkrSheet(w, [['', 'Objective', 'untitled']]);
    select(sheet, 2);
    w.answerPrompt(typed, button);
    w.call('insertKeyResult');
    assert.deepEqual(w.writes, []);
    if (alert) assert.match(w.alerts[0].message, alert);
    else assert.deepEqual(w.alerts, []);
  });
}

test('a key result with no objective above is refused with advice', () => {
  for (const selected of [1, 2]) {
    const w = loadAddon();
    const sheet = addOkrSheet(w, [['ENG-1', 'KR', 'orphan'], ['ENG-2', 'Objective', 'later']]);
    select(sheet, selected);
    w.call('insertKeyResult');
    assert.equal(w.alerts.length, 1);
    assert.equal(w.alerts[0].title, 'okrtree: Insert key result');
    assert.match(w.alerts[0].message, /no objective at or above row \d.*insert an objective first/s);
    assert.deepEqual(w.writes, []);
  }
});

test('a tab without the OKR header is refused with advice', () => {
  const w = loadAddon();
  const sheet = w.spreadsheet.addSheet('Notes', [['Name', 'Kind'], ['x', 'y']]);
  select(sheet, 2);
  w.call('insertObjective');
  assert.equal(w.alerts.length, 1);
  assert.match(w.alerts[0].message, /"Notes" has no OKR header.*Set up this sheet/s);
  assert.deepEqual(w.writes, []);
});
