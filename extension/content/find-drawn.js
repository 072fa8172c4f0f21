// find-drawn.js (Chromium): a canvas about to show an image (content/canvas-hook.js, in the page's
// world, says which address) is held like a styled element until that image is checked. A canvas
// that draws a cleared image is shown at once; one that drew a match gets the panel.
'use strict';

const DRAWABLE = /^(https?|blob|data):/;

onHookEvent('canvas-image', (event) => {
  const canvas = event.target;
  const url = /** @type {CustomEvent} */ (event).detail;
  if (!(canvas instanceof HTMLCanvasElement) || typeof url !== 'string' || !DRAWABLE.test(url)) return;
  if (verdicts.get(url)?.state === VERDICT.clear || connection.failedOpen || connection.hello?.active === false) return;
  hold([{ element: canvas, urls: [url] }]);
});
