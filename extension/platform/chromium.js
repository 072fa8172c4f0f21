// The content scripts' platform shim (the build ships it as content/platform.js in Chromium's
// package; Firefox's gets platform/firefox.js): what the two browsers do differently, one function each.
'use strict';

/**
 * An element's shadow root, open, closed or parsed from <template shadowrootmode>.
 * @returns {ShadowRoot | null}
 */
function shadowRootOf(element) {
  return chrome.dom.openOrClosedShadowRoot(element);
}
