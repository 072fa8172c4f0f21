// What the stores check, checked here first: Mozilla's own linter over the Firefox build (0
// errors, 0 warnings), every locale's name and description within the stores' limits, a listing
// text in every shipped locale, icons at every size with the Chrome Web Store's padding, the
// minimum browser versions, and no offscreen code in Firefox's package.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { artBox } from '../../scripts/icon.mjs';
import { filesUnder } from '../../scripts/zip.mjs';
import { ROOT, decodePng } from './harness.mjs';

const DIST = join(ROOT, 'dist');
const manifest = (browser) => JSON.parse(readFileSync(join(DIST, browser, 'manifest.json'), 'utf8'));
const LOCALES = readdirSync(join(ROOT, 'extension/_locales')).sort();
const messages = (lang) => JSON.parse(readFileSync(join(ROOT, 'extension/_locales', lang, 'messages.json'), 'utf8'));
// The strictest of the stores: names (Edge Add-ons 45, addons.mozilla.org 50, Chrome Web Store 75),
// the manifest's description (Chrome and Firefox: 132), the short name (Chrome recommends 12).
const LIMITS = { name: 45, shortName: 12, description: 132, listing: 16_000 };

test('web-ext lint: no errors, no warnings over the Firefox build', () => {
  const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/web-ext/bin/web-ext.js'), 'lint', '--source-dir', join(DIST, 'firefox'), '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
  const report = JSON.parse(out.slice(out.indexOf('{')));
  const found = [...report.errors, ...report.warnings].map((m) => `${m.code} ${m.file ?? ''}:${m.line ?? ''} ${m.message}`);
  assert.deepEqual(found, []);
});

test('every locale\'s name, short name and description are within the stores\' limits', () => {
  const over = [];
  const short = JSON.parse(readFileSync(join(ROOT, 'extension/manifest.json'), 'utf8')).short_name;
  if ([...short].length > LIMITS.shortName) over.push(`short_name ${short}`);
  for (const lang of LOCALES) {
    const { extName, extDescription } = messages(lang);
    if ([...extName.message].length > LIMITS.name) over.push(`${lang} name: ${[...extName.message].length}`);
    if ([...extDescription.message].length > LIMITS.description) over.push(`${lang} description: ${[...extDescription.message].length}`);
  }
  assert.deepEqual(over, []);
});

/** store/<lang>.md: `# name`, then `## Summary` and `## Description`. */
function listing(lang) {
  const text = readFileSync(join(ROOT, 'store', `${lang}.md`), 'utf8');
  const sections = text.split(/^## /m).slice(1).map((part) => [part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n')).trim()]);
  return { name: text.match(/^# (.+)$/m)?.[1], ...Object.fromEntries(sections) };
}

test('a store listing in every shipped locale: name, summary (the manifest\'s description) and a translated description', () => {
  const english = listing('en');
  for (const lang of LOCALES) {
    assert.ok(existsSync(join(ROOT, 'store', `${lang}.md`)), `store/${lang}.md`);
    const { name, Summary, Description } = listing(lang);
    assert.equal(name, messages(lang).extName.message, `${lang}: name`);
    assert.equal(Summary, messages(lang).extDescription.message, `${lang}: the summary is the manifest's description`);
    assert.ok(Description?.length > 800 && Description.length <= LIMITS.listing, `${lang}: description length ${Description?.length}`);
    if (lang !== 'en') assert.notEqual(Description, english.Description, `${lang} is translated`);
  }
});

test('icons at 16, 32, 48 and 128 px; the 128 px art is 96 px inside transparent padding', () => {
  const { icons, action } = manifest('chromium');
  assert.deepEqual(Object.keys(icons), ['16', '32', '48', '128']);
  assert.deepEqual(Object.keys(action.default_icon), ['16', '32']);
  for (const [size, path] of Object.entries(icons)) {
    const { width, height, channels, pixels } = decodePng(readFileSync(join(DIST, 'chromium', path)));
    assert.deepEqual([width, height, channels], [Number(size), Number(size), 4], path);
    // The bounding box of every pixel that is not fully transparent.
    let [left, top, right, bottom] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (pixels[(y * width + x) * 4 + 3] === 0) continue;
        [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
      }
    }
    const box = artBox(Number(size));
    assert.deepEqual({ path, left, top, right, bottom }, { path, left: box.start, top: box.start, right: box.start + box.size - 1, bottom: box.start + box.size - 1 });
  }
  assert.equal(artBox(128).size, 96);
});

test('minimum versions: Chrome 111 (content scripts in the page\'s world), Firefox 140, Firefox for Android 142', () => {
  const chromium = manifest('chromium');
  assert.equal(chromium.minimum_chrome_version, '111');
  assert.ok(chromium.content_scripts.some((script) => script.world === 'MAIN'));
  const { gecko, gecko_android: android } = manifest('firefox').browser_specific_settings;
  assert.equal(gecko.strict_min_version, '140.0');
  assert.equal(android.strict_min_version, '142.0');
  assert.deepEqual(gecko.data_collection_permissions.required, ['none']);
});

test('Firefox\'s package has no offscreen code; Chromium\'s has it and the permission', () => {
  const firefox = filesUnder(join(DIST, 'firefox'));
  const offscreenCalls = firefox.filter((file) => file.endsWith('.js') && readFileSync(join(DIST, 'firefox', file), 'utf8').includes('chrome.offscreen'));
  assert.deepEqual(offscreenCalls, []);
  assert.ok(!firefox.includes('offscreen/offscreen.html') && !manifest('firefox').permissions.includes('offscreen'));
  assert.ok(filesUnder(join(DIST, 'chromium')).includes('offscreen/offscreen.html') && manifest('chromium').permissions.includes('offscreen'));
});
