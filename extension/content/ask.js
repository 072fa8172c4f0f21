// ask.js: the frame's one port to the background: checks asked, verdicts received, the hello that
// says whether Veil is on here, and failing open when Veil is unavailable or locked.
'use strict';

// An image still waiting this long after the page itself has it gets the "not checked" control
// (while the page's own download goes on, Veil's is not late).
const VERDICT_TIMEOUT_MS = 30_000;
// If the background does not answer this fast, Veil is unavailable: fail open (or as set).
const HELLO_TIMEOUT_MS = 3_000;

const connection = {
  /** @type {chrome.runtime.Port | null} */
  port: null,
  /** The background's hello, once it came: {active, locked, onFailure}. */
  hello: null,
  /** URLs asked and not yet answered -> when asked. */
  requested: new Map(),
  /** URLs asked over the current port (a new port asks again). */
  askedOnPort: new Set(),
  /** Once Veil is unavailable or locked: how undecided images settle (clear or error). */
  failedOpen: null,
  /** The first hello's words for panels and notices, kept once the background is gone. */
  strings: null,
};

// Asked at once, without waiting for the hello: the background holds a check until it knows
// whether Veil is on for this page, and drops it if not.
function ask(url, visible) {
  connection.requested.set(url, Date.now());
  postCheck(url, visible);
}

const pageSources = new Map(); // URL -> Promise<data: URL>, of the bytes the page itself gets

/**
 * Whether only this script can read the bytes the page gets for `url`: a page's blob: URL belongs
 * to its origin, and a page its own service worker controls may be answered by that worker with
 * other bytes than the network gives the background (for its own origin's images, which this
 * script can read as the page got them: `pageCopy`, in the platform shim).
 */
function readInPage(url) {
  if (url.startsWith('blob:')) return true;
  return Boolean(navigator.serviceWorker?.controller) && new URL(url).origin === location.origin;
}

/** The bytes the page gets for `url`, as a data: URL for the background (capped as the core caps
 * any image, once the hello says how much). */
function pageCopyAsDataUrl(url) {
  if (!pageSources.has(url)) {
    pageSources.set(url, pageCopy(url).then((blob) => {
      if (blob.size > (connection.hello?.limits?.maxBytes ?? Infinity)) throw new Error('too large'); // developer-facing: shown as not checked
      return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(blob);
      });
    }));
  }
  return pageSources.get(url);
}

async function postCheck(url, visible) {
  const message = { type: FROM_FRAME.check, url, visible };
  if (readInPage(url)) {
    try {
      message.source = await pageCopyAsDataUrl(url);
    } catch {
      receiveVerdict(url, { state: VERDICT.error, reason: REASON.fetch });
      return;
    }
  }
  if (!connection.port || connection.askedOnPort.has(url)) return;
  connection.askedOnPort.add(url);
  connection.port.postMessage(message);
}

/** Sends a message to the background if it is there; false when it is not. */
function tell(message) {
  if (!connection.port) return false;
  connection.port.postMessage(message);
  return true;
}

const fromBackground = {
  [TO_FRAME.hello]: (message) => {
    connection.hello = message;
    connection.strings ??= message.strings;
    reportCounts();
    if (!message.active) {
      settleAllWaiting(STATUS.clear);
      return;
    }
    // Locked by the person's passphrase: nothing can be checked until they unlock.
    if (message.locked) {
      failOpen();
      return;
    }
    for (const [url, element] of pendingRequests()) postCheck(url, isNearScreen(element));
  },
  [TO_FRAME.verdict]: ({ url, verdict }) => receiveVerdict(url, verdict),
  [TO_FRAME.reported]: (message) => finishReport(message),
  [TO_FRAME.original]: (message) => showOriginal(message),
  [TO_FRAME.imageRequested]: ({ url }) => onImageRequested(url),
};

function connect() {
  connection.askedOnPort = new Set();
  connection.port = null;
  try {
    connection.port = chrome.runtime.connect({ name: FRAME_PORT });
  } catch {
    failOpen();
    return;
  }
  const helloTimer = setTimeout(() => connection.hello || failOpen(), HELLO_TIMEOUT_MS);
  if (document.readyState === 'complete') connection.port.postMessage({ type: FROM_FRAME.loaded });
  connection.port.onMessage.addListener((message) => {
    if (message.type === TO_FRAME.hello) clearTimeout(helloTimer);
    fromBackground[message.type]?.(message);
  });
  connection.port.onDisconnect.addListener(() => {
    clearTimeout(helloTimer);
    connection.hello = null;
    connection.port = null;
    // A service worker that went idle disconnects; reconnecting wakes it. A removed or
    // reloaded extension has no runtime left: fail open.
    if (chrome.runtime?.id) connect();
    else failOpen();
  });
}

// The background defers checks of images not on screen while a page loads (a reconnected port says
// so again, in connect).
addEventListener('load', () => tell({ type: FROM_FRAME.loaded }), { once: true });

function* pendingRequests() {
  for (const url of connection.requested.keys()) {
    const element = waitingFor.get(url)?.values().next().value;
    if (element) yield [url, element];
  }
}

/** Veil is unavailable: nothing it has not decided stays hidden, unless the person chose so. */
function failOpen() {
  if (connection.failedOpen) return;
  const keepHidden = connection.hello?.onFailure === 'hidden';
  connection.failedOpen = keepHidden ? STATUS.error : STATUS.clear;
  const undecided = [...document.querySelectorAll(CANDIDATES)]
    .filter((element) => elements.get(element)?.status === STATUS.pending || elements.get(element)?.status === STATUS.error);
  for (const element of undecided) settle(element, connection.failedOpen);
  waitingFor.clear();
  connection.requested.clear();
  const notice = connection.hello?.locked ? 'noticeLocked' : 'noticeUnavailable';
  if (undecided.length > 0) showPageNotice(`${notice}${keepHidden ? 'Hidden' : 'Shown'}`);
}

/** Whether the page is still downloading the image at `url` for one of its elements. */
function pageStillLoading(url) {
  return [...(waitingFor.get(url) ?? [])].some((element) => element instanceof HTMLImageElement && !element.complete);
}

// Images waiting far too long get the "not checked" control rather than staying blank.
setInterval(() => {
  const now = Date.now();
  for (const [url, since] of connection.requested) {
    if (pageStillLoading(url)) connection.requested.set(url, now);
    else if (now - since > VERDICT_TIMEOUT_MS) receiveVerdict(url, { state: VERDICT.error, reason: REASON.timeout });
  }
}, 2_000);

let countsTimer = null;
function reportCounts() {
  if (countsTimer) return;
  countsTimer = setTimeout(() => {
    countsTimer = null;
    if (connection.hello) tell({ type: FROM_FRAME.counts, ...counted, matched: matchedUrls() });
  }, 300);
}

// Settings changed in the popup or options page: the background re-evaluates this frame on a
// fresh connection.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.settings && connection.port) {
    connection.port.disconnect();
    connection.hello = null;
    connect();
  }
});
