// Where Veil's content scripts spend the page's main thread: a CPU profile (CDP, sampled every
// 0.1 ms) of loads of one of make bench-perf's feeds in Chromium with Veil, each sample's time given
// to the nearest of Veil's functions on its stack (the browser work a call forced, a style or layout
// read, counts as the caller's). Medians are not taken: the figures are ms per load, averaged.
// Usage: node scripts/profile-content.mjs [--feed burst] [--loads 3] [--until-load] [--top 25] [--extension DIR]
//   --until-load: only what ran before the page's load event (what delays the page's load);
//   --extension: a build of Veil other than dist/chromium.
import { parseArgs } from 'node:util';
import { chromiumPlain, chromiumWithVeil } from './bench-perf/browsers.mjs';
import { serveFeeds } from './bench-perf/encode.mjs';
import { feedPlans } from './bench-perf/feeds.mjs';
import { loadFeed } from './bench-perf/load-feed.mjs';
import { startOrigins } from './bench-perf/servers.mjs';

const { values } = parseArgs({
  options: {
    feed: { type: 'string', default: 'burst' }, loads: { type: 'string', default: '3' },
    'until-load': { type: 'boolean', default: false }, top: { type: 'string', default: '25' }, extension: { type: 'string' },
  },
});
const LOADS = Number(values.loads);
const EXTENSION = 'chrome-extension://';

/** Starts profiling `page`; what it returns gives the profile (at the load event with --until-load). */
async function profile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const stop = async () => (await cdp.send('Profiler.stop')).profile;
  if (!values['until-load']) return stop;
  const atLoad = new Promise((resolve) => page.once('load', () => resolve(stop())));
  return () => atLoad;
}

/** ms per Veil function (script:function:line, and the callee where the time was spent). */
function byVeilFunction({ nodes, samples, timeDeltas }, into) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map(nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id])));
  samples.forEach((id, i) => {
    let frame = null;
    for (let at = id; at !== undefined && !frame; at = parentOf.get(at)) {
      const { callFrame } = byId.get(at);
      if (callFrame.url.startsWith(EXTENSION)) frame = callFrame;
    }
    if (!frame) return;
    const leaf = byId.get(id).callFrame.functionName || '(anonymous)';
    const key = `${frame.url.split('/').slice(3).join('/')}:${frame.lineNumber + 1} ${frame.functionName || '(anonymous)'}, in ${leaf}`;
    into[key] = (into[key] ?? 0) + (timeDeltas[i] ?? 0) / 1000;
  });
}

const origins = await startOrigins();
try {
  const feed = feedPlans().find((plan) => plan.key === values.feed);
  if (!feed) throw new Error(`no feed ${values.feed}: ${feedPlans().map((plan) => plan.key).join(', ')}`);
  const encoder = await chromiumPlain();
  await serveFeeds(encoder.context, origins, [feed]);
  await encoder.close();
  const side = await chromiumWithVeil({ extensionDir: values.extension, label: 'profiled' });
  const total = {};
  try {
    for (let i = 0; i < LOADS; i++) byVeilFunction((await loadFeed(side, origins, feed, `profile-${Date.now()}-${i}`, profile)).watched, total);
  } finally {
    await side.close();
  }
  const rows = Object.entries(total).sort((a, b) => b[1] - a[1]);
  const all = rows.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`Veil's content scripts on the ${feed.key} feed${values['until-load'] ? ', until the load event' : ''}: ${(all / LOADS).toFixed(1)} ms per load (${LOADS} loads)`);
  for (const [key, ms] of rows.slice(0, Number(values.top))) console.log(`${(ms / LOADS).toFixed(1).padStart(8)} ms  ${key}`);
} finally {
  await origins.close();
}
