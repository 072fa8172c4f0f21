// `make demo`: Veil on a made-up social feed served on 127.0.0.1. One demo image is protected through
// the real options page; some posts carry edited copies of it (resized, recompressed, mirrored, WebP,
// a thumbnail) that Veil must hide, among unrelated images it must show. Prints what the page itself
// can measure (how long after each image arrived Veil decided on it) and saves a screenshot.
// Headed when a display exists (open until Ctrl+C), otherwise headless (closes at once).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEMO, FEED_VARIANTS, ROOT, launchChromium, makeVariants, protectFiles, startSite, veilButtons, waitForPaintState,
} from '../tests/e2e/harness.mjs';

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const SCREENSHOT = join(ROOT, 'dist/demo-screenshot.png');

/** Linear interpolation between the closest ranks, so the median of an even count is the midpoint. */
function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + ((sorted[low + 1] ?? sorted[low]) - sorted[low]) * (at - low);
}

/** Per image, from the page's own clock: verdict time (feed.html's observer) minus responseEnd. */
function verdictTimings(page) {
  return page.evaluate(() => {
    const responseEnd = new Map(performance.getEntriesByType('resource').map((entry) => [entry.name, entry.responseEnd]));
    return [...document.images].map((image) => ({
      id: image.id,
      path: image.currentSrc.slice(location.origin.length),
      hidden: window.verdicts[image.id].hidden,
      ms: window.verdicts[image.id].at - responseEnd.get(image.currentSrc),
    }));
  });
}

function report(timings) {
  const width = Math.max(...timings.map((t) => t.path.length));
  console.log("Per image, from the page's own clock: its response's end to Veil's verdict");
  for (const { id, path, hidden, ms } of timings) {
    console.log(`  ${id}  ${path.padEnd(width)}  ${hidden ? 'hidden' : 'shown '}  ${ms >= 0 ? '+' : ''}${ms.toFixed(1)} ms`);
  }
  const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
  const hidden = timings.filter((t) => t.hidden).length;
  console.log(`Veil checked ${timings.length} images: ${hidden} hidden (edited copies of the protected image), `
    + `${timings.length - hidden} shown. Median response-to-verdict ${quantile(sorted, 0.5).toFixed(0)} ms `
    + `(p95 ${quantile(sorted, 0.95).toFixed(0)} ms, n=${sorted.length}).`);
  const early = sorted.filter((ms) => ms < 0).length;
  if (early > 0) {
    console.log(`${early} verdict(s) came before the page's own copy had fully arrived (negative times): Veil `
      + 'downloads each image separately, and its download can finish first.');
  }
}

/** Headed: the feed stays open until Ctrl+C. */
function untilCtrlC() {
  // Playwright's own Ctrl+C handler exits at once and would leave the temporary profile behind.
  process.removeAllListeners('SIGINT');
  return new Promise((resolve) => process.once('SIGINT', resolve));
}

let site;
let browser;
try {
  site = await startSite();
  browser = await launchChromium({ headless });
  await protectFiles(browser, [join(DEMO, 'images/bridge.jpg')]);
  const variants = await makeVariants(browser, site, '/images/bridge.jpg', FEED_VARIANTS);
  for (const [name, body] of Object.entries(variants)) site.routes[`/variants/${name}`] = { body };

  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/feed.html`);
  const images = await page.$$eval('img', (all) => all.map((i) => ({ id: i.id, src: i.src, loaded: i.naturalWidth > 0 })));
  const broken = images.filter((i) => !i.loaded).map((i) => i.src);
  if (broken.length > 0) throw new Error(`feed images failed to load: ${broken.join(', ')}`);
  // Settled: every edited copy hidden under Veil's panel, every other image painted.
  const copies = images.filter((i) => i.src.includes('/variants/'));
  await waitForPaintState(page, Object.fromEntries(images.map((i) => [i.id, !copies.includes(i)])), 30_000);
  // The page cannot tell a match's panel from an unchecked image's; Veil's panel can: only a match
  // offers "Not a match".
  const matches = (await veilButtons(page)).filter((b) => b.label === 'Not a match').length;
  if (matches !== copies.length) throw new Error(`${matches} of ${copies.length} edited copies were hidden as matches`);

  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  report(await verdictTimings(page));
  console.log(`Screenshot: ${SCREENSHOT}`);
  if (!headless) {
    console.log(`The feed is open at ${site.origin}/feed.html. Press Ctrl+C here to close the browser and end the demo.`);
    await untilCtrlC();
  }
} catch (error) {
  console.error(`make demo failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await site?.close();
}
