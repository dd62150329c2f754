'use strict';
// Loads the add-on's .js files into one vm context, as Apps Script shares one global scope,
// with the fakes as its services. Returns the "world": the fakes' state and a way to call in.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { FakeSpreadsheet, FakeUi, makeSpreadsheetApp } = require('./sheets');
const services = require('./services');

const ADDON_DIR = services.ADDON_DIR;
const FIXTURE = path.join(ADDON_DIR, '..', 'tests', 'fixtures', 'api_validate.json');

/** The add-on's script files, as clasp pushes them. */
function addonFiles() {
  return fs.readdirSync(ADDON_DIR).filter((name) => name.endsWith('.js')).sort();
}

class World {
  constructor({ authMode = 'FULL', now = '2026-11-21T10:30:00Z', spreadsheet = {} } = {}) {
    this.authMode = authMode;
    this.now = Date.parse(now);
    this.writes = [];
    this.alerts = [];
    this.prompts = [];
    this.promptAnswers = [];
    this.sidebars = [];
    this.dialogs = [];
    this.menus = [];
    this.touched = [];
    this.requests = [];
    this.propertyWrites = [];
    this.logs = [];
    this.documentProperties = {};
    this.scriptProperties = {};
    this.userProperties = {};
    this.identityToken = 'identity-token-for-tests';
    this.scriptTimeZone = 'Etc/UTC';
    this.userEmail = 'dana@example.com';
    this.fetchHandler = () => { throw new Error('Exception: no fetch handler set in this test'); };
    this.ui = new FakeUi(this);
    this.spreadsheet = new FakeSpreadsheet(this, spreadsheet);
  }
  touch(name) { this.touched.push(name); }
  /** Records a service call; throws like Apps Script when the auth mode does not allow it. */
  guard(name, deniedIn = ['NONE']) {
    this.touch(name);
    if (deniedIn.includes(this.authMode)) {
      throw new Error(`Exception: You do not have permission to call ${name} (auth mode ${this.authMode}).`);
    }
  }
  /** Answers every fetch with this status and body (objects are sent as JSON). */
  reply(status, body) {
    this.fetchHandler = () => ({ status, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }
  answerPrompt(text, button = 'OK') { this.promptAnswers.push({ text, button }); }
  call(name, ...args) {
    const fn = this.context[name];
    if (typeof fn !== 'function') throw new Error(`the add-on has no global function ${name}`);
    return fn(...args);
  }
  /** Evaluates an expression in the add-on's global scope (reaches its consts). */
  evaluate(expression) { return vm.runInContext(expression, this.context); }
  /** A value from the add-on's realm as a plain value of this one. */
  plain(value) { return JSON.parse(JSON.stringify(value)); }
  sheetWrites() { return this.writes.slice(); }
}

/**
 * @param {object} [options] authMode, now, spreadsheet ({id, name, timeZone}), order ("reverse")
 */
function loadAddon(options = {}) {
  const world = new World(options);
  const context = vm.createContext({
    SpreadsheetApp: makeSpreadsheetApp(world),
    UrlFetchApp: services.makeUrlFetchApp(world),
    ScriptApp: services.makeScriptApp(world),
    PropertiesService: services.makePropertiesService(world),
    HtmlService: services.makeHtmlService(world),
    Utilities: services.makeUtilities(world),
    Session: services.makeSession(world),
    console: {
      log: (...a) => world.logs.push(a.join(' ')),
      info: (...a) => world.logs.push(a.join(' ')),
      warn: (...a) => world.logs.push(a.join(' ')),
      error: (...a) => world.logs.push(a.join(' ')),
    },
  });
  vm.runInContext(
    `Date = (function (RealDate) {
       class FixedDate extends RealDate {
         constructor(...args) { if (args.length === 0) { super(${world.now}); } else { super(...args); } }
         static now() { return ${world.now}; }
       }
       return FixedDate;
     })(Date);`,
    context
  );
  const files = addonFiles();
  if (options.order === 'reverse') files.reverse();
  for (const name of files) {
    vm.runInContext(fs.readFileSync(path.join(ADDON_DIR, name), 'utf8'), context, { filename: name });
  }
  world.context = context;
  return world;
}

function loadFixture() {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
}

module.exports = { loadAddon, loadFixture, addonFiles, ADDON_DIR, FIXTURE };
