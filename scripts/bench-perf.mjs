// `make bench-perf`: issue 13's figures, what a person sees, each measured with Veil and without
// in one run and set against its target in bench/perf-report.md. Everything is local: servers on
// 127.0.0.1 and 127.0.0.2, headless Chromium and Firefox ESR, photos from the repository and the
// match-quality corpus. The parts live in scripts/bench-perf/:
//   feeds.mjs, encode.mjs, corpus.mjs  the feeds and their images;
//   servers.mjs, browsers.mjs          two origins; each browser with Veil and without;
//   load-feed.mjs, bench/feed-probe.js one feed page loaded and recorded (paint, verdicts, trace);
//   summarise.mjs, memory.mjs          the figures;
//   decode-study.mjs, bench/decode-paths.js  decode paths: PDQ bits from today's, and their time;
//   report.mjs                         the report.
//   long-tasks.mjs                     long tasks Veil's scripts caused (a traced load);
//   workers.mjs                        decoding workers, 1 vs N;
// Usage: node scripts/bench-perf.mjs [--runs N] [--firefox-runs N] [--workers-runs N] [--study-photos N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { workersFor } from '../extension/pipeline/pool-size.js';
import { ROOT } from '../tests/e2e/harness.mjs';
import { chromiumPair, chromiumWithVeil, firefoxPair } from './bench-perf/browsers.mjs';
import { runStudy, serveStudy, studyPlan, summariseStudy } from './bench-perf/decode-study.mjs';
import { serveFeeds } from './bench-perf/encode.mjs';
import { feedPlans } from './bench-perf/feeds.mjs';
import { runFeeds } from './bench-perf/load-feed.mjs';
import { attributeLongTasks } from './bench-perf/long-tasks.mjs';
import { report } from './bench-perf/report.mjs';
import { startOrigins } from './bench-perf/servers.mjs';
import { step } from './bench-perf/stats.mjs';
import { summariseFeeds } from './bench-perf/summarise.mjs';
import { compareWorkers } from './bench-perf/workers.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'firefox-runs': { type: 'string', default: '3' },
    'study-photos': { type: 'string', default: '80' },
    'workers-runs': { type: 'string', default: '3' },
  },
});
const RUNS = Number(values.runs);
const FIREFOX_RUNS = Number(values['firefox-runs']);
const STUDY_PHOTOS = Number(values['study-photos']);
const WORKERS_RUNS = Number(values['workers-runs']);
const REPORT = join(ROOT, 'bench/perf-report.md');
for (const needed of ['pkg/veil_bg.wasm', 'dist/chromium/manifest.json', 'dist/firefox/manifest.json']) {
  if (!existsSync(join(ROOT, needed))) {
    console.error(`bench-perf: ${needed} is missing: run make build first`);
    process.exit(1);
  }
}

const t0 = Date.now();
const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
step(`start; ${uptime}`);

/**
 * The burst's page load with Veil installed and nothing protected (its hiding, watching and request
 * listening alone, no image checked) beside the plain browser: the floor under the load target.
 */
async function loadWithNothingProtected(plain, runs, origins, feeds) {
  const burst = feeds.filter((feed) => feed.key === 'burst');
  const idle = await chromiumWithVeil({ label: 'nothing-protected', protect: false });
  try {
    // Its own label: the plain side's URLs must be new to it, not those its burst loads cached.
    const results = await runFeeds({ withVeil: idle, without: { ...plain, label: 'plain-beside-nothing-protected' } }, origins, burst, runs, step);
    return summariseFeeds(burst, results, workersFor(cpus().length)).burst;
  } finally {
    await idle.close();
  }
}

/** One browser's part: its feeds with Veil and without, the extension's memory, the decode study. */
async function benchBrowser(name, pair, runs, origins, feeds, studyUrls) {
  try {
    const idle = await pair.withVeil.memory();
    const results = await runFeeds(pair, origins, feeds, runs, step);
    const after = await pair.withVeil.memory();
    const nothingProtected = name === 'Chromium' ? await loadWithNothingProtected(pair.without, runs, origins, feeds) : null;
    const longTasks = name === 'Chromium' ? await attributeLongTasks(pair.withVeil, origins, feeds, step) : null;
    step(`${name}: decode study, ${studyUrls.length} images`);
    const study = await runStudy(pair.without.newPage, origins.local, studyUrls, step);
    const first = Object.values(results)[0].withVeil[0];
    return {
      name,
      results,
      feeds: summariseFeeds(feeds, results, workersFor(cpus().length)),
      memory: { idle, after },
      nothingProtected,
      longTasks,
      longTasksSupported: first?.longTasksSupported ?? name === 'Chromium',
      paintMethod: first?.elementTiming
        ? 'Paint: Element Timing `renderTime` (the `elementtiming` attribute; the servers send `Timing-Allow-Origin: *`).'
        : 'Paint: this browser has no Element Timing; the first animation frame in which the image is loaded, visible (computed style) and on screen stands in for it, on both sides.',
      study: { name, ...summariseStudy(study.rows) },
      studyRows: study.rows,
    };
  } finally {
    await pair.withVeil.close();
    await pair.without.close();
  }
}

const origins = await startOrigins();
let chromium;
let firefox;
let workerComparison;
let study;
try {
  const feeds = feedPlans();
  const plan = studyPlan(STUDY_PHOTOS);
  step('Chromium: starting, with Veil and without');
  const chromiumSides = await chromiumPair();
  step(`encoding ${feeds.reduce((n, f) => n + f.images.length, 0)} feed images and ${plan.length} for the decode study (cached in bench/out/images)`);
  const bodies = await serveFeeds(chromiumSides.without.context, origins, feeds, plan);
  const studyUrls = serveStudy(origins.local, plan, bodies);
  chromium = await benchBrowser('Chromium', chromiumSides, RUNS, origins, feeds, studyUrls);
  if (WORKERS_RUNS > 0) {
    step('Chromium: decoding workers, the build as it is and one worker more');
    workerComparison = { runs: WORKERS_RUNS, ...(await compareWorkers(origins, feeds, WORKERS_RUNS, step)) };
  }
  if (FIREFOX_RUNS > 0) {
    step('Firefox ESR: starting, with Veil and without');
    firefox = await benchBrowser('Firefox ESR', await firefoxPair(), FIREFOX_RUNS, origins, feeds, studyUrls);
  }
  const sources = new Set(plan.map((item) => item.source));
  const kinds = [...new Set([...sources].map((name) => name.split('/')[0]))];
  study = {
    photos: sources.size, images: studyUrls.length, sources: kinds.join(', '),
    browsers: [chromium.study, firefox?.study].filter(Boolean),
  };
} finally {
  await origins.close();
}

const wasmGzip = gzipSync(readFileSync(join(ROOT, 'pkg/veil_bg.wasm')), { level: 9 }).length;
const command = `node scripts/bench-perf.mjs --runs ${RUNS} --firefox-runs ${FIREFOX_RUNS} --workers-runs ${WORKERS_RUNS} --study-photos ${STUDY_PHOTOS}`;
const cores = cpus().length;
const text = report({ command, started, uptime, wallMinutes: (Date.now() - t0) / 60_000, runs: RUNS, cores, workers: workersFor(cores), chromium, firefox, workerComparison, study, wasmGzip });
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(REPORT, text);
// Every page's raw record, for a figure to be checked image by image (git-ignored).
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/perf-raw.json'), JSON.stringify({ chromium: chromium.results, firefox: firefox?.results, study: [chromium.studyRows, firefox?.studyRows] }));
console.log(text);
console.log(`Written to ${relative(ROOT, REPORT)} in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
