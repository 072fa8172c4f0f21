// bench/perf-report.md from a run's figures: issue 13's targets first, then each part.
import { DELAY_MS } from './servers.mjs';
import { CLOSE } from './decode-study.mjs';
import { FIRST_SCREEN, SCROLL_PAUSE_MS } from './feeds.mjs';
import { LONG_TASK_MS } from './long-tasks.mjs';
import { fixed, sum } from './stats.mjs';

const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const pair = (a, b) => `${fixed(a, 0)} / ${fixed(b, 0)}`;
const verdictOf = (met) => (met === undefined ? '' : met ? 'met' : '**not met**');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// Issue 13's targets for added time to pixels, ms: a first screen (a grid feed) and a scrolled feed.
const ADDED_TARGETS = { firstScreen: { p50: 40, p95: 100 }, scrolled: { p50: 15, p95: 50 } };
const addedTarget = (feed) => ADDED_TARGETS[feed.firstScreen ? 'firstScreen' : 'scrolled'];

function targetRows(browser, chromium, workers) {
  const f = browser.feeds;
  const rows = [];
  const added = (key, label) => {
    const s = f[key];
    const { p50, p95 } = addedTarget(s.feed);
    const met = s.addedP50 <= p50 && s.addedP95 <= p95;
    const worse = chromium && chromium !== browser ? s.addedP50 > chromium.feeds[key].addedP50 || s.addedP95 > chromium.feeds[key].addedP95 : false;
    rows.push([label, `<= ${p50} / ${p95} ms`,
      `${pair(s.addedP50, s.addedP95)} ms (with ${pair(s.withVeil.ttpP50, s.withVeil.ttpP95)}, without ${pair(s.without.ttpP50, s.without.ttpP95)})`,
      { met, worse }]);
  };
  added('burst', `added time to pixels, first screen (${FIRST_SCREEN} images at load, burst feed) p50 / p95`);
  added('scrolled', 'added time to pixels, scrolled feed p50 / p95');
  added('delayed', `added time to pixels, delayed second origin (${DELAY_MS} ms), first screen p50 / p95`);
  added('delayed-scrolled', `added time to pixels, delayed second origin (${DELAY_MS} ms), scrolled p50 / p95`);
  added('large', 'added time to pixels, real-world sizes, first screen p50 / p95 (first-screen targets)');
  const burst = f.burst;
  rows.push(['burst of 200 images: response -> verdict p50', '<= 800 ms', `${ms(burst.withVeil.verdictP50)} (p95 ${ms(burst.withVeil.verdictP95)}; floor on this machine's decoders ${ms(burst.verdictFloor.floorP50)}, section 4)`,
    { met: burst.withVeil.verdictP50 <= 800, worse: chromium && chromium !== browser && burst.withVeil.verdictP50 > chromium.feeds.burst.withVeil.verdictP50 }]);
  // The floor under the load target: Veil installed with nothing protected (Chromium's extra loads);
  // in Firefox, whose gate holds every image until it is decided, the load's whole decoding.
  const idle = browser.nothingProtected;
  let floor = '';
  if (idle) floor = `; floor: Veil with nothing protected ${fixed(idle.loadRatio)}x (${ms(idle.withVeil.loadMs)} vs ${ms(idle.without.loadMs)}, loads of their own)`;
  else if (browser.name.startsWith('Firefox')) {
    floor = `; floor: the gate holds every image until decided, and the load's decode + hash (${ms(burst.verdictFloor.workMs)} of work) on ${workers} decoding worker${workers > 1 ? 's' : ''} takes ${fixed(burst.verdictFloor.workMs / workers / burst.without.loadMs)}x the load without Veil`;
  }
  const decoding = `Veil decoded ${fixed(burst.withVeil.decodesBeforeLoad, 0)} images before the load event, ${ms(burst.withVeil.decodeMsBeforeLoad)} of decode + hash`;
  rows.push(['page load (burst feed) with / without', '<= 1.2x', `${fixed(burst.loadRatio)}x (${ms(burst.withVeil.loadMs)} vs ${ms(burst.without.loadMs)}; ${decoding}${floor})`,
    { met: burst.loadRatio <= 1.2, worse: chromium && chromium !== browser && burst.loadRatio > chromium.feeds.burst.loadRatio }]);
  const tasks = Object.values(f);
  const longWith = tasks.map((s) => s.withVeil.perRun.reduce((n, r) => n + r.longTasks, 0));
  const longWithout = tasks.map((s) => s.without.perRun.reduce((n, r) => n + r.longTasks, 0));
  const longAdded = tasks.reduce((n, s) => n + s.longTasksAdded, 0);
  const counted = `long tasks with Veil minus without, all runs: ${longAdded} (with ${longWith.join('/')}, without ${longWithout.join('/')}, per feed)`;
  if (browser.longTasks) {
    const traced = Object.values(browser.longTasks).filter(Boolean);
    const caused = sum(traced.map((t) => t.causedByVeil));
    rows.push([`long tasks caused by Veil (a traced load of each feed: tasks over ${LONG_TASK_MS} ms that Veil's scripts made long)`, '0',
      `${caused} (per feed ${traced.map((t) => t.causedByVeil).join('/')}; long tasks ${traced.map((t) => t.long).join('/')}, Veil ran in ${traced.map((t) => t.withVeil).join('/')}, its largest part ${ms(Math.max(0, ...traced.map((t) => t.longestVeilMs)))}); ${counted}`,
      { met: caused === 0 }]);
  } else {
    rows.push(['long tasks caused by Veil (all feeds and runs, with minus without)', '0',
      browser.longTasksSupported ? counted : 'n/a (no longtask entries in this browser)',
      browser.longTasksSupported ? { met: longAdded <= 0 } : {}]);
  }
  const contexts = browser.memory.after.contexts.map((c) => `${c.kind} ${c.page} ${fixed(c.usedMb, 1)} MB`).join('; ');
  rows.push(['extension memory after the feeds: process PSS; JS heap per context', 'reported',
    `${fixed(browser.memory.after.processMb, 1)} MB (idle before the feeds ${fixed(browser.memory.idle.processMb, 1)} MB)${contexts ? `; ${contexts}` : ''}`, {}]);
  return rows;
}

function targetsTable(chromium, firefox, workers) {
  const c = targetRows(chromium, chromium, workers);
  const f = firefox ? targetRows(firefox, chromium, workers) : [];
  return table(['figure', 'target', 'Chromium', '', 'Firefox ESR', ''], c.map((row, i) => {
    const fr = f[i];
    const fVerdict = fr ? (fr[3].met === undefined ? '' : fr[3].met && !fr[3].worse ? 'met' : fr[3].worse ? '**worse than Chromium**' : '**not met**') : '';
    return [row[0], row[1], row[2], verdictOf(row[3].met), fr ? fr[2] : 'not run', fVerdict];
  }));
}

function feedTable(browser) {
  return table(['feed', 'images x runs', 'with Veil p50 / p95', 'without p50 / p95', 'added p50 / p95', 'added, paint after request start p50 / p95', 'not painted on screen', 'load with / without', 'long tasks with / without', 'wrong / undecided verdicts'],
    Object.values(browser.feeds).map((s) => [
      s.feed.title, `${s.withVeil.measured} x ${s.withVeil.perRun.length}`,
      `${pair(s.withVeil.ttpP50, s.withVeil.ttpP95)} ms`, `${pair(s.without.ttpP50, s.without.ttpP95)} ms`,
      `**${pair(s.addedP50, s.addedP95)} ms**`, `${pair(s.addedFromRequestP50, s.addedFromRequestP95)} ms`,
      `${s.withVeil.perRun.map((r) => r.unpainted).join('/')} with, ${s.without.perRun.map((r) => r.unpainted).join('/')} without`,
      `${ms(s.withVeil.loadMs)} / ${ms(s.without.loadMs)}`,
      `${s.withVeil.perRun.map((r) => r.longTasks).join('/')} / ${s.without.perRun.map((r) => r.longTasks).join('/')}`,
      `${s.withVeil.perRun.map((r) => r.wrong).join('/')} / ${s.withVeil.perRun.map((r) => r.undecided).join('/')}`,
    ]));
}

function verdictTable(browser) {
  return table(['feed', 'response -> verdict p50 / p95 (every image)', "Veil's request after the page's (server) p50", "Veil's request after the page's response ended p50", "Veil's requests / images"],
    Object.values(browser.feeds).map((s) => [s.feed.title, `${pair(s.withVeil.verdictP50, s.withVeil.verdictP95)} ms`,
      ms(s.withVeil.veilAfterPageP50), ms(s.withVeil.veilAfterResponseP50), `${fixed(s.withVeil.veilRequests, 0)} / ${s.feed.images.length}`]));
}

function stageTable(browser) {
  const feeds = Object.values(browser.feeds);
  if (!feeds.some((s) => s.stages.traced)) return '_No trace: this build has no `globalThis.veilTrace` in its background._';
  const names = feeds[0].stages.rows.map((row) => row.name);
  return table(['stage (median ms from the page\'s responseEnd; gap from the stage before p50 / p95)', ...feeds.map((s) => `${s.feed.key} (${s.stages.traced} traced)`)],
    names.map((name, k) => [name, ...feeds.map((s) => {
      const row = s.stages.rows[k];
      return row.n ? `${fixed(row.offsetP50, 0)} (${Number.isFinite(row.gapP50) ? `+${fixed(row.gapP50, 0)} / +${fixed(row.gapP95, 0)}` : '-'})` : '-';
    })]));
}

/** A stage's row of a feed's trace summary (summarise.mjs `stages`). */
const stage = (stages, name) => stages.rows.find((row) => row.name === name);

/**
 * The floor each time-to-pixels target is measured against: the work Veil cannot skip once its
 * bytes are in (decode and hash, from its trace), alone and, on a first screen, queued with the
 * screen's other images as they arrived on this machine's workers (summarise.mjs `verdictFloor`);
 * beside it what Veil added, and the stages that add more than that work (its bytes after the
 * page's, the wait for a decoder).
 */
function floorTable(browser, workers) {
  return table(['feed', 'added p50 (target)', "Veil's bytes after the page's p50", 'wait for a decoder p50', 'decode + hash p50', `floor: alone / first screen as it arrived on ${workers} worker${workers > 1 ? 's' : ''}`],
    Object.values(browser.feeds).filter((s) => s.stagesMeasured.traced).map((s) => {
      const measured = s.stagesMeasured;
      const work = stage(measured, 'decodeEnd').gapP50 + stage(measured, 'hashed').gapP50;
      return [s.feed.key, `${ms(s.addedP50)} (${ms(addedTarget(s.feed).p50)})`, ms(stage(measured, 'bytesIn').offsetP50),
        ms(measured.decoderWait.p50), ms(work), `${ms(work)} / ${s.firstScreenFloor ? ms(s.firstScreenFloor.floorP50) : '-'}`];
    }));
}

/** Response -> verdict for every image of a load against its floor (summarise.mjs `verdictFloor`). */
function verdictFloorTable(browser, workers) {
  return table(['feed', 'response -> verdict p50', `floor p50 on ${workers} worker${workers > 1 ? 's' : ''}`, 'decode + hash of the whole load (images)'],
    Object.values(browser.feeds).filter((s) => Number.isFinite(s.verdictFloor.floorP50)).map((s) => [
      s.feed.key, ms(s.withVeil.verdictP50), ms(s.verdictFloor.floorP50), `${ms(s.verdictFloor.workMs)} (${fixed(s.verdictFloor.images, 0)})`,
    ]));
}

function workersTable({ workers, feeds }) {
  const row = (s, side, count) => {
    const figures = side === 'more' ? s.withVeil : s.without;
    const stages = side === 'more' ? s.stages : s.stagesWithout;
    const wait = stages.decoderWait;
    return [s.feed.title, String(count), `${pair(figures.ttpP50, figures.ttpP95)} ms`, `${pair(figures.verdictP50, figures.verdictP95)} ms`,
      `${pair(wait.p50, wait.p95)} ms`, ms(stage(stages, 'decodeEnd').gapP50), ms(figures.loadMs)];
  };
  return table(['feed', 'decoding workers', 'time to pixels p50 / p95', 'response -> verdict p50 / p95', 'wait for a decoder p50 / p95', 'decode p50', 'page load'],
    Object.values(feeds).flatMap((s) => [row(s, 'built', workers.built), row(s, 'more', workers.more)]));
}

/** The long tasks Veil caused in the traced loads, feed by feed, with the scripts that took the time. */
export function causedTasks(longTasks) {
  const lines = Object.entries(longTasks).filter(([, t]) => t?.caused.length).flatMap(([key, t]) => t.caused.map((task) =>
    `- ${key}: a ${ms(task.ms)} task, ${ms(task.veilMs)} of it Veil's: ${Object.entries(task.byScript).sort((a, b) => b[1] - a[1]).map(([script, took]) => `${script} ${ms(took)}`).join(', ')}`));
  return lines.length ? lines.join('\n') : '- none';
}

function studyTable(study) {
  const rows = [...study.summary].sort((a, b) => a.format.localeCompare(b.format) || a.totalMs - b.totalMs);
  return table(['format', 'path', 'images', 'bits from today p50 / p95 / max', 'decode ms p50', 'decode + hash ms p50', 'output long side p50 (input)', ''],
    rows.map((r) => [r.format, r.path, `${r.n}${r.errors ? ` (${r.errors} failed)` : ''}`, `${fixed(r.bitsP50, 0)} / ${fixed(r.bitsP95, 0)} / ${r.bitsMax}`,
      fixed(r.decodeMs, 1), fixed(r.totalMs, 1), `${fixed(r.sideP50, 0)} (${fixed(r.inputSideP50, 0)})`,
      study.best[r.format] === r.path ? '**cheapest within a few bits**' : r.bitsP50 <= CLOSE.medianBits && r.bitsP95 <= CLOSE.p95Bits ? 'within a few bits' : '']));
}

export function report({ command, started, uptime, wallMinutes, runs, cores, workers, chromium, firefox, workerComparison, study, wasmGzip }) {
  const browsers = [chromium, firefox].filter(Boolean);
  return `# Veil performance report

Generated by \`make bench-perf\` (\`${command}\`) on ${started} (UTC), headless Chromium and Firefox ESR;
\`uptime\` at the start: \`${uptime}\`. The whole bench took ${fixed(wallMinutes, 1)} minutes.
Every comparison is measured in this one run, with Veil and without it one after the other (which goes
first alternates by run), each load with fresh URLs; figures are medians over ${runs} runs of each run's
p50 / p95. On a shared, loaded machine the figures are noisy: rerun the command rather than trust them.

## Against the targets (issue 13)

"Added time to pixels" is, image by image, the frame that painted it minus the page's own
\`responseEnd\` for it, with Veil minus without (same feed, same run). Firefox: the same figures,
judged against the same targets and against Chromium's.

${targetsTable(chromium, firefox, workers)}

## 1. Time to pixels, feed by feed

The feeds (every tenth image an edited copy of the protected photo, which Veil must hide and which
never counts here):
- burst: 200 images at once (demo images re-encoded at 320-1600 px, JPEG / PNG / WebP) in a grid of
  290 px tiles; time to pixels on the ${FIRST_SCREEN} tiles of the first screen, while the rest load behind;
- scrolled: the burst's first images, \`loading="lazy"\`, 360 px posts, one screen down every
  ${SCROLL_PAUSE_MS} ms to the end (every image counts);
- delayed: ordinary photos (JPEG, long side 480-800 px, median 640) from a second origin
  (127.0.0.2, cross-site) whose server holds every response ${DELAY_MS} ms, as a CDN across a network;
  a first screen page and a scrolled one;
- real-world sizes: JPEG and WebP photos at 1080 / 1440 / 2048 px and PNG screenshots (the browser's
  own, of a text page with photos, 1280x800-1920x1080), first screen.

Photos come from the match-quality corpus (\`scripts/quality-corpus.sh\`, Debian wallpaper and
GCompris packages; demo images if it is absent), re-encoded by the browser; nothing is downloaded
by the bench itself.

${browsers.map((b) => `### ${b.name}\n\n${b.paintMethod}\n\n${feedTable(b)}`).join('\n\n')}

"Added, paint after request start" is the same difference measured from the page's request start
instead of its response end: it also counts any hold Veil puts on the response itself.
Lazy images load a little ahead of the screen (more so in Firefox), so in the scrolled feeds an
image's paint waits for the scroll on both sides; the difference is Veil's.
"Not painted on screen" counts measured images with no paint: a scrolled image cleared only after it
had left the screen (or never), per run.
${chromium.longTasks ? `
Long tasks Veil caused, in one more load of each feed with Veil that Chromium traced (\`scripts/bench-perf/long-tasks.mjs\`:
tasks over ${LONG_TASK_MS} ms on the page's main thread that would not have been long without Veil's scripts' part; tracing
slows the page a little):
${causedTasks(chromium.longTasks)}
` : ''}
## 2. Response -> verdict, and Veil's own requests

Verdict: when the page sees Veil clear an image (\`data-veil-ok\`) or hide it (its panel), noted by
demo/verdict-watch.js. Veil's requests: arrival at the server of the extension's own download
(\`Sec-Fetch-Dest: empty\`) against the page's (\`image\`); in Firefox Veil reads the page's own
download instead, so it has none.

${browsers.map((b) => `### ${b.name}\n\n${verdictTable(b)}`).join('\n\n')}

## 3. Where Veil's time goes, per image

From Veil's trace (\`globalThis.veilTrace\` in its background: ms since the epoch per stage) and the
page's Resource Timing and paint, every image of the with-Veil runs: the median of each stage's time
from the page's \`responseEnd\` for it, and in brackets the gap from the stage before, p50 / p95 (image by
image, where both exist). announced: the browser said the page requests it; asked: a content script's
check arrived; fetchStart / sent / bytesIn: Veil's own read (sent: its download's turn came and the
page's Referer is set on it); pooled: the image joined the decoders' queue (in Chromium across the
offscreen document's channel); toWorker: a worker's turn came; decodeStart / decodeEnd / hashed (in
the worker); verdict: sent
to the frame. "painted" exists only for images the browser painted (on a grid page, those near the
first screen), so its median is over fewer images than the verdict's; the gap is image by image.

${browsers.map((b) => `### ${b.name}\n\n${stageTable(b)}`).join('\n\n')}

## 4. The floor under each target

What Veil cannot skip once it has an image's bytes is its decode and hash (pipeline/decode.js,
the wasm), taken from its trace, over the images time to pixels counts (a grid's first screen). An
image alone can be shown no sooner than that after its bytes; on a first screen, the median image
also waits for the screen's images before it on this machine's ${workers} decoding worker${workers > 1 ? 's' : ''} (${cores} cores, one left to the
page): the floor beside "alone" is the median response -> verdict of the first screen's images in an
ideal pool (described under the next table) fed them as their page's bytes arrived, with no other
image. Whatever Veil adds beyond that floor is in the two stages beside it.

${browsers.map((b) => `### ${b.name}\n\n${floorTable(b, workers)}`).join('\n\n')}

Response -> verdict over every image of a load (the burst's target) has a floor of its own: the
load's decode and hash, image by image as Veil's trace measured them, on ${workers} decoder${workers > 1 ? 's' : ''} that never idle while an
image waits, each image starting as soon as the page's own bytes of it are in (no second download,
no queue of Veil's), in the order they came. The floor is the median image's response -> verdict in
that ideal pool; the whole load's decode and hash is beside it.

${browsers.map((b) => `### ${b.name}\n\n${verdictFloorTable(b, workers)}`).join('\n\n')}

## 5. Decoding workers: ${workerComparison ? `${workerComparison.workers.built} vs ${workerComparison.workers.more}` : 'not compared'}

${workerComparison ? `The build as it is (${workerComparison.workers.built} decoding worker${workerComparison.workers.built > 1 ? 's' : ''} on ${cores} cores) and a copy of it sized as on a
machine with one core more (${workerComparison.workers.more} workers), both with Veil, on this machine, the same feeds loaded
one after the other (which goes first alternates), ${workerComparison.runs} runs, medians of each run's figures.

${workersTable(workerComparison)}` : '_Not run (`--workers-runs 0`)._'}

## 6. Memory

Proportional set size (\`/proc/PID/smaps_rollup\`) of the extension's process (Chromium: its renderer,
\`--extension-process\`; Firefox: the WebExtensions process), idle before the feeds and after them, and
in Chromium the JS heap of each of the extension's contexts (CDP \`Runtime.getHeapUsage\`).

${table(['browser', 'process PSS idle / after', 'contexts after the feeds (JS heap used / allocated)'], browsers.map((b) => [b.name,
    `${fixed(b.memory.idle.processMb, 1)} / ${fixed(b.memory.after.processMb, 1)} MB`,
    b.memory.after.contexts.map((c) => `${c.kind} ${c.page}: ${fixed(c.usedMb, 1)} / ${fixed(c.totalMb, 1)} MB`).join('; ') || 'n/a']))}

## 7. Decoding for the hash: bits from today's path, and time (issue 13, item 4)

${study.photos} photos (${study.sources}) each encoded twice by Chromium's encoders, at two of
640 / 1080 / 1600 / 2048 px and two of JPEG / PNG / WebP (quality 0.85): ${study.images} images.
Each path decodes every image in a plain, cross-origin-isolated page (fine timers), paths in rotating
order; its hash is the wasm \`pageFingerprint\` (full frame), compared with today's path: \`createImageBitmap\`
with a 'high' resize to at most 512 px. "Within a few bits": median <= ${CLOSE.medianBits} and p95 <= ${CLOSE.p95Bits}.
ImageDecoder is asked for the 512 (or 256) px size and may not honour it: the output side shows what
it gave. GIF is not measured: no encoder for it without a download.

${study.browsers.map((s) => `### ${s.name}\n\nCheapest within a few bits: ${Object.entries(s.best).map(([format, path]) => `${format}: ${path ?? 'none'}`).join('; ')}.\n\n${studyTable(s)}`).join('\n\n')}

## 8. Size

The wasm (pkg/veil_bg.wasm), gzipped at level 9: ${fixed(wasmGzip / 1024, 1)} KB.
`;
}
