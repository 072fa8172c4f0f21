// One page image from its URL to its PDQ fingerprint, in two steps that may run in two places:
// reading it (fetch, capped; bombs and SVG refused from the header before anything is decoded),
// always in the background, where every request Veil makes is made; and fingerprinting the bytes
// (decode pre-scaled, PDQ in wasm), where decoding is fastest (see background/fingerprinter.js).
// Matching stays with the background, which alone holds the protected list.

import { decodePageImage } from './pixels.js';
import { imageHeader, pageFingerprint, wasmReady } from './wasm.js';

const ICON_SIDE = 32;

// Chromium's background and its offscreen document talk over this (both are the extension's origin;
// no page can join).
export const FINGERPRINT_CHANNEL = 'veil-fingerprint';

export const LIMITS = Object.freeze({
  maxBytes: 32 * 1024 * 1024,
  maxPixels: 50_000_000,
  maxSide: 20_000,
  fetchTimeoutMs: 15_000,
});

/** Why an image could not be checked; the content script words it for the person. */
export class Unchecked extends Error {
  constructor(reason, detail) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
    this.reason = reason;
  }
}

// Where image headers declare their size; a JPEG's can sit after large metadata, so an image
// whose size is not found here is sniffed whole.
const HEADER_BYTES = 256 * 1024;

/**
 * `{blob, header}` of the image at `source` (or of `pageCopy`, the page's own download of it where
 * the browser lets Veil read that), `null` for an icon (not checked), or
 * Unchecked('fetch' | 'too_large' | 'unsupported'). The bytes stay in a Blob, held by the browser
 * rather than in this context's memory, until the decoder streams them.
 */
export async function readPageImage(source, onScreen, pageCopy = null) {
  const blob = pageCopy ?? await fetchCapped(source, onScreen);
  if (blob.size > LIMITS.maxBytes) throw new Unchecked('too_large', `${blob.size} bytes`);
  await wasmReady();
  let header = imageHeader(new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer()));
  if (header && !header.width && blob.size > HEADER_BYTES) header = imageHeader(new Uint8Array(await blob.arrayBuffer()));
  if (header?.format === 'svg') throw new Unchecked('unsupported', 'svg');
  if (header?.width && header?.height) {
    const { width, height } = header;
    if (width < ICON_SIDE && height < ICON_SIDE) return null;
    if (width > LIMITS.maxSide || height > LIMITS.maxSide || width * height > LIMITS.maxPixels) {
      throw new Unchecked('too_large', `${width}x${height}`);
    }
  }
  return { blob, header };
}

/**
 * What an image read by readPageImage is matched by: `[{pdq, quality}]`, its full frame and, when
 * it has letterbox or padding borders, its content inside them (wasm `pageFingerprint`); or
 * Unchecked('undecodable').
 */
export async function fingerprintBlob(blob, header, onScreen) {
  await wasmReady();
  const pixels = await decodeInTurn(blob, header, onScreen);
  return pageFingerprint(pixels.data, pixels.width, pixels.height);
}

// Decoding is CPU-bound: an off-screen image waits while one on screen is being decoded, so that
// it does not slow what the person is looking at (downloads still run side by side).
let decodingOnScreen = 0;
const offScreenWaiting = [];

async function decodeInTurn(blob, header, onScreen) {
  if (onScreen) decodingOnScreen++;
  else while (decodingOnScreen > 0) await new Promise((resolve) => offScreenWaiting.push(resolve));
  try {
    return await decodePageImage(blob, header);
  } catch (error) {
    throw new Unchecked('undecodable', String(error));
  } finally {
    if (onScreen && --decodingOnScreen === 0) offScreenWaiting.splice(0).forEach((resume) => resume());
  }
}

/** The image as a Blob, or Unchecked('fetch' | 'too_large'). */
async function fetchCapped(url, onScreen) {
  let response;
  try {
    response = await fetch(url, {
      credentials: 'include',
      cache: 'force-cache',
      // The network service sends an image on screen before off-screen ones.
      priority: onScreen ? 'high' : 'low',
      signal: AbortSignal.timeout(LIMITS.fetchTimeoutMs),
    });
  } catch (error) {
    throw new Unchecked('fetch', String(error));
  }
  if (!response.ok) throw new Unchecked('fetch', `HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') || 0);
  if (declared > LIMITS.maxBytes) throw new Unchecked('too_large', `${declared} bytes`);
  // A declared length within the cap is read in one piece (the network service holds the body to
  // it); a compressed or undeclared body is counted as it streams (it could inflate past the cap).
  if (declared > 0 && !response.headers.get('content-encoding')) {
    try {
      return await response.blob();
    } catch (error) {
      throw new Unchecked('fetch', String(error));
    }
  }
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch (error) {
      throw new Unchecked('fetch', String(error));
    }
    if (step.done) break;
    total += step.value.byteLength;
    if (total > LIMITS.maxBytes) {
      reader.cancel();
      throw new Unchecked('too_large', `over ${LIMITS.maxBytes} bytes`); // developer-facing detail
    }
    chunks.push(step.value);
  }
  return new Blob(chunks);
}
