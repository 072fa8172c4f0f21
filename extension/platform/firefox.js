// The content scripts' platform shim (the build ships it as content/platform.js in Firefox's
// package; Chromium's gets platform/chromium.js): what the two browsers do differently, one function each.
'use strict';

/**
 * An element's shadow root, open, closed or parsed from <template shadowrootmode>: a property
 * Firefox gives content scripts.
 * @returns {ShadowRoot | null}
 */
function shadowRootOf(element) {
  return element.openOrClosedShadowRoot;
}
