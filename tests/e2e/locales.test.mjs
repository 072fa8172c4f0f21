// Every translation must say the same things as English, so a person reading Veil in their own
// language sees no gaps, no broken "$NAME$" slots and no English left behind: this compares each
// locale under extension/_locales with en key by key, checks placeholders match exactly, that
// Arabic and Urdu are written in Arabic script, and that most sentences were actually translated.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The repository root, worked out here rather than from harness.mjs so this test needs no browser.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

const LOCALES = join(ROOT, 'extension', '_locales');
const read = (lang) => JSON.parse(readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8'));
const en = read('en');
const languages = readdirSync(LOCALES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'en' && existsSync(join(LOCALES, entry.name, 'messages.json')))
  .map((entry) => entry.name);

const tokens = (message) => [...new Set(message.match(/\$[A-Za-z0-9_]+\$/g) || [])].sort();
const RTL_ARABIC_SCRIPT = new Set(['ar', 'ur', 'fa', 'ps']);
const PROPER_NAMES = new Set(['Veil', 'Bluesky', 'Mastodon']);

test('there is at least one translation besides English', () => {
  assert.ok(languages.length > 0, 'no locale directories besides en');
});

for (const lang of languages) {
  const messages = read(lang);

  test(`${lang}: has exactly the same keys as en`, () => {
    const missing = Object.keys(en).filter((key) => !(key in messages));
    const extra = Object.keys(messages).filter((key) => !(key in en));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });

  test(`${lang}: every message is non-empty and keeps English's placeholders`, () => {
    const problems = [];
    for (const [key, source] of Object.entries(en)) {
      const entry = messages[key];
      if (!entry) continue;
      if (typeof entry.message !== 'string' || !entry.message.trim()) { problems.push(`${key}: empty`); continue; }
      const want = tokens(source.message), got = tokens(entry.message);
      if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`${key}: tokens ${got.join(',') || '(none)'}, English has ${want.join(',') || '(none)'}`);
      try { assert.deepEqual(entry.placeholders, source.placeholders); } catch { problems.push(`${key}: placeholders object differs from English`); }
    }
    assert.deepEqual(problems, []);
  });

  if (RTL_ARABIC_SCRIPT.has(lang)) {
    test(`${lang}: messages are written in Arabic script`, () => {
      const latinOnly = Object.entries(en)
        .filter(([, source]) => /\p{L}/u.test(source.message) && !PROPER_NAMES.has(source.message.trim()))
        .filter(([key]) => messages[key] && !/\p{Script=Arabic}/u.test(messages[key].message))
        .map(([key]) => key);
      assert.deepEqual(latinOnly, []);
    });
  }

  test(`${lang}: at least 90% of sentences of 3+ words are translated, not English copies`, () => {
    const long = Object.keys(en).filter((key) => en[key].message.trim().split(/\s+/).length >= 3 && messages[key]);
    const copied = long.filter((key) => messages[key].message.trim() === en[key].message.trim());
    assert.ok(copied.length <= long.length * 0.1, `${copied.length} of ${long.length} untranslated: ${copied.join(', ')}`);
  });
}
