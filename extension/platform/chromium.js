// The content scripts' platform shim (the build ships it as content/platform.js in Chromium's
// package; Firefox's gets platform/firefox.js): what the two browsers do differently, one name each.
'use strict';

/** Whether the background announces the frame's image requests (content/find-styled.js): Chromium's
 * way to hold what a stylesheet paints, which its network layer cannot hold. */
const hearsImageRequests = true;

/**
 * An element's shadow root, open, closed or parsed from <template shadowrootmode>.
 * @returns {ShadowRoot | null}
 */
function shadowRootOf(element) {
  return chrome.dom.openOrClosedShadowRoot(element);
}

// The longest side of a copy read from the page's own pixels: more than the fingerprint uses.
const PAGE_COPY_SIDE = 1024;

/**
 * The bytes the page gets for `url`. Its blob: URL, fetched. An image its service worker answers:
 * a content script's fetch does not pass through that worker in Chromium, so the copy is drawn
 * from the page's own decoded image (its origin's, so readable) once it has loaded, at most
 * PAGE_COPY_SIDE on its longest side.
 * @returns {Promise<Blob>}
 */
async function pageCopy(url) {
  if (url.startsWith('blob:')) return (await fetch(url)).blob();
  const image = [...(waitingFor.get(url) ?? [])].find((element) => element instanceof HTMLImageElement);
  if (!image) throw new Error('no image of the page to read'); // developer-facing: shown as not checked
  await image.decode();
  const scale = Math.min(1, PAGE_COPY_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(image.naturalWidth * scale)), Math.max(1, Math.round(image.naturalHeight * scale)));
  canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.convertToBlob({ type: 'image/png' });
}
