// `make demo`: a made-up social feed on 127.0.0.1 in Chromium with Veil, after protecting one demo
// image through the real options page. Some posts carry edited copies of it (resized,
// recompressed, mirrored, WebP, a thumbnail): Veil hides those and shows the rest. Headed when a
// display exists; otherwise headless, with a screenshot. It prints what the page itself could
// measure: how long after each image arrived Veil decided on it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, ROOT, launchChromium, makeVariants, protectFiles, startSite } from '../tests/e2e/harness.mjs';

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const site = await startSite();
const browser = await launchChromium({ headless });
let keepOpen = false;
try {
  await protectFiles(browser, [join(DEMO, 'images/bridge.jpg')]);
  const variants = await makeVariants(browser, site, '/images/bridge.jpg', [
    { name: 'half.jpg', scale: 0.5, quality: 0.7 },
    { name: 'recompressed.jpg', quality: 0.3 },
    { name: 'mirrored.jpg', mirror: true },
    { name: 'smaller.webp', type: 'image/webp', scale: 0.6 },
    { name: 'thumbnail.jpg', scale: 0.25, quality: 0.6 },
  ]);
  for (const [name, body] of Object.entries(variants)) site.routes[`/variants/${name}`] = { body };

  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/feed.html`);
  // Settled: every image cleared (shown) or hidden under Veil's panel.
  await page.waitForFunction(() => [...document.images].every((i) => window.verdictAt.has(i)), null, { timeout: 30_000 });
  const result = await page.evaluate(() => {
    const ends = new Map(performance.getEntriesByType('resource').map((e) => [e.name, e.responseEnd]));
    return [...document.images].map((image) => ({
      url: image.currentSrc,
      hidden: !image.hasAttribute('data-veil-ok'),
      responseToVerdictMs: window.verdictAt.get(image) - ends.get(image.currentSrc),
    }));
  });
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const screenshot = join(ROOT, 'dist/demo-screenshot.png');
  await page.screenshot({ path: screenshot, fullPage: true });

  const hidden = result.filter((r) => r.hidden);
  const wrongly = result.filter((r) => r.hidden !== r.url.includes('/variants/'));
  const times = result.map((r) => r.responseToVerdictMs).sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`Veil checked ${result.length} images: ${hidden.length} hidden (edited copies of the protected image), ${result.length - hidden.length} shown.`);
  console.log(`From the page's view, time from an image's response to Veil's verdict: median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms (n=${times.length}).`);
  console.log('(Veil downloads each image again to check it, so a verdict can come before or after the page\'s own copy arrives.)');
  console.log(`Screenshot: ${screenshot}`);
  if (wrongly.length > 0) {
    console.error(`Unexpected verdicts: ${wrongly.map((r) => `${r.url} ${r.hidden ? 'hidden' : 'shown'}`).join(', ')}`);
    process.exitCode = 1;
  }
  if (!headless) {
    keepOpen = true;
    console.log(`The feed is open at ${site.origin}/feed.html. Press Ctrl+C to close the browser.`);
    process.on('SIGINT', async () => {
      await browser.close();
      await site.close();
      process.exit(0);
    });
  }
} finally {
  if (!keepOpen) {
    await browser.close();
    await site.close();
  }
}
