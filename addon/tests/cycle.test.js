'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('./fakes/load');

const SERVICE = 'https://okrtree-dot-acme.appspot.com';
const TYPED = '2027-Q1 2027-01-01 2027-03-31';

function plan(dryRun, extra = {}) {
  return {
    dry_run: dryRun,
    settings_written: !dryRun,
    from: { name: '2026-Q4' },
    to: { name: '2027-Q1' },
    teams: [
      {
        team: 'Sales', archive_tab: 'OKRs 2026-Q4', state: dryRun ? 'planned' : 'rolled',
        carried: [{ id: 'SAL-1' }, { id: 'SAL-2' }, { id: null }], archived: [{ id: 'SAL-6' }],
      },
      { team: 'Mobile', archive_tab: 'OKRs 2026-Q4', state: 'skipped', reason: 'mobile.xlsx is damaged' },
    ],
    ...extra,
  };
}

/** A world whose service answers the dry run and the real run, recording the bodies. */
function world({ answers = ['YES'], realReply = plan(false) } = {}) {
  const w = loadAddon();
  w.documentProperties.OKRTREE_SERVICE_URL = SERVICE;
  w.alertAnswers = answers;
  w.fetchHandler = (url, params) => {
    const body = JSON.parse(params.payload);
    return { status: 200, body: JSON.stringify(body.dry_run ? plan(true) : realReply) };
  };
  return w;
}

test('Start next cycle shows the dry run, then starts the cycle after Yes', () => {
  const w = world();
  w.answerPrompt(TYPED);
  w.call('startNextCycle');
  assert.deepEqual(w.requests.map((r) => [r.url, JSON.parse(r.params.payload)]), [
    [`${SERVICE}/api/rollover`, { dry_run: true, cycle: '2027-Q1', start: '2027-01-01', end: '2027-03-31' }],
    [`${SERVICE}/api/rollover`, { dry_run: false, cycle: '2027-Q1', start: '2027-01-01', end: '2027-03-31' }],
  ]);
  const [confirm, done] = w.alerts;
  assert.equal(confirm.title, 'okrtree: Start 2027-Q1?');
  assert.equal(confirm.buttons, 'YES_NO');
  assert.match(confirm.message, /Closes 2026-Q4\./);
  assert.match(confirm.message, /• Sales: 2 items carry over; SAL-6 stay in OKRs 2026-Q4/);
  assert.match(confirm.message, /• Mobile: not rolled over: mobile\.xlsx is damaged/);
  assert.match(done.message, /^The hub now names 2027-Q1\./);
  assert.deepEqual(w.writes, []);
});

test('No at the confirmation changes nothing', () => {
  const w = world({ answers: ['NO'] });
  w.answerPrompt(TYPED);
  w.call('startNextCycle');
  assert.equal(w.requests.length, 1);
  assert.equal(JSON.parse(w.requests[0].params.payload).dry_run, true);
  assert.equal(w.alerts.length, 1);
});

test('Cancel at the prompt sends nothing', () => {
  const w = world();
  w.answerPrompt('', 'CANCEL');
  w.call('startNextCycle');
  assert.equal(w.requests.length, 0);
  assert.equal(w.alerts.length, 0);
});

for (const typed of ['2027-Q1', '2027-Q1 1 Jan 2027 31 Mar 2027', '2027-Q1 2027-01-01', '']) {
  test(`a malformed answer (${JSON.stringify(typed)}) is explained, nothing sent`, () => {
    const w = world();
    w.answerPrompt(typed);
    w.call('startNextCycle');
    assert.equal(w.requests.length, 0);
    assert.match(w.alerts[0].message, /e\.g\. 2027-Q1 2027-01-01 2027-03-31/);
  });
}

test('an incomplete rollover says to run it again', () => {
  const w = world({ realReply: plan(false, { settings_written: false }) });
  w.answerPrompt(TYPED);
  w.call('startNextCycle');
  assert.match(w.alerts[1].message, /still names the old cycle/);
  assert.match(w.alerts[1].message, /run Start next cycle… again/);
});

test('a refusal from the service (not an administrator) is shown, nothing else asked', () => {
  const w = loadAddon();
  w.documentProperties.OKRTREE_SERVICE_URL = SERVICE;
  w.reply(403, { error: { code: 'not_admin', message: 'dana@example.com is not an okrtree administrator' } });
  w.answerPrompt(TYPED);
  w.call('startNextCycle');
  assert.equal(w.requests.length, 1);
  assert.equal(w.alerts.length, 1);
  assert.match(w.alerts[0].message, /administrator/);
});
