// `make bench-perf`: issue 6's figures, each measured side by side in one run and set against its
// target in bench/perf-report.md. Everything is local: a server on 127.0.0.1, headless Chromium.
//   1. PDQ on the same pixels: scripts/bench-pdq.mjs (native, wasm in Chromium, blockhash-core JS).
//   2. Matching alone against 10 / 1,000 / 10,000 protected entries: native (`veil bench --list`)
//      and wasm (`Matcher.checkHash`) in Chromium, rounds alternating.
//   3. A 200-image feed in Chromium with the extension, and the same feed in Chromium without it,
//      runs alternating: response->verdict and ->reveal, long tasks, service-worker memory, bytes.
//   4. The wasm's gzipped size.
// Usage: node scripts/bench-perf.mjs [--feed-runs N] [--images N] [--rounds N]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { launchFirefox, protectFilesInFirefox } from '../tests/e2e/firefox.mjs';
import { CHROMIUM_PATH, DEMO, ROOT, launchChromium, makeVariants, protectFiles, startSite } from '../tests/e2e/harness.mjs';

const { values } = parseArgs({
  options: {
    'feed-runs': { type: 'string', default: '3' },
    images: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
  },
});
const FEED_RUNS = Number(values['feed-runs']);
const FEED_IMAGES = Number(values.images);
const ROUNDS = Number(values.rounds);
// The scrolled feed: its first SCROLL_IMAGES images, lazy, one screen down every SCROLL_PAUSE_MS.
const SCROLL_IMAGES = Math.min(60, FEED_IMAGES);
const SCROLL_PAUSE_MS = 500;
const VEIL = join(ROOT, 'target/release/veil');
const REPORT = join(ROOT, 'bench/perf-report.md');
const QUERY_IMAGE = join(ROOT, '../shared/fixtures/pdq/exact/aaa-orig.png');
for (const needed of [VEIL, join(ROOT, 'pkg/veil_bg.wasm'), join(ROOT, 'dist/chromium/manifest.json')]) {
  if (!existsSync(needed)) {
    console.error(`bench-perf: ${relative(ROOT, needed)} is missing: run make build first`);
    process.exit(1);
  }
}

const sortNumbers = (xs) => [...xs].sort((a, b) => a - b);
/** Linear interpolation between the closest ranks (as scripts/demo.mjs). */
function quantile(xs, q) {
  const sorted = sortNumbers(xs);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + ((sorted[low + 1] ?? sorted[low]) - sorted[low]) * (at - low);
}
const median = (xs) => quantile(xs, 0.5);
const fixed = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const step = (what) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${what}`);

const BROWSER_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// ---- 1. PDQ on the same pixels ---------------------------------------------------------------

function benchPdq() {
  step('PDQ on the same pixels (scripts/bench-pdq.mjs)');
  const out = execFileSync('node', [join(ROOT, 'scripts/bench-pdq.mjs'), '--rounds', String(ROUNDS)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1));
}

// ---- 2. Matching alone -------------------------------------------------------------------------

/**
 * A valid protected list of `n` entries with random hashes (and `crops` crop hashes each, as Veil
 * now stores about 9 per photo): the list format, without images.
 */
function randomList(n, crops = 0) {
  const hex = () => randomBytes(32).toString('hex');
  const entries = Array.from({ length: n }, () => ({
    id: randomBytes(8).toString('hex'),
    added: '2026-11-28T00:00:00Z',
    quality: 100,
    hashes: { pdq: hex(), rot90: hex(), rot180: hex(), rot270: hex(), flipx: hex(), flipy: hex(), flip_plus1: hex(), flip_minus1: hex() },
    ...(crops ? { crops: Array.from({ length: crops }, hex) } : {}),
  }));
  return JSON.stringify({ format: 'veil-protected-list', version: 1, entries });
}

async function benchMatching(sizes) {
  step(`matching alone against ${sizes.map((size) => size.entries).join(' / ')} entries`);
  const dir = mkdtempSync(join(tmpdir(), 'veil-bench-lists-'));
  const site = await startSite({
    '/bench.html': { type: 'text/html', body: '<!doctype html><title>match bench</title>' },
    '/pkg/veil.js': { type: 'text/javascript', body: readFileSync(join(ROOT, 'pkg/veil.js')) },
    '/pkg/veil_bg.wasm': { type: 'application/wasm', body: readFileSync(join(ROOT, 'pkg/veil_bg.wasm')) },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: BROWSER_ARGS });
  try {
    const [pdq, quality] = execFileSync(VEIL, ['hash', QUERY_IMAGE], { encoding: 'utf8' }).split(',');
    const lists = sizes.map(({ entries, crops }, i) => {
      const file = join(dir, `list-${i}.json`);
      writeFileSync(file, randomList(entries, crops));
      return file;
    });
    const page = await browser.newPage();
    await page.goto(`${site.origin}/bench.html`);
    await page.evaluate(async (texts) => {
      const veil = await import('/pkg/veil.js');
      await veil.default();
      window.matchers = texts.map((text) => new veil.Matcher(text));
    }, lists.map((file) => readFileSync(file, 'utf8')));
    const native = sizes.map(() => []);
    const wasm = sizes.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, file] of lists.entries()) {
        const row = JSON.parse(execFileSync(VEIL, ['bench', '--runs', '31', '--list', file, QUERY_IMAGE], { encoding: 'utf8' }));
        if (row.entries !== sizes[i].entries) throw new Error(`veil bench read ${row.entries} entries, not ${sizes[i].entries}`);
        native[i].push(row.match_ms);
        // As bench-pdq: performance.now() is coarse, so each sample times a batch lasting >= 20 ms.
        wasm[i].push(await page.evaluate(({ i, pdq, quality }) => {
          const check = () => window.matchers[i].checkHash(pdq, quality);
          let batch = 1;
          for (let t0 = performance.now(); performance.now() - t0 < 20; batch++) check();
          const samples = [];
          for (let r = 0; r < 31; r++) {
            const t0 = performance.now();
            for (let k = 0; k < batch; k++) check();
            samples.push((performance.now() - t0) / batch);
          }
          return samples.sort((a, b) => a - b)[15];
        }, { i, pdq, quality: Number(quality) }));
      }
    }
    return sizes.map(({ entries, crops = 0 }, i) => ({ entries, crops, native_ms: median(native[i]), wasm_ms: median(wasm[i]) }));
  } finally {
    await browser.close();
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 3. The feed -------------------------------------------------------------------------------

const PROTECTED = 'bridge.jpg';
const OTHERS = ['garden.jpg', 'market.jpg', 'street.jpg', 'tiles.jpg', 'pen-and-coaster.png'];
const LONG_SIDES = [320, 640, 1080, 1600];
const FORMATS = [['image/jpeg', 'jpg'], ['image/png', 'png'], ['image/webp', 'webp']];

/**
 * The feed's images, encoded by the browser as in makeVariants: every tenth is an edited copy of
 * the protected image (Veil must hide it), the rest unrelated; long sides and formats rotate.
 */
async function feedImages(context, site) {
  const sides = {};
  const page = await context.newPage();
  await page.goto(`${site.origin}/images/`);
  for (const name of [PROTECTED, ...OTHERS]) {
    sides[name] = await page.evaluate(async (src) => {
      const bitmap = await createImageBitmap(await (await fetch(src)).blob());
      return Math.max(bitmap.width, bitmap.height);
    }, `/images/${name}`);
  }
  await page.close();
  const plan = Array.from({ length: FEED_IMAGES }, (_, i) => {
    const source = i % 10 === 0 ? PROTECTED : OTHERS[i % OTHERS.length];
    const [type, ext] = FORMATS[i % FORMATS.length];
    const scale = LONG_SIDES[Math.floor(i / FORMATS.length) % LONG_SIDES.length] / sides[source];
    return { name: `${String(i).padStart(3, '0')}.${ext}`, source, type, scale, quality: 0.6 + (i % 7) * 0.05, protectedCopy: source === PROTECTED };
  });
  const images = [];
  for (const source of [PROTECTED, ...OTHERS]) {
    const edits = plan.filter((p) => p.source === source);
    const encoded = await makeVariants({ context }, site, `/images/${source}`, edits);
    for (const edit of edits) images.push({ ...edit, body: encoded[edit.name] });
  }
  return images.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The feed page. What it records is what the page itself can see, from its own clock:
 * - verdict: Veil marks a cleared image data-veil-ok, or puts its panel (a div) right after a
 *   matched one; demo/verdict-watch.js (the demo feed's own) notes the time, loaded before any image;
 * - reveal: the first animation frame after the verdict in which the image's computed visibility is
 *   'visible' (the frame that paints it); a matched image is never revealed;
 * - long tasks: a PerformanceObserver for 'longtask' (> 50 ms on the page's main thread).
 * Response times come from Resource Timing (responseEnd) once the feed has settled.
 */
function feedHtml(images, run, { lazy = false } = {}) {
  // Lazy, as real feeds load: each post a fixed height, so only images near the screen load.
  const image = (image, i) => lazy
    ? `<img id="img-${i}" alt="" loading="lazy" style="height:360px;width:100%;object-fit:contain" src="/feed/${image.name}?run=${run}">`
    : `<img id="img-${i}" alt="" src="/feed/${image.name}?run=${run}">`;
  const posts = images.map((item, i) => `<article><p>Post ${i + 1}</p>${image(item, i)}</article>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Veil bench feed</title>
<script src="/verdict-watch.js"></script>
<script>
  window.bench = { reveals: {}, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const revealWhenPainted = (image) => requestAnimationFrame(() => {
    if (getComputedStyle(image).visibility === 'visible') bench.reveals[image.id] = performance.now();
    else revealWhenPainted(image);
  });
  window.onVerdict = (image, hidden) => hidden || revealWhenPainted(image);
</script>
<style>body { font: 14px sans-serif; max-width: 640px; margin: 0 auto; } img { display: block; max-width: 100%; height: auto; }</style>
</head><body>${posts.join('\n')}</body></html>`;
}

/**
 * Serves the feed and counts image bytes by who asked: the page's own <img> loads carry
 * Sec-Fetch-Dest: image; the extension's fetches from its service worker carry 'empty'.
 * Images are cacheable, as on real sites, so the extension could reuse what the page downloaded.
 */
function serveFeed(site, images) {
  const bytes = { page: 0, veil: 0, other: 0 };
  // When Veil's own download of each URL arrived and was sent (epoch ms): where its time goes.
  const veilDownloads = new Map();
  for (const image of images) {
    const type = FORMATS.find(([, ext]) => image.name.endsWith(ext))[0];
    site.routes[`/feed/${image.name}`] = (req, res) => {
      const dest = req.headers['sec-fetch-dest'];
      bytes[dest === 'image' ? 'page' : dest === 'empty' ? 'veil' : 'other'] += image.body.length;
      if (dest === 'empty') {
        const download = { asked: Date.now() };
        veilDownloads.set(`${site.origin}${req.url}`, download);
        res.on('finish', () => (download.sent = Date.now()));
      }
      res.writeHead(200, { 'content-type': type, 'content-length': image.body.length, 'cache-control': 'public, max-age=3600' });
      res.end(image.body);
    };
  }
  return { bytes, veilDownloads };
}

/**
 * Proportional set size (MB) of the extension's own processes: the renderer that runs its service
 * worker and offscreen document, found under the Veil browser (by its profile) as children with
 * --extension-process. What the operating system charges Veil, decoders and wasm included.
 */
function extensionProcessMb(profile) {
  const processes = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      // Chromium's child processes rewrite their command line into one string: search it whole.
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      return [{ pid: Number(pid), parent, args }];
    } catch {
      return []; // gone meanwhile
    }
  });
  const browser = processes.find((p) => p.args.includes(`--user-data-dir=${profile}`) && !p.args.includes('--type='));
  const family = new Set([browser.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) if (family.has(p.parent) && !family.has(p.pid)) grew = family.add(p.pid);
  }
  const pssKb = processes
    .filter((p) => family.has(p.pid) && p.args.includes('--extension-process'))
    .map((p) => Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8'))[1]));
  return pssKb.reduce((sum, kb) => sum + kb, 0) / 1024;
}

/** The JS heap of the extension's service worker (CDP Runtime.getHeapUsage on its target). */
async function workerHeap(context, workerUrl) {
  const cdp = await context.browser().newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url === workerUrl);
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
    const answer = new Promise((resolve) => cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message);
      if (event.sessionId === sessionId && message.id === 1) resolve(message.result);
    }));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.getHeapUsage' }) });
    return await answer;
  } finally {
    await cdp.detach();
  }
}

async function loadFeed(context, site, images, run, withVeil, { path = `/feed-${run}.html`, scroll = false } = {}) {
  const page = await context.newPage();
  await page.goto(`${site.origin}${path}`, { waitUntil: 'load' });
  // A person reading: one screen down every SCROLL_PAUSE_MS, to the end.
  while (scroll && await page.evaluate(() => scrollY + innerHeight < document.documentElement.scrollHeight)) {
    await page.evaluate(() => scrollBy(0, innerHeight));
    await page.waitForTimeout(SCROLL_PAUSE_MS);
  }
  // Settled: with Veil, every image decided and every cleared one painted; without, every image loaded.
  const settled = withVeil
    ? (n) => {
      const { verdicts, bench: { reveals } } = window;
      const ids = Object.keys(verdicts);
      return ids.length >= n && ids.every((id) => verdicts[id].hidden || reveals[id] !== undefined);
    }
    : () => [...document.images].every((image) => image.complete);
  await page.waitForFunction(settled, images.length, { timeout: 180_000, polling: 100 });
  // Let a last long task, if any, be reported.
  await page.waitForTimeout(500);
  const result = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const responseEnd = new Map(performance.getEntriesByType('resource').map((entry) => [entry.name, entry.responseEnd]));
    return {
      timeOrigin: performance.timeOrigin,
      loadMs: navigation.loadEventStart,
      longTasks: window.bench.longTasks,
      images: [...document.images].map((image) => ({
        id: image.id,
        url: image.currentSrc,
        firstScreen: image.getBoundingClientRect().top + scrollY < innerHeight,
        responseEnd: responseEnd.get(image.currentSrc),
        verdict: window.verdicts[image.id],
        reveal: window.bench.reveals[image.id],
      })),
    };
  });
  await page.close();
  return result;
}

/**
 * Decoding alone, the two paths side by side on the feed's images, in one of Veil's pages: the
 * browser's createImageBitmap with a high-quality resize to 512 px (what the service worker can
 * use, and the options page uses to protect) vs WebCodecs' ImageDecoder with DCT-scaled JPEG
 * decoding (what page images now take). Medians per long side, alternating image by image.
 */
async function benchDecoding(veil, site, images) {
  step('decoding alone: createImageBitmap vs ImageDecoder');
  const page = await veil.openExtensionPage('options/options.html');
  try {
    return await page.evaluate(async ({ urls, rounds }) => {
      const { decodePageImage, decodeToRgba } = await import('/pipeline/decode.js');
      const { imageHeader, wasmReady } = await import('/shared/wasm.js');
      await wasmReady();
      const bySide = {};
      for (const url of urls) {
        const blob = await (await fetch(url)).blob();
        const header = imageHeader(new Uint8Array(await blob.arrayBuffer()));
        const kind = `${header.format} ${Math.max(header.width, header.height)}`;
        const row = (bySide[kind] ??= { bitmap: [], decoder: [] });
        for (let round = 0; round < rounds; round++) {
          let t0 = performance.now();
          await decodeToRgba(blob, header);
          row.bitmap.push(performance.now() - t0);
          t0 = performance.now();
          await decodePageImage(blob, header);
          row.decoder.push(performance.now() - t0);
        }
      }
      const mid = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
      return Object.entries(bySide).map(([kind, { bitmap, decoder }]) => ({ kind, n: bitmap.length, bitmapMs: mid(bitmap), decoderMs: mid(decoder) }));
    }, { urls: images.map((image) => `${site.origin}/feed/${image.name}?decode`), rounds: ROUNDS });
  } finally {
    await page.close();
  }
}

/**
 * The same feed in Firefox ESR with Veil (puppeteer over WebDriver BiDi, as the tests drive it):
 * the bytes it downloads beside the page's, and response -> verdict there.
 */
async function benchFirefoxFeed(site, images, bytes) {
  const firefox = await launchFirefox();
  try {
    await protectFilesInFirefox(firefox, [join(DEMO, 'images', PROTECTED)]);
    const runs = [];
    for (let run = 0; run < FEED_RUNS; run++) {
      step(`Firefox feed run ${run + 1}/${FEED_RUNS}: with Veil`);
      site.routes[`/firefox-${run}.html`] = { type: 'text/html', body: feedHtml(images, `firefox-${run}`) };
      const before = { ...bytes };
      const page = await firefox.context.newPage();
      await page.goto(`${site.origin}/firefox-${run}.html`, { waitUntil: 'load' });
      await page.waitForFunction((n) => Object.keys(window.verdicts).length >= n, { timeout: 180_000, polling: 100 }, images.length);
      const result = await page.evaluate(() => {
        const responseEnd = new Map(performance.getEntriesByType('resource').map((entry) => [entry.name, entry.responseEnd]));
        return [...document.images].map((image) => window.verdicts[image.id].at - responseEnd.get(image.currentSrc));
      });
      runs.push({ toVerdict: result, page: bytes.page - before.page, veil: bytes.veil - before.veil });
      await page.close();
    }
    return runs;
  } finally {
    await firefox.close();
  }
}

async function benchFeed() {
  step(`feed of ${FEED_IMAGES} images: encoding`);
  const site = await startSite();
  const plain = await chromium.launchPersistentContext('', { executablePath: CHROMIUM_PATH, args: BROWSER_ARGS, viewport: { width: 1200, height: 900 } });
  let veil;
  try {
    const images = await feedImages(plain, site);
    const { bytes, veilDownloads } = serveFeed(site, images);
    const pageImageBytes = images.reduce((sum, image) => sum + image.body.length, 0);
    for (let run = 0; run < FEED_RUNS * 2; run++) site.routes[`/feed-${run}.html`] = { type: 'text/html', body: feedHtml(images, run) };
    const scrolled = images.slice(0, SCROLL_IMAGES);
    for (let run = 0; run < FEED_RUNS; run++) {
      site.routes[`/scroll-${run}.html`] = { type: 'text/html', body: feedHtml(scrolled, `scroll-${run}`, { lazy: true }) };
    }

    veil = await launchChromium();
    await protectFiles(veil, [join(DEMO, 'images', PROTECTED)]);
    const workerUrl = veil.context.serviceWorkers()[0].url();
    const idleMb = extensionProcessMb(veil.profile);

    // Fresh URLs each run (?run=N): neither browser's cache nor Veil's verdicts carry over.
    const withVeil = [];
    const without = [];
    for (let run = 0; run < FEED_RUNS; run++) {
      step(`feed run ${run + 1}/${FEED_RUNS}: with Veil, then without`);
      const before = { ...bytes };
      const result = await loadFeed(veil.context, site, images, 2 * run, true);
      result.bytes = { page: bytes.page - before.page, veil: bytes.veil - before.veil, other: bytes.other - before.other };
      result.heap = await workerHeap(veil.context, workerUrl);
      result.processMb = extensionProcessMb(veil.profile);
      withVeil.push(result);
      without.push(await loadFeed(plain, site, images, 2 * run + 1, false));
    }
    const decoding = await benchDecoding(veil, site, images);
    const firefoxRuns = await benchFirefoxFeed(site, images, bytes);
    const scrolling = [];
    for (let run = 0; run < FEED_RUNS; run++) {
      step(`scrolled feed run ${run + 1}/${FEED_RUNS}: ${SCROLL_IMAGES} lazy images, one screen every ${SCROLL_PAUSE_MS} ms`);
      scrolling.push(await loadFeed(veil.context, site, scrolled, run, true, { path: `/scroll-${run}.html`, scroll: true }));
    }
    return { images, pageImageBytes, withVeil, without, scrolling, veilDownloads, idleMb, firefoxRuns, decoding };
  } finally {
    await veil?.close();
    await plain.close();
    await site.close();
  }
}

/** Response -> verdict for every image of these runs (ms), and for those on the first screen. */
function verdictDelays(runs) {
  const all = [];
  const firstScreen = [];
  for (const run of runs) {
    for (const image of run.images) {
      all.push(image.verdict.at - image.responseEnd);
      if (image.firstScreen) firstScreen.push(image.verdict.at - image.responseEnd);
    }
  }
  return { all, firstScreen };
}

/**
 * The scrolled feed's verdict delay in three parts, from the server's clock and the page's (one
 * machine): page's response -> Veil's request arrives; Veil's own download; sent -> verdict
 * (decoding, hashing, matching, the answer's way back to the page).
 */
function verdictStages(runs, veilDownloads) {
  const stages = { toRequest: [], download: [], toVerdict: [] };
  for (const run of runs) {
    for (const image of run.images) {
      const download = veilDownloads.get(image.url);
      if (!download?.sent) continue;
      const response = run.timeOrigin + image.responseEnd;
      stages.toRequest.push(download.asked - response);
      stages.download.push(download.sent - download.asked);
      stages.toVerdict.push(run.timeOrigin + image.verdict.at - download.sent);
    }
  }
  return Object.fromEntries(Object.entries(stages).map(([stage, ms]) => [stage, { p50: median(ms), n: ms.length }]));
}

function summariseFeed({ images, pageImageBytes, withVeil, without, scrolling, veilDownloads, idleMb, firefoxRuns, decoding }) {
  const toVerdict = [];
  const toReveal = [];
  let hiddenRight = 0;
  let hiddenWrong = 0;
  for (const run of withVeil) {
    for (const [i, image] of run.images.entries()) {
      toVerdict.push(image.verdict.at - image.responseEnd);
      if (image.reveal !== undefined) toReveal.push(image.reveal - image.responseEnd);
      if (image.verdict.hidden === images[i].protectedCopy) hiddenRight++;
      else hiddenWrong++;
    }
  }
  const longTasks = (runs) => runs.map((run) => run.longTasks.length);
  const longMs = (runs) => runs.map((run) => run.longTasks.reduce((sum, task) => sum + task.ms, 0));
  const load = (runs) => median(runs.map((run) => run.loadMs));
  const last = withVeil.at(-1);
  const burst = verdictDelays(withVeil);
  const scrolled = verdictDelays(scrolling);
  return {
    firstScreenP50: median(burst.firstScreen),
    firstScreenP95: quantile(burst.firstScreen, 0.95),
    firstScreenSamples: burst.firstScreen.length,
    scrollP50: median(scrolled.all),
    scrollP95: quantile(scrolled.all, 0.95),
    scrollSamples: scrolled.all.length,
    scrollLongTasks: longTasks(scrolling),
    scrollStages: verdictStages(scrolling, veilDownloads),
    scrollWrong: scrolling.flatMap((run) => run.images).filter((image, i) => image.verdict.hidden !== images[i % SCROLL_IMAGES].protectedCopy).length,
    verdictP50: median(toVerdict),
    verdictP95: quantile(toVerdict, 0.95),
    verdictEarly: toVerdict.filter((ms) => ms < 0).length,
    revealP50: median(toReveal),
    revealP95: quantile(toReveal, 0.95),
    samples: toVerdict.length,
    hiddenRight,
    hiddenWrong,
    longTasksWith: longTasks(withVeil),
    longTasksWithout: longTasks(without),
    longMsWith: longMs(withVeil),
    longMsWithout: longMs(without),
    loadWith: load(withVeil),
    loadWithout: load(without),
    idleMb,
    processMb: last.processMb,
    decoding: decoding.sort((a, b) => a.kind.localeCompare(b.kind, 'en', { numeric: true })),
    firefoxVeilBytes: median(firefoxRuns.map((run) => run.veil)),
    firefoxPageBytes: median(firefoxRuns.map((run) => run.page)),
    firefoxP50: median(firefoxRuns.flatMap((run) => run.toVerdict)),
    firefoxP95: quantile(firefoxRuns.flatMap((run) => run.toVerdict), 0.95),
    heapMb: last.heap.usedSize / 2 ** 20,
    heapTotalMb: last.heap.totalSize / 2 ** 20,
    heapBackingMb: (last.heap.backingStorageSize ?? NaN) / 2 ** 20,
    veilBytes: median(withVeil.map((run) => run.bytes.veil)),
    pageBytes: median(withVeil.map((run) => run.bytes.page)),
    otherBytes: Math.max(...withVeil.map((run) => run.bytes.other)),
    pageImageBytes,
    formats: FORMATS.map(([, ext]) => `${images.filter((i) => i.name.endsWith(ext)).length} ${ext}`).join(', '),
    protectedCopies: images.filter((i) => i.protectedCopy).length,
  };
}

// ---- Report ------------------------------------------------------------------------------------

const verdictOf = (met) => (met ? 'met' : '**not met**');

function report({ pdq, matching, feed, wasmGzip, started, load }) {
  const [small, full] = pdq.rows;
  const m1000 = matching.find((m) => m.entries === 1000 && !m.crops);
  const m1000crops = matching.find((m) => m.entries === 1000 && m.crops);
  const sum = (xs) => xs.join(' / ');
  const targets = [
    ['wasm PDQ vs native, same pixels, <= 512 px', '<= 1.3x',
      `${fixed(small.wasm_ms / small.native_ms)}x (${fixed(small.wasm_ms)} vs ${fixed(small.native_ms)} ms); vs warm-allocator native ${fixed(small.wasm_ms / small.native_warm_ms)}x`,
      verdictOf(small.wasm_ms / small.native_warm_ms <= 1.3)],
    ['wasm PDQ vs native, same pixels, full size', '<= 1.3x',
      `${fixed(full.wasm_ms / full.native_ms)}x (${fixed(full.wasm_ms)} vs ${fixed(full.native_ms)} ms); vs warm-allocator native ${fixed(full.wasm_ms / full.native_warm_ms)}x`,
      verdictOf(full.wasm_ms / full.native_warm_ms <= 1.3)],
    ['feed: response -> verdict p50', '<= 10 ms', `${fixed(feed.verdictP50, 1)} ms`, verdictOf(feed.verdictP50 <= 10)],
    ['feed: response -> verdict p95', '<= 30 ms', `${fixed(feed.verdictP95, 1)} ms`, verdictOf(feed.verdictP95 <= 30)],
    ['feed: the same, images on the first screen only', '<= 10 / 30 ms',
      `${fixed(feed.firstScreenP50, 1)} / ${fixed(feed.firstScreenP95, 1)} ms (${feed.firstScreenSamples} images)`,
      verdictOf(feed.firstScreenP50 <= 10 && feed.firstScreenP95 <= 30)],
    ['scrolled feed (lazy images, a screen every 0.5 s): response -> verdict p50 / p95', '<= 10 / 30 ms',
      `${fixed(feed.scrollP50, 1)} / ${fixed(feed.scrollP95, 1)} ms`, verdictOf(feed.scrollP50 <= 10 && feed.scrollP95 <= 30)],
    ['feed: response -> reveal p50 / p95', '(no target)', `${fixed(feed.revealP50, 1)} / ${fixed(feed.revealP95, 1)} ms`, ''],
    ['feed: long tasks (> 50 ms) caused by Veil', '0',
      `with Veil ${sum(feed.longTasksWith)} (total ${sum(feed.longMsWith.map((x) => x.toFixed(0)))} ms), without ${sum(feed.longTasksWithout)} (total ${sum(feed.longMsWithout.map((x) => x.toFixed(0)))} ms), per run`,
      verdictOf(feed.longTasksWith.reduce((a, b) => a + b) <= feed.longTasksWithout.reduce((a, b) => a + b))],
    ['feed: page load time with Veil / without', '<= 1.1x',
      `${fixed(feed.loadWith / feed.loadWithout)}x (load event ${fixed(feed.loadWith, 0)} vs ${fixed(feed.loadWithout, 0)} ms, medians)`,
      verdictOf(feed.loadWith / feed.loadWithout <= 1.1)],
    ['extension memory after the feeds: its process (PSS)', '<= 40 MB',
      `${fixed(feed.processMb, 1)} MB (${fixed(feed.idleMb, 1)} MB idle before the feeds); service worker JS heap used ${fixed(feed.heapMb, 1)} MB`,
      verdictOf(feed.processMb <= 40)],
    ['extra bytes Veil downloaded vs page image bytes (Chromium)', '<= 1.0x',
      `${fixed(feed.veilBytes / feed.pageBytes)}x (${fixed(feed.veilBytes / 1e6, 1)} MB vs ${fixed(feed.pageBytes / 1e6, 1)} MB per run)`,
      verdictOf(feed.veilBytes <= feed.pageBytes)],
    ['extra bytes on Firefox', '~0', `${fixed(feed.firefoxVeilBytes / 1e6, 2)} MB Veil vs ${fixed(feed.firefoxPageBytes / 1e6, 1)} MB page per run (${fixed(feed.firefoxVeilBytes / feed.firefoxPageBytes, 3)}x)`,
      verdictOf(feed.firefoxVeilBytes <= 0.01 * feed.firefoxPageBytes)],
    ['Firefox feed: response -> verdict p50 / p95', '(no target)', `${fixed(feed.firefoxP50, 1)} / ${fixed(feed.firefoxP95, 1)} ms`, ''],
    ['match 1,000 entries x 8 (wasm in Chromium)', '< 0.1 ms', `${fixed(m1000.wasm_ms, 4)} ms (native ${fixed(m1000.native_ms, 4)} ms)`, verdictOf(m1000.wasm_ms < 0.1)],
    [`the same with ${m1000crops.crops} crop hashes per entry, as Veil now protects`, '< 0.1 ms', `${fixed(m1000crops.wasm_ms, 4)} ms (native ${fixed(m1000crops.native_ms, 4)} ms)`, verdictOf(m1000crops.wasm_ms < 0.1)],
    ['wasm size, gzipped', '<= 200 KB', `${fixed(wasmGzip / 1024, 0)} KB`, verdictOf(wasmGzip <= 200 * 1024)],
  ];
  return `# Veil performance report

Generated by \`make bench-perf\` (\`node scripts/bench-perf.mjs --feed-runs ${FEED_RUNS} --images ${FEED_IMAGES} --rounds ${ROUNDS}\`)
on ${started} (UTC), Chromium headless, ${load}.
Medians throughout; every side of a comparison was measured in this one run, alternating, so
machine noise falls on both. Rerun the command rather than trust these numbers on another machine.

## Against the targets (issue 6)

| figure | target | measured | |
|---|---|---|---|
${targets.map((row) => `| ${row.join(' | ')} |`).join('\n')}

The PDQ ratio is judged against native with a warm allocator: plain native pays first-touch page
faults on every call (glibc returns its large buffers to the kernel), which wasm's linear memory
does not, so plain native is the slower of the two (see scripts/bench-pdq.mjs).

## 1. PDQ on the same pixels

Decoding excluded; the wasm's hashes are checked equal to native's first. blockhash-core (npm) is a
different perceptual hash (bmvbhash, 256 bits), shown for a JS peer's cost on the same pixels. No
Emscripten build of Meta's PDQ is on npm to compare with.

| image | size | native ms | native, warm allocator ms | wasm in Chromium ms | wasm / warm native | blockhash-core JS ms |
|---|---|---|---|---|---|---|
${pdq.rows.map((r) => `| ${r.file} | ${r.size} | ${fixed(r.native_ms)} | ${fixed(r.native_warm_ms)} | ${fixed(r.wasm_ms)} | ${fixed(r.wasm_ms / r.native_warm_ms)} | ${fixed(r.blockhash_js_ms)} |`).join('\n')}

## 2. Matching alone

One PDQ hash (of ${relative(ROOT, QUERY_IMAGE)}) against lists of random valid entries (each entry
is 8 dihedral hashes). Native: \`veil bench --list\`; wasm: \`Matcher.checkHash\` in Chromium, which
includes crossing the wasm boundary and building the answer object.

| entries | hashes compared | native ms | wasm ms |
|---|---|---|---|
${matching.map((m) => `| ${m.entries.toLocaleString('en')}${m.crops ? ` (with ${m.crops} crop hashes each)` : ''} | ${(m.entries * (8 + m.crops)).toLocaleString('en')} | ${fixed(m.native_ms, 4)} | ${fixed(m.wasm_ms, 4)} |`).join('\n')}

## 3. A ${FEED_IMAGES}-image feed in Chromium

A local page (127.0.0.1) of ${FEED_IMAGES} images in one column, made by the browser's encoders from
demo/images: long sides ${LONG_SIDES.join(' / ')} px, ${feed.formats}; ${feed.protectedCopies} are
edited copies of the one protected image (Veil must hide them). ${FEED_RUNS} runs with Veil and
${FEED_RUNS} without, alternating, each with fresh image URLs (nothing cached from a previous run).
Images are served cacheable (\`max-age=3600\`), as real sites serve them.

How it is measured, from the page's own clock (what a person sees):
- response: Resource Timing \`responseEnd\` of the page's own download of the image;
- verdict: when Veil marks the image \`data-veil-ok\` (cleared) or inserts its panel after it
  (hidden), noted by a MutationObserver the page installs before any image exists;
- reveal: the first animation frame after the verdict in which the image's computed visibility is
  \`visible\` (the frame that paints it); hidden copies have no reveal;
- long tasks: PerformanceObserver \`longtask\`, compared with the same feed without Veil;
- load time: the navigation's \`loadEventStart\`;
- memory: the proportional set size (\`/proc/PID/smaps_rollup\`) of the extension's renderer process
  (service worker, offscreen document, wasm, decoders), idle and after the feeds; and CDP
  \`Runtime.getHeapUsage\` on the service worker;
- bytes: counted by the server, by \`Sec-Fetch-Dest\` (\`image\` for the page's loads, \`empty\` for
  the service worker's fetches);
- first screen: the images whose top lies within the first screen (900 px) of the page: what a
  person waits for when the feed opens, while all ${FEED_IMAGES} load at once behind it;
- scrolled feed: the first ${SCROLL_IMAGES} images, \`loading="lazy"\` (as real feeds load them), each post
  a fixed 360 px high, scrolled one screen every ${SCROLL_PAUSE_MS} ms to the end: images arrive a few
  at a time, as when a person reads, instead of all at once.

| | value |
|---|---|
| verdicts (images x runs) | ${feed.samples}; hidden exactly the protected copies: ${feed.hiddenRight} right, ${feed.hiddenWrong} wrong |
| response -> verdict p50 / p95 | ${fixed(feed.verdictP50, 1)} / ${fixed(feed.verdictP95, 1)} ms (${feed.verdictEarly} verdicts came before the page's own copy had arrived: Veil downloads separately) |
| response -> reveal p50 / p95 | ${fixed(feed.revealP50, 1)} / ${fixed(feed.revealP95, 1)} ms |
| long tasks per run, with / without Veil | ${sum(feed.longTasksWith)} / ${sum(feed.longTasksWithout)} |
| scrolled feed: ${SCROLL_IMAGES} lazy images per run, ${FEED_RUNS} runs | response -> verdict p50 / p95 ${fixed(feed.scrollP50, 1)} / ${fixed(feed.scrollP95, 1)} ms over ${feed.scrollSamples} images; ${feed.scrollWrong} wrong verdicts; long tasks per run ${sum(feed.scrollLongTasks)} |
| scrolled feed: where the time goes (medians, ${feed.scrollStages.download.n} images) | page's response -> Veil's request reaches the server ${fixed(feed.scrollStages.toRequest.p50, 0)} ms; Veil's download ${fixed(feed.scrollStages.download.p50, 0)} ms; sent -> verdict in the page (decode, hash, match, answer) ${fixed(feed.scrollStages.toVerdict.p50, 0)} ms |
| load event, with / without Veil (median) | ${fixed(feed.loadWith, 0)} / ${fixed(feed.loadWithout, 0)} ms |
| extension process (PSS), idle before the feeds / after them | ${fixed(feed.idleMb, 1)} / ${fixed(feed.processMb, 1)} MB |
| service worker JS heap after the runs | used ${fixed(feed.heapMb, 1)} MB, allocated ${fixed(feed.heapTotalMb, 1)} MB${Number.isFinite(feed.heapBackingMb) ? `, backing stores ${fixed(feed.heapBackingMb, 1)} MB` : ''} |
| image bytes per run: page / Veil | ${fixed(feed.pageBytes / 1e6, 2)} / ${fixed(feed.veilBytes / 1e6, 2)} MB (the feed's images total ${fixed(feed.pageImageBytes / 1e6, 2)} MB)${feed.otherBytes ? `; ${feed.otherBytes} bytes by other requests` : ''} |

## 4. Decoding a page image

The feed's images decoded to at most 512 px in one of Veil's pages, both ways alternating image by
image (${ROUNDS} rounds): \`decodeToRgba\` (\`createImageBitmap\` with a high-quality resize: the service
worker's only way, and how the options page decodes what it protects) vs \`decodePageImage\`, what
page images take (in Firefox's background page, and in Chromium in an offscreen document): WebCodecs'
\`ImageDecoder\` decoding a JPEG larger than 512 px straight to a reduced size, \`decodeToRgba\` for
everything else. Medians per format and long side.

| format, long side | images x rounds | decodeToRgba ms | decodePageImage ms | ratio |
|---|---|---|---|---|
${feed.decoding.map((d) => `| ${d.kind} | ${d.n} | ${fixed(d.bitmapMs)} | ${fixed(d.decoderMs)} | ${fixed(d.decoderMs / d.bitmapMs)}x |`).join('\n')}

## 5. Size

The wasm (pkg/veil_bg.wasm), gzipped at level 9: ${fixed(wasmGzip / 1024, 1)} KB.
`;
}

const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
const load = `load average ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')} at the start`;
const pdq = benchPdq();
const matching = await benchMatching([{ entries: 10 }, { entries: 1000 }, { entries: 10000 }, { entries: 1000, crops: 9 }]);
const feed = summariseFeed(await benchFeed());
const wasmGzip = gzipSync(readFileSync(join(ROOT, 'pkg/veil_bg.wasm')), { level: 9 }).length;
const text = report({ pdq, matching, feed, wasmGzip, started, load });
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(REPORT, text);
console.log(text);
console.log(`Written to ${relative(ROOT, REPORT)}`);
