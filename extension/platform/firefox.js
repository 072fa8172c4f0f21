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
