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
  const found = new Set();
  for (const node of nodes) {
    if (!node.isConnected) continue;
    if (node.matches(CANDIDATES)) found.add(node);
    for (const element of node.querySelectorAll(CANDIDATES)) found.add(element);
    watchShadowRoots(node);
  }
  // All reads (layout) before any writes (marks, panels): one layout per batch, not per image.
  const visible = new Map([...found].map((element) => [element, isVisible(element)]));
  for (const element of found) consider(element, visible.get(element));
}

const observer = new MutationObserver((records) => {
  for (const record of records) {
    if (record.type === 'childList') {
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        guardSubtree(node); // now: the batch runs in a later task, perhaps after a paint
        enqueue(node);
      }
    } else {
      onAttributeChanged(/** @type {Element} */ (record.target), record.attributeName);
    }
  }
});

function onAttributeChanged(target, attribute) {
  if (attribute === OK) {
    undoForgedMark(target);
    return;
  }
  if (!elements.has(target) && !target.matches(CANDIDATES)) return;
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
  attributeFilter: ['src', 'srcset', 'style', 'poster', 'href', OK],
};

function observe(root) {
  observer.observe(root, OBSERVED);
}

// Open shadow roots get the hiding rules too (document styles do not reach inside them).
// HIDE_CSS is hide.css itself, written into hide-css.js by the build.
const shadowSheet = new CSSStyleSheet();
shadowSheet.replaceSync(HIDE_CSS);
const watchedRoots = new WeakSet();

// The page-world hook (shadow-hook.js) announces each new shadow root, synchronously.
document.addEventListener('veil-shadow-root', (event) => {
  if (event.target instanceof Element) watchShadowRoots(event.target);
}, true);

function watchShadowRoots(node) {
  const hosts = [node, ...node.querySelectorAll('*')].filter((e) => e.shadowRoot);
  for (const host of hosts) {
    const root = host.shadowRoot;
    if (watchedRoots.has(root)) continue;
    watchedRoots.add(root);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, shadowSheet];
    observe(root);
    for (const child of root.children) {
      guardSubtree(child);
      enqueue(child);
    }
  }
}

// Lazy images and srcset choices become known when they load; failed images paint nothing.
// (An element's load event never reaches the window: listen on the document.)
document.addEventListener('load', (event) => {
  if (!(event.target instanceof Element) || !event.target.matches(CANDIDATES)) return;
  awaitingLoad.delete(event.target);
  enqueue(event.target);
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
if (document.documentElement) enqueue(document.documentElement);
connect();
