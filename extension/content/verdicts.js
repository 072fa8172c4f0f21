// verdicts.js: what Veil knows of each element and each URL in this frame, and how a URL's
// verdict settles the elements that paint it. Everything stays in this isolated world.
'use strict';

/** @type {WeakMap<Element, {urls: string[], status: string, overlay?: Element}>} */
const elements = new WeakMap();
const awaitingLoad = new WeakSet(); // images whose source changed: decided when it loads
const unloadable = new WeakSet(); // images the browser itself failed to load: nothing to paint
const verdicts = new Map(); // url -> {state, reason?}
const waitingFor = new Map(); // url -> Set<Element>
const notMatches = new Set(); // URLs the person said are not theirs: not offered for reporting
const counted = { checked: 0, hidden: 0 };

/** Undoes what an element's current status put on the page and in the counts. */
function leaveStatus(entry) {
  if (entry.status === STATUS.match) counted.hidden--;
  entry.overlay?.remove();
  entry.overlay = undefined;
}

function settle(element, status) {
  const entry = elements.get(element);
  if (!entry || entry.status === status) return;
  leaveStatus(entry);
  entry.status = status;
  if (status === STATUS.match) counted.hidden++;
  if (status === STATUS.clear || status === STATUS.match) counted.checked++;
  if (status !== STATUS.pending) unwatchNearScreen(element);
  if (status === STATUS.clear || status === STATUS.shown) reveal(element);
  if (status === STATUS.match || status === STATUS.error) entry.overlay = panelFor(element, status, entry);
  reportCounts();
}

/** Hides an element again and drops what Veil knew about it. */
function forget(element) {
  const entry = elements.get(element);
  if (!entry) return;
  leaveStatus(entry);
  conceal(element);
  elements.delete(element);
}

function consider(element) {
  if (awaitingLoad.has(element) || showsOwnSource(element)) return;
  const urls = isIcon(element) || unloadable.has(element) ? [] : urlsOf(element);
  if (urls === null) return; // waits for its load event
  const entry = elements.get(element);
  const same = entry && entry.urls.length === urls.length && entry.urls.every((u, i) => u === urls[i]);
  if (same) return;
  // A changed source is a new image: hide it again until it is checked.
  forget(element);
  elements.set(element, { urls, status: STATUS.pending });
  if (urls.length === 0 || connection.failedOpen || connection.hello?.active === false) {
    settle(element, urls.length > 0 && connection.failedOpen ? connection.failedOpen : STATUS.clear);
    return;
  }
  for (const url of urls) {
    if (verdicts.has(url)) continue;
    if (!waitingFor.has(url)) waitingFor.set(url, new Set());
    waitingFor.get(url).add(element);
    if (!connection.requested.has(url)) ask(url, isNearScreen(element));
  }
  decide(element);
  if (elements.get(element)?.status === STATUS.pending) watchNearScreen(element);
}

/** Combines the element's URL verdicts: any match hides it, any failure leaves it unchecked. */
function decide(element) {
  const entry = elements.get(element);
  if (!entry || entry.status !== STATUS.pending) return;
  const states = entry.urls.map((url) => verdicts.get(url)?.state);
  if (states.includes(VERDICT.match)) settle(element, STATUS.match);
  else if (states.includes(undefined)) return;
  else if (states.includes(VERDICT.error)) settle(element, STATUS.error);
  else settle(element, STATUS.clear);
}

function receiveVerdict(url, verdict) {
  verdicts.set(url, verdict);
  if (verdict.state === VERDICT.match) findPaintersOfMatch(url);
  connection.requested.delete(url);
  for (const element of waitingFor.get(url) ?? []) {
    const entry = elements.get(element);
    if (entry?.urls.includes(url)) decide(element);
  }
  waitingFor.delete(url);
}

/** Settles every element still waiting, as `status` (Veil is off here, or unavailable). */
function settleAllWaiting(status) {
  const settled = [];
  for (const elementsForUrl of waitingFor.values()) {
    for (const element of elementsForUrl) {
      if (elements.get(element)?.status !== STATUS.pending) continue;
      settle(element, status);
      settled.push(element);
    }
  }
  waitingFor.clear();
  connection.requested.clear();
  return settled;
}

function verdictReason(entry) {
  return entry.urls.map((u) => verdicts.get(u)).find((v) => v?.state === VERDICT.error)?.reason;
}

function matchedUrl(entry) {
  return entry.urls.find((u) => verdicts.get(u)?.state === VERDICT.match);
}

// What the background's later-paints rule gives a request for a known match (background/
// known-matches.js): a plain 64 x 64 image (larger than an icon, so it is checked and keeps its panel).
const PLACEHOLDER_SIDE = 64;

function gotPlaceholder(element) {
  return element instanceof HTMLImageElement && element.naturalWidth === PLACEHOLDER_SIDE && element.naturalHeight === PLACEHOLDER_SIDE;
}

const awaitingOriginal = new Map(); // url -> Set<Element> shown by the person, holding the placeholder
const ownSources = new WeakMap(); // element -> the source Veil itself gave it (not a page's swap)

/** The person chose to see a match: ask for its own image where the element got the placeholder. */
function showMatch(element, entry) {
  const url = matchedUrl(entry);
  const wantBytes = gotPlaceholder(element);
  settle(element, STATUS.shown);
  // Firefox's network gate gives a match a placeholder of the image's own size: the background
  // knows, and answers for an image it gated.
  if (wantBytes || element instanceof HTMLImageElement) {
    if (!awaitingOriginal.has(url)) awaitingOriginal.set(url, new Set());
    awaitingOriginal.get(url).add(element);
  }
  tell({ type: FROM_FRAME.shown, url, wantBytes });
}

function showOriginal({ url, dataUrl }) {
  for (const element of awaitingOriginal.get(url) ?? []) {
    if (elements.get(element)?.status !== STATUS.shown) continue;
    ownSources.set(element, dataUrl);
    element.srcset = '';
    element.src = dataUrl;
  }
  awaitingOriginal.delete(url);
}

/** Whether the element now shows the source Veil gave it (a page's later swap is checked). */
function showsOwnSource(element) {
  const own = ownSources.get(element);
  return own !== undefined && own === element.getAttribute('src') && !element.getAttribute('srcset');
}

function matchedUrls() {
  return [...verdicts].filter(([url, v]) => v.state === VERDICT.match && !notMatches.has(url)).map(([url]) => url);
}
