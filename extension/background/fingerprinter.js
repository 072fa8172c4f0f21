// Where page images are fingerprinted. The background always reads them (so every request Veil
// makes comes from one place; in Firefox from the page's own download, pipeline/gate.js). Both
// decode in a pool of workers (pipeline/pool.js): Firefox's background is a page and starts the
// pool itself; Chromium's service worker cannot start workers, so an offscreen document (opened
// as the background starts, offscreen/client.js) holds the pool.

import { offscreenClient } from '../offscreen/client.js';
import { pageDownload } from '../pipeline/gate.js';
import { fingerprintInPool, preparePool } from '../pipeline/pool.js';
import { readPageImage } from '../pipeline/read.js';
import { asThePageWould } from './page-referers.js';
import { mark } from './trace.js';

const inOffscreenDocument = typeof Worker === 'undefined' && Boolean(offscreenClient);

// Veil's own downloads at once. Only downloads wait their turn here: an image whose bytes are in
// waits for a decoder in the pool (on-screen first) without keeping the next download from starting.
const DOWNLOADS_AT_ONCE = 8;
let downloading = 0;
const downloadTurns = [];

async function inDownloadTurn(download) {
  while (downloading >= DOWNLOADS_AT_ONCE) await new Promise((resolve) => downloadTurns.push(resolve));
  downloading++;
  try {
    return await download();
  } finally {
    downloading--;
    downloadTurns.shift()?.();
  }
}

// The page's own copy of an image (Firefox) can be asked for twice, by the network gate that holds
// it and by the frame's check of the same URL: it is fingerprinted once.
const fingerprintsOfCopies = new WeakMap(); // Blob -> Promise<queries | null>

/**
 * `[{pdq, quality, mirror}]` to match, `null` for an icon, or Unchecked (see pipeline/read.js). `pageCopy`:
 * the page's own bytes when the caller has them; otherwise they are read (gate.js, or a download).
 */
export async function fingerprintImage(url, source, onScreen, pageCopy = null) {
  mark(url, 'fetchStart');
  const copy = pageCopy ?? (await pageDownload(source));
  if (!copy) return fingerprintRead(url, await inDownloadTurn(() => asThePageWould(source, () => readPageImage(source, onScreen))), onScreen);
  if (!fingerprintsOfCopies.has(copy)) {
    fingerprintsOfCopies.set(copy, readPageImage(source, onScreen, copy).then((image) => fingerprintRead(url, image, onScreen)));
  }
  return fingerprintsOfCopies.get(copy);
}

async function fingerprintRead(url, image, onScreen) {
  mark(url, 'bytesIn');
  if (!image) return null;
  const { queries, timing } = inOffscreenDocument
    ? await offscreenClient.fingerprint(image, onScreen)
    : await fingerprintInPool(image.blob, image.header, onScreen);
  for (const [stage, at] of Object.entries(timing ?? {})) mark(url, /** @type {any} */ (stage), at);
  return queries;
}

/** Opens the offscreen document ahead of the first image (a page's first verdicts wait otherwise). */
export function prepareFingerprinting() {
  if (inOffscreenDocument) offscreenClient.prepare();
  else preparePool();
}
