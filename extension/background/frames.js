// Each frame's content script talks to the background over one port: its checks, counts and the
// panel's actions come in; the hello, verdicts and recorded reports go out.

import { FRAME_PORT, FROM_FRAME, PANEL_STRINGS, TO_FRAME, VERDICT } from '../protocol.js';
import { knownLimits } from '../shared/wasm.js';
import { checkingOn } from './checking.js';
import { holdBackLaterPaints, releaseLaterPaints } from './known-matches.js';
import { originalOf } from './matched-bytes.js';
import { notePageLoading } from './page-loads.js';
import { engine, rememberNotAMatch } from './protected-list.js';
import { openReport, recordReport } from './reports.js';
import { forgetFrame, setFrameCounts } from './tab-counts.js';
import { mark } from './trace.js';

// Documents that already have the user-level hiding rules (a frame reconnects when the service
// worker wakes again; the rules need inserting once per document).
const userCssDocuments = new Set();

/** tabId/frameId -> the frame's context (see onFrameConnected), while its port is open. */
const connectedFrames = new Map();

/** Sends `message` to a frame's content script, if it is connected and Veil checks it now. */
export async function tellFrame(tabId, frameId, message) {
  const frame = connectedFrames.get(`${tabId}/${frameId}`);
  if (!frame) return;
  const { active, locked } = await frame.state;
  if (active && !locked) frame.send(message);
}

/**
 * Whether Veil checks the images of the document that made a request: known from that document's
 * connected frame, without asking the browser for its tab (an extension call per image request,
 * which a page of hundreds of images queues behind every other); asked where it has not connected.
 * @param {{tabId: number, documentId?: string}} request
 */
export async function checkingForRequest({ tabId, documentId }) {
  const frame = documentId && [...connectedFrames.values()].find((connected) => connected.documentId === documentId);
  const tabUrl = frame?.tabUrl ?? (await chrome.tabs.get(tabId).catch(() => null))?.url;
  return tabUrl ? checkingOn(tabUrl) : { active: false, locked: false };
}

// URLs a frame asked for, as many as this (the oldest forgotten first): its verdict reaches it
// as the answer, so a verdict decided from the page's request need not go to it as well.
const MAX_ASKED = 2_000;

function rememberAsked(frame, url) {
  if (frame.asked.size >= MAX_ASKED) frame.asked.delete(frame.asked.values().next().value);
  frame.asked.add(url);
}

/** Whether the frame (if connected) has asked for `url`. */
export function frameAsked(tabId, frameId, url) {
  return connectedFrames.get(`${tabId}/${frameId}`)?.asked.has(url) ?? false;
}

export function forgetTabDocuments(tabId) {
  for (const key of userCssDocuments) if (key.startsWith(`${tabId}/`)) userCssDocuments.delete(key);
}

/** What a frame's messages do, by type; `frame` is the sender's context (see onFrameConnected). */
const fromFrame = {
  [FROM_FRAME.check]: async (message, frame) => {
    mark(message.url, 'asked');
    rememberAsked(frame, message.url);
    const { active, locked } = await frame.state;
    if (!active || locked) return;
    const verdict = await engine.check(message.url, message.visible, message.source);
    mark(message.url, 'verdict');
    frame.send({ type: TO_FRAME.verdict, url: message.url, verdict });
    if (verdict.state === VERDICT.match && /^https?:/.test(message.url)) holdBackLaterPaints(message.url);
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
  [FROM_FRAME.onScreen]: (message) => {
    for (const url of Array.isArray(message.urls) ? message.urls : []) if (typeof url === 'string') engine.onScreen(url);
  },
  [FROM_FRAME.loaded]: (message, frame) => {
    if (frame.frameId === 0) notePageLoading(frame.documentKey, false);
  },
  [FROM_FRAME.shown]: async (message, frame) => {
    if (!engine.matches.has(message.url)) return;
    await releaseLaterPaints(message.url);
    const original = await originalOf(message.url, frame.tabId, message.wantBytes);
    if (original) frame.send({ type: TO_FRAME.original, url: message.url, dataUrl: await dataUrlOf(original) });
  },
};

/** The person asked to see this image: it goes to their page once, in memory, as a data: URL. */
async function dataUrlOf(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${blob.type || 'application/octet-stream'};base64,${btoa(binary)}`;
}

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
    documentId: port.sender.documentId,
    documentKey: `${tabId}/${frameId}/${port.sender.documentId ?? url}`, // this document's, not the next one's
    asked: new Set(),
    tabUrl: port.sender.tab.url ?? url,
    send: (message) => connected && port.postMessage(message),
    // Whether Veil checks this frame's images. Checks can come before the hello says so: they wait
    // for this, and are dropped where Veil is off or locked (nothing is downloaded for them).
    state: checkingOn(port.sender.tab.url ?? url, { fresh: true }),
  };
  const frameKey = `${tabId}/${frameId}`;
  connectedFrames.set(frameKey, frame);
  // Until it says it has loaded (at once, if it had), a top frame is a page loading.
  if (frameId === 0) notePageLoading(frame.documentKey, true);
  port.onDisconnect.addListener(() => {
    connected = false;
    if (frameId === 0) notePageLoading(frame.documentKey, false);
    if (connectedFrames.get(frameKey) === frame) connectedFrames.delete(frameKey);
    forgetFrame(tabId, frameId);
  });
  port.onMessage.addListener((message) => fromFrame[message?.type]?.(message, frame));

  // Author-level CSS from the manifest hides images before the first paint; the same rules at
  // user level cannot be overridden by the page's own !important styles. Inserted before anything
  // is awaited, so they reach a new frame as early as possible (harmless where Veil is off: the
  // content script then marks every image cleared).
  if (!userCssDocuments.has(frame.documentKey)) {
    userCssDocuments.add(frame.documentKey);
    chrome.scripting
      .insertCSS({ target: { tabId, frameIds: [frameId] }, files: ['content/hide.css'], origin: 'USER' })
      .catch(() => {});
  }
  const { settings, active, locked } = await frame.state;
  // Not waiting for the wasm: a frame that hears nothing soon fails open. Without limits, the frame
  // leaves icons and the blob: cap to the background, which applies them anyway.
  const limits = knownLimits();
  frame.send({ type: TO_FRAME.hello, active, onFailure: settings.onFailure, locked, limits: limits && { iconSide: limits.iconSide, maxBytes: limits.maxBytes }, strings: panelStrings() });
}

let strings = null;
/** PANEL_STRINGS in the person's language, read once for every frame. */
function panelStrings() {
  strings ??= Object.fromEntries(PANEL_STRINGS.map((key) => [key, chrome.i18n.getMessage(key)]));
  return strings;
}
