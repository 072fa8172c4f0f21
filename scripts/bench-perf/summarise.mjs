// From what the feed pages recorded to the report's figures: time to pixels with Veil and without
// (medians over runs of each run's p50 / p95), response -> verdict, load, long tasks, Veil's
// requests against the page's, and where Veil's time went per image (its trace).
import { median, quantile, sum } from './stats.mjs';

const STAGES = ['announced', 'asked', 'fetchStart', 'sent', 'bytesIn', 'pooled', 'toWorker', 'decodeStart', 'decodeEnd', 'hashed', 'verdict'];

/** The paint of an image: Element Timing where the browser has it, else the first frame it was visible in. */
const paintOf = (run, image) => (run.elementTiming ? image.paint : image.frame);

/** Whether time to pixels is measured on a feed's image `i`: a cleared one (never a protected copy), on the first screen of a grid. */
const isMeasured = (feed, i) => !feed.images[i].protectedCopy && (feed.layout !== 'grid' || i < feed.firstScreen);

function measured(feed, run) {
  return run.images.filter((image, i) => isMeasured(feed, i));
}

function perRun(feed, run) {
  const images = measured(feed, run);
  const painted = images.filter((image) => paintOf(run, image) !== undefined && image.responseEnd !== undefined);
  const ttp = painted.map((image) => paintOf(run, image) - image.responseEnd);
  const fromRequest = painted.map((image) => paintOf(run, image) - image.startTime);
  const verdicts = run.images.filter((image) => image.verdict && image.responseEnd !== undefined).map((image) => image.verdict.at - image.responseEnd);
  const wrong = run.images.filter((image, i) => image.verdict && image.verdict.hidden !== feed.images[i].protectedCopy).length;
  const undecided = run.images.filter((image) => !image.verdict).length;
  // Server clock: when Veil's own request for each image arrived, after the page's request and after its response ended.
  const veilAfterPage = [];
  const veilAfterResponse = [];
  for (const [i, image] of run.images.entries()) {
    const seen = run.requests[i];
    if (!seen.veil || !seen.page) continue;
    veilAfterPage.push(seen.veil - seen.page);
    if (image.responseEnd !== undefined) veilAfterResponse.push(seen.veil - (run.timeOrigin + image.responseEnd));
  }
  // Veil's decoding while the page was still loading (its trace): what competes with the load.
  const loadAt = run.timeOrigin + run.loadMs;
  const decodedBeforeLoad = (run.trace ?? []).filter((t) => t?.decodeStart < loadAt);
  return {
    decodesBeforeLoad: decodedBeforeLoad.length,
    decodeMsBeforeLoad: sum(decodedBeforeLoad.map((t) => Math.min(t.hashed ?? loadAt, loadAt) - t.decodeStart)),
    ttpP50: median(ttp), ttpP95: quantile(ttp, 0.95), fromRequestP50: median(fromRequest), fromRequestP95: quantile(fromRequest, 0.95),
    measured: images.length, unpainted: images.length - painted.length,
    verdictP50: median(verdicts), verdictP95: quantile(verdicts, 0.95), wrong, undecided,
    loadMs: run.loadMs, longTasks: run.longTasks.length, longMs: sum(run.longTasks.map((task) => task.ms)),
    veilAfterPageP50: median(veilAfterPage), veilAfterResponseP50: median(veilAfterResponse), veilRequests: veilAfterPage.length,
    settled: run.settled,
  };
}

/** Median over runs of each per-run figure. */
function acrossRuns(feed, runs) {
  const rows = runs.map((run) => perRun(feed, run));
  const keys = Object.keys(rows[0] ?? {});
  const out = Object.fromEntries(keys.map((key) => [key, median(rows.map((row) => row[key]).filter(Number.isFinite))]));
  out.perRun = rows;
  return out;
}

/**
 * Where Veil's time went: each stage's time (its trace, the page's Resource and Element Timing)
 * relative to the page's responseEnd, medians over every traced image of the runs; and the
 * median gap from the stage before, image by image.
 */
function stages(feed, runs, { measuredOnly = false } = {}) {
  const rows = [['page request start'], ...STAGES.map((s) => [s]), ['verdict seen by the page'], ['painted']].map(([name]) => ({ name, offsets: [], gaps: [] }));
  let traced = 0;
  const decoderWaits = []; // bytes in -> decode start: the way to a decoder and the wait for one
  for (const run of runs) {
    for (const [i, image] of run.images.entries()) {
      const trace = run.trace?.[i];
      if (!trace || image.responseEnd === undefined || (measuredOnly && !isMeasured(feed, i))) continue;
      traced++;
      if (trace.bytesIn !== undefined && trace.decodeStart !== undefined) decoderWaits.push(trace.decodeStart - trace.bytesIn);
      const epoch = (ms) => (ms === undefined ? undefined : run.timeOrigin + ms);
      const paint = feed.images[i].protectedCopy ? undefined : paintOf(run, image);
      const times = [epoch(image.startTime), ...STAGES.map((stage) => trace[stage]), epoch(image.verdict?.at), epoch(paint)];
      const responseEnd = epoch(image.responseEnd);
      let before;
      for (const [k, at] of times.entries()) {
        if (at === undefined) continue;
        rows[k].offsets.push(at - responseEnd);
        if (before !== undefined) rows[k].gaps.push(at - before);
        before = at;
      }
    }
  }
  return {
    traced,
    rows: rows.map((row) => ({ name: row.name, n: row.offsets.length, offsetP50: median(row.offsets), gapP50: median(row.gaps), gapP95: quantile(row.gaps, 0.95) })),
    decoderWait: { p50: median(decoderWaits), p95: quantile(decoderWaits, 0.95) },
  };
}

/**
 * The floor under response -> verdict: each image's decode + hash as Veil's trace measured it, on
 * `workers` decoders that never idle while an image waits, each image starting no sooner than the
 * page's own bytes of it are in (as if Veil had them then, with no second download and no queue of
 * its own), in the order they came; the median over the images `counts` of when that ideal pool
 * would have decided each, after its response. Over every image of a load, or over a first screen
 * alone (which Veil takes before the rest). Also the decode + hash time of those images.
 */
function verdictFloor(run, workers, counts = () => true) {
  const jobs = run.images.flatMap((image, i) => {
    const trace = run.trace?.[i];
    if (!counts(i) || !trace?.hashed || !trace.decodeStart || image.responseEnd === undefined) return [];
    return [{ arrives: run.timeOrigin + image.responseEnd, work: trace.hashed - trace.decodeStart }];
  }).sort((a, b) => a.arrives - b.arrives);
  const free = Array(workers).fill(-Infinity); // when each decoder is next free
  const waits = jobs.map(({ arrives, work }) => {
    const k = free.indexOf(Math.min(...free));
    free[k] = Math.max(free[k], arrives) + work;
    return free[k] - arrives;
  });
  return { floorP50: median(waits), workMs: sum(jobs.map((job) => job.work)), images: jobs.length };
}

/** verdictFloor over the runs that have a trace: medians of each run's. */
function verdictFloors(runs, workers, counts) {
  const floors = runs.filter((run) => run.trace).map((run) => verdictFloor(run, workers, counts));
  return { floorP50: median(floors.map((f) => f.floorP50)), workMs: median(floors.map((f) => f.workMs)), images: median(floors.map((f) => f.images)) };
}

export function summariseFeeds(feeds, results, workers) {
  return Object.fromEntries(feeds.map((feed) => {
    const { withVeil, without } = results[feed.key];
    const a = acrossRuns(feed, withVeil);
    const b = acrossRuns(feed, without);
    return [feed.key, {
      feed, withVeil: a, without: b,
      addedP50: a.ttpP50 - b.ttpP50, addedP95: a.ttpP95 - b.ttpP95,
      addedFromRequestP50: a.fromRequestP50 - b.fromRequestP50, addedFromRequestP95: a.fromRequestP95 - b.fromRequestP95,
      loadRatio: a.loadMs / b.loadMs,
      longTasksAdded: sum(a.perRun.map((r) => r.longTasks)) - sum(b.perRun.map((r) => r.longTasks)),
      stages: stages(feed, withVeil),
      stagesMeasured: stages(feed, withVeil, { measuredOnly: true }), // the images time to pixels counts
      // Traced only where that side is a build of Veil too (scripts/bench-ab.mjs).
      stagesWithout: stages(feed, without),
      stagesWithoutMeasured: stages(feed, without, { measuredOnly: true }),
      verdictFloor: verdictFloors(withVeil, workers),
      // A first screen's images (those time to pixels counts) as they arrived, taken before the rest.
      firstScreenFloor: feed.firstScreen ? verdictFloors(withVeil, workers, (i) => isMeasured(feed, i)) : null,
    }];
  }));
}
