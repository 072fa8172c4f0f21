// The background's verdict engine with a real protected list and real wasm matching, fed
// fingerprints as the decoding workers give them: deduplication, caching, not-a-match, failures.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BUILT, ROOT, installBrowserApis } from './browser-apis.mjs';

installBrowserApis();
let VerdictEngine, Unchecked, wasm, list, protectedHash;
before(async () => {
  ({ VerdictEngine } = await import(join(BUILT, 'background/verdicts.js')));
  ({ Unchecked } = await import(join(BUILT, 'pipeline/read.js')));
  wasm = await import(join(BUILT, 'wasm/veil.js'));
  await wasm.default({ module_or_path: readFileSync(join(BUILT, 'wasm/veil_bg.wasm')) });
  list = readFileSync(join(ROOT, 'tests/data/list.json'), 'utf8');
  protectedHash = JSON.parse(list).entries[0].hashes.pdq;
});

/** A hash `bits` bits away from `hex`. */
function flipped(hex, bits) {
  const digits = [...hex];
  for (let i = 0; i < bits / 4; i++) digits[i] = (parseInt(digits[i], 16) ^ 0xf).toString(16);
  return digits.join('');
}

function engineWith(answers, notAMatch = new Set()) {
  const asked = [];
  const matcher = new wasm.Matcher(list);
  const engine = new VerdictEngine(async () => matcher, (url) => notAMatch.has(url), async (url) => {
    asked.push(url);
    const answer = answers[url];
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { engine, asked };
}

test('a near copy matches, a distant hash is clear; each URL is fingerprinted once however often it is asked', async () => {
  const { engine, asked } = engineWith({
    'https://a.example/copy.jpg': [{ pdq: flipped(protectedHash, 8), quality: 100 }],
    'https://a.example/other.jpg': [{ pdq: flipped(protectedHash, 128), quality: 100 }],
  });
  const [copy, again, other] = await Promise.all([
    engine.check('https://a.example/copy.jpg', true),
    engine.check('https://a.example/copy.jpg', false),
    engine.check('https://a.example/other.jpg', false),
  ]);
  assert.deepEqual([copy, again, other], [{ state: 'match' }, { state: 'match' }, { state: 'clear' }]);
  assert.deepEqual(asked.sort(), ['https://a.example/copy.jpg', 'https://a.example/other.jpg']);
  assert.equal(engine.matches.get('https://a.example/copy.jpg').distance, 8);
});

test('an image that cannot be checked says why and is tried again next time; icons are clear', async () => {
  const { engine, asked } = engineWith({
    'https://a.example/broken.jpg': new Unchecked('undecodable', 'bad data'),
    'https://a.example/icon.png': null,
  });
  assert.deepEqual(await engine.check('https://a.example/broken.jpg', true), { state: 'error', reason: 'undecodable' });
  await engine.check('https://a.example/broken.jpg', true);
  assert.equal(asked.filter((url) => url.endsWith('broken.jpg')).length, 2, 'a failure is not cached');
  assert.deepEqual(await engine.check('https://a.example/icon.png', true), { state: 'clear' });
});

test('not a match: that URL is clear without being fetched; forget and reset decide again', async () => {
  const url = 'https://a.example/copy.jpg';
  const answers = { [url]: [{ pdq: protectedHash, quality: 100 }] };
  const notAMatch = new Set([url]);
  const { engine, asked } = engineWith(answers, notAMatch);
  assert.deepEqual(await engine.check(url, true), { state: 'clear' });
  assert.deepEqual(asked, []);
  notAMatch.clear();
  engine.forget(url);
  assert.deepEqual(await engine.check(url, true), { state: 'match' });
  engine.reset();
  assert.equal(engine.matches.size, 0);
});
