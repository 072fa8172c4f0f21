// Long tasks caused by Veil, told apart from the page's own (issue 13: "0 long tasks caused by
// Veil"). Counting long tasks with Veil and without says little on a loaded machine, where the
// page's own tasks cross 50 ms either way. So each feed is loaded once more with Veil while the
// browser traces its page (CDP Tracing, devtools.timeline): every task over 50 ms on the page's
// main thread, and the part of it that ran Veil's scripts (its content scripts' evaluation and
// calls, with any layout they forced; chrome-extension:// URLs). A task is Veil's when, without its
// part, it would not have been long. The page itself cannot see this split (Long Animation Frames
// leave extension scripts out); a tracing browser can. Chromium only.
import { loadFeed } from './load-feed.mjs';

export const LONG_TASK_MS = 50;
const PROBE = '/bench/feed-probe.js';

/** Starts tracing `page`; returns what stops it and gives the page's long tasks. */
async function traceTasks(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
    return longTasksIn(events);
  };
}

/** `[{ms, veilMs}]`: the page's main-thread tasks over LONG_TASK_MS and Veil's scripts' time in each. */
function longTasksIn(events) {
  // The page's main thread is where its own probe script ran.
  const probe = events.find((e) => e.name === 'EvaluateScript' && e.args?.data?.url?.endsWith(PROBE));
  if (!probe) return null;
  const onMain = events.filter((e) => e.pid === probe.pid && e.tid === probe.tid && e.ph === 'X');
  const veil = onMain
    .filter((e) => (e.name === 'FunctionCall' || e.name === 'EvaluateScript') && e.args?.data?.url?.startsWith('chrome-extension://'))
    .sort((a, b) => a.ts - b.ts);
  return onMain
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > LONG_TASK_MS * 1000)
    .map((task) => {
      // Veil's calls can nest (a call that dispatches an event Veil also listens to): their union.
      let veilUs = 0;
      let coveredTo = task.ts;
      const byScript = {};
      for (const call of veil) {
        if (call.ts >= task.ts + task.dur || call.ts + call.dur <= coveredTo) continue;
        const from = Math.max(call.ts, coveredTo);
        const to = Math.min(call.ts + call.dur, task.ts + task.dur);
        veilUs += to - from;
        coveredTo = to;
        const what = call.name === 'EvaluateScript' ? 'loading' : call.args.data.functionName || 'call';
        const script = `${call.args.data.url.split('/').slice(3).join('/')} (${what})`;
        byScript[script] = (byScript[script] ?? 0) + (to - from) / 1000;
      }
      return { ms: task.dur / 1000, veilMs: veilUs / 1000, byScript };
    });
}

/** Per feed key: the traced load's long tasks, those Veil ran in, and those it caused. */
export async function attributeLongTasks(side, origins, feeds, log) {
  const out = {};
  for (const feed of feeds) {
    log(`${side.browser}: ${feed.key}, with Veil, traced for long tasks`);
    const { watched: tasks } = await loadFeed(side, origins, feed, `${feed.key}-${side.browser}-traced`.toLowerCase(), traceTasks);
    out[feed.key] = tasks && {
      long: tasks.length,
      withVeil: tasks.filter((task) => task.veilMs > 0).length,
      causedByVeil: tasks.filter((task) => task.ms - task.veilMs <= LONG_TASK_MS).length,
      caused: tasks.filter((task) => task.ms - task.veilMs <= LONG_TASK_MS),
      longestVeilMs: Math.max(0, ...tasks.map((task) => task.veilMs)),
    };
  }
  return out;
}
