'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('./fakes/load');

const EXPECTED_MENU = [
  ['Validate this sheet', 'validateSheet'],
  ['Sync whole organisation', 'syncOrganisation'],
  ['Open alignment tree', 'openAlignmentTree'],
  '---',
  ['Insert objective', 'insertObjective'],
  ['Insert key result', 'insertKeyResult'],
  '---',
  ['Set up this sheet', 'setUpSheet'],
  ['Settings…', 'showSettings'],
  '---',
  ['Start next cycle…', 'startNextCycle'],
];

function menuOf(world) {
  assert.equal(world.menus.length, 1, 'one add-on menu');
  assert.equal(world.menus[0].added, true, 'menu added to the UI');
  return world.menus[0].items.map((item) => (item.separator ? '---' : [item.caption, item.functionName]));
}

for (const mode of ['NONE', 'LIMITED', 'FULL']) {
  test(`onOpen builds the add-on menu in AuthMode.${mode} and touches nothing else`, () => {
    const world = loadAddon({ authMode: mode });
    world.call('onOpen', { authMode: mode, source: null });
    assert.deepEqual(menuOf(world), EXPECTED_MENU);
    assert.deepEqual([...new Set(world.touched)], ['SpreadsheetApp.getUi']);
    assert.equal(world.writes.length, 0);
    assert.equal(world.alerts.length, 0);
  });
}

test('onInstall builds the same menu', () => {
  const world = loadAddon({ authMode: 'FULL' });
  world.call('onInstall', { authMode: 'FULL' });
  assert.deepEqual(menuOf(world), EXPECTED_MENU);
});

test('every menu item names a global function of the add-on', () => {
  const world = loadAddon();
  world.call('onOpen', { authMode: 'FULL' });
  for (const item of world.menus[0].items.filter((i) => !i.separator)) {
    assert.equal(typeof world.context[item.functionName], 'function', item.functionName);
    assert.ok(!item.functionName.endsWith('_'), `${item.functionName} must not be private`);
  }
});

test('the add-on loads in any file order (no file depends on another at load time)', () => {
  const world = loadAddon({ order: 'reverse' });
  world.call('onOpen', { authMode: 'NONE' });
  assert.deepEqual(menuOf(world), EXPECTED_MENU);
});
