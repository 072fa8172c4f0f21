// The pipeline's second step: reading a page image's bytes (the page's own copy where gate.js has
// it, else a capped download), with bombs and SVG refused from the header before anything is
// decoded. Always in the background, where every request Veil makes is made.

import { REASON } from '../protocol.js';
import { coreLimits, imageHeader } from '../shared/wasm.js';

// A download that sends no byte for this long has stalled (a slow one that keeps coming is not).
export const STALL_TIMEOUT_MS = 15_000;

/** Why an image could not be checked; the content script words it for the person. */
export class Unchecked extends Error {
  constructor(reason, detail) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
    this.reason = reason;
  }
}

/**
 * `{blob, header}` of the image at `source` (or of `pageCopy`, the page's own download of it where
 * the browser lets Veil read that), `null` for an icon or a document (not checked), or
 * Unchecked('fetch' | 'too_large' | 'unsupported'). The bytes stay in a Blob, held by the browser
 * rather than in this context's memory, until the decoder streams them.
 */
export async function readPageImage(source, onScreen, pageCopy = null) {
  const limits = await coreLimits();
  const blob = pageCopy ?? await fetchCapped(source, onScreen, limits.maxBytes);
  if (blob.size > limits.maxBytes) throw new Unchecked(REASON.tooLarge, `${blob.size} bytes`);
  const header = await sniffHeader(blob);
  // An <object>/<embed> can show a document rather than an image: nothing to check there.
  if (!header && isDocumentType(blob.type)) return null;
  if (header?.width && header?.height) {
    const { width, height } = header;
    if (isIcon(header, limits)) return null;
    if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
      throw new Unchecked(REASON.tooLarge, `${width}x${height}`);
    }
  }
  return { blob, header };
}

/** Whether a header declares an image of an icon's size, which is not checked. */
export function isIcon(header, { iconSide }) {
  return Boolean(header?.width && header?.height && header.width < iconSide && header.height < iconSide);
}

/**
 * Whether a response's type says it is something other than an image (a page, a PDF). Browsers
 * paint an image by its bytes whatever the type says, so this counts only where the bytes are no
 * image format either.
 */
function isDocumentType(type) {
  const essence = type.split(';')[0].trim().toLowerCase();
  return essence !== '' && !essence.startsWith('image/') && !['application/octet-stream', 'binary/octet-stream'].includes(essence);
}

/**
 * What the image's header declares (`{format, width, height}`, wasm `imageHeader`), if anything.
 * A JPEG's size can sit after large metadata: an image whose size is not found in the first bytes
 * is sniffed whole.
 */
export async function sniffHeader(blob) {
  const { headerBytes } = await coreLimits();
  const header = imageHeader(new Uint8Array(await blob.slice(0, headerBytes).arrayBuffer()));
  if (header && !header.width && blob.size > headerBytes) return imageHeader(new Uint8Array(await blob.arrayBuffer()));
  return header;
}

/** The image as a Blob, or Unchecked('fetch' | 'too_large'). */
async function fetchCapped(url, onScreen, maxBytes) {
  // Aborted only when the download stalls: each byte that arrives gives it more time.
  const stalled = new AbortController();
  let timer = setTimeout(() => stalled.abort(new Error('stalled')), STALL_TIMEOUT_MS); // developer-facing
  const progressed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stalled.abort(new Error('stalled')), STALL_TIMEOUT_MS); // developer-facing
  };
  try {
    let response;
    try {
      response = await fetch(url, /** @type {RequestInit} */ ({
        credentials: 'include',
        cache: 'force-cache',
        // The network service sends an image on screen first. One not yet known to be on screen gets
        // a fetch's usual priority, not 'low': the page is loading it now (Chromium checks an image
        // as the page's request is announced), and a low one waits behind every other request.
        priority: onScreen ? 'high' : 'auto',
        signal: stalled.signal,
      }));
    } catch (error) {
      throw new Unchecked(stalled.signal.aborted ? REASON.timeout : REASON.fetch, String(error));
    }
    if (!response.ok) throw new Unchecked(REASON.fetch, `HTTP ${response.status}`);
    const declared = Number(response.headers.get('content-length') || 0);
    if (declared > maxBytes) throw new Unchecked(REASON.tooLarge, `${declared} bytes`);
    // Counted as it streams: a compressed or undeclared body could inflate past the cap.
    const reader = response.body.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      let step;
      try {
        step = await reader.read();
      } catch (error) {
        throw new Unchecked(stalled.signal.aborted ? REASON.timeout : REASON.fetch, String(error));
      }
      if (step.done) break;
      progressed();
      total += step.value.byteLength;
      if (total > maxBytes) {
        reader.cancel();
        throw new Unchecked(REASON.tooLarge, `over ${maxBytes} bytes`); // developer-facing detail
      }
      chunks.push(step.value);
    }
    return new Blob(chunks, { type: response.headers.get('content-type') ?? '' });
  } finally {
    clearTimeout(timer);
  }
}
