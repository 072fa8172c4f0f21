// What make bench-perf's feed pages record about their own images, from the page's clock, with
// Veil or without it (loaded in <head>, before any image exists):
// - paints: image id -> Element Timing renderTime, the frame that painted it (Chromium; needs
//   Timing-Allow-Origin for cross-origin images; only images painted on screen get one);
// - frames: image id -> the first animation frame in which it is loaded, visible (computed style)
//   and on screen: the same moment seen another way, for browsers without Element Timing (Firefox);
// - longTasks: PerformanceObserver 'longtask' (> 50 ms on the main thread), where supported;
// - scroll(pauseMs): one screen down every pauseMs to the end, as a person reads a feed.
// Verdicts come from /verdict-watch.js, the demo feed's own observer.
window.bench = { paints: {}, frames: {}, longTasks: [], supports: PerformanceObserver.supportedEntryTypes };
// The burst page alone has 200 images: keep every entry.
performance.setResourceTimingBufferSize(1000);

if (window.bench.supports.includes('element')) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.bench.paints[entry.identifier] ??= entry.renderTime || entry.loadTime;
  }).observe({ type: 'element', buffered: true });
}
if (window.bench.supports.includes('longtask')) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.bench.longTasks.push({ start: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const onScreen = new Set();
const screenWatch = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting && entry.intersectionRatio > 0) onScreen.add(entry.target);
    else onScreen.delete(entry.target);
  }
});
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) if (node.localName === 'img') screenWatch.observe(node);
  }
}).observe(document, { subtree: true, childList: true });

function noteFrames() {
  const now = performance.now();
  for (const image of onScreen) {
    if (image.id in window.bench.frames || !image.complete || !image.naturalWidth) continue;
    if (getComputedStyle(image).visibility === 'visible') window.bench.frames[image.id] = now;
  }
  requestAnimationFrame(noteFrames);
}
requestAnimationFrame(noteFrames);

window.bench.scroll = async (pauseMs) => {
  while (scrollY + innerHeight < document.documentElement.scrollHeight - 1) {
    scrollBy(0, innerHeight);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
};
