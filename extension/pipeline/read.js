// The pipeline's second step: reading a page image's bytes (the page's own copy where gate.js has
// it, else a capped download), with bombs and SVG refused from the header before anything is
// decoded. Always in the background, where every request Veil makes is made.

import { REASON } from '../protocol.js';
import { imageHeader, wasmReady } from '../shared/wasm.js';

const ICON_SIDE = 32;

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
  if (blob.size > LIMITS.maxBytes) throw new Unchecked(REASON.tooLarge, `${blob.size} bytes`);
  await wasmReady();
  let header = imageHeader(new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer()));
  if (header && !header.width && blob.size > HEADER_BYTES) header = imageHeader(new Uint8Array(await blob.arrayBuffer()));
  if (header?.format === 'svg') throw new Unchecked(REASON.unsupported, 'svg');
  if (header?.width && header?.height) {
    const { width, height } = header;
    if (width < ICON_SIDE && height < ICON_SIDE) return null;
    if (width > LIMITS.maxSide || height > LIMITS.maxSide || width * height > LIMITS.maxPixels) {
      throw new Unchecked(REASON.tooLarge, `${width}x${height}`);
    }
  }
  return { blob, header };
}

/** The image as a Blob, or Unchecked('fetch' | 'too_large'). */
async function fetchCapped(url, onScreen) {
  let response;
  try {
    response = await fetch(url, /** @type {RequestInit} */ ({
      credentials: 'include',
      cache: 'force-cache',
      // The network service sends an image on screen before off-screen ones.
      priority: onScreen ? 'high' : 'low',
      signal: AbortSignal.timeout(LIMITS.fetchTimeoutMs),
    }));
  } catch (error) {
    throw new Unchecked(REASON.fetch, String(error));
  }
  if (!response.ok) throw new Unchecked(REASON.fetch, `HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') || 0);
  if (declared > LIMITS.maxBytes) throw new Unchecked(REASON.tooLarge, `${declared} bytes`);
  // A declared length within the cap is read in one piece (the network service holds the body to
  // it); a compressed or undeclared body is counted as it streams (it could inflate past the cap).
  if (declared > 0 && !response.headers.get('content-encoding')) {
    try {
      return await response.blob();
    } catch (error) {
      throw new Unchecked(REASON.fetch, String(error));
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
      throw new Unchecked(REASON.fetch, String(error));
    }
    if (step.done) break;
    total += step.value.byteLength;
    if (total > LIMITS.maxBytes) {
      reader.cancel();
      throw new Unchecked(REASON.tooLarge, `over ${LIMITS.maxBytes} bytes`); // developer-facing detail
    }
    chunks.push(step.value);
  }
  return new Blob(chunks);
}
