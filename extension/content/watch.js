// watch.js: finds candidates as the page adds and changes them (in batches, reads before writes),
// follows shadow roots and load events, and starts the frame's work. Last in manifest order.
'use strict';

const queued = new Set();
let flushScheduled = false;

function enqueue(node) {
  queued.add(node);
  if (flushScheduled) return;
  flushScheduled = true;
  // The next task, not the next animation frame: while a page loads, its first frame can come
  // long after its first images (and animation frames do not run in background tabs at all).
  setTimeout(flush);
}

function flush() {
  if (!flushScheduled) return;
  flushScheduled = false;
  const nodes = [...queued];
  queued.clear();
  for (const node of nodes) {
    if (!node.isConnected) continue;
    if (node.matches(CANDIDATES)) toConsider.add(node);
    for (const element of node.querySelectorAll(CANDIDATES)) toConsider.add(element);
    watchShadowRoots(node);
  }
  considerFound();
}

// Candidates found and not yet considered, in the order found. They are already hidden
// (guardSubtree): considering them asks for their checks.
const toConsider = new Set();
const CONSIDERED_AT_ONCE = 32;

/** Considers what was found for at most SLICE_MS, then lets the page run: a page that adds
 * hundreds of images at once is not held up by one long task. */
function considerFound() {
  const until = performance.now() + SLICE_MS;
  while (toConsider.size > 0 && performance.now() < until) {
    const batch = [];
    for (const element of toConsider) {
      toConsider.delete(element);
      if (batch.push(element) === CONSIDERED_AT_ONCE) break;
    }
    for (const element of batch) consider(element);
  }
  if (toConsider.size > 0) setTimeout(considerFound);
}

const observer = new MutationObserver((records) => {
  for (const record of records) {
    if (record.type === 'childList') {
      // New rules in a <style> can restyle anything.
      if (record.target instanceof HTMLStyleElement) noteRestyled(document);
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE || veilHosts.has(node)) continue;
        guardSubtree(node); // now: the batch runs in a later task, perhaps after a paint
        enqueue(node);
        noteRestyled(node instanceof HTMLStyleElement ? document : node);
      }
    } else if (!veilHosts.has(/** @type {Element} */ (record.target))) {
      onAttributeChanged(/** @type {Element} */ (record.target), record.attributeName);
    }
  }
});

function onAttributeChanged(target, attribute) {
  if (attribute === OK) {
    undoForgedMark(target);
    return;
  }
  if (attribute === STYLED) {
    keepStyledMark(target);
    return;
  }
  noteRestyled(target);
  if ((!elements.has(target) && !target.matches(CANDIDATES)) || showsOwnSource(target)) return;
  // At once, not in the next batch: a style the page just forced must not reach a paint.
  if (attribute === 'style') guard(target);
  if (target.localName === 'img' && (attribute === 'src' || attribute === 'srcset')) {
    // The new source replaces the old one only once it has loaded, and currentSrc changes
    // only then: hide now (before the next paint) and decide on the load event.
    forget(target);
    unloadable.delete(target);
    awaitingLoad.add(target);
  }
  enqueue(target);
}

const OBSERVED = {
  childList: true, subtree: true, attributes: true,
  // class and id restyle an element and what is inside it (find-styled.js, where it is used).
  attributeFilter: ['src', 'srcset', 'style', 'poster', 'href', 'data', OK, STYLED, ...(hearsImageRequests ? ['class', 'id'] : [])],
};

function observe(root) {
  observer.observe(root, OBSERVED);
}

// Shadow roots get the hiding rules too (document styles do not reach inside them): open ones,
// closed ones and those the parser makes from <template shadowrootmode>, which the browser lets a
// content script reach (shadowRootIn, find.js).
// HIDE_CSS is hide.css itself, written into hide-css.js by the build.
const shadowSheet = new CSSStyleSheet();
shadowSheet.replaceSync(HIDE_CSS);
const watchedRoots = new WeakSet();

// The page-world hook (shadow-hook.js) announces each new shadow root, synchronously.
onHookEvent('shadow-root', (event) => {
  if (event.target instanceof Element) watchShadowRoots(event.target);
});

function watchShadowRoots(node) {
  for (const host of [node, ...node.querySelectorAll('*')]) {
    const root = shadowRootIn(host);
    if (!root || watchedRoots.has(root)) continue;
    watchedRoots.add(root);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, shadowSheet];
    observe(root);
    for (const child of root.children) {
      guardSubtree(child);
      enqueue(child);
    }
  }
}

// Where the elements waiting for Veil are, from the browser's own geometry as it renders (reading
// it from the page, getBoundingClientRect, lays out a just-parsed page inside Veil's task: the
// burst's one long task). An element is asked for as not on screen until this watch first sees it
// near the screen; its check then goes first (also when the person scrolls to it later). A loaded
// image near the screen is decoded for display while Veil checks it, so that a clear verdict paints
// at once rather than waiting for a decode (a hidden image is otherwise decoded only when it is
// first drawn). Only near the screen: decoding every image of a long page, as the page itself never
// would, cost it about as much as Veil's own decoding (`make bench-perf`, burst).
const nearScreenNow = new WeakSet(); // watched elements last seen within the margin
const nearScreen = new IntersectionObserver((entries) => {
  const urls = new Set();
  for (const { target, isIntersecting } of entries) {
    const entry = elements.get(target);
    // Revealed, or decided (an image that has just loaded may not have been considered yet).
    if (revealedByVeil.has(target) || (entry && entry.status !== STATUS.pending)) {
      unwatchNearScreen(target);
      continue;
    }
    if (!isIntersecting) {
      nearScreenNow.delete(target);
      continue;
    }
    if (nearScreenNow.has(target)) continue;
    nearScreenNow.add(target);
    if (entry) for (const url of entry.urls) if (!verdicts.has(url)) urls.add(url);
    if (target instanceof HTMLImageElement && target.complete) decodeForDisplay(target);
  }
  if (urls.size > 0) tell({ type: FROM_FRAME.onScreen, urls: [...urls] });
}, { rootMargin: '200px 0px' });

/** Whether the near-screen watch last saw `element` near the screen (false until it first looks). */
function isNearScreen(element) {
  return nearScreenNow.has(element);
}

/** verdicts.js: `element` waits for Veil (asked for, or loaded and not yet considered). */
function watchNearScreen(element) {
  nearScreen.observe(element);
}

function decodeForDisplay(image) {
  image.decode().catch(() => {});
}

/** verdicts.js: `element` is decided. */
function unwatchNearScreen(element) {
  nearScreen.unobserve(element);
  nearScreenNow.delete(element);
}

// Lazy images and srcset choices become known when they load; failed images paint nothing.
// (An element's load event never reaches the window: listen on the document.)
document.addEventListener('load', (event) => {
  if (event.target instanceof HTMLLinkElement) noteRestyled(document); // a stylesheet: it can restyle anything
  if (!(event.target instanceof Element) || !event.target.matches(CANDIDATES)) return;
  awaitingLoad.delete(event.target);
  enqueue(event.target);
  if (event.target instanceof HTMLImageElement && !revealedByVeil.has(event.target)) {
    // Already seen near the screen (before its bytes were in): the watch says nothing new of it.
    if (isNearScreen(event.target)) decodeForDisplay(event.target);
    else watchNearScreen(event.target);
  }
}, true);
document.addEventListener('error', (event) => {
  const element = event.target;
  if (!(element instanceof HTMLImageElement)) return;
  awaitingLoad.delete(element);
  unloadable.add(element);
  if (elements.get(element)?.status !== STATUS.match) {
    forget(element);
    enqueue(element);
  }
}, true);

observe(document);
noteRestyled(document);
if (document.documentElement) enqueue(document.documentElement);
connect();
