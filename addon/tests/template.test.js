'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { loadAddon, ADDON_DIR } = require('./fakes/load');
const { renderTemplateJs, expectedTemplateJs, TEMPLATE_JSON, TEMPLATE_JS } = require('../scripts/build-template');

test('Template.js is in step with sheets_templates/template.json (run `npm run build-template`)', () => {
  assert.equal(fs.readFileSync(TEMPLATE_JS, 'utf8'), expectedTemplateJs());
});

test('OKRTREE_TEMPLATE holds exactly the template definition', () => {
  const world = loadAddon();
  const fromJson = JSON.parse(fs.readFileSync(TEMPLATE_JSON, 'utf8'));
  assert.deepEqual(world.plain(world.evaluate('OKRTREE_TEMPLATE')), fromJson);
});

test('the generator detects an edit on either side', () => {
  const template = JSON.parse(fs.readFileSync(TEMPLATE_JSON, 'utf8'));
  template.team_columns.push({ name: 'Confidence', aliases: [], on: 'key_result', required: false, width: 8, number_format: 'General' });
  assert.notEqual(renderTemplateJs(template), expectedTemplateJs());
});

test('appsscript.json asks only for the scopes the add-on needs, with V8 and the URL whitelist', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ADDON_DIR, 'appsscript.json'), 'utf8'));
  assert.deepEqual([...manifest.oauthScopes].sort(), [
    'https://www.googleapis.com/auth/script.container.ui',
    'https://www.googleapis.com/auth/script.external_request',
    'https://www.googleapis.com/auth/spreadsheets.currentonly',
    'https://www.googleapis.com/auth/userinfo.email',
    'openid',
  ]);
  assert.equal(manifest.runtimeVersion, 'V8');
  assert.ok(manifest.timeZone);
  assert.deepEqual(manifest.urlFetchWhitelist, ['https://okrtree-dot-PROJECT.appspot.com/']);
});

test('the add-on files stay small', () => {
  for (const name of fs.readdirSync(ADDON_DIR).filter((n) => /\.(js|html)$/.test(n))) {
    const lines = fs.readFileSync(path.join(ADDON_DIR, name), 'utf8').split('\n').length;
    assert.ok(lines <= 500, `${name} has ${lines} lines`);
  }
});
