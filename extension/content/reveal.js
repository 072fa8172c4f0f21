// reveal.js: a match the person chose to see (Show, confirmed, or "not a match"), as it really is.
// In Firefox the network gate handed the page a placeholder instead of the match: the background
// sends the real bytes, and they are shown over the element, sized like it, from a blob: URL in a
// closed shadow root. The page's element and its attributes stay as they are.
'use strict';

const awaitingRealBytes = new Map(); // url -> Set<Element>
const realCopies = new WeakSet(); // hosts showing real bytes: sized exactly like their element

function askRealBytes(element, url) {
  if (!url || !tell({ type: FROM_FRAME.realBytes, url })) return;
  if (!awaitingRealBytes.has(url)) awaitingRealBytes.set(url, new Set());
  awaitingRealBytes.get(url).add(element);
}

function showRealBytes({ url, bytes }) {
  const waiting = awaitingRealBytes.get(url) ?? [];
  awaitingRealBytes.delete(url);
  for (const element of waiting) {
    const entry = elements.get(element);
    if (entry?.status !== STATUS.shown || !entry.urls.includes(url)) continue;
    entry.overlay?.remove();
    entry.overlay = realCopy(element, new Blob([bytes]));
  }
}

function realCopy(element, blob) {
  const host = document.createElement('div');
  const root = host.attachShadow({ mode: 'closed' });
  const image = document.createElement('img');
  const source = URL.createObjectURL(blob);
  // Decoded once loaded: the address is not needed after that.
  image.addEventListener('load', () => URL.revokeObjectURL(source), { once: true });
  image.addEventListener('error', () => URL.revokeObjectURL(source), { once: true });
  image.src = source;
  image.setAttribute(OK, ''); // Firefox applies the user-level hiding rules inside shadow roots too
  const { fit, position } = fitOf(element);
  image.style.cssText = `display:block;width:100%;height:100%;object-fit:${fit};object-position:${position}`;
  root.append(image);
  realCopies.add(host);
  host.style.setProperty('pointer-events', 'none', 'important'); // clicks still reach the page's element
  place(element, host);
  panels.set(host, element);
  return host;
}

/** How the element fits its image into its box, as object-fit and object-position. */
function fitOf(element) {
  const style = getComputedStyle(element);
  if (element.localName === 'img' || element.localName === 'input') return { fit: style.objectFit, position: style.objectPosition };
  if (element.localName === 'video') return { fit: 'contain', position: 'center' };
  const size = style.backgroundSize;
  return { fit: size === 'contain' ? 'contain' : size === 'cover' ? 'cover' : 'fill', position: style.backgroundPosition };
}
