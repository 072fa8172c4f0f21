// Veil's declarativeNetRequest session rules (the background's session-rules.js, known-matches.js
// and page-referers.js, as built) across a stop of the service worker: the browser keeps the rules,
// the worker's memory goes. Each life of the worker is a fresh copy of the modules, over one
// in-memory rule set that refuses an id in use and applies a change whole or not at all, as
// Chromium's does.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BUILT, installBrowserApis } from './browser-apis.mjs';

const { REASON } = await import(join(BUILT, 'protocol.js'));

function sessionRules() {
  let rules = [];
  return {
    async getSessionRules() {
      return structuredClone(rules);
    },
    async updateSessionRules({ addRules = [], removeRuleIds = [] }) {
      const kept = rules.filter((rule) => !removeRuleIds.includes(rule.id));
      for (const rule of addRules) {
        if (kept.some((other) => other.id === rule.id)) throw new Error(`Rule with id ${rule.id} does not have a unique ID.`);
        kept.push(structuredClone(rule));
      }
      rules = kept;
    },
  };
}

const chrome = installBrowserApis();
chrome.offscreen = {};
chrome.declarativeNetRequest = sessionRules();
const rulesNow = () => chrome.declarativeNetRequest.getSessionRules();

const settled = async () => {
  for (let round = 0; round < 20; round++) await new Promise(setImmediate);
};

const lives = [];
after(() => lives.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** One life of the service worker: the modules loaded afresh from their own folder. */
async function workerLife() {
  const dir = mkdtempSync(join(tmpdir(), 'veil-worker-'));
  lives.push(dir);
  for (const file of ['protocol.js', ...['session-rules.js', 'known-matches.js', 'page-referers.js'].map((name) => `background/${name}`)]) {
    cpSync(join(BUILT, file), join(dir, file));
  }
  return {
    knownMatches: await import(join(dir, 'background/known-matches.js')),
    pageReferers: await import(join(dir, 'background/page-referers.js')),
  };
}

const MATCH = 'https://images.test/match.jpg';
const WILD_MATCH = 'https://images.test/a*b|c^.jpg'; // urlFilter's wildcards: matched by a regex
const IMAGE = 'https://images.test/photo.jpg';
const pageRequest = (url) => ({ url, requestHeaders: [{ name: 'Referer', value: 'https://page.test/feed' }] });

test('a restarted worker numbers on, keeps the matches held back, and drops stale Referer rules', async () => {
  const first = await workerLife();
  await first.knownMatches.holdBackLaterPaints(MATCH);
  await first.knownMatches.holdBackLaterPaints(WILD_MATCH);
  first.pageReferers.rememberReferer(pageRequest(IMAGE));
  void first.pageReferers.asThePageWould(IMAGE, () => new Promise(() => {})); // under way as the worker stops
  await settled();
  assert.deepEqual((await rulesNow()).map((rule) => rule.action.type).sort(), ['modifyHeaders', 'redirect', 'redirect']);

  const second = await workerLife();
  const other = 'https://images.test/other.jpg';
  await second.knownMatches.holdBackLaterPaints(other);
  const held = (await rulesNow()).filter((rule) => rule.action.type === 'redirect');
  assert.equal(held.length, 3, 'the new match is held back beside the old ones, its id not refused');
  assert.equal(new Set(held.map((rule) => rule.id)).size, 3);
  assert.deepEqual((await rulesNow()).filter((rule) => rule.action.type === 'modifyHeaders'), [], 'the stopped worker\'s Referer rule is gone');

  await second.knownMatches.releaseLaterPaints(WILD_MATCH);
  await second.knownMatches.releaseLaterPaints(MATCH);
  const left = (await rulesNow()).map((rule) => rule.condition.urlFilter);
  assert.deepEqual(left, [`|${other}|`], 'the old worker\'s matches, known by their address, are released');
});

test('the Referer rule is in place before the download is sent and removed after it', async () => {
  const { pageReferers, knownMatches } = await workerLife();
  await knownMatches.releaseAll();
  pageReferers.rememberReferer(pageRequest(IMAGE));
  const during = await pageReferers.asThePageWould(IMAGE, rulesNow);
  assert.equal(during.length, 1);
  assert.deepEqual(during[0].action.requestHeaders, [{ header: 'referer', operation: 'set', value: 'https://page.test/feed' }]);
  assert.deepEqual(during[0].condition.initiatorDomains, [chrome.runtime.id], 'only Veil\'s own request');
  await settled();
  assert.deepEqual(await rulesNow(), []);

  pageReferers.rememberReferer({ url: IMAGE, requestHeaders: [] }); // a page that sends none
  assert.deepEqual(await pageReferers.asThePageWould(IMAGE, rulesNow), [], 'no Referer is set where the page sent none');
});

test('a download sent before the page\'s request was seen, and refused, is asked again with the page\'s Referer once it is', async () => {
  const { pageReferers } = await workerLife();
  const url = 'https://images.test/hotlinked.jpg';
  pageReferers.notePageRequest(url); // the page has started its request; its headers are not seen yet
  const sent = [];
  const read = async () => {
    const referer = (await rulesNow()).find((rule) => rule.condition.urlFilter === `|${url}|`)?.action.requestHeaders[0].value;
    sent.push(referer ?? null);
    if (!referer) {
      setTimeout(() => pageReferers.rememberReferer(pageRequest(url)), 20); // the page's request is seen after
      throw Object.assign(new Error('HTTP 403'), { reason: REASON.fetch });
    }
    return 'bytes';
  };
  assert.equal(await pageReferers.asThePageWould(url, read), 'bytes');
  assert.deepEqual(sent, [null, 'https://page.test/feed']);
  const stalled = async () => {
    throw Object.assign(new Error('stalled'), { reason: REASON.timeout });
  };
  await assert.rejects(pageReferers.asThePageWould('https://images.test/slow.jpg', stalled), /stalled/, 'any other failure is not asked again');
  const refused = async () => {
    throw Object.assign(new Error('HTTP 403'), { reason: REASON.fetch });
  };
  const started = Date.now();
  await assert.rejects(pageReferers.asThePageWould('https://images.test/cached.jpg', refused), /403/);
  assert.ok(Date.now() - started < 1000, 'where no page request has started, a refusal is not waited on');
});
