// Each frame's content script talks to the background over one port: its checks, counts and the
// panel's actions come in; the hello, verdicts and recorded reports go out.

import { FRAME_PORT, FROM_FRAME, TO_FRAME } from '../protocol.js';
import { activeOn, loadSettings } from '../shared/settings.js';
import { lockState } from '../shared/store.js';
import { hostOf } from '../shared/urls.js';
import { engine, rememberNotAMatch } from './protected-list.js';
import { openReport, recordReport } from './reports.js';
import { forgetFrame, setFrameCounts } from './tab-counts.js';

// Documents that already have the user-level hiding rules (a frame reconnects when the service
// worker wakes again; the rules need inserting once per document).
const userCssDocuments = new Set();

export function forgetTabDocuments(tabId) {
  for (const key of userCssDocuments) if (key.startsWith(`${tabId}/`)) userCssDocuments.delete(key);
}

/** What a frame's messages do, by type; `frame` is the sender's context (see onFrameConnected). */
const fromFrame = {
  [FROM_FRAME.check]: async (message, frame) => {
    const { active, locked } = await frame.state;
    if (!active || locked) return;
    const verdict = await engine.check(message.url, message.visible, message.source);
    frame.send({ type: TO_FRAME.verdict, url: message.url, verdict });
  },
  [FROM_FRAME.counts]: (message, frame) => setFrameCounts(frame.tabId, frame.frameId, {
    checked: message.checked,
    hidden: message.hidden,
    matched: (message.matched ?? []).filter((url) => engine.matches.has(url)),
  }),
  [FROM_FRAME.report]: async (message, frame) => {
    // Only an image Veil itself matched can be reported: a page cannot fill the log.
    if (!engine.matches.has(message.url)) return;
    const siteLinks = (message.siteLinks ?? []).filter((link) => typeof link === 'string').slice(0, 5);
    const report = await recordReport({ pageUrl: frame.tabUrl, frameUrl: frame.url, imageUrls: [message.url], siteLinks });
    frame.send({ type: TO_FRAME.reported, url: message.url, ...report });
  },
  [FROM_FRAME.openReport]: (message, frame) => openReport(message.recordId, frame.tabId),
  [FROM_FRAME.notAMatch]: (message) => rememberNotAMatch(message.url),
};

/** @param {chrome.runtime.Port} port */
export async function onFrameConnected(port) {
  if (port.name !== FRAME_PORT || !port.sender?.tab) return;
  const tabId = port.sender.tab.id;
  const frameId = port.sender.frameId ?? 0;
  const url = port.sender.url ?? '';
  let connected = true;
  const frame = {
    tabId,
    frameId,
    url,
    tabUrl: port.sender.tab.url ?? url,
    send: (message) => connected && port.postMessage(message),
    // Whether Veil checks this frame's images. Checks can come before the hello says so: they wait
    // for this, and are dropped where Veil is off or locked (nothing is downloaded for them).
    state: (async () => {
      const settings = await loadSettings();
      const active = activeOn(settings, hostOf(port.sender.tab.url ?? url));
      return { settings, active, locked: active && (await lockState()) === 'locked' };
    })(),
  };
  port.onDisconnect.addListener(() => {
    connected = false;
    forgetFrame(tabId, frameId);
  });
  port.onMessage.addListener((message) => fromFrame[message?.type]?.(message, frame));

  // Author-level CSS from the manifest hides images before the first paint; the same rules at
  // user level cannot be overridden by the page's own !important styles. Inserted before anything
  // is awaited, so they reach a new frame as early as possible (harmless where Veil is off: the
  // content script then marks every image cleared).
  const documentKey = `${tabId}/${frameId}/${port.sender.documentId ?? url}`;
  if (!userCssDocuments.has(documentKey)) {
    userCssDocuments.add(documentKey);
    chrome.scripting
      .insertCSS({ target: { tabId, frameIds: [frameId] }, files: ['content/hide.css'], origin: 'USER' })
      .catch(() => {});
  }
  const { settings, active, locked } = await frame.state;
  frame.send({ type: TO_FRAME.hello, active, onFailure: settings.onFailure, locked });
}
