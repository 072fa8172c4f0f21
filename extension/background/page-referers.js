// Chromium: Veil's own download of an image carries the Referer the page's own request carried,
// so that a site which serves its images only to its own pages (hotlink protection) serves Veil's
// check too, and a page that sends no Referer gets none sent for it either. The browser shows the
// page's request headers (webRequest, observing only); a declarativeNetRequest session rule sets
// the header on Veil's request for that address alone, for as long as it runs.

import { changeSessionRules, exactly, leftOverRules, nextRuleId } from './session-rules.js';

const MAX_REMEMBERED = 2_000;
const referers = new Map(); // image url -> the Referer the page sent for it ('' for none)

const available = () => Boolean(globalThis.chrome?.declarativeNetRequest?.updateSessionRules);

// A stopped service worker's Referer rules served downloads that stopped with it.
void leftOverRules.then((left) => {
  const ids = left.filter(({ action }) => action.type === 'modifyHeaders').map(({ id }) => id);
  if (ids.length) changeSessionRules({ removeRuleIds: ids }).catch(() => {});
});

/**
 * Remembers the Referer of a page's image request.
 * @param {{url: string, requestHeaders?: chrome.webRequest.HttpHeader[]}} request
 */
export function rememberReferer({ url, requestHeaders }) {
  const referer = requestHeaders?.find((header) => header.name.toLowerCase() === 'referer')?.value ?? '';
  if (referers.size >= MAX_REMEMBERED) referers.delete(referers.keys().next().value);
  referers.set(url, referer);
}

/** Runs `read` (Veil's download of `url`) with the page's Referer on it, where one is known. */
export async function asThePageWould(url, read) {
  const referer = referers.get(url);
  if (!referer || !available()) return read();
  const id = await nextRuleId();
  const added = await changeSessionRules({
    addRules: [{
      id,
      priority: 2,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'referer', operation: 'set', value: referer }] },
      condition: { ...exactly(url), initiatorDomains: [chrome.runtime.id], resourceTypes: ['xmlhttprequest', 'other'] },
    }],
  }).then(() => true, () => false);
  try {
    return await read();
  } finally {
    if (added) changeSessionRules({ removeRuleIds: [id] }).catch(() => {});
  }
}
