// Menu commands that talk to the okrtree service: validate, sync, alignment tree.

/** Menu: Validate this sheet. The service checks and scores it and writes its output columns. */
function validateSheet() {
  runCommand_('Validate this sheet', function () {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    const reply = callService_('/api/validate', { spreadsheet: spreadsheet.getId() }, validateReplyProblem_);
    showFindingsSidebar_(/** @type {OkrValidateResponse} */ (/** @type {unknown} */ (reply)));
  });
}

/** Menu: Sync whole organisation (administrators). */
function syncOrganisation() {
  runCommand_('Sync whole organisation', function () {
    const reply = callService_('/api/sync', {}, syncReplyProblem_);
    showAlert_(
      'okrtree: Sync whole organisation',
      formatSyncSummary_(/** @type {OkrSyncResponse} */ (/** @type {unknown} */ (reply)))
    );
  });
}

/** Menu: Open alignment tree, a dialog linking to the service's tree page. */
function openAlignmentTree() {
  runCommand_('Open alignment tree', function () {
    const url = requireServiceUrl_() + '/tree';
    const html = HtmlService.createHtmlOutput(
      '<div style="font-family: Arial, sans-serif; font-size: 14px">' +
        '<p>The combined alignment tree of every team, with scores and statuses.</p>' +
        '<p><a href="' + escapeHtml_(url) + '" target="_blank" rel="noopener">Open the alignment tree</a></p>' +
        '</div>'
    )
      .setWidth(360)
      .setHeight(130);
    SpreadsheetApp.getUi().showModelessDialog(html, 'okrtree: alignment tree');
  });
}

/**
 * What makes a /api/validate reply unusable, or null.
 * @param {Object<string, unknown>} reply
 * @returns {string | null}
 */
function validateReplyProblem_(reply) {
  const findings = reply['findings'];
  if (!Array.isArray(findings)) {
    return 'the reply has no list of findings';
  }
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i];
    if (
      finding === null ||
      typeof finding !== 'object' ||
      typeof finding.severity !== 'string' ||
      typeof finding.message !== 'string'
    ) {
      return 'finding ' + (i + 1) + ' has no severity or message';
    }
  }
  return null;
}

/**
 * What makes a /api/sync reply unusable, or null.
 * @param {Object<string, unknown>} reply
 * @returns {string | null}
 */
function syncReplyProblem_(reply) {
  const summary = reply['summary'];
  if (summary === null || typeof summary !== 'object') {
    return 'the reply has no summary';
  }
  if (typeof reply['teams'] !== 'number' || typeof reply['items'] !== 'number') {
    return 'the reply does not say how many teams and items were synced';
  }
  return null;
}

/**
 * The alert text for a sync reply.
 * @param {OkrSyncResponse} reply
 * @returns {string}
 */
function formatSyncSummary_(reply) {
  const summary = reply.summary;
  const writes = reply.writes || { spreadsheets: 0, cells: 0 };
  const lines = [
    'Synced ' + plural_(reply.teams, 'team') + ' and ' + plural_(reply.items, 'item') +
      (reply.as_of ? ' as of ' + reply.as_of : '') + '.',
    'Findings: ' + plural_(summary.error || 0, 'error') + ', ' + plural_(summary.warning || 0, 'warning') +
      ', ' + (summary.info || 0) + ' info.',
    'Written: ' + plural_(writes.cells || 0, 'cell') + ' in ' + plural_(writes.spreadsheets || 0, 'spreadsheet') + '.',
  ];
  if (summary.error) {
    lines.push('', 'Open the hub\'s Findings tab, or validate each team sheet, to see what to fix.');
  }
  return lines.join('\n');
}

/**
 * "1 team", "3 teams".
 * @param {number} count
 * @param {string} noun
 * @returns {string}
 */
function plural_(count, noun) {
  return count + ' ' + noun + (count === 1 ? '' : 's');
}
