// When each image reached each stage, for `make bench-perf`'s breakdown of where Veil's time goes
// (globalThis.veilTrace, read by the bench from this context). In memory only, bounded, never sent
// anywhere; pages cannot reach the background's globals.

const MAX_IMAGES = 5_000;

/**
 * @typedef {'announced' | 'asked' | 'fetchStart' | 'sent' | 'bytesIn' | 'pooled' | 'toWorker' | 'decodeStart' | 'decodeEnd' | 'hashed' | 'verdict'} Stage
 * @type {Map<string, Partial<Record<Stage, number>>>}
 */
const trace = new Map();
globalThis.veilTrace = trace;

/** Now, in ms since the epoch: comparable across Veil's contexts and with the page's timings. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * Records the first time `url` reached `stage`.
 * @param {string} url
 * @param {Stage} stage
 */
export function mark(url, stage, at = now()) {
  let stages = trace.get(url);
  if (!stages) {
    if (trace.size >= MAX_IMAGES) trace.delete(trace.keys().next().value);
    stages = {};
    trace.set(url, stages);
  }
  stages[stage] ??= at;
}
