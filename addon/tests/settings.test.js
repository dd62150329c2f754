'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('./fakes/load');

const KEY = 'OKRTREE_SERVICE_URL';

// [typed text, button, stored URL afterwards (undefined: unchanged), alert pattern or null]
const CASES = [
  ['https://okrtree-dot-acme.appspot.com', 'OK', 'https://okrtree-dot-acme.appspot.com', /Saved\. okrtree will use https:\/\/okrtree-dot-acme\.appspot\.com/],
  ['  https://okrtree-dot-acme.appspot.com/  ', 'OK', 'https://okrtree-dot-acme.appspot.com', /Saved/],
  ['https://okr.example.com/okrtree/', 'OK', 'https://okr.example.com/okrtree', /Saved/],
  ['http://okrtree-dot-acme.appspot.com', 'OK', undefined, /is not an https address.*Nothing was changed/s],
  ['okrtree-dot-acme', 'OK', undefined, /is not an https address/],
  ['https://okrtree-dot-acme.appspot.com', 'CANCEL', undefined, null],
  ['', 'OK', null, /cleared/],
];

for (const [typed, button, stored, alert] of CASES) {
  test(`Settings: ${JSON.stringify(typed)} with ${button}`, () => {
    const w = loadAddon();
    w.documentProperties[KEY] = 'https://old.example.com';
    w.answerPrompt(typed, button);
    w.call('showSettings');
    assert.equal(w.prompts.length, 1);
    assert.match(w.prompts[0].message, /now: https:\/\/old\.example\.com/);
    assert.equal(w.prompts[0].buttons, 'OK_CANCEL');
    const expected = stored === undefined ? 'https://old.example.com' : stored;
    assert.equal(w.documentProperties[KEY] === undefined ? null : w.documentProperties[KEY], expected);
    if (alert) {
      assert.equal(w.alerts.length, 1);
      assert.match(w.alerts[0].message, alert);
    } else {
      assert.deepEqual(w.alerts, []);
    }
    assert.deepEqual(w.writes, []);
  });
}

test('Settings says when no URL is set yet', () => {
  const w = loadAddon();
  w.answerPrompt('', 'CANCEL');
  w.call('showSettings');
  assert.match(w.prompts[0].message, /now: not set/);
});
