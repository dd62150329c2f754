'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const vm = require('node:vm');
const { loadAddon, loadFixture } = require('./fakes/load');
const { addOkrSheet } = require('./fakes/okrs');

const SERVICE = 'https://okrtree-dot-acme.appspot.com';

/** A world whose spreadsheet is the fixture's, with the service URL set and an OKRs tab. */
function fixtureWorld(fixture) {
  const world = loadAddon({ spreadsheet: { id: fixture.request.spreadsheet } });
  world.documentProperties.OKRTREE_SERVICE_URL = SERVICE;
  addOkrSheet(world, [['PLAT-1', 'Objective', 'Make deploys boring'], ['PLAT-2', 'KR', 'Deploy success']]);
  world.spreadsheet.addSheet('Notes', [['free text']]);
  return world;
}

/** The list items of the sidebar HTML, each with its group, attributes and text. */
function findingsIn(html) {
  const out = [];
  const sections = html.split('<section ').slice(1);
  for (const section of sections) {
    const severity = /data-severity="([a-z]+)"/.exec(section)[1];
    const title = /<h2>([^<]*)<\/h2>/.exec(section)[1];
    for (const match of section.matchAll(/<li([^>]*)>([\s\S]*?)<\/li>/g)) {
      const attrs = match[1];
      const row = /data-row="(\d+)"/.exec(attrs);
      out.push({
        severity,
        title,
        row: row ? Number(row[1]) : null,
        tab: (/data-tab="([^"]*)"/.exec(attrs) || [])[1] || null,
        clickable: /role="button"/.test(attrs) && /tabindex="0"/.test(attrs),
        code: /<span class="code">([^<]*)<\/span>/.exec(match[2])[1],
        message: /<div class="message">([^<]*)<\/div>/.exec(match[2])[1],
      });
    }
  }
  return out;
}

function unescape(text) {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

test('the fixture is a /api/validate exchange as the contract describes it', () => {
  const { request, response } = loadFixture();
  assert.deepEqual(Object.keys(request), ['spreadsheet']);
  assert.equal(response.spreadsheet, request.spreadsheet);
  assert.equal(response.team, 'Platform');
  for (const key of ['tab', 'as_of', 'items', 'findings', 'writes', 'summary']) assert.ok(key in response, key);
  for (const item of response.items) {
    for (const key of ['id', 'type', 'team', 'title', 'owner', 'parent', 'depends_on', 'score', 'progress', 'status', 'row']) {
      assert.ok(key in item, `item ${item.id} has ${key}`);
    }
    assert.ok(['objective', 'key_result'].includes(item.type));
    assert.ok(['on_track', 'at_risk', 'off_track', 'done', 'no_data'].includes(item.status));
  }
  const severities = new Set(response.findings.map((f) => f.severity));
  assert.ok(severities.size >= 2, 'findings of several severities');
  for (const finding of response.findings) {
    for (const key of ['severity', 'code', 'id', 'team', 'message', 'related', 'row']) {
      assert.ok(key in finding, `finding ${finding.code} has ${key}`);
    }
    assert.ok(['error', 'warning', 'info'].includes(finding.severity));
    assert.ok(finding.row === null || Number.isInteger(finding.row));
  }
  for (const severity of ['error', 'warning', 'info']) {
    assert.equal(response.summary[severity], response.findings.filter((f) => f.severity === severity).length);
  }
});

test('Validate sends exactly the fixture request with the identity token', () => {
  const fixture = loadFixture();
  const world = fixtureWorld(fixture);
  world.reply(200, fixture.response);
  world.call('validateSheet');

  assert.equal(world.requests.length, 1);
  const { url, params } = world.requests[0];
  assert.equal(url, `${SERVICE}/api/validate`);
  assert.equal(params.method, 'post');
  assert.equal(params.contentType, 'application/json');
  assert.equal(params.muteHttpExceptions, true);
  assert.deepEqual(world.plain(params.headers), { Authorization: 'Bearer identity-token-for-tests' });
  assert.deepEqual(JSON.parse(params.payload), fixture.request);
  assert.deepEqual(world.alerts, []);
  assert.deepEqual(world.writes, [], 'the service writes the output columns, not the add-on');
});

test('Validate shows the fixture findings in the sidebar, grouped by severity and clickable', () => {
  const fixture = loadFixture();
  const world = fixtureWorld(fixture);
  world.reply(200, fixture.response);
  world.call('validateSheet');

  assert.equal(world.sidebars.length, 1);
  const sidebar = world.sidebars[0];
  assert.equal(sidebar.getTitle(), 'okrtree findings');
  const html = sidebar.getContent();
  assert.ok(html.includes(world.call('renderFindingsHtml', fixture.response)), 'the template holds the rendered body');
  assert.ok(!html.includes('<?'), 'every scriptlet evaluated');
  assert.match(html, /Platform/);
  assert.match(html, /As of 2026-11-21/);
  assert.match(html, /2 errors, 5 warnings, 0 info/);
  assert.match(html, /16 cells updated/);

  const shown = findingsIn(html);
  const expected = ['error', 'warning', 'info'].flatMap((severity) =>
    fixture.response.findings.filter((f) => f.severity === severity));
  assert.deepEqual(shown.map((f) => [f.severity, f.code, f.row, f.tab, f.clickable, unescape(f.message)]),
    expected.map((f) => [f.severity, f.code, f.row, 'OKRs', true, f.message]));
  assert.deepEqual([...new Set(shown.map((f) => f.title))], ['Errors (2)', 'Warnings (5)']);
});

test('clicking a finding calls selectFindingRow, which selects that row on the OKRs tab', () => {
  const fixture = loadFixture();
  const world = fixtureWorld(fixture);
  world.reply(200, fixture.response);
  world.spreadsheet.setActiveSheet(world.spreadsheet.getSheetByName('Notes'));
  world.call('validateSheet');
  const html = world.sidebars[0].getContent();
  const script = /<script>([\s\S]*)<\/script>/.exec(html)[1];

  const listeners = {};
  const calls = [];
  const runner = {
    withSuccessHandler() { return runner; },
    withFailureHandler() { return runner; },
    selectFindingRow(...args) { calls.push(args); },
  };
  const status = { textContent: '' };
  vm.runInNewContext(script, {
    document: {
      addEventListener: (type, fn) => { listeners[type] = fn; },
      getElementById: () => status,
    },
    google: { script: { run: runner } },
  });
  const finding = fixture.response.findings.find((f) => f.code === 'STALE');
  const element = {
    getAttribute: (name) => ({ 'data-row': String(finding.row), 'data-tab': 'OKRs' })[name],
  };
  const inner = { closest: (selector) => (selector === '[data-row]' ? element : null) };
  listeners.click({ target: inner });
  assert.deepEqual(calls, [[finding.row, 'OKRs']]);
  listeners.keydown({ target: inner, key: 'Enter', preventDefault() {} });
  assert.equal(calls.length, 2);
  listeners.click({ target: { closest: () => null } });
  assert.equal(calls.length, 2, 'a click outside a finding does nothing');

  world.call('selectFindingRow', ...calls[0]);
  const active = world.spreadsheet.getActiveSheet();
  assert.equal(active.getName(), 'OKRs');
  assert.equal(active.getActiveRange().getRow(), finding.row);
  assert.equal(active.getActiveRange().getNumRows(), 1);
  assert.deepEqual(world.writes, []);
});

test('selectFindingRow explains a missing tab or a row that is gone', () => {
  const world = loadAddon();
  addOkrSheet(world, [['PLAT-1', 'Objective', 'x']]);
  assert.throws(() => world.call('selectFindingRow', 3, 'Roadmap'), /no tab named Roadmap/);
  assert.throws(() => world.call('selectFindingRow', 5000, 'OKRs'), /Row 5000 is not in the OKRs tab/);
  world.call('selectFindingRow', 2);
  assert.equal(world.spreadsheet.getActiveSheet().getActiveRange().getRow(), 2);
});

test('renderFindingsHtml: info group, null rows, unknown keys and severities, escaping', () => {
  const world = loadAddon();
  const html = world.call('renderFindingsHtml', {
    team: 'R&D <Labs>',
    tab: 'Q4 OKRs',
    extra_key: { anything: true },
    findings: [
      { severity: 'info', code: 'NOTE', id: 'RD-1', team: 'R&D', message: 'fine', related: [], row: 3, colour: 'x' },
      { severity: 'warning', code: 'TOO_MANY_OBJECTIVES', id: null, team: 'R&D', message: 'Team has 6 > 5', related: [], row: null },
      { severity: 'error', code: 'BAD_PARENT', id: 'RD-2', team: 'R&D', message: '<script>alert(1)</script>', related: ['RD-9', 'RD-8'], row: 4 },
      { severity: 'notice', code: 'FUTURE', id: 'RD-3', team: 'R&D', message: 'new kind', related: [], row: 5 },
    ],
  });
  assert.ok(!html.includes('<script>'), 'messages are escaped');
  assert.match(html, /R&amp;D &lt;Labs&gt;/);
  const shown = findingsIn(html);
  assert.deepEqual(shown.map((f) => [f.severity, f.code, f.row, f.clickable, f.tab]), [
    ['error', 'BAD_PARENT', 4, true, 'Q4 OKRs'],
    ['warning', 'TOO_MANY_OBJECTIVES', null, false, null],
    ['info', 'NOTE', 3, true, 'Q4 OKRs'],
    ['info', 'FUTURE', 5, true, 'Q4 OKRs'],
  ]);
  assert.match(html, /Related: RD-9, RD-8/);
});

test('renderFindingsHtml: a key result shows its confidence and latest note beside its findings', () => {
  const world = loadAddon();
  const html = world.call('renderFindingsHtml', {
    team: 'Sales',
    tab: 'OKRs',
    items: [
      { id: 'SAL-3', type: 'key_result', confidence: 3, note: 'Two deals <slipped>' },
      { id: 'SAL-5', type: 'key_result', confidence: null, note: null },
      { id: 'SAL-1', type: 'objective', confidence: 9, note: 'objectives have no check-ins' },
      { id: 'SAL-6', type: 'key_result', confidence: 6.5, note: '  ' },
    ],
    findings: [
      { severity: 'warning', code: 'CONFIDENCE_GAP', id: 'sal-3', team: 'Sales', message: 'gap', related: [], row: 3 },
      { severity: 'warning', code: 'STALE', id: 'SAL-5', team: 'Sales', message: 'old', related: [], row: 5 },
      { severity: 'warning', code: 'UNALIGNED', id: 'SAL-1', team: 'Sales', message: 'why', related: [], row: 2 },
      { severity: 'warning', code: 'NO_OWNER', id: 'SAL-6', team: 'Sales', message: 'who', related: [], row: 6 },
    ],
  });
  const lines = [...html.matchAll(/<li[^>]*data-row="(\d+)"[^>]*>(.*?)<\/li>/g)].map((m) => [
    Number(m[1]),
    (m[2].match(/<div class="checkin">(.*?)<\/div>/) || [null, null])[1],
  ]);
  assert.deepEqual(lines, [
    [3, 'Confidence 3/10 · <q>Two deals &lt;slipped&gt;</q>'],
    [5, null],
    [2, null],
    [6, 'Confidence 6.5/10'],
  ]);
});

test('renderFindingsHtml says so when there is nothing to report', () => {
  const world = loadAddon();
  const html = world.call('renderFindingsHtml', { team: 'Platform', tab: 'OKRs', findings: [], summary: {} });
  assert.match(html, /No findings/);
  assert.ok(!html.includes('<section'));
});
