'use strict';
// Stand-ins for UrlFetchApp, ScriptApp, PropertiesService, HtmlService, Utilities, Session.
const fs = require('node:fs');
const path = require('node:path');

const ADDON_DIR = path.join(__dirname, '..', '..');

class FakeHttpResponse {
  constructor(status, body, headers = {}) {
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
  getResponseCode() { return this.status; }
  getContentText() { return this.body; }
  getHeaders() { return { ...this.headers }; }
}

function makeUrlFetchApp(world) {
  return {
    fetch(url, params = {}) {
      world.guard('UrlFetchApp.fetch', ['NONE', 'LIMITED']);
      world.requests.push({ url, params });
      const answer = world.fetchHandler(url, params);
      const response = new FakeHttpResponse(answer.status, answer.body, answer.headers);
      if (answer.status >= 400 && !params.muteHttpExceptions) {
        throw new Error(`Exception: Request failed for ${url} returned code ${answer.status}.`);
      }
      return response;
    },
  };
}

function makeScriptApp(world) {
  return {
    AuthMode: { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' },
    getIdentityToken() {
      world.guard('ScriptApp.getIdentityToken', ['NONE', 'LIMITED']);
      return world.identityToken;
    },
    getOAuthToken() {
      world.guard('ScriptApp.getOAuthToken', ['NONE', 'LIMITED']);
      return 'oauth-token';
    },
  };
}

function makeProperties(world, store, label) {
  return {
    getProperty(key) { return Object.prototype.hasOwnProperty.call(store, key) ? store[key] : null; },
    setProperty(key, value) {
      world.propertyWrites.push({ store: label, key, value });
      store[key] = String(value);
      return this;
    },
    deleteProperty(key) {
      world.propertyWrites.push({ store: label, key, value: null });
      delete store[key];
      return this;
    },
    getProperties() { return { ...store }; },
  };
}

function makePropertiesService(world) {
  return {
    getDocumentProperties() {
      world.guard('PropertiesService.getDocumentProperties');
      return makeProperties(world, world.documentProperties, 'document');
    },
    getScriptProperties() {
      world.guard('PropertiesService.getScriptProperties');
      return makeProperties(world, world.scriptProperties, 'script');
    },
    getUserProperties() {
      world.guard('PropertiesService.getUserProperties');
      return makeProperties(world, world.userProperties, 'user');
    },
  };
}

class FakeHtmlOutput {
  constructor(content) {
    this.content = content;
    this.title = '';
    this.width = null;
    this.height = null;
  }
  getContent() { return this.content; }
  setContent(content) { this.content = content; return this; }
  append(content) { this.content += content; return this; }
  getTitle() { return this.title; }
  setTitle(title) { this.title = title; return this; }
  getWidth() { return this.width; }
  setWidth(width) { this.width = width; return this; }
  getHeight() { return this.height; }
  setHeight(height) { this.height = height; return this; }
}

function escapeHtml(value) {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const TEMPLATE_TEXT = Symbol('text');

/** An HtmlTemplate: properties set on it are the scriptlets' variables. */
class FakeHtmlTemplate {
  constructor(text) {
    this[TEMPLATE_TEXT] = text;
  }
  getRawContent() { return this[TEMPLATE_TEXT]; }
  evaluate() {
    const scope = { ...this };
    const html = this[TEMPLATE_TEXT].replace(/<\?(!=|=)?([\s\S]*?)\?>/g, (match, kind, code) => {
      if (!kind) throw new Error('the fake HtmlService evaluates only <?= ?> and <?!= ?> scriptlets');
      // eslint-disable-next-line no-new-func
      const value = new Function('scope', `with (scope) { return (${code}); }`)(scope);
      return kind === '!=' ? String(value) : escapeHtml(value);
    });
    return new FakeHtmlOutput(html);
  }
}

function makeHtmlService(world) {
  const read = (name) => {
    const file = path.join(ADDON_DIR, `${name}.html`);
    if (!fs.existsSync(file)) throw new Error(`Exception: No HTML file named ${name} was found.`);
    return fs.readFileSync(file, 'utf8');
  };
  return {
    createTemplateFromFile(name) { world.touch('HtmlService.createTemplateFromFile'); return new FakeHtmlTemplate(read(name)); },
    createHtmlOutputFromFile(name) { world.touch('HtmlService.createHtmlOutputFromFile'); return new FakeHtmlOutput(read(name)); },
    createHtmlOutput(html = '') { world.touch('HtmlService.createHtmlOutput'); return new FakeHtmlOutput(String(html)); },
    createTemplate(text) { world.touch('HtmlService.createTemplate'); return new FakeHtmlTemplate(String(text)); },
  };
}

function makeUtilities() {
  return {
    formatDate(date, timeZone, pattern) {
      if (!date || typeof date.getTime !== 'function') throw new Error('Exception: Invalid argument: date');
      const parts = {};
      new Intl.DateTimeFormat('en-GB', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      }).formatToParts(new Date(date.getTime())).forEach((p) => { parts[p.type] = p.value; });
      const known = { yyyy: parts.year, MM: parts.month, dd: parts.day, HH: parts.hour, mm: parts.minute, ss: parts.second };
      return pattern.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => known[token]);
    },
  };
}

function makeSession(world) {
  return {
    getScriptTimeZone() { return world.scriptTimeZone; },
    getActiveUser() { return { getEmail: () => world.userEmail }; },
  };
}

module.exports = {
  makeUrlFetchApp, makeScriptApp, makePropertiesService, makeHtmlService, makeUtilities, makeSession,
  FakeHtmlOutput, FakeHtmlTemplate, ADDON_DIR,
};
