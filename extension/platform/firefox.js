// The content scripts' platform shim (the build ships it as content/platform.js in Firefox's
// package; Chromium's gets platform/chromium.js): what the two browsers do differently, one name each.
'use strict';

/** Whether the background announces the frame's image requests: not in Firefox, whose network gate
 * holds every image response itself (pipeline/gate.js). */
const hearsImageRequests = false;

/**
 * An element's shadow root, open, closed or parsed from <template shadowrootmode>: a property
 * Firefox gives content scripts.
 * @returns {ShadowRoot | null}
 */
function shadowRootOf(element) {
  return element.openOrClosedShadowRoot;
}

/**
 * The bytes the page gets for `url` (its blob: URL, or an image its service worker answers): Firefox
 * gives content scripts `content.fetch`, a request made as the page's own (through its worker).
 * @returns {Promise<Blob>}
 */
async function pageCopy(url) {
  const response = await (globalThis.content?.fetch ?? fetch)(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`); // developer-facing: shown as not checked
  return response.blob();
}
