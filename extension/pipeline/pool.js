// Decoding is CPU-bound: a pool of dedicated workers decodes and hashes images side by side,
// images on screen first (also one that a frame says is on screen only while it waits). Sized from
// the machine's cores (pool-size.js). The bytes move as Blobs (a reference to the browser's copy,
// not a copy). Where workers cannot start, images are fingerprinted in this context instead.

import { FINGERPRINTING, REASON } from '../protocol.js';
import { rasterizeSvg } from './decode.js';
import { answerFingerprint, now } from './fingerprint.js';
import { coreLimits } from '../shared/wasm.js';
import { workersFor } from './pool-size.js';
import { Unchecked } from './read.js';

export const WORKER_COUNT = workersFor(navigator.hardwareConcurrency);

/** @typedef {{blob: Blob | ImageBitmap, header: object | null, key: string, resolve: Function, reject: Function, pooled: number, toWorker?: number}} Job */
const waiting = { onScreen: /** @type {Job[]} */ ([]), later: /** @type {Job[]} */ ([]) };
/** @type {{worker: Worker | null, busy: Job | null}[]} */
let workers = null;
let nextId = 0;

function startWorkers() {
  workers = Array.from({ length: WORKER_COUNT }, () => {
    const slot = { worker: null, busy: null };
    spawn(slot);
    return slot;
  });
}

/** Starts the slot's worker; where workers cannot start, the slot decodes in this context. */
function spawn(slot) {
  try {
    slot.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  } catch (error) {
    console.warn('Veil: decoding workers unavailable, decoding in place:', error);
    slot.worker = null;
    return;
  }
  slot.worker.addEventListener('message', ({ data }) => {
    if (data?.type !== FINGERPRINTING.fingerprinted || !slot.busy) return;
    const job = slot.busy;
    slot.busy = null;
    settle(job, data);
    pump();
  });
  slot.worker.addEventListener('error', (event) => {
    // A worker that died fails its image (shown as not checked) and is replaced.
    const job = slot.busy;
    slot.busy = null;
    job?.reject(new Unchecked(REASON.undecodable, String(event.message ?? 'worker error'))); // developer-facing
    slot.worker.terminate();
    spawn(slot);
    pump();
  });
}

function settle(job, answer) {
  if (answer.error) job.reject(new Unchecked(answer.error.reason, answer.error.detail));
  else job.resolve({ queries: answer.queries, timing: { pooled: job.pooled, toWorker: job.toWorker, ...answer.timing } });
}

function pump() {
  for (const slot of workers) {
    if (slot.busy) continue;
    const job = waiting.onScreen.shift() ?? waiting.later.shift();
    if (!job) return;
    job.toWorker = now();
    if (!slot.worker) {
      // No worker (it could not start): decode here, in turn.
      slot.busy = job;
      answerFingerprint({ id: 0, blob: job.blob, header: job.header }).then((answer) => {
        slot.busy = null;
        settle(job, answer);
        pump();
      });
      continue;
    }
    slot.busy = job;
    // A drawn SVG moves to the worker (transferred); a Blob is a reference to the browser's copy.
    const transfer = job.blob instanceof ImageBitmap ? [job.blob] : [];
    slot.worker.postMessage({ type: FINGERPRINTING.fingerprint, id: ++nextId, blob: job.blob, header: job.header }, transfer);
  }
}

/** Starts the workers (and their wasm) before the first image needs them. */
export function preparePool() {
  if (!workers) startWorkers();
}

/**
 * `{queries, timing}` for an image read by readPageImage, or Unchecked; images on screen go first.
 * `key`: the image's URL, by which seenOnScreen finds it while it waits.
 * @param {Blob} blob
 * @param {object | null} header
 * @param {boolean} onScreen
 * @param {string} key
 * @returns {Promise<{queries: import('../protocol.js').Query[], timing: import('../protocol.js').FingerprintTiming}>}
 */
export async function fingerprintInPool(blob, header, onScreen, key) {
  preparePool();
  /** @type {Job['blob']} */
  let source = blob;
  if (header?.format === 'svg') {
    try {
      source = await rasterizeSvg(blob, (await coreLimits()).iconSide);
    } catch (error) {
      throw new Unchecked(REASON.undecodable, String(error));
    }
    if (!source) return { queries: null, timing: null }; // an icon
  }
  return new Promise((resolve, reject) => {
    (onScreen ? waiting.onScreen : waiting.later).push({ blob: source, header, key, resolve, reject, pooled: now() });
    pump();
  });
}

/** A frame said the image `key` is on screen: if it waits behind images that are not, it goes first. */
export function seenOnScreen(key) {
  const at = waiting.later.findIndex((job) => job.key === key);
  if (at >= 0) waiting.onScreen.push(...waiting.later.splice(at, 1));
}
