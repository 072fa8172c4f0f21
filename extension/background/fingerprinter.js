// Where page images are fingerprinted. The background always reads them (so every request Veil
// makes comes from one place; in Firefox from the page's own download, pipeline/gate.js). Both
// decode in a pool of workers (pipeline/pool.js): Firefox's background is a page and starts the
// pool itself; Chromium's service worker cannot start workers, so an offscreen document (opened
// as the background starts, offscreen/client.js) holds the pool.

import { offscreenClient } from '../offscreen/client.js';
import { pageDownload } from '../pipeline/gate.js';
import { fingerprintInPool, preparePool, seenOnScreen as seenOnScreenInPool } from '../pipeline/pool.js';
import { readPageImage } from '../pipeline/read.js';
import { asThePageWould } from './page-referers.js';
import { mark } from './trace.js';

const inOffscreenDocument = typeof Worker === 'undefined' && Boolean(offscreenClient);

// Veil's own downloads at once. Only downloads wait their turn here: an image whose bytes are in
// waits for a decoder in the pool (on-screen first) without keeping the next download from starting.
// A freed turn goes to an image on screen first (asked when the turn is given: a frame may have
// said so since the image joined the queue). More than the browser's own limit per host (6), so a
// page's images from one host are all asked for as the page asks for them, and the browser's network
// stack serves them by priority: at 8, `make bench-perf` measured a median 334 ms wait for a turn
// on a first screen of 36 photos from one host.
const DOWNLOADS_AT_ONCE = 24;
let downloading = 0;
/** @type {{onScreen: () => boolean, start: (value?: unknown) => void}[]} */
const downloadTurns = [];

async function inDownloadTurn(onScreen, download) {
  if (downloading < DOWNLOADS_AT_ONCE) downloading++;
  else await new Promise((start) => downloadTurns.push({ onScreen, start })); // a turn handed over
  try {
    return await download();
  } finally {
    if (downloadTurns.length === 0) downloading--;
    else downloadTurns.splice(Math.max(0, downloadTurns.findIndex((turn) => turn.onScreen())), 1)[0].start();
  }
}

// The page's own copy of an image (Firefox) can be asked for twice, by the network gate that holds
// it and by the frame's check of the same URL: it is fingerprinted once.
const fingerprintsOfCopies = new WeakMap(); // Blob -> Promise<queries | null>

/**
 * `[{pdq, quality, mirror}]` to match, `null` for an icon, or Unchecked (see pipeline/read.js).
 * `onScreen()`: whether the image is known to be on screen yet (it goes first where it waits).
 * `pageCopy`: the page's own bytes when the caller has them; otherwise they are read (gate.js, or a download).
 * @param {string} url
 * @param {string} source
 * @param {() => boolean} onScreen
 * @param {Blob | null} [pageCopy]
 */
export async function fingerprintImage(url, source, onScreen, pageCopy = null) {
  mark(url, 'fetchStart');
  const copy = pageCopy ?? (await pageDownload(source));
  if (!copy) {
    const read = () => (mark(url, 'sent'), readPageImage(source, onScreen()));
    return fingerprintRead(url, await inDownloadTurn(onScreen, () => asThePageWould(source, read)), onScreen);
  }
  if (!fingerprintsOfCopies.has(copy)) {
    fingerprintsOfCopies.set(copy, readPageImage(source, onScreen(), copy).then((image) => fingerprintRead(url, image, onScreen)));
  }
  return fingerprintsOfCopies.get(copy);
}

async function fingerprintRead(url, image, onScreen) {
  mark(url, 'bytesIn');
  if (!image) return null;
  const { queries, timing } = inOffscreenDocument
    ? await offscreenClient.fingerprint(image, onScreen, url)
    : await fingerprintInPool(image.blob, image.header, onScreen(), url);
  for (const [stage, at] of Object.entries(timing ?? {})) mark(url, /** @type {any} */ (stage), at);
  return queries;
}

/** A frame said the image at `url` is on screen: where it waits for a decoder, it goes first. */
export function seenOnScreen(url) {
  if (inOffscreenDocument) offscreenClient.seenOnScreen(url);
  else seenOnScreenInPool(url);
}

/** Opens the offscreen document ahead of the first image (a page's first verdicts wait otherwise). */
export function prepareFingerprinting() {
  if (inOffscreenDocument) offscreenClient.prepare();
  else preparePool();
}
