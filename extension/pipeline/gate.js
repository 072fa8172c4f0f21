// The pipeline's first step, where the browser allows it (Firefox): each image a page downloads
// is read as it passes (webRequest's stream filter, every byte handed on to the page unchanged),
// so Veil needs no second download of it. Chromium has no such filter: there read.js downloads
// the image again.

import { LIMITS } from './read.js';

const api = typeof browser === 'undefined' ? undefined : browser?.webRequest;
const available = typeof api?.filterResponseData === 'function';
// A copy nobody asked for is dropped after this; one asked for is waited on at most this long.
const KEEP_MS = 60_000;
const WAIT_MS = LIMITS.fetchTimeoutMs;
// A check often comes before the page's own request has started (the content script asks as soon
// as the element exists): it waits this long for that request before downloading the image itself.
const START_GRACE_MS = 300;

const downloads = new Map(); // url -> Promise<Blob | null>
const awaitingStart = new Map(); // url -> resolve, for checks that came first

if (available) {
  api.onBeforeRequest.addListener(readAlong, { urls: ['<all_urls>'], types: ['image', 'imageset'] }, ['blocking']);
}

function readAlong({ requestId, tabId, url }) {
  if (tabId < 0 || downloads.has(url)) return {};
  const filter = api.filterResponseData(requestId);
  const chunks = [];
  let size = 0;
  let finish;
  downloads.set(url, new Promise((resolve) => (finish = resolve)));
  setTimeout(() => downloads.delete(url), KEEP_MS);
  awaitingStart.get(url)?.();
  filter.ondata = ({ data }) => {
    filter.write(data);
    size += data.byteLength;
    // Past the cap Veil keeps nothing; its own read of the URL then says "too large".
    if (size <= LIMITS.maxBytes) chunks.push(data);
    else chunks.length = 0;
  };
  filter.onstop = () => {
    filter.close();
    finish(size <= LIMITS.maxBytes ? new Blob(chunks) : null);
  };
  filter.onerror = () => {
    downloads.delete(url);
    finish(null);
  };
  return {};
}

/** The page's own copy of the image at `url` (a Blob), or null when there is none to wait for. */
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
  const timeout = new Promise((resolve) => setTimeout(resolve, WAIT_MS, null));
  return Promise.race([download, timeout]);
}
