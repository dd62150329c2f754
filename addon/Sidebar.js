// The findings sidebar: HTML rendering (pure) and the row selection it calls back.

/** Severities in the order the sidebar shows them, with their group titles. */
const OKRTREE_SEVERITY_GROUPS = [
  { severity: 'error', title: 'Errors' },
  { severity: 'warning', title: 'Warnings' },
  { severity: 'info', title: 'Info' },
];

/**
 * Text made safe to place in HTML, attribute values included.
 * @param {unknown} value
 * @returns {string}
 */
function escapeHtml_(value) {
  return String(value === null || value === undefined ? '' : value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The sidebar body for a /api/validate reply: a heading, then the findings grouped by
 * severity (errors, warnings, info). A finding with a row is a button that selects it.
 * Unknown severities are shown with the info group; unknown keys are ignored.
 * @param {OkrValidateResponse} response
 * @returns {string}
 */
function renderFindingsHtml(response) {
  const tab = response.tab || OKRTREE_TEMPLATE.team_tab;
  const findings = Array.isArray(response.findings) ? response.findings : [];
  const checkIns = checkInsById_(response.items);
  /** @type {Object<string, OkrFinding[]>} */
  const groups = { error: [], warning: [], info: [] };
  findings.forEach(function (finding) {
    const severity = String(finding.severity).toLowerCase();
    (groups[severity] || groups['info']).push(finding);
  });

  const parts = ['<header class="head">'];
  parts.push(
    '<div class="team">' + escapeHtml_(response.team || 'This sheet') +
      ' <span class="tab">· ' + escapeHtml_(tab) + '</span></div>'
  );
  const meta = [];
  if (response.as_of) {
    meta.push('As of ' + escapeHtml_(response.as_of));
  }
  meta.push(
    OKRTREE_SEVERITY_GROUPS.map(function (group) {
      return groups[group.severity].length + ' ' + group.title.toLowerCase();
    }).join(', ')
  );
  if (response.writes && typeof response.writes.cells === 'number') {
    meta.push(plural_(response.writes.cells, 'cell') + ' updated');
  }
  parts.push('<div class="meta">' + meta.join(' · ') + '</div>', '</header>');

  if (findings.length === 0) {
    parts.push('<p class="none">No findings: this sheet is in good shape.</p>');
    return parts.join('\n');
  }
  OKRTREE_SEVERITY_GROUPS.forEach(function (group) {
    const members = groups[group.severity];
    if (members.length === 0) {
      return;
    }
    parts.push(
      '<section class="group ' + group.severity + '" data-severity="' + group.severity + '">',
      '<h2>' + group.title + ' (' + members.length + ')</h2>',
      '<ul>'
    );
    members.forEach(function (finding) {
      parts.push(renderFinding_(finding, group.severity, tab, checkIns));
    });
    parts.push('</ul>', '</section>');
  });
  return parts.join('\n');
}

/**
 * Each key result's latest check-in (confidence and note) as a line of HTML, by lower-case ID;
 * key results with neither are left out.
 * @param {OkrItem[] | undefined} items
 * @returns {Object<string, string>}
 */
function checkInsById_(items) {
  /** @type {Object<string, string>} */
  const lines = {};
  (Array.isArray(items) ? items : []).forEach(function (item) {
    if (!item || item.type !== 'key_result' || typeof item.id !== 'string') {
      return;
    }
    const parts = [];
    if (typeof item.confidence === 'number') {
      parts.push('Confidence ' + escapeHtml_(String(Math.round(item.confidence * 10) / 10)) + '/10');
    }
    if (typeof item.note === 'string' && item.note.trim() !== '') {
      parts.push('<q>' + escapeHtml_(item.note.trim()) + '</q>');
    }
    if (parts.length > 0) {
      lines[item.id.trim().toLowerCase()] = parts.join(' · ');
    }
  });
  return lines;
}

/**
 * One finding as a list item; clickable when it names a row. A finding on a key result shows
 * that key result's confidence and latest note beside it.
 * @param {OkrFinding} finding
 * @param {string} severity
 * @param {string} tab
 * @param {Object<string, string>} [checkIns]  from `checkInsById_`
 * @returns {string}
 */
function renderFinding_(finding, severity, tab, checkIns) {
  const row = typeof finding.row === 'number' && finding.row >= 1 ? Math.floor(finding.row) : null;
  const attributes =
    row === null
      ? ' class="finding ' + severity + '"'
      : ' class="finding ' + severity + ' clickable" data-row="' + row + '" data-tab="' + escapeHtml_(tab) +
        '" role="button" tabindex="0" title="Select row ' + row + '"';
  const head = ['<span class="code">' + escapeHtml_(finding.code) + '</span>'];
  if (finding.id) {
    head.push('<span class="id">' + escapeHtml_(finding.id) + '</span>');
  }
  if (row !== null) {
    head.push('<span class="row">row ' + row + '</span>');
  }
  const related = Array.isArray(finding.related) && finding.related.length > 0
    ? '<div class="related">Related: ' + finding.related.map(escapeHtml_).join(', ') + '</div>'
    : '';
  const line = finding.id && checkIns ? checkIns[String(finding.id).trim().toLowerCase()] : undefined;
  const checkIn = line ? '<div class="checkin">' + line + '</div>' : '';
  return (
    '<li' + attributes + '>' +
    '<div class="what">' + head.join(' ') + '</div>' +
    '<div class="message">' + escapeHtml_(finding.message) + '</div>' +
    related +
    checkIn +
    '</li>'
  );
}

/**
 * Shows the findings of a validate reply in the sidebar.
 * @param {OkrValidateResponse} response
 */
function showFindingsSidebar_(response) {
  const template = HtmlService.createTemplateFromFile('Sidebar');
  template.body = renderFindingsHtml(response);
  const output = template.evaluate().setTitle('okrtree findings');
  SpreadsheetApp.getUi().showSidebar(output);
}

/**
 * Called from the sidebar: selects a finding's row in the OKRs tab.
 * @param {number} row  1-based row
 * @param {string} [tab]  the tab the findings are about
 */
function selectFindingRow(row, tab) {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const found = tab ? spreadsheet.getSheetByName(tab) : (findOkrSheet_(spreadsheet) || { sheet: null }).sheet;
  if (!found) {
    throw new Error('This spreadsheet has no tab named ' + (tab || OKRTREE_TEMPLATE.team_tab) + '.');
  }
  const target = Math.floor(Number(row));
  if (!(target >= 1 && target <= found.getMaxRows())) {
    throw new Error('Row ' + row + ' is not in the ' + found.getName() + ' tab any more; validate again.');
  }
  found.getRange(target, 1, 1, Math.max(found.getLastColumn(), 1)).activate();
}
