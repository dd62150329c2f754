// Menu: Start next cycle… (administrators). Asks for the new cycle, shows the service's dry run,
// and only after a Yes asks the service to archive every team tab and open the new cycle.

const CYCLE_PATTERN_ = /^\s*(\S+)\s+(\d{4}-\d{2}-\d{2})\s+(\d{4}-\d{2}-\d{2})\s*$/;

/** Menu: Start next cycle… */
function startNextCycle() {
  runCommand_('Start next cycle', function () {
    const ui = SpreadsheetApp.getUi();
    const answer = ui.prompt(
      'okrtree: Start next cycle',
      'The new cycle\'s name, first day and last day, e.g.\n2027-Q1 2027-01-01 2027-03-31\n\n' +
        'Nothing is changed before you have seen what will carry over.',
      ui.ButtonSet.OK_CANCEL
    );
    if (answer.getSelectedButton() !== ui.Button.OK) {
      return;
    }
    const request = parseCycleRequest_(answer.getResponseText());
    const plan = /** @type {OkrRolloverResponse} */ (
      /** @type {unknown} */ (callService_('/api/rollover', Object.assign({ dry_run: true }, request), rolloverReplyProblem_))
    );
    const confirmed = ui.alert(
      'okrtree: Start ' + request.cycle + '?',
      formatRolloverPlan_(plan) + '\n\nStart ' + request.cycle + ' now?',
      ui.ButtonSet.YES_NO
    );
    if (confirmed !== ui.Button.YES) {
      return;
    }
    const done = /** @type {OkrRolloverResponse} */ (
      /** @type {unknown} */ (callService_('/api/rollover', Object.assign({ dry_run: false }, request), rolloverReplyProblem_))
    );
    showAlert_('okrtree: Start next cycle', formatRolloverDone_(done));
  });
}

/**
 * The request body from what the person typed; an OkrAddonError says what to type instead.
 * @param {string} text
 * @returns {{cycle: string, start: string, end: string}}
 */
function parseCycleRequest_(text) {
  const match = CYCLE_PATTERN_.exec(text || '');
  if (!match) {
    throw new OkrAddonError(
      'Type the new cycle\'s name, first day and last day separated by spaces, e.g. ' +
        '2027-Q1 2027-01-01 2027-03-31 (you typed "' + (text || '') + '").'
    );
  }
  return { cycle: match[1], start: match[2], end: match[3] };
}

/**
 * What makes a /api/rollover reply unusable, or null.
 * @param {Object<string, unknown>} reply
 * @returns {string | null}
 */
function rolloverReplyProblem_(reply) {
  if (!Array.isArray(reply['teams'])) {
    return 'the reply has no list of teams';
  }
  if (typeof reply['dry_run'] !== 'boolean') {
    return 'the reply does not say whether it was a dry run';
  }
  return null;
}

/**
 * The confirmation text: per team what carries over and what stays in the archive.
 * @param {OkrRolloverResponse} plan
 * @returns {string}
 */
function formatRolloverPlan_(plan) {
  const lines = [
    'Closes ' + ((plan.from && plan.from.name) || 'the current cycle') + '. Each team tab is kept as an ' +
      'archive tab; what is not done carries over, with Current, Updated and the output columns cleared.',
    '',
  ];
  plan.teams.forEach(function (team) {
    lines.push(teamLine_(team));
  });
  return lines.join('\n');
}

/**
 * One team's line of the plan or of the outcome.
 * @param {OkrRolloverTeam} team
 * @returns {string}
 */
function teamLine_(team) {
  if (team.state === 'already_rolled') {
    return '• ' + team.team + ': already done (' + team.archive_tab + ' exists)';
  }
  if (team.state === 'skipped' || team.state === 'not_rolled') {
    return '• ' + team.team + ': not rolled over: ' + (team.reason || 'see the hub\'s Findings');
  }
  const carried = (team.carried || []).filter(function (row) { return row.id; });
  const archived = (team.archived || []).filter(function (row) { return row.id; });
  return '• ' + team.team + ': ' + plural_(carried.length, 'item') + ' carry over' +
    (archived.length ? '; ' + archived.map(function (row) { return row.id; }).join(', ') + ' stay in ' + team.archive_tab : '');
}

/**
 * The alert after the rollover.
 * @param {OkrRolloverResponse} done
 * @returns {string}
 */
function formatRolloverDone_(done) {
  const lines = done.teams.map(teamLine_);
  if (done.settings_written) {
    lines.unshift('The hub now names ' + ((done.to && done.to.name) || 'the new cycle') + '.', '');
  } else {
    lines.unshift(
      'Some teams were not rolled over, so the hub still names the old cycle. Fix what is said below ' +
        'and run Start next cycle… again with the same cycle: teams already done are skipped.',
      ''
    );
  }
  return lines.join('\n');
}
