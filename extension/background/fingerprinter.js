// Where page images are fingerprinted. The background always reads them (so every request Veil
// makes comes from one place; in Firefox from the page's own download, page-downloads.js). Firefox's background is a page, with WebCodecs' ImageDecoder: it
// fingerprints them itself. Chromium's service worker has no ImageDecoder, so an offscreen
// document decodes and fingerprints (offscreen/client.js; not in Firefox's build).

import { fingerprintBlob, readPageImage } from '../shared/page-image.js';
import { offscreenClient } from '../offscreen/client.js';
import { pageDownload } from './page-downloads.js';

const inOffscreenDocument = typeof ImageDecoder === 'undefined' && Boolean(offscreenClient);

/** `[{pdq, quality}]` to match, `null` for an icon, or Unchecked (see page-image.js). */
export async function fingerprintImage(source, onScreen) {
  const image = await readPageImage(source, onScreen, await pageDownload(source));
  if (!image) return null;
  if (!inOffscreenDocument) return fingerprintBlob(image.blob, image.header, onScreen);
  return offscreenClient.fingerprint(image, onScreen);
}

/** Opens the offscreen document ahead of the first image (a page's first verdicts wait otherwise). */
export function prepareFingerprinting() {
  if (inOffscreenDocument) offscreenClient.prepare();
}
