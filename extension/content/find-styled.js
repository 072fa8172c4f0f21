// find-styled.js: elements that paint an image through their computed style (a stylesheet rule,
// a CSS custom property, ::before/::after, border or list images), which no selector can find.
// Chromium's background announces each image request of this frame before its response arrives
// (background/image-requests.js); the elements whose style paints that URL are then marked, so
// hide.css holds them until they are checked like any other candidate. (Firefox decides those
// bytes at the network, pipeline/gate.js, and announces nothing: see the platform shim.)
'use strict';

// Computed properties that paint an image into an element's box or its pseudo-elements.
const PAINTING_PROPERTIES = ['background-image', 'border-image-source', 'list-style-image', 'content'];
const PSEUDO_ELEMENTS = ['::before', '::after'];
// A request is looked for in what the page changes for this long after it (the change behind a
// request can reach this script just after the request's announcement).
const REQUESTED_MS = 2_000;

/** @type {WeakMap<Element, Set<string>>} element -> the URLs Veil holds it for */
const styledUrls = new WeakMap();
/** @type {Map<string, Set<Element>>} URL -> elements whose style was seen painting it */
const paintedBy = new Map();
const requested = new Map(); // URL -> when the page requested it, for REQUESTED_MS
// Where a style can have newly taken an image from: what was added or restyled since the last look
// (watch.js), and the whole document when a stylesheet arrives. Images load after such a change,
// so a look reads only these, not the whole page.
const restyled = new Set();
// Past this many changed roots, the next look reads the whole document (the same work, less held).
const MAX_RESTYLED = 500;
// Past this many URLs seen painted, elements the page has removed are dropped from paintedBy.
const SWEEP_AT = 1_000;
const heldUrls = new Set(); // URLs elements are held for by their style, until cleared
let lookScheduled = false;
let looking = false;

/** watch.js: `node` was added, or changed in a way that can restyle it or what is inside it. */
function noteRestyled(node) {
  if (!hearsImageRequests) return;
  if (restyled.size >= MAX_RESTYLED) {
    restyled.clear();
    restyled.add(document);
  } else if (!restyled.has(document)) {
    restyled.add(node); // (with the document in it, the next look reads everything already)
  }
  // Styles are read only while there is something to hold: an image just requested, or one held
  // and not cleared (another element can take it from the memory cache, with no request). What has
  // expired or been cleared is dropped in the look, not here, once per mutation.
  if (requested.size > 0 || heldUrls.size > 0) scheduleLook();
}

/** The page requested the image at `url`: hold what paints it, known or found in the next look. */
function onImageRequested(url) {
  if (verdicts.get(url)?.state === VERDICT.clear) return;
  requested.set(url, Date.now());
  const known = [...paintedBy.get(url) ?? []].filter((element) => element.isConnected && paintsFromStyle(element).includes(url));
  hold(known.map((element) => ({ element, urls: [url] })));
  scheduleLook();
}

/** Whether Veil holds elements that paint `url` from their style: requested lately, or being
 * checked, or decided other than clear. */
function holdsFor(url) {
  return verdicts.get(url)?.state !== VERDICT.clear && (requested.has(url) || verdicts.has(url) || connection.requested.has(url));
}

/**
 * A match: whatever styles paint it, seen or not (a `:hover` style changes nothing a look follows),
 * is looked for once in the whole document, and held from then on as the page changes.
 */
function findPaintersOfMatch(url) {
  if (!hearsImageRequests || heldUrls.has(url)) return;
  heldUrls.add(url);
  restyled.clear();
  restyled.add(document);
  scheduleLook();
}

function scheduleLook() {
  if (lookScheduled) return;
  lookScheduled = true;
  // A microtask: before the page's next paint, when the change came from the page's own script.
  queueMicrotask(lookForStyled);
}

async function lookForStyled() {
  lookScheduled = false;
  if (looking) return; // the look under way goes on while there is more to read
  looking = true;
  for (const [url, since] of requested) if (Date.now() - since > REQUESTED_MS) requested.delete(url);
  for (const url of heldUrls) if (verdicts.get(url)?.state === VERDICT.clear) heldUrls.delete(url);
  // Nothing left to hold: what changed is read by the next look that has something to find.
  while (restyled.size > 0 && (requested.size > 0 || heldUrls.size > 0)) {
    const roots = [...restyled].filter((root) => root.isConnected);
    restyled.clear();
    if (connection.hello?.active === false || connection.failedOpen) continue;
    await readStyles(elementsUnder(roots));
  }
  if (paintedBy.size > SWEEP_AT) sweepRemoved();
  looking = false;
}

function sweepRemoved() {
  for (const [url, elements] of paintedBy) {
    for (const element of elements) if (!element.isConnected) elements.delete(element);
    if (elements.size === 0) paintedBy.delete(url);
  }
}

/** Reads styles in slices, each slice's finds held (writes after reads) before it yields. */
async function readStyles(elements) {
  for (let done = false; !done;) {
    const found = [];
    const until = performance.now() + SLICE_MS; // then the page runs, and the look goes on
    for (;;) {
      const next = elements.next();
      if (next.done) {
        done = true;
        break;
      }
      const element = next.value;
      const urls = paintsFromStyle(element);
      for (const url of urls) {
        if (!paintedBy.has(url)) paintedBy.set(url, new Set());
        paintedBy.get(url).add(element);
      }
      const held = urls.filter(holdsFor);
      if (held.length > 0) found.push({ element, urls: held });
      if (performance.now() > until) break;
    }
    hold(found);
    if (!done) await new Promise((resolve) => setTimeout(resolve));
  }
}

/** Marks each element (hide.css then holds it) and has it checked for these URLs. */
function hold(found) {
  for (const { element, urls } of found) {
    const known = styledUrls.get(element) ?? new Set();
    for (const url of urls) {
      known.add(url);
      heldUrls.add(url);
    }
    styledUrls.set(element, known);
    if (!element.hasAttribute(STYLED)) element.setAttribute(STYLED, '');
  }
  for (const { element } of found) consider(element);
}

/** Each element in or under `roots` once, into shadow roots open or closed. */
function* elementsUnder(roots) {
  const seen = new WeakSet();
  function* under(root) {
    for (const element of root instanceof Element ? [root, ...root.querySelectorAll('*')] : root.querySelectorAll('*')) {
      if (seen.has(element) || veilHosts.has(element)) continue;
      seen.add(element);
      yield element;
      const shadow = shadowRootIn(element);
      if (shadow) yield* under(shadow);
    }
  }
  for (const root of roots) yield* under(root);
}

// A pseudo-element whose content is one of these is not rendered: it paints nothing.
const NO_PSEUDO_ELEMENT = new Set(['none', 'normal']);

/** The image URLs the element's computed style, or its pseudo-elements', paints. */
function paintsFromStyle(element) {
  const urls = new Set();
  for (const pseudo of [null, ...PSEUDO_ELEMENTS]) {
    const style = getComputedStyle(element, pseudo);
    // Most elements have neither: one property read each, not four (a page's whole document is
    // read as it loads, and again for each match).
    if (pseudo && NO_PSEUDO_ELEMENT.has(style.getPropertyValue('content'))) continue;
    for (const property of PAINTING_PROPERTIES) {
      const value = style.getPropertyValue(property);
      if (value.includes('url(')) for (const url of cssUrls(value)) urls.add(url);
    }
  }
  return [...urls];
}

/** The page removed the mark from an element still waiting or hidden: it goes back. */
function keepStyledMark(element) {
  if (styledUrls.has(element) && !element.hasAttribute(STYLED)) element.setAttribute(STYLED, '');
}
