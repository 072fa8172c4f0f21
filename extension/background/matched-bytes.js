// The real bytes of images Firefox's network gate replaced by a placeholder, so that the person's
// confirmed Show can still show them. In this background's memory only, never stored; dropped when
// their tab closes, after HELD_MS, or oldest first past HELD_BYTES. If they are gone (or Firefox
// suspended this background page meanwhile), Show downloads the image once more, as it does in
// Chromium: a request the person's click causes.

import { holdsResponses } from '../pipeline/gate.js';
import { readPageImage } from '../pipeline/read.js';

const HELD_MS = 30 * 60_000;
const HELD_BYTES = 128 * 1024 * 1024;

const held = new Map(); // url -> {blob, tabs: Set<tabId>, timer}, oldest first

export function keepMatchedBytes(url, tabId, blob) {
  const tabs = held.get(url)?.tabs ?? new Set();
  forgetUrl(url);
  tabs.add(tabId);
  held.set(url, { blob, tabs, timer: setTimeout(() => forgetUrl(url), HELD_MS) });
  let total = 0;
  for (const entry of held.values()) total += entry.blob.size;
  for (const [oldest, entry] of held) {
    if (total <= HELD_BYTES) break;
    total -= entry.blob.size;
    forgetUrl(oldest);
  }
}

/**
 * The image's own bytes, after the person chose to see a match whose element may hold a
 * placeholder: Firefox's gate's copy, if this tab's; else, when `wanted` (Chromium's later-paints
 * placeholder) or in Firefox (its copy is gone), a download that the person's click causes.
 */
export async function originalOf(url, tabId, wanted) {
  const entry = held.get(url);
  if (entry?.tabs.has(tabId)) return entry.blob;
  if (!wanted && !holdsResponses) return null;
  const image = await readPageImage(url, true).catch(() => null);
  return image?.blob ?? null;
}

export function forgetTabBytes(tabId) {
  for (const [url, entry] of held) {
    entry.tabs.delete(tabId);
    if (entry.tabs.size === 0) forgetUrl(url);
  }
}

function forgetUrl(url) {
  clearTimeout(held.get(url)?.timer);
  held.delete(url);
}
