// Every word a person reads must come from _locales, so that Veil speaks their language: this reads
// the extension's pages and scripts and fails on text written straight into them. HTML text and
// the attributes people read (title, aria-label, placeholder, alt) must be empty and filled by
// data-i18n; script strings of two or more words must not reach the page, outside comments,
// console messages, organisations' names and lines marked developer-facing.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './harness.mjs';

const EXTENSION = join(ROOT, 'extension');

function files(dir, extension) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '_locales' ? [] : files(path, extension);
    return path.endsWith(extension) ? [path] : [];
  });
}

test('the pages have no words of their own: text and read attributes come from data-i18n', () => {
  const found = [];
  for (const file of files(EXTENSION, '.html')) {
    const html = readFileSync(file, 'utf8').replace(/<(script|style)[\s\S]*?<\/\1>/g, '').replace(/<!--[\s\S]*?-->/g, '');
    for (const [, text] of html.matchAll(/>([^<]*)</g)) {
      if (/\p{L}/u.test(text)) found.push(`${relative(ROOT, file)}: text "${text.trim()}"`);
    }
    for (const [, name, value] of html.matchAll(/\s(title|aria-label|placeholder|alt)="([^"]*)"/g)) {
      // An example value in a field (a server's address) is not a sentence.
      const example = name === 'placeholder' && /^[\w.-]+\.[a-z]{2,}$/.test(value);
      if (/\p{L}/u.test(value) && !example) found.push(`${relative(ROOT, file)}: ${name}="${value}"`);
    }
  }
  assert.deepEqual(found, []);
});

test('the scripts put no hard-coded sentence in front of people', () => {
  const found = [];
  for (const file of files(EXTENSION, '.js')) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/^\s*\/\*.*$/, '');
      if (/console\.(log|warn|error|info)\(/.test(code) || /developer-facing/.test(line) || /^\s*'use strict';$/.test(line)) return;
      // Organisations' own names (support page) are not translated.
      if (/^\s*\{ name: '/.test(line)) return;
      // A class attribute inside an HTML template is not text either.
      for (const [, , literal] of code.replace(/class="[^"]*"/g, '').matchAll(/(['"`])((?:\\.|(?!\1).)*)\1/g)) {
        // Two words in a row made only of letters: a sentence, not a key, selector, URL or scope.
        const words = literal.replace(/\$\{[^}]*\}/g, ' ').split(/\s+/);
        if (words.some((word, w) => /^\p{L}{2,}[,.!?]?$/u.test(word) && /^\p{L}{2,}[,.!?]?$/u.test(words[w + 1] ?? ''))) {
          found.push(`${relative(ROOT, file)}:${i + 1}: ${literal}`);
        }
      }
    });
  }
  assert.deepEqual(found, []);
});
