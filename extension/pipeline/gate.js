// The pipeline's first step, where the browser allows it (Firefox): each image response a page
// receives is held in webRequest's stream filter until Veil has decided on its own bytes. A clear
// image is then handed on unchanged and a match is replaced by a placeholder (placeholder.js), so
// every way a page can paint a network image (CSS of any kind, pseudo-elements, canvas, SVG,
// <object>/<embed>, a top-level image) gets the verdict, and Veil needs no second download.
// Chromium has no such filter: there read.js downloads the image again and the DOM decides.

import { VERDICT, REASON } from '../protocol.js';
import { coreLimits, imageHeader } from '../shared/wasm.js';
import { placeholderPng, placeholderSvg } from './placeholder.js';
import { Unchecked, isIcon, sniffHeader } from './read.js';

const api = typeof browser === 'undefined' ? undefined : browser?.webRequest;
const available = typeof api?.filterResponseData === 'function';
/** Whether this browser lets Veil hold image responses (Firefox). */
export const holdsResponses = available;

// Requests for images, and the documents that can turn out to be one (a top-level image, a frame's
// or an <object>/<embed>'s): those are held only when their response says it is a raster image.
const IMAGE_TYPES = ['image', 'imageset'];
const DOCUMENT_TYPES = ['main_frame', 'sub_frame', 'object'];
const REDIRECTS = [301, 302, 303, 307, 308];
// A response is never held longer than this after its last sign of progress (its request, then
// its latest bytes): a slow download is waited for as long as it moves. Past it, or past
// the size cap, the bytes go to the page unchecked and the frame's own check says "not checked".
const HOLD_AFTER_PROGRESS_MS = 10_000;
// The page's copy, for the frame's own check of the same URL, is dropped after this if unasked.
const KEEP_MS = 60_000;
// The core's limits (the cap on an image's bytes, an icon's size, how far a header may reach), once
// the wasm has loaded (it does as the background starts).
let limits = { maxBytes: Infinity, iconSide: 0, headerBytes: 0 };
coreLimits().then((core) => (limits = core), () => {});
// A check often comes before the page's own request has started (the content script asks as soon
// as the element exists): it waits this long for that request before downloading the image itself.
const START_GRACE_MS = 300;

const requests = new Map(); // requestId -> {requestId, url, settle, timer, done}, until its response's end
const downloads = new Map(); // url -> Promise<Blob | Unchecked | null>: the page's copy, for its check
const awaitingStart = new Map(); // url -> resolve, for checks that came first
const latest = new Map(); // url -> the record of its latest request, while that is under way

/**
 * Starts holding image responses (Firefox only; elsewhere nothing happens).
 * @param {{
 *   wouldCheck: (pageUrl: string, url: string) => Promise<boolean>,
 *   decide: (url: string, blob: Blob) => Promise<import('../protocol.js').Verdict>,
 *   matched: (url: string, tabId: number, blob: Blob) => void,
 * }} gate  whether Veil checks images on a page now; the verdict on an image's bytes; where the
 *   bytes of a match are kept for the person's Show
 */
export function startGate(gate) {
  if (!available) return;
  const all = { urls: ['<all_urls>'] };
  // Images are held from their request on: a filter made then also sees a response from the HTTP
  // cache, and follows redirects. A document is held once its headers say it is an image.
  api.onBeforeRequest.addListener((details) => {
    if (details.tabId >= 0) gateResponse(details, gate);
    return {};
  }, { ...all, types: IMAGE_TYPES }, ['blocking']);
  api.onHeadersReceived.addListener((details) => {
    const { tabId, statusCode, responseHeaders } = details;
    if (tabId < 0 || REDIRECTS.includes(statusCode)) return {};
    if (isRasterImage(responseHeaders)) gateResponse(details, gate);
    else if (details.type === 'object' && !contentType(responseHeaders).startsWith('image/')) knowDocument(details.url, responseHeaders);
    return {};
  }, { ...all, types: DOCUMENT_TYPES }, ['blocking', 'responseHeaders']);
  api.onErrorOccurred.addListener(({ requestId }) => finish(requests.get(requestId), null), { ...all, types: [...IMAGE_TYPES, ...DOCUMENT_TYPES] });
}

/**
 * One response of a tab (tabId -1 is Veil's own downloads, or a page's service worker: see the
 * README): the frame's check of its URL, if it comes first, waits for it; it is held, and let go
 * as soon as it is known that Veil does not check this page's images.
 */
function gateResponse(details, gate) {
  const { requestId, tabId, url } = details;
  const record = { requestId, url, settle: null, timer: 0, done: false };
  const copy = new Promise((resolve) => (record.settle = resolve));
  requests.set(requestId, record);
  // A check still waiting on an earlier request of the same URL (the page was reloaded, say) gets
  // this one's outcome instead (a promise settles once: the earlier outcome is then ignored).
  latest.get(url)?.settle(copy);
  latest.set(url, record);
  downloads.set(url, copy);
  setTimeout(() => downloads.get(url) === copy && downloads.delete(url), KEEP_MS);
  awaitingStart.get(url)?.();
  hold(api.filterResponseData(requestId), record, gate.wouldCheck(pageUrlOf(details), url), gate, tabId);
}

/** Restarts the record's bounded wait: `expired` runs after HOLD_AFTER_PROGRESS_MS without progress. */
function progressed(record, expired) {
  clearTimeout(record.timer);
  record.timer = setTimeout(expired, HOLD_AFTER_PROGRESS_MS);
}

/** The response's end for the frame's check: its bytes, why they cannot be checked, or null. */
function finish(record, copy) {
  if (!record || record.done) return;
  record.done = true;
  clearTimeout(record.timer);
  record.settle(copy);
  requests.delete(record.requestId);
  if (latest.get(record.url) === record) latest.delete(record.url);
}

const contentType = (headers = []) => headers.find((h) => h.name.toLowerCase() === 'content-type')?.value?.toLowerCase() ?? '';

function isRasterImage(headers) {
  const type = contentType(headers);
  return type.startsWith('image/') && !type.startsWith('image/svg');
}

/**
 * An <object>/<embed> showing a document (a page, a PDF; the DOM layer hides it until checked):
 * its check gets an empty copy of that type, which says there is no image to check, rather than
 * a second download. (An SVG one is read and drawn by the check, as any SVG image is.)
 */
function knowDocument(url, headers) {
  const copy = Promise.resolve(new Blob([], { type: contentType(headers) }));
  downloads.set(url, copy);
  setTimeout(() => downloads.get(url) === copy && downloads.delete(url), KEEP_MS);
  awaitingStart.get(url)?.();
}

/** The top-level page a request belongs to: its site decides whether Veil is on. */
function pageUrlOf({ type, url, frameAncestors, documentUrl }) {
  if (type === 'main_frame') return url;
  return frameAncestors?.at(-1)?.url ?? documentUrl ?? '';
}

/** Holds the response's bytes until they are decided; `checking`: whether Veil checks them at all. */
function hold(filter, record, checking, gate, tabId) {
  const chunks = [];
  let size = 0;
  let passed = false;
  let started = false;
  // The bytes so far to the page, and the rest as they come, unchecked by the gate (a filter can
  // only let go once its response has started).
  const letGo = () => {
    try {
      for (const data of chunks) filter.write(data);
      filter.disconnect();
    } catch {
      filter.close(); // its data has all come already: end it with what was written
    }
  };
  const pass = (copy) => {
    if (passed) return;
    passed = true;
    finish(record, copy);
    if (started) letGo();
  };
  filter.onstart = () => {
    started = true;
    if (passed) letGo();
  };
  // Nothing at all yet: the check reads the image itself. Part of it: that part is all it gets.
  const stalled = () => pass(size === 0 ? null : new Unchecked(REASON.timeout, 'the download stalled')); // developer-facing
  const release = (parts) => {
    for (const data of parts) filter.write(data);
    filter.close();
  };
  // An icon or a sprite (its header, in the first bytes, says so) is not checked: it goes to the page
  // as its bytes come instead of waiting for its end. `head`: the bytes so far, until the header is read.
  let head = /** @type {Uint8Array | null} */ (new Uint8Array(0));
  const declaresIcon = (data) => {
    const bytes = new Uint8Array(head.length + data.byteLength);
    bytes.set(head);
    bytes.set(new Uint8Array(data), head.length);
    const header = limits.iconSide ? imageHeader(bytes) : null;
    head = header?.width || bytes.length >= limits.headerBytes ? null : bytes;
    return isIcon(header, limits);
  };
  progressed(record, stalled);
  const known = Promise.resolve(checking).catch(() => true); // in doubt, check
  known.then((on) => on || pass(null));
  filter.ondata = ({ data }) => {
    chunks.push(data);
    size += data.byteLength;
    if (size > limits.maxBytes) pass(new Unchecked(REASON.tooLarge, `over ${limits.maxBytes} bytes`)); // developer-facing
    else if (head && declaresIcon(data)) pass(new Blob(chunks)); // the frame's check finds an icon in these bytes
    else progressed(record, stalled);
  };
  filter.onstop = async () => {
    const lastProgress = Date.now();
    await known; // if Veil does not check here, pass() has run first
    if (passed) return;
    // A request the page dropped (it navigated, or its image cache took over) ends with no bytes:
    // there is nothing to decide, and a check waiting on it gets the page's next request of the
    // URL, if one starts soon, or reads the image itself.
    if (record.done || size === 0) {
      setTimeout(() => finish(record, null), START_GRACE_MS);
      return release(chunks);
    }
    const blob = new Blob(chunks);
    finish(record, blob);
    const verdict = await within(gate.decide(record.url, blob), lastProgress + HOLD_AFTER_PROGRESS_MS - Date.now());
    if (verdict?.state !== VERDICT.match) return release(chunks);
    gate.matched(record.url, tabId, blob);
    let placeholder = [];
    try {
      placeholder = [await (await placeholderFor(blob)).arrayBuffer()];
    } catch {
      // An empty response: the page gets a broken image, never the match.
    }
    release(placeholder);
  };
  filter.onerror = () => finish(record, null);
}

/** `promise`'s value, or null once `ms` have passed. */
function within(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, Math.max(0, ms), null))]);
}

/** A placeholder of the image's own declared size (see placeholder.js). */
async function placeholderFor(blob) {
  const header = await sniffHeader(blob).catch(() => null);
  if (header?.format === 'svg') return placeholderSvg();
  return placeholderPng(header?.width || 1, header?.height || 1);
}

/**
 * The page's own copy of the image at `url` (a Blob), null when there is none to wait for, or
 * Unchecked when the gate passed it on unchecked (too large, or its download stopped moving).
 */
export async function pageDownload(url) {
  if (!available || !/^https?:/.test(url)) return null;
  if (!downloads.has(url) && !awaitingStart.has(url)) {
    await new Promise((resolve) => {
      const started = () => {
        clearTimeout(timer);
        awaitingStart.delete(url);
        resolve();
      };
      const timer = setTimeout(started, START_GRACE_MS);
      awaitingStart.set(url, started);
    });
  }
  const download = downloads.get(url);
  if (!download) return null;
  downloads.delete(url);
  const copy = await download;
  if (copy instanceof Unchecked) throw copy;
  return copy;
}
