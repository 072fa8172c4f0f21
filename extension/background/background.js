// Veil's background: holds the protected list's matcher (wasm), answers the content scripts'
// checks over one port per frame, keeps per-tab counts for the popup, and records evidence when
// the person asks. Chrome runs it as a service worker, Firefox as an event page.

import { KEYS, activeOn, loadSettings } from '../shared/settings.js';
import { Matcher, wasmReady } from '../shared/wasm.js';
import { VerdictEngine } from './verdicts.js';

let matcherPromise = null;
let notAMatch = new Set();

function currentMatcher() {
  matcherPromise ??= (async () => {
    const stored = await chrome.storage.local.get([KEYS.protectedList, KEYS.notAMatch]);
    notAMatch = new Set(stored[KEYS.notAMatch] || []);
    const text = stored[KEYS.protectedList];
    if (!text) return null;
    await wasmReady();
    try {
      return new Matcher(text);
    } catch (error) {
      // The options page validates before saving, so this means storage was damaged.
      console.error('Veil: the stored protected list cannot be read:', error);
      return null;
    }
  })();
  return matcherPromise;
}

const engine = new VerdictEngine(currentMatcher, (url) => notAMatch.has(url));
// Load the wasm and the list as the background starts, not when the first image is waiting.
currentMatcher();

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (KEYS.protectedList in changes || KEYS.notAMatch in changes) {
    matcherPromise?.then((old) => old?.free());
    matcherPromise = null;
    engine.reset();
  }
});

// Per tab, per frame: {checked, hidden}. Only numbers: the popup shows no images, no URLs.
const counts = new Map();

function tabCounts(tabId) {
  const total = { checked: 0, hidden: 0 };
  for (const frame of counts.get(tabId)?.values() ?? []) {
    total.checked += frame.checked;
    total.hidden += frame.hidden;
  }
  return total;
}


function hostnameOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

async function recordEvidence({ imageUrl, pageUrl }) {
  const match = engine.matches.get(imageUrl);
  const record = {
    id: crypto.randomUUID(),
    recordedAt: new Date().toISOString(),
    pageUrl,
    imageUrl,
    distance: match?.distance ?? null,
    status: 'recorded',
  };
  const { [KEYS.evidence]: log = [] } = await chrome.storage.local.get(KEYS.evidence);
  await chrome.storage.local.set({ [KEYS.evidence]: [...log, record] });
  return record.id;
}

async function rememberNotAMatch(url) {
  const { [KEYS.notAMatch]: urls = [] } = await chrome.storage.local.get(KEYS.notAMatch);
  if (!urls.includes(url)) await chrome.storage.local.set({ [KEYS.notAMatch]: [...urls, url] });
}

// Documents that already have the user-level hiding rules (a frame reconnects when the service
// worker wakes again; the rules need inserting once per document).
const userCssDocuments = new Set();
chrome.tabs.onRemoved.addListener((tabId) => {
  counts.delete(tabId);
  for (const key of userCssDocuments) if (key.startsWith(`${tabId}/`)) userCssDocuments.delete(key);
});

chrome.runtime.onConnect.addListener(async (port) => {
  if (port.name !== 'veil-frame' || !port.sender?.tab) return;
  const tabId = port.sender.tab.id;
  const frameId = port.sender.frameId ?? 0;
  const pageUrl = port.sender.url ?? '';
  let connected = true;
  port.onDisconnect.addListener(() => {
    connected = false;
    // The frame navigated or closed: its images are no longer on the tab.
    counts.get(tabId)?.delete(frameId);
  });
  const send = (message) => connected && port.postMessage(message);

  port.onMessage.addListener(async (message) => {
    switch (message.type) {
      case 'check': {
        const verdict = await engine.check(message.url, message.visible, message.source);
        send({ type: 'verdict', url: message.url, verdict });
        break;
      }
      case 'counts':
        if (!counts.has(tabId)) counts.set(tabId, new Map());
        counts.get(tabId).set(frameId, { checked: message.checked, hidden: message.hidden });
        break;
      case 'report':
        send({ type: 'reported', url: message.url, recordId: await recordEvidence({ imageUrl: message.url, pageUrl }) });
        break;
      case 'not-a-match':
        await rememberNotAMatch(message.url);
        break;
    }
  });

  const settings = await loadSettings();
  const active = activeOn(settings, hostnameOf(port.sender.tab.url ?? pageUrl));
  const documentKey = `${tabId}/${frameId}/${port.sender.documentId ?? pageUrl}`;
  if (active && !userCssDocuments.has(documentKey)) {
    userCssDocuments.add(documentKey);
    // Author-level CSS from the manifest hides images before the first paint; the same rules at
    // user level cannot be overridden by the page's own !important styles.
    chrome.scripting
      .insertCSS({ target: { tabId, frameIds: [frameId] }, files: ['content/hide.css'], origin: 'USER' })
      .catch(() => {});
  }
  send({ type: 'hello', active, onFailure: settings.onFailure });
});

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message?.type === 'tab-counts') {
    reply(tabCounts(message.tabId));
  }
});

// A new install opens the options page: protecting images is the first thing to do.
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') chrome.runtime.openOptionsPage();
});
