// What the options page does with the files a person picks, in every browser: a file cut short is
// refused by name and nothing is stored for it, formats Veil does not read are named with how to
// convert them, and HEIC photos (the iPhone's) are read upright with the fingerprint the same photo
// has as a JPEG. `choose(page, paths)` puts files in the page's file input with the browser's driver.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { DEMO, ROOT } from './harness.mjs';
import { until } from './scenarios.mjs';

const DATA = join(ROOT, 'tests/data');

/** The options page's messages once it has looked at `count` files, and the list's entries. */
async function protectThrough(env, choose, paths) {
  const options = await env.browser.openExtensionPage('options/options.html');
  await choose(options, paths);
  await until(options, (n) => document.getElementById('protect-messages').textContent.includes(`Finished: ${n} file(s)`), paths.length, 30_000);
  const messages = await options.evaluate(() => [...document.querySelectorAll('#protect-messages li')].map((li) => li.textContent));
  const entries = await options.evaluate(async () => {
    const { readProtectedList } = await import('../shared/store.js');
    return JSON.parse((await readProtectedList()) ?? '{"entries":[]}').entries.map((e) => ({ label: e.label, pdq: e.hashes.pdq }));
  });
  await options.close();
  return { messages, entries };
}

function bitsApart(a, b) {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    for (let x = parseInt(a[i], 16) ^ parseInt(b[i], 16); x; x >>= 1) bits += x & 1;
  }
  return bits;
}

export function protectFileScenarios(env, choose) {
  describe('the files a person picks', () => {
    test('files cut short are refused by name with nothing stored; unreadable formats say how to convert; the rest is protected', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'veil-cuts-'));
      const sources = {
        jpg: readFileSync(join(DEMO, 'images/market.jpg')),
        png: readFileSync(join(DEMO, 'images/pen-and-coaster.png')),
        webp: env.variants['smaller.webp'],
        gif: readFileSync(join(DATA, 'photo.gif')),
      };
      const cuts = [];
      for (const [format, bytes] of Object.entries(sources)) {
        for (const [name, keep] of [['10', 0.1], ['50', 0.5], ['80', 0.8], ['95', 0.95], ['last-bytes', 1]]) {
          const path = join(dir, `cut-${name}.${format}`);
          writeFileSync(path, bytes.subarray(0, keep === 1 ? bytes.length - 2 : Math.floor(bytes.length * keep)));
          cuts.push(path);
        }
      }
      const tiff = Buffer.from('II*\0\x08\0\0\0\0\0', 'binary');
      const unreadable = { 'scan.tif': tiff, 'DSC_0042.NEF': tiff, 'poster.psd': Buffer.from('8BPS\0\x01\0\0', 'binary') };
      for (const [name, bytes] of Object.entries(unreadable)) writeFileSync(join(dir, name), bytes);
      const whole = join(DATA, 'photo.gif');
      const before = (await protectThrough(env, choose, [whole])).entries.length; // protected once, so unchanged below

      const { messages, entries } = await protectThrough(env, choose, [...cuts, ...Object.keys(unreadable).map((name) => join(dir, name)), whole]);
      for (const cut of cuts) {
        assert.ok(messages.some((m) => m.startsWith(`${basename(cut)} was not protected: the file is damaged or cut short`)), `${basename(cut)}: ${messages.join('\n')}`);
      }
      assert.ok(messages.includes('scan.tif was not protected: Veil cannot read its format (TIFF). Save it as JPEG or PNG (any photo app or image editor can), then choose that copy. Nothing was saved for it.'), messages.join('\n'));
      assert.ok(messages.some((m) => m.startsWith('DSC_0042.NEF was not protected: it is a camera RAW file (NEF)') && m.includes('Export it as JPEG')), messages.join('\n'));
      assert.ok(messages.some((m) => m.startsWith('poster.psd was not protected: Veil cannot read its format (PSD)')), messages.join('\n'));
      assert.ok(messages.includes('photo.gif is already protected.'), 'the whole file is still read');
      assert.equal(entries.length, before, 'nothing is stored for a refused file');
    });

    test('HEIC photos are read upright, with the fingerprint of the same photo as JPEG', async () => {
      // Both are stored turned (rotated; mirrored and rotated) with the HEIF transform that turns them back.
      const heics = ['photo-rotated.heic', 'photo-transposed.heic'].map((name) => join(DATA, name));
      const jpeg = execFileSync(join(ROOT, 'target/release/veil'), ['hash', join(DATA, 'photo.jpg')], { encoding: 'utf8' }).slice(0, 64);
      for (const heic of heics) {
        const { messages, entries } = await protectThrough(env, choose, [heic]);
        const name = basename(heic);
        const entry = entries.find((e) => e.label === name.replace(/\.heic$/, ''));
        // The same hashes as an entry already there are reported as such, and not stored twice.
        const same = messages.includes(`${name} is already protected.`);
        assert.ok(entry || same, `${name}: ${messages.join('\n')}`);
        const nearest = Math.min(...entries.map((e) => bitsApart(e.pdq, jpeg)));
        if (entry) assert.ok(bitsApart(entry.pdq, jpeg) <= 8, `${name}: ${bitsApart(entry.pdq, jpeg)} bits from the JPEG`);
        else assert.ok(nearest <= 8, `${name}: the entry it matches is ${nearest} bits from the JPEG`);
      }
    });
  });
}
