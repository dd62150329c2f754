'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('./fakes/load');

const SERVICE = 'https://okrtree-dot-acme.appspot.com';

function world() {
  const w = loadAddon();
  w.documentProperties.OKRTREE_SERVICE_URL = SERVICE;
  w.spreadsheet.addSheet('OKRs', [['ID', 'Type', 'Title']]);
  return w;
}

test('Sync posts to /api/sync with the identity token and reports the summary', () => {
  const w = world();
  w.reply(200, {
    as_of: '2026-11-21', teams: 12, items: 84,
    summary: { error: 2, warning: 9, info: 1 }, writes: { spreadsheets: 4, cells: 37 }, took_ms: 5120,
  });
  w.call('syncOrganisation');
  assert.equal(w.requests.length, 1);
  const { url, params } = w.requests[0];
  assert.equal(url, `${SERVICE}/api/sync`);
  assert.equal(params.method, 'post');
  assert.equal(params.muteHttpExceptions, true);
  assert.equal(params.headers.Authorization, 'Bearer identity-token-for-tests');
  assert.deepEqual(JSON.parse(params.payload), {});
  assert.equal(w.alerts.length, 1);
  assert.equal(w.alerts[0].title, 'okrtree: Sync whole organisation');
  assert.match(w.alerts[0].message, /Synced 12 teams and 84 items as of 2026-11-21\./);
  assert.match(w.alerts[0].message, /Findings: 2 errors, 9 warnings, 1 info\./);
  assert.match(w.alerts[0].message, /Written: 37 cells in 4 spreadsheets\./);
  assert.match(w.alerts[0].message, /Findings tab/);
  assert.deepEqual(w.writes, []);
});

test('Sync summary uses the singular and tolerates missing writes', () => {
  const w = world();
  w.reply(200, { as_of: '2026-11-21', teams: 1, items: 1, summary: { error: 0, warning: 1, info: 0 } });
  w.call('syncOrganisation');
  assert.match(w.alerts[0].message, /Synced 1 team and 1 item/);
  assert.match(w.alerts[0].message, /0 errors, 1 warning, 0 info/);
  assert.match(w.alerts[0].message, /Written: 0 cells in 0 spreadsheets/);
  assert.doesNotMatch(w.alerts[0].message, /Findings tab/);
});

test('Open alignment tree shows a modeless dialog linking to {service}/tree, without a request', () => {
  const w = world();
  w.call('openAlignmentTree');
  assert.equal(w.dialogs.length, 1);
  assert.equal(w.dialogs[0].modal, undefined);
  assert.equal(w.dialogs[0].title, 'okrtree: alignment tree');
  const html = w.dialogs[0].output.getContent();
  assert.match(html, new RegExp(`<a href="${SERVICE.replace(/\./g, '\\.')}/tree" target="_blank"`));
  assert.equal(w.requests.length, 0);
  assert.deepEqual(w.alerts, []);
  assert.deepEqual(w.writes, []);
});

test('the deployer\'s default URL in script properties is used when the document has none', () => {
  const w = loadAddon();
  w.scriptProperties.OKRTREE_SERVICE_URL = 'https://okrtree-dot-corp.appspot.com/';
  w.call('openAlignmentTree');
  assert.match(w.dialogs[0].output.getContent(), /href="https:\/\/okrtree-dot-corp\.appspot\.com\/tree"/);
});
