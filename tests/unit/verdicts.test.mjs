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

/** A fingerprint callback whose answers wait until `release()`; `calls` records each call's URL and bytes. */
function heldFingerprints(answer) {
  const calls = [];
  let release;
  const released = new Promise((resolve) => (release = resolve));
  const fingerprint = async (url, source, onScreen, blob) => {
    calls.push({ url, blob });
    await released;
    return answer;
  };
  return { calls, release, fingerprint };
}

test("the page's own bytes decide at once, and answer a frame's check of them still waiting for its turn", async () => {
  const held = heldFingerprints([{ pdq: protectedHash, quality: 100 }]);
  const matcher = new wasm.Matcher(list);
  const engine = new VerdictEngine(async () => matcher, () => false, held.fingerprint);
  // More checks than run at once: the last one waits for a turn.
  const others = Array.from({ length: 64 }, (_, i) => engine.check(`https://a.example/${i}.jpg`, false));
  const url = 'https://a.example/copy.jpg';
  const framesCheck = engine.check(url, true);
  const gateBytes = new Blob(['the page copy']);
  const gatesVerdict = engine.decideBytes(url, gateBytes);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(held.calls.filter((call) => call.url === url), [{ url, blob: gateBytes }], 'decided from the gate\'s bytes, once, with every turn taken');
  held.release();
  assert.deepEqual(await Promise.all([framesCheck, gatesVerdict]), [{ state: 'match' }, { state: 'match' }]);
  await Promise.all(others);
});

test('a check under way that a frame then asks for on screen is said to be on screen once', async () => {
  const held = heldFingerprints(null);
  const seen = [];
  const engine = new VerdictEngine(async () => new wasm.Matcher(list), () => false, held.fingerprint, { seenOnScreen: (url) => seen.push(url) });
  const url = 'https://a.example/late.jpg';
  const first = engine.check(url, false);
  await new Promise((resolve) => setTimeout(resolve, 10));
  engine.check(url, true);
  engine.check(url, true);
  assert.deepEqual(seen, [url]);
  held.release();
  assert.deepEqual(await first, { state: 'clear' });
  engine.check(url, true);
  assert.deepEqual(seen, [url], 'a decided image is not waiting anywhere');
});

test('checks of images not on screen wait while a page loads; one asked for on screen meanwhile goes at once', async () => {
  const asked = [];
  let loading = true;
  const engine = new VerdictEngine(async () => new wasm.Matcher(list), () => false, async (url) => {
    asked.push(url);
    return null;
  }, { laterMayStart: () => !loading });
  const below = engine.check('https://a.example/below.jpg', false);
  const scrolledTo = engine.check('https://a.example/scrolled-to.jpg', false);
  const onScreen = engine.check('https://a.example/on-screen.jpg', true);
  await onScreen;
  engine.onScreen('https://a.example/scrolled-to.jpg');
  await scrolledTo;
  assert.deepEqual(asked, ['https://a.example/on-screen.jpg', 'https://a.example/scrolled-to.jpg']);
  loading = false;
  engine.pump();
  assert.deepEqual(await below, { state: 'clear' });
  assert.equal(asked.length, 3);
});

test("the page's own bytes wait for a decoder as on screen only where a frame has said so", async () => {
  const onScreenAt = {};
  const fingerprint = async (url, source, onScreen) => {
    onScreenAt[url] = onScreen();
    return null;
  };
  const engine = new VerdictEngine(async () => new wasm.Matcher(list), () => false, fingerprint);
  const bytes = () => new Blob(['the page copy']);
  const asked = engine.check('https://a.example/asked-on-screen.jpg', true);
  await Promise.all([
    engine.decideBytes('https://a.example/below.jpg', bytes()),
    engine.decideBytes('https://a.example/asked-on-screen.jpg', bytes()),
    asked,
  ]);
  assert.equal(onScreenAt['https://a.example/below.jpg'], false, 'no frame said it is on screen');
  assert.equal(onScreenAt['https://a.example/asked-on-screen.jpg'], true);
});
