// Chromium: Veil's own download of an image carries the Referer the page's own request carried,
// so that a site which serves its images only to its own pages (hotlink protection) serves Veil's
// check too, and a page that sends no Referer gets none sent for it either. The browser shows the
// page's request headers (webRequest, observing only); a declarativeNetRequest session rule sets
// the header on Veil's request for that address alone, for as long as it runs.

import { REASON } from '../protocol.js';
import { changeSessionRules, exactly, leftOverRules, nextRuleId } from './session-rules.js';

const MAX_REMEMBERED = 2_000;
// image url -> the Referer the page sent for it ('' for none), or null while the page's request has
// started and its headers are not seen yet
/** @type {Map<string, string | null>} */
const referers = new Map();
// A download refused before the page's request was seen waits this long for it: its headers are
// seen only once the browser has a connection for it, which can be behind the page's other
// requests to that host. (The frame waits up to 30 s for a verdict: content/ask.js.) One the
// browser answers from its cache may show no headers at all: such a download is given up after it.
const PAGE_REQUEST_WAIT_MS = 10_000;
/** @type {Map<string, {seen: Promise<void>, end: () => void}>} image url -> the wait for the page's request */
const awaitingReferer = new Map();

const available = Boolean(globalThis.chrome?.declarativeNetRequest?.updateSessionRules);

// A stopped service worker's Referer rules served downloads that stopped with it.
void leftOverRules.then((left) => {
  const ids = left.filter(({ action }) => action.type === 'modifyHeaders').map(({ id }) => id);
  if (ids.length) changeSessionRules({ removeRuleIds: ids }).catch(() => {});
});

function remember(url, referer) {
  if (!referers.has(url) && referers.size >= MAX_REMEMBERED) referers.delete(referers.keys().next().value);
  referers.set(url, referer);
}

/** A page started to request `url`: its headers, with its Referer, come once it is sent. */
export function notePageRequest(url) {
  if (!referers.has(url)) remember(url, null);
}

/**
 * Remembers the Referer of a page's image request.
 * @param {{url: string, requestHeaders?: chrome.webRequest.HttpHeader[]}} request
 */
export function rememberReferer({ url, requestHeaders }) {
  remember(url, requestHeaders?.find((header) => header.name.toLowerCase() === 'referer')?.value ?? '');
  awaitingReferer.get(url)?.end();
}

/** Resolves once the page's request for `url` has been seen (at once where none has started), or
 * after PAGE_REQUEST_WAIT_MS. Checks are one per address, so its downloads share one wait. */
function pageRequestSeen(url) {
  if (referers.get(url) !== null) return Promise.resolve();
  if (!awaitingReferer.has(url)) {
    let end;
    const seen = new Promise((resolve) => (end = resolve));
    const timer = setTimeout(() => awaitingReferer.get(url)?.end(), PAGE_REQUEST_WAIT_MS);
    awaitingReferer.set(url, {
      seen,
      end: () => {
        clearTimeout(timer);
        awaitingReferer.delete(url);
        end();
      },
    });
  }
  return awaitingReferer.get(url).seen;
}

/** Runs `read` (Veil's download of `url`) with the page's Referer on it, where one is known. */
export async function asThePageWould(url, read) {
  if (!available) return read();
  if (!referers.get(url)) {
    try {
      return await read();
    } catch (error) {
      // Sent before the page's own request was seen (a frame can ask first, as the page's request
      // waits for a connection): a site that serves its images only to its own pages refused it.
      // Asked once more, as the page asked, once the page's request is seen.
      if (error?.reason !== REASON.fetch) throw error;
      await pageRequestSeen(url);
      if (!referers.get(url)) throw error;
    }
  }
  const id = await nextRuleId();
  const added = await changeSessionRules({
    addRules: [{
      id,
      priority: 2,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'referer', operation: 'set', value: referers.get(url) }] },
      condition: { ...exactly(url), initiatorDomains: [chrome.runtime.id], resourceTypes: ['xmlhttprequest', 'other'] },
    }],
  }).then(() => true, () => false);
  try {
    return await read();
  } finally {
    if (added) changeSessionRules({ removeRuleIds: [id] }).catch(() => {});
  }
}
