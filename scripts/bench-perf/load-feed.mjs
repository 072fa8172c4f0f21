// Loads one feed page in one browser (with Veil or without), as a person would see it, and
// returns what the page recorded (bench/feed-probe.js, demo/verdict-watch.js) with Resource
// Timing for each image, Veil's trace for its URLs and, from the server, when each side's request
// arrived. Works the same over Playwright (Chromium) and puppeteer (Firefox): evaluate only.
import { SCROLL_PAUSE_MS, feedHtml } from './feeds.mjs';

const SETTLE_TIMEOUT_MS = 90_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Settled: every image loaded and, with Veil, decided; every image on screen that may paint has
 * painted. A page whose verdicts never all come is recorded as it stands after SETTLE_TIMEOUT_MS.
 */
function settled(withVeil) {
  return [...document.images].every((image) => {
    const verdict = window.verdicts[image.id];
    if (!image.complete || (withVeil && !verdict)) return false;
    const box = image.getBoundingClientRect();
    const onScreen = box.bottom > 0 && box.top < innerHeight;
    const paints = window.bench.supports.includes('element') ? window.bench.paints : window.bench.frames;
    return !onScreen || verdict?.hidden || image.id in paints;
  });
}

function collect() {
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = new Map(performance.getEntriesByType('resource').map((entry) => [entry.name, entry]));
  return {
    timeOrigin: performance.timeOrigin,
    loadMs: navigation.loadEventStart,
    longTasks: window.bench.longTasks,
    elementTiming: window.bench.supports.includes('element'),
    longTasksSupported: window.bench.supports.includes('longtask'),
    images: [...document.images].map((image) => {
      const timing = resources.get(image.currentSrc);
      return {
        id: image.id,
        url: image.currentSrc,
        startTime: timing?.startTime,
        requestStart: timing?.requestStart || undefined,
        responseEnd: timing?.responseEnd,
        paint: window.bench.paints[image.id],
        frame: window.bench.frames[image.id],
        verdict: window.verdicts[image.id],
      };
    }),
  };
}

/**
 * One load of `feed`. `watch(page)`, if given, starts before the page loads and returns what ends
 * it once the page has settled; what that gives is the result's `watched`.
 */
export async function loadFeed(side, origins, feed, tag, watch = null) {
  const imageOrigin = feed.delayed ? origins.second.origin : origins.local.origin;
  const path = `/page/${feed.key}-${tag}.html`;
  origins.servePage(path, feedHtml(feed, imageOrigin, tag));
  const page = await side.newPage();
  try {
    const stopWatching = await watch?.(page);
    await page.goto(`${origins.local.origin}${path}`, { waitUntil: 'load', timeout: 180_000 });
    if (feed.layout === 'column') await page.evaluate((ms) => window.bench.scroll(ms), SCROLL_PAUSE_MS);
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let done = false;
    while (!(done = await page.evaluate(settled, side.veil)) && Date.now() < deadline) await sleep(200);
    await sleep(300); // the last Element Timing and long-task entries
    const result = await page.evaluate(collect);
    result.settled = done;
    result.requests = result.images.map((image) => origins.requests.get(image.url) ?? {});
    result.trace = side.veil ? await side.trace(result.images.map((image) => image.url)) : null;
    result.watched = await stopWatching?.();
    return result;
  } finally {
    await page.close();
  }
}

/**
 * RUNS rounds over every feed, each feed loaded by every side of `pair` ({withVeil, without}: with
 * Veil and without it; or builds of Veil, scripts/bench-ab.mjs) one after the other (the order
 * reverses every other round), every load with fresh URLs.
 */
export async function runFeeds(pair, origins, feeds, runs, log) {
  const results = Object.fromEntries(feeds.map((feed) => [feed.key, Object.fromEntries(Object.keys(pair).map((key) => [key, []]))]));
  for (let run = 0; run < runs; run++) {
    for (const feed of feeds) {
      const sides = Object.entries(pair);
      if (run % 2) sides.reverse();
      for (const [key, side] of sides) {
        log(`${side.browser} run ${run + 1}/${runs}: ${feed.key}, ${side.label}`);
        const tag = `${feed.key}-${side.browser}-${run}-${side.label}`.toLowerCase();
        const result = await loadFeed(side, origins, feed, tag);
        if (!result.settled) log(`  not settled after ${SETTLE_TIMEOUT_MS / 1000} s: recorded as it stood`);
        results[feed.key][key].push(result);
      }
    }
  }
  return results;
}
