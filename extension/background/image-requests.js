// Chromium announces each image request a page makes (webRequest, observing only: it blocks and
// changes nothing) before the page's DOM says anything of it. Veil's check of that image starts
// then, so its own download runs beside the page's instead of after it; the frame's check later
// finds the verdict under way, or done. The frame hears of the request too, before its response
// arrives, to hold whatever its styles paint that image with (content/find-styled.js). Firefox
// reads the page's own download instead (pipeline/gate.js).

import { TO_FRAME, VERDICT } from '../protocol.js';
import { checkingForRequest, frameAsked, tellFrame } from './frames.js';
import { notePageRequest, rememberReferer } from './page-referers.js';
import { engine } from './protected-list.js';
import { mark } from './trace.js';

/** Starts listening where the browser has no stream filter to read the page's own bytes. */
export function watchImageRequests() {
  if (!globalThis.chrome?.offscreen || !chrome.webRequest) return;
  const images = { urls: ['http://*/*', 'https://*/*'], types: /** @type {chrome.webRequest.ResourceType[]} */ (['image']) };
  // The earliest event, also for a response from the HTTP cache.
  chrome.webRequest.onBeforeRequest.addListener(({ url, tabId, frameId }) => {
    if (tabId >= 0 && !isTabIcon(url)) {
      notePageRequest(url);
      void tellFrame(tabId, frameId, { type: TO_FRAME.imageRequested, url });
    }
    return {}; // nothing changed (the listener is not blocking)
  }, images);
  // The page's request, once its headers are known (its Referer: page-referers.js); observing only.
  chrome.webRequest.onSendHeaders.addListener((request) => {
    rememberReferer(request);
    void onImageRequest(request);
  }, images, ['requestHeaders', 'extraHeaders']);
}

// The browser's own request for a tab's icon looks like a page's image request; it is not one the
// page shows. (A page that does show such a file in an element is checked when its frame asks.)
const TAB_ICON = /\/(favicon[^/]*|apple-touch-icon[^/]*)$/i;
const isTabIcon = (url) => TAB_ICON.test(new URL(url).pathname);

/**
 * The verdict goes to the frame that requested the image as soon as it is decided. A match even
 * once the frame has asked: whatever there paints it unseen (a style on `:hover`, with no change in
 * the page) is then looked for and hidden. A clear one where the frame has not asked yet: its
 * check, sent as its script found the element, can reach this service worker long after the page's
 * request on a page of many images, and the image is then shown without waiting for its answer.
 * @param {chrome.webRequest.OnSendHeadersDetails} request
 */
async function onImageRequest(request) {
  const { url, tabId, frameId } = request;
  // tabId -1: not a tab's (Veil's own requests, a service worker's).
  if (tabId < 0 || isTabIcon(url)) return;
  mark(url, 'announced');
  const { active, locked } = await checkingForRequest(request);
  if (!active || locked) return;
  const verdict = await engine.check(url, false);
  const tell = verdict.state === VERDICT.match || (verdict.state === VERDICT.clear && !frameAsked(tabId, frameId, url));
  if (tell) void tellFrame(tabId, frameId, { type: TO_FRAME.verdict, url, verdict });
}
