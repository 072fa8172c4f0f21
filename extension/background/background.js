// Veil's background: holds the protected list's matcher (wasm), answers the content scripts'
// checks over one port per frame, keeps per-tab counts for the popup, and, when the person asks,
// records evidence and opens the place to report. Chrome runs it as a service worker, Firefox as
// an event page.

import { hostOf, newRecord, reportText } from '../shared/evidence.js';
import { directSender } from '../shared/report-apis.js';
import { KEYS, activeOn, loadSettings } from '../shared/settings.js';
import { changedData, lockState, migrate, readProtectedList } from '../shared/store.js';
import { Matcher, reportRoute, wasmReady } from '../shared/wasm.js';
import { addRecords, clearRecords, deleteRecord, findRecord, updateRecord } from './evidence-log.js';
import { prepareFingerprinting } from './fingerprinter.js';
import { VerdictEngine } from './verdicts.js';

let matcherPromise = null;
let notAMatch = new Set();

// Data written by an older Veil is brought up to date before anything reads it.
const migrated = migrate().catch((error) => console.error('Veil: stored data could not be migrated:', error));

function currentMatcher() {
  matcherPromise ??= (async () => {
    await migrated;
    const stored = await chrome.storage.local.get(KEYS.notAMatch);
    notAMatch = new Set(stored[KEYS.notAMatch] || []);
    // Locked (a passphrase, not yet entered this session): frames are told so in their hello and
    // ask for nothing; a check that still comes fails as "not checked", never as clear.
    const text = await readProtectedList();
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
// Load the wasm and the list as the background starts, not when the first image is waiting; and
// where images are decoded elsewhere, open that place too once there is something to match.
currentMatcher().then((matcher) => matcher?.size && prepareFingerprinting(), () => {});

chrome.storage.onChanged.addListener((changes, area) => {
  if (changedData(changes, area).list) {
    matcherPromise?.then((old) => old?.free());
    matcherPromise = null;
    engine.reset();
  } else if (area === 'local' && KEYS.notAMatch in changes) {
    // Only those images are decided again; every other verdict (and match) still holds.
    notAMatch = new Set(changes[KEYS.notAMatch].newValue ?? []);
    for (const url of notAMatch) engine.forget(url);
  }
});

// Per tab, per frame: {checked, hidden, matched: [image URLs]}, kept in memory for the popup's
// figures and its Report button; the popup itself shows numbers only.
const counts = new Map();

function tabCounts(tabId) {
  const total = { checked: 0, hidden: 0 };
  for (const frame of counts.get(tabId)?.values() ?? []) {
    total.checked += frame.checked;
    total.hidden += frame.hidden;
  }
  return total;
}

/**
 * Records one evidence entry per matched image on a page and returns them with the report text.
 * Nothing opens yet: the caller copies the text first, while its document still has the focus.
 */
async function recordReport({ pageUrl, frameUrl, imageUrls, siteLinks }) {
  await wasmReady();
  const records = imageUrls.map((imageUrl) => newRecord({
    pageUrl,
    frameUrl,
    imageUrl,
    distance: engine.matches.get(imageUrl)?.distance,
    route: reportRoute(pageUrl, imageUrl),
    siteLinks,
  }));
  await addRecords(records);
  return { recordId: records[0].id, text: reportText(records), platform: records[0].platform };
}

/**
 * Opens where the report is made, next to the page: the platform's own route; or Veil's report
 * page, for a site with no known route (it finds the site's contacts) and for a platform where the
 * person connected an account to send reports directly.
 */
async function openReport(recordId, openerTabId) {
  const record = await findRecord(recordId);
  if (!record) return;
  const ownPage = !record.routeUrl || (await directSender(record.platformId));
  const url = ownPage ? chrome.runtime.getURL(`report/report.html?record=${encodeURIComponent(record.id)}`) : record.routeUrl;
  const opener = openerTabId == null ? null : await chrome.tabs.get(openerTabId).catch(() => null);
  await chrome.tabs.create({ url, ...(opener ? { openerTabId: opener.id, index: opener.index + 1 } : {}) });
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
  // Whether Veil checks this frame's images. Checks can come before the hello says so: they wait
  // for this, and are dropped where Veil is off or locked (nothing is downloaded for them).
  const frameState = (async () => {
    const settings = await loadSettings();
    const active = activeOn(settings, hostOf(port.sender.tab.url ?? pageUrl));
    return { settings, active, locked: active && (await lockState()) === 'locked' };
  })();

  port.onMessage.addListener(async (message) => {
    switch (message.type) {
      case 'check': {
        const { active, locked } = await frameState;
        if (!active || locked) break;
        const verdict = await engine.check(message.url, message.visible, message.source);
        send({ type: 'verdict', url: message.url, verdict });
        break;
      }
      case 'counts':
        if (!counts.has(tabId)) counts.set(tabId, new Map());
        counts.get(tabId).set(frameId, {
          checked: message.checked,
          hidden: message.hidden,
          matched: (message.matched ?? []).filter((url) => engine.matches.has(url)),
        });
        break;
      case 'report': {
        // Only an image Veil itself matched can be reported: a page cannot fill the log.
        if (!engine.matches.has(message.url)) break;
        const siteLinks = (message.siteLinks ?? []).filter((link) => typeof link === 'string').slice(0, 5);
        const report = await recordReport({ pageUrl: port.sender.tab.url ?? pageUrl, frameUrl: pageUrl, imageUrls: [message.url], siteLinks });
        send({ type: 'reported', url: message.url, ...report });
        break;
      }
      case 'open-report':
        await openReport(message.recordId, tabId);
        break;
      case 'not-a-match':
        await rememberNotAMatch(message.url);
        break;
    }
  });

  // Author-level CSS from the manifest hides images before the first paint; the same rules at
  // user level cannot be overridden by the page's own !important styles. Inserted before anything
  // is awaited, so they reach a new frame as early as possible (harmless where Veil is off: the
  // content script then marks every image cleared).
  const documentKey = `${tabId}/${frameId}/${port.sender.documentId ?? pageUrl}`;
  if (!userCssDocuments.has(documentKey)) {
    userCssDocuments.add(documentKey);
    chrome.scripting
      .insertCSS({ target: { tabId, frameIds: [frameId] }, files: ['content/hide.css'], origin: 'USER' })
      .catch(() => {});
  }
  const { settings, active, locked } = await frameState;
  send({ type: 'hello', active, onFailure: settings.onFailure, locked });
});

// Messages from Veil's own pages (popup, options, evidence, report); content scripts use ports.
const extensionOrigin = chrome.runtime.getURL('');
const pageRequests = {
  'tab-counts': ({ tabId }) => tabCounts(tabId),
  // The popup's Report: every image hidden as a match on the tab, in one report.
  'report-tab': async ({ tabId }) => {
    const tab = await chrome.tabs.get(tabId);
    const imageUrls = [...new Set([...(counts.get(tabId)?.values() ?? [])].flatMap((frame) => frame.matched))];
    return imageUrls.length ? recordReport({ pageUrl: tab.url, imageUrls, siteLinks: [] }) : null;
  },
  'open-report': ({ recordId, tabId }) => openReport(recordId, tabId),
  'hide-all': ({ tabId }) => toggleHideAll(tabId),
  'all-hidden': ({ tabId }) => allHidden.has(tabId),
  'evidence-update': ({ id, changes }) => updateRecord(id, changes),
  'evidence-delete': ({ id }) => deleteRecord(id),
  'evidence-clear': () => clearRecords(),
};

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  const handle = pageRequests[message?.type];
  if (!handle || sender.id !== chrome.runtime.id || !sender.url?.startsWith(extensionOrigin)) return false;
  Promise.resolve(handle(message)).then(
    (result) => reply({ ok: true, result: result ?? null }),
    (error) => reply({ ok: false, error: String(error?.message ?? error) }),
  );
  return true; // the reply comes asynchronously
});

// ---- Safety: hide every image on a tab at once, and a neutral toolbar button ----------------

// Tabs where the person hid every image; the rules go when they show them again or navigate.
const allHidden = new Set();

async function toggleHideAll(tabId) {
  const target = { tabId, allFrames: true };
  const hiding = !allHidden.has(tabId);
  if (hiding) {
    await chrome.scripting.insertCSS({ target, files: ['content/hide-all.css'], origin: 'USER' });
    allHidden.add(tabId);
  } else {
    await chrome.scripting.removeCSS({ target, files: ['content/hide-all.css'], origin: 'USER' });
    allHidden.delete(tabId);
  }
  return hiding;
}
chrome.tabs.onUpdated.addListener((tabId, { status }) => status === 'loading' && allHidden.delete(tabId));
chrome.tabs.onRemoved.addListener((tabId) => allHidden.delete(tabId));

// Firefox for Android has no keyboard shortcuts (no chrome.commands): the popup's button remains.
chrome.commands?.onCommand.addListener(async (command, tab) => {
  if (command !== 'hide-all-images') return;
  const tabId = tab?.id ?? (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId != null) await toggleHideAll(tabId).catch(() => {});
});

/** The toolbar button as the person chose: Veil's own, or a plain grey one named "Page tools". */
async function applyToolbarLook() {
  const { neutralToolbar } = await loadSettings();
  await chrome.action.setIcon({ path: neutralToolbar ? { 16: '/icons/neutral-16.png', 32: '/icons/neutral-32.png' } : { 16: '/icons/veil-16.png', 32: '/icons/veil-32.png' } });
  await chrome.action.setTitle({ title: chrome.i18n.getMessage(neutralToolbar ? 'neutralTitle' : 'extName') });
}
applyToolbarLook().catch(() => {});
chrome.storage.onChanged.addListener((changes, area) => area === 'local' && KEYS.settings in changes && applyToolbarLook());

// A new install opens the welcome page: what Veil does, then the first step, protecting images.
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') chrome.tabs.create({ url: chrome.runtime.getURL('welcome/welcome.html') });
});
