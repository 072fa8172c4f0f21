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
