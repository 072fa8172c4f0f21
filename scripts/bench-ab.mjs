// Builds of Veil side by side in one run, on make bench-perf's feeds (Chromium, or Firefox ESR): the working
// tree's (dist/) against one or more baseline commits', each feed loaded by every side in turn,
// fresh URLs each time; and in Chromium a traced load of each feed on each side for the long tasks
// Veil's scripts made. What a change buys, measured beside what it changed, on a machine too noisy for
// separate runs to compare. Only the extension's JavaScript differs: a baseline is built with this
// tree's wasm (pkg/), so one whose Rust differs is refused.
// Usage: node scripts/bench-ab.mjs --baseline REV[,REV...] [--runs N] [--feeds burst,delayed,...] [--browser firefox]
// Writes bench/out/ab-report.md (git-ignored) and prints it. Runs default to an even number, so that
// each side goes first as often; the same build on both sides differed by up to 80 ms at p50 over 3
// runs (CHANGELOG round 10): a change smaller than that needs more runs (8) to show.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workersFor } from '../extension/pipeline/pool-size.js';
import { ROOT } from '../tests/e2e/harness.mjs';
import { chromiumPlain, chromiumWithVeil, firefoxWithVeil } from './bench-perf/browsers.mjs';
import { serveFeeds } from './bench-perf/encode.mjs';
import { feedPlans } from './bench-perf/feeds.mjs';
import { runFeeds } from './bench-perf/load-feed.mjs';
import { attributeLongTasks } from './bench-perf/long-tasks.mjs';
import { causedTasks } from './bench-perf/report.mjs';
import { startOrigins } from './bench-perf/servers.mjs';
import { fixed, step } from './bench-perf/stats.mjs';
import { summariseFeeds } from './bench-perf/summarise.mjs';

const { values } = parseArgs({
  options: { baseline: { type: 'string' }, runs: { type: 'string', default: '4' }, feeds: { type: 'string' }, browser: { type: 'string', default: 'chromium' } },
});
if (!values.baseline) {
  console.error('usage: node scripts/bench-ab.mjs --baseline REV[,REV...] [--runs N] [--feeds burst,delayed,...] [--browser firefox]');
  process.exit(2);
}
const RUNS = Number(values.runs);
const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const baselines = values.baseline.split(',').map((rev) => git('rev-parse', '--short', rev));
const RUST = ['src', 'web', 'Cargo.toml', 'Cargo.lock'];
for (const baseline of baselines) {
  if (git('diff', '--name-only', baseline, '--', ...RUST)) {
    console.error(`bench-ab: ${baseline}'s Rust differs from this tree's; build each side with its own wasm instead`);
    process.exit(1);
  }
}
const FIREFOX = values.browser === 'firefox';
const DIST = FIREFOX ? 'dist/firefox' : 'dist/chromium';
for (const needed of ['pkg/veil_bg.wasm', `${DIST}/manifest.json`]) {
  if (!existsSync(join(ROOT, needed))) {
    console.error(`bench-ab: ${needed} is missing: run make build first`);
    process.exit(1);
  }
}

/** A baseline's build for the browser: its tree exported to bench/out, built with this tree's pkg/. */
function buildBaseline(baseline) {
  const dir = join(ROOT, `bench/out/baseline-${baseline}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${baseline} | tar -x -C "${dir}"`], { cwd: ROOT });
  cpSync(join(ROOT, 'pkg'), join(dir, 'pkg'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules')); // the build copies libheif-js from it
  execFileSync('node', [join(dir, 'scripts/build-extension.mjs')], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return join(dir, DIST);
}

/** Long tasks Veil caused in a traced load, and the largest part of any task that was Veil's. */
const caused = (tasks) => (tasks ? `${tasks.causedByVeil} (Veil's largest part ${fixed(tasks.longestVeilMs, 0)} ms)` : 'n/a');
const causedList = (tasks) => (FIREFOX ? '- not traced (Chromium only)' : causedTasks(tasks));
/** A side with Veil: this tree's build (no `dir`) or a baseline's. */
const withVeil = (dir, label) => (FIREFOX ? firefoxWithVeil({ dist: dir, label }) : chromiumWithVeil({ extensionDir: dir, label }));

/** The tree against one baseline: `summary` from summariseFeeds with the tree as "withVeil". */
function comparison(baseline, feeds, summary, tasks) {
  return [
    `## This tree against ${baseline}`,
    '',
    `| feed | time to pixels, tree | time to pixels, ${baseline} | tree minus ${baseline} | response -> verdict p50, tree / ${baseline} | load, tree / ${baseline} | long tasks caused, tree / ${baseline} |`,
    '|---|---|---|---|---|---|---|',
    ...feeds.map(({ key }) => {
      const s = summary[key];
      const a = s.withVeil;
      const b = s.without;
      return `| ${key} | ${fixed(a.ttpP50, 0)} / ${fixed(a.ttpP95, 0)} ms | ${fixed(b.ttpP50, 0)} / ${fixed(b.ttpP95, 0)} ms | ${fixed(s.addedP50, 0)} / ${fixed(s.addedP95, 0)} ms | ${fixed(a.verdictP50, 0)} / ${fixed(b.verdictP50, 0)} ms | ${fixed(a.loadMs, 0)} / ${fixed(b.loadMs, 0)} ms | ${caused(tasks.tree[key])} / ${caused(tasks[baseline][key])} |`;
    }),
    '',
    `Where the measured images' time went (median ms from the page's responseEnd), tree / ${baseline}:`,
    '',
    `| stage | ${feeds.map((feed) => feed.key).join(' | ')} |`,
    `|---|${feeds.map(() => '---').join('|')}|`,
    ...summary[feeds[0].key].stagesMeasured.rows.map(({ name }, i) => `| ${name} | ${feeds.map(({ key }) => {
      const offset = (side) => fixed(summary[key][side].rows[i].offsetP50, 0);
      return `${offset('stagesMeasured')} / ${offset('stagesWithoutMeasured')}`;
    }).join(' | ')} |`),
    '',
    `Long tasks Veil caused, ${baseline}:`,
    causedList(tasks[baseline]),
    '',
  ];
}

const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
step(`start; ${uptime}`);
const baselineDirs = baselines.map(buildBaseline);
const origins = await startOrigins();
const out = [];
try {
  const feeds = feedPlans().filter((feed) => !values.feeds || values.feeds.split(',').includes(feed.key));
  // A plain profile to encode the feeds' images in (cached in bench/out/images, as make bench-perf does).
  const encoder = await chromiumPlain();
  await serveFeeds(encoder.context, origins, feeds);
  await encoder.close();
  const sides = { tree: await withVeil(undefined, 'veil-tree') };
  for (const [i, baseline] of baselines.entries()) sides[baseline] = await withVeil(baselineDirs[i], `veil-${baseline}`);
  try {
    const results = await runFeeds(sides, origins, feeds, RUNS, step);
    const tasks = {};
    for (const [key, side] of Object.entries(sides)) tasks[key] = FIREFOX ? {} : await attributeLongTasks(side, origins, feeds, step);
    out.push(
      `# Veil: this tree against ${baselines.join(', ')}, side by side`,
      '',
      `\`node scripts/bench-ab.mjs --baseline ${values.baseline} --runs ${RUNS}${values.feeds ? ` --feeds ${values.feeds}` : ''}${FIREFOX ? ' --browser firefox' : ''}\`, ${FIREFOX ? 'Firefox ESR' : 'Chromium'}, ${cpus().length} cores; \`uptime\` at the start: \`${uptime}\`.`,
      `Medians over ${RUNS} runs of each run's p50 / p95 (time to pixels: paint minus the page's responseEnd, every side with Veil);`,
      FIREFOX ? 'Firefox has no long-task tracing here.' : 'long tasks: one traced load of each feed on each side, tasks over 50 ms that Veil\'s scripts made long.',
      '',
      'Long tasks Veil caused, this tree:',
      causedList(tasks.tree),
      '',
    );
    for (const baseline of baselines) {
      const pair = Object.fromEntries(feeds.map(({ key }) => [key, { withVeil: results[key].tree, without: results[key][baseline] }]));
      out.push(...comparison(baseline, feeds, summariseFeeds(feeds, pair, workersFor(cpus().length)), tasks));
    }
  } finally {
    for (const side of Object.values(sides)) await side.close();
  }
} finally {
  await origins.close();
}
const text = out.join('\n');
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/ab-report.md'), text);
console.log(text);
