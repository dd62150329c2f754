'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon, loadFixture } = require('./fakes/load');
const { addOkrSheet } = require('./fakes/okrs');

const SERVICE = 'https://okrtree-dot-acme.appspot.com';
const errorBody = (code, message) => ({ error: { code, message } });

const COMMANDS = {
  validateSheet: { title: 'okrtree: Validate this sheet', path: '/api/validate' },
  syncOrganisation: { title: 'okrtree: Sync whole organisation', path: '/api/sync' },
};

// [name, how the service behaves (null: URL not set), what the alert must say]
const CASES = [
  ['service URL not set', null, [/service URL is not set/, /Extensions › okrtree › Settings…/]],
  ['service unreachable', () => { throw new Error('Exception: Address unavailable: https://okrtree-dot-acme.appspot.com/api'); },
    [/Could not reach the okrtree service at https:\/\/okrtree-dot-acme\.appspot\.com/, /Address unavailable/, /Check the service URL/]],
  ['401', [401, errorBody('unauthenticated', 'No valid identity token.')],
    [/did not accept your Google sign-in \(HTTP 401: unauthenticated: No valid identity token\.\)/, /Reload the spreadsheet/]],
  ['403', [403, errorBody('forbidden', 'This spreadsheet is not registered in the hub.')],
    [/refused this request \(HTTP 403: forbidden: This spreadsheet is not registered in the hub\.\)/]],
  ['409', [409, errorBody('busy', 'A sync is running.')], [/busy with another sync \(HTTP 409: busy: A sync is running\.\)/, /Wait a minute and try again/]],
  ['409 before any sync', [409, errorBody('no_state', 'no sync has run yet; an administrator runs one')],
    [/has not synced this organisation yet \(HTTP 409: no_state: /, /no sync has run yet; an administrator runs one/, /Sync whole organisation/]],
  ['500', [500, errorBody('internal', 'Unexpected failure.')], [/The okrtree service failed \(HTTP 500: internal: Unexpected failure\.\)/, /Try again in a few minutes/]],
  ['503 with an HTML page', [503, '<html><body>Service Unavailable</body></html>'], [/The okrtree service failed \(HTTP 503\)/]],
  ['404 (wrong URL)', [404, 'Not Found'], [/rejected the request \(HTTP 404\)/, /Check the service URL/]],
  ['malformed JSON', [200, '{"findings": [oops'], [/sent a reply okrtree cannot read/, /not a JSON object: "\{"findings": \[oops"/]],
  ['HTML instead of JSON', [200, '<!DOCTYPE html><title>Sign in</title>'], [/cannot read \(HTTP 200, the body is not a JSON object/]],
  ['a JSON list', [200, '[]'], [/cannot read/]],
  ['an empty body', [200, ''], [/not a JSON object: \(empty\)/]],
];

const SHAPE_CASES = {
  validateSheet: [
    ['no findings list', { team: 'Platform', summary: {} }, /no list of findings/],
    ['a finding without a message', { findings: [{ severity: 'error', code: 'X' }] }, /finding 1 has no severity or message/],
  ],
  syncOrganisation: [
    ['no summary', { teams: 3, items: 20 }, /no summary/],
    ['no counts', { summary: { error: 0, warning: 0, info: 0 } }, /how many teams and items/],
  ],
};

function world({ url = SERVICE } = {}) {
  const w = loadAddon({ spreadsheet: { id: loadFixture().request.spreadsheet } });
  if (url) w.documentProperties.OKRTREE_SERVICE_URL = url;
  addOkrSheet(w, [['PLAT-1', 'Objective', 'Make deploys boring'], ['PLAT-2', 'KR', 'Deploy success']]);
  return w;
}

function assertOneAlertNothingElse(w, title, patterns) {
  assert.equal(w.alerts.length, 1, JSON.stringify(w.alerts));
  assert.equal(w.alerts[0].title, title);
  for (const pattern of patterns) assert.match(w.alerts[0].message, pattern);
  assert.deepEqual(w.writes, [], 'nothing written to the sheet');
  assert.deepEqual(w.propertyWrites, []);
  assert.deepEqual(w.sidebars, []);
  assert.deepEqual(w.dialogs, []);
}

for (const [command, { title, path }] of Object.entries(COMMANDS)) {
  for (const [name, behaviour, patterns] of CASES) {
    test(`${command}: ${name} ends in a clear alert and writes nothing`, () => {
      const w = world({ url: behaviour === null ? null : SERVICE });
      if (typeof behaviour === 'function') w.fetchHandler = behaviour;
      else if (behaviour) w.reply(...behaviour);
      w.call(command);
      assertOneAlertNothingElse(w, title, patterns);
      assert.equal(w.requests.length, behaviour === null ? 0 : 1);
      if (behaviour !== null) assert.equal(w.requests[0].url, SERVICE + path);
    });
  }
  for (const [name, body, pattern] of SHAPE_CASES[command]) {
    test(`${command}: a reply with ${name} is reported as unreadable`, () => {
      const w = world();
      w.reply(200, body);
      w.call(command);
      assertOneAlertNothingElse(w, title, [/cannot read/, pattern]);
    });
  }
}

test('403 advice depends on the command', () => {
  const validate = world();
  validate.reply(403, errorBody('forbidden', 'not registered'));
  validate.call('validateSheet');
  assert.match(validate.alerts[0].message, /add this spreadsheet to the hub's Teams tab/);

  const sync = world();
  sync.reply(403, errorBody('forbidden', 'not an admin'));
  sync.call('syncOrganisation');
  assert.match(sync.alerts[0].message, /Only okrtree administrators can sync the whole organisation/);
});

test('an unexpected failure inside a command still ends in an alert', () => {
  const w = world();
  w.reply(200, loadFixture().response);
  w.context.HtmlService.createTemplateFromFile = () => { throw new Error('Exception: quota exceeded'); };
  w.call('validateSheet');
  assertOneAlertNothingElse(w, 'okrtree: Validate this sheet', [/Something went wrong: Exception: quota exceeded/]);
});

test('Open alignment tree without a service URL says how to set it', () => {
  const w = world({ url: null });
  w.call('openAlignmentTree');
  assertOneAlertNothingElse(w, 'okrtree: Open alignment tree', [/service URL is not set/]);
});
