// Decoding workers, 1 vs N (issue 13, item 3). Veil sizes its pool from the machine's cores, leaving
// the page one: 1 worker on this 2-core machine. A copy of the built extension sized as on a machine
// with more cores runs the first-screen feeds beside the build as it is, both with Veil, on this
// machine's cores: what more workers buy (the wait for a decoder) and what they cost when the cores
// are not there (the page's own time).
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { workersFor } from '../../extension/pipeline/pool-size.js';
import { CHROMIUM_DIST, ROOT } from '../../tests/e2e/harness.mjs';
import { chromiumWithVeil } from './browsers.mjs';
import { runFeeds } from './load-feed.mjs';
import { summariseFeeds } from './summarise.mjs';

export const COMPARED_FEEDS = ['burst', 'delayed'];
const SIZING = 'workersFor(navigator.hardwareConcurrency)';

/** dist/chromium copied, its decoding pool sized as on a machine with `cores` cores. */
function buildSizedFor(cores) {
  const dir = join(ROOT, `bench/out/chromium-${cores}-cores`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(CHROMIUM_DIST, dir, { recursive: true });
  const pool = join(dir, 'pipeline/pool.js');
  const source = readFileSync(pool, 'utf8');
  if (!source.includes(SIZING)) throw new Error(`bench-perf: ${pool} no longer sizes its pool from "${SIZING}"`);
  writeFileSync(pool, source.replace(SIZING, `workersFor(${cores})`));
  return dir;
}

/**
 * `{workers: {built, more}, feeds}`: the compared feeds' figures with one decoding worker more
 * ("withVeil") than the build as it is has here ("without", `built` workers), loads alternating.
 */
export async function compareWorkers(origins, feeds, runs, log) {
  const builtWorkers = workersFor(cpus().length);
  const more = builtWorkers + 1;
  const moreSide = await chromiumWithVeil({ extensionDir: buildSizedFor(more + 1), label: `veil-${more}-workers` });
  const builtSide = await chromiumWithVeil({ label: `veil-${builtWorkers}-workers` });
  try {
    const compared = feeds.filter((feed) => COMPARED_FEEDS.includes(feed.key));
    const results = await runFeeds({ withVeil: moreSide, without: builtSide }, origins, compared, runs, log);
    return { workers: { built: builtWorkers, more }, feeds: summariseFeeds(compared, results, builtWorkers) };
  } finally {
    await moreSide.close();
    await builtSide.close();
  }
}
