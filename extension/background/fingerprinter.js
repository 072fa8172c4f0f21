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

/** `[{pdq, quality}]` to match, `null` for an icon, or Unchecked (see pipeline/read.js). */
export async function fingerprintImage(url, source, onScreen) {
  mark(url, 'fetchStart');
  const pageCopy = await pageDownload(source);
  const image = await asThePageWould(source, () => readPageImage(source, onScreen, pageCopy));
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
