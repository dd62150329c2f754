#!/usr/bin/env node
'use strict';
/**
 * Writes addon/Template.js from sheets_templates/template.json so the add-on carries the
 * same template definition as the Python library.
 *
 *   node scripts/build-template.js          write Template.js
 *   node scripts/build-template.js --check  exit 1 when Template.js is out of step
 */
const fs = require('node:fs');
const path = require('node:path');

const TEMPLATE_JSON = path.join(__dirname, '..', '..', 'sheets_templates', 'template.json');
const TEMPLATE_JS = path.join(__dirname, '..', 'Template.js');

/**
 * The text of Template.js for a parsed template definition.
 * @param {unknown} template
 * @returns {string}
 */
function renderTemplateJs(template) {
  return [
    '// Generated from sheets_templates/template.json by scripts/build-template.js.',
    '// Edit template.json, then run `npm run build-template`.',
    '',
    '/** @type {OkrTemplate} */',
    `const OKRTREE_TEMPLATE = ${JSON.stringify(template, null, 2)};`,
    '',
  ].join('\n');
}

/** @returns {string} */
function expectedTemplateJs() {
  return renderTemplateJs(JSON.parse(fs.readFileSync(TEMPLATE_JSON, 'utf8')));
}

function main() {
  const expected = expectedTemplateJs();
  if (process.argv.includes('--check')) {
    const actual = fs.existsSync(TEMPLATE_JS) ? fs.readFileSync(TEMPLATE_JS, 'utf8') : '';
    if (actual !== expected) {
      process.stderr.write('addon/Template.js is out of step with sheets_templates/template.json: run `npm run build-template`.\n');
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(TEMPLATE_JS, expected);
  process.stdout.write(`wrote ${path.relative(process.cwd(), TEMPLATE_JS)}\n`);
}

module.exports = { renderTemplateJs, expectedTemplateJs, TEMPLATE_JSON, TEMPLATE_JS };

if (require.main === module) {
  main();
}
