// Insert objective / Insert key result: a new row in the right place with the next free ID.

/** Menu: Insert objective. */
function insertObjective() {
  runCommand_('Insert objective', function () {
    insertItem_('objective');
  });
}

/** Menu: Insert key result. */
function insertKeyResult() {
  runCommand_('Insert key result', function () {
    insertItem_('key_result');
  });
}

/**
 * The parts of an ID like `PLAT-12`, or null for other values.
 * @param {unknown} value
 * @returns {{prefix: string, number: number} | null}
 */
function parseId_(value) {
  const match = /^(.*[A-Za-z].*)-(\d+)$/.exec(String(value === null || value === undefined ? '' : value).trim());
  return match ? { prefix: match[1], number: Number(match[2]) } : null;
}

/**
 * The prefix for a new ID: the selected row's, else the one most used in the tab (the
 * first seen on a tie), else null. Prefixes compare case-insensitively.
 * @param {unknown[]} ids  the ID cells of the data rows
 * @param {unknown} selectedId  the ID cell of the selected row ("" when none)
 * @returns {string | null}
 */
function choosePrefix_(ids, selectedId) {
  const selected = parseId_(selectedId);
  if (selected) {
    return selected.prefix;
  }
  /** @type {Object<string, {prefix: string, count: number, first: number}>} */
  const seen = {};
  ids.forEach(function (id, index) {
    const parsed = parseId_(id);
    if (!parsed) {
      return;
    }
    const key = parsed.prefix.toUpperCase();
    seen[key] = seen[key] || { prefix: parsed.prefix, count: 0, first: index };
    seen[key].count++;
  });
  let best = null;
  for (const key of Object.keys(seen)) {
    const entry = seen[key];
    if (!best || entry.count > best.count || (entry.count === best.count && entry.first < best.first)) {
      best = entry;
    }
  }
  return best ? best.prefix : null;
}

/**
 * The next free ID for a prefix: one more than the largest number it has in the tab.
 * @param {unknown[]} ids
 * @param {string} prefix
 * @returns {string}
 */
function nextId_(ids, prefix) {
  const key = prefix.toUpperCase();
  let max = 0;
  ids.forEach(function (id) {
    const parsed = parseId_(id);
    if (parsed && parsed.prefix.toUpperCase() === key && parsed.number > max) {
      max = parsed.number;
    }
  });
  return prefix + '-' + (max + 1);
}

/**
 * The row after which the new row goes, or null when a key result has no objective to
 * go under. `kinds[i]` is the kind of row `header + 1 + i`.
 *
 * A key result goes after the last key result of the selected row's objective (the nearest
 * objective at or above the selection), before the next objective. An objective goes below
 * the selection, but never between an objective and its key results: when the selection is
 * inside an objective's block it goes after that block's last key result.
 * @param {(OkrKind | null)[]} kinds
 * @param {number} headerRow
 * @param {number} selectedRow
 * @param {OkrKind} kind
 * @returns {number | null}
 */
function insertAfterRow_(kinds, headerRow, selectedRow, kind) {
  const lastRow = headerRow + kinds.length;
  /** @param {number} row */
  const kindAt = function (row) {
    return row > headerRow && row <= lastRow ? kinds[row - headerRow - 1] : null;
  };
  const from = Math.max(selectedRow, headerRow);
  let objectiveRow = headerRow;
  for (let row = Math.min(from, lastRow); row > headerRow; row--) {
    if (kindAt(row) === 'objective') {
      objectiveRow = row;
      break;
    }
  }
  if (kind === 'key_result' && objectiveRow === headerRow) {
    return null;
  }
  let blockEnd = objectiveRow;
  for (let row = objectiveRow + 1; row <= lastRow; row++) {
    const rowKind = kindAt(row);
    if (rowKind === 'objective') {
      break;
    }
    if (rowKind === 'key_result') {
      blockEnd = row;
    }
  }
  return kind === 'key_result' ? blockEnd : Math.max(from, blockEnd);
}

/**
 * Inserts an objective or a key result into the active OKRs tab and selects its Title.
 * @param {OkrKind} kind
 */
function insertItem_(kind) {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = spreadsheet.getActiveSheet();
  const header = readHeader_(sheet);
  const label = kind === 'objective' ? 'Objective' : 'Key Result';
  if (!header || !header.columns['ID'] || !header.columns['Type']) {
    throw new OkrAddonError(
      'The tab "' + sheet.getName() + '" has no OKR header (a row with ID and Type among its first ' +
        OKRTREE_TEMPLATE.header_search_rows + ' rows). Open the OKRs tab, or run Extensions › okrtree › ' +
        'Set up this sheet first. Nothing was inserted.'
    );
  }
  const values = sheet.getDataRange().getValues().slice(header.row);
  const idIndex = header.columns['ID'] - 1;
  const typeIndex = header.columns['Type'] - 1;
  const ids = values.map(function (row) { return row[idIndex]; });
  const kinds = values.map(function (row) { return kindOf_(row[typeIndex]); });
  const active = sheet.getActiveRange();
  const selectedRow = active ? active.getRow() : header.row;

  const after = insertAfterRow_(kinds, header.row, selectedRow, kind);
  if (after === null) {
    throw new OkrAddonError(
      'A key result goes under an objective, and there is no objective at or above row ' + selectedRow +
        '. Select an objective (or one of its key results), or insert an objective first. Nothing was inserted.'
    );
  }
  const selectedIndex = selectedRow - header.row - 1;
  const selectedId = selectedIndex >= 0 && selectedIndex < ids.length ? ids[selectedIndex] : '';
  const prefix = choosePrefix_(ids, selectedId) || askPrefix_(label);
  if (prefix === null) {
    return;
  }
  const id = nextId_(ids, prefix);
  const row = after + 1;
  sheet.insertRowAfter(after);
  sheet.getRange(row, header.columns['ID']).setValue(id);
  sheet.getRange(row, header.columns['Type']).setValue(label);
  sheet.getRange(row, header.columns['Title'] || header.columns['ID']).activate();
}

/**
 * Asks for the team's ID prefix when the tab has no IDs yet; null when cancelled.
 * @param {string} label
 * @returns {string | null}
 */
function askPrefix_(label) {
  const ui = SpreadsheetApp.getUi();
  const answer = ui.prompt(
    'okrtree: Insert ' + label.toLowerCase(),
    'This tab has no IDs yet. Type your team\'s ID prefix (letters, for example ENG or PLAT); ' +
      'the first ID will be PREFIX-1.',
    ui.ButtonSet.OK_CANCEL
  );
  if (answer.getSelectedButton() !== ui.Button.OK) {
    return null;
  }
  const prefix = answer.getResponseText().trim();
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(prefix) || /-\d+$/.test(prefix)) {
    throw new OkrAddonError(
      '"' + prefix + '" is not an ID prefix: use letters (digits, - and _ may follow), for example PLAT. ' +
        'Nothing was inserted.'
    );
  }
  return prefix;
}
