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
 * Unchecked('fetch' | 'too_large' | 'unsupported'). Veil's own download is sniffed while its bytes
 * are in this context's memory, then kept as a Blob: held by the browser, it moves to a decoder by
 * reference (bytes moved between Veil's contexts as buffers stayed in the extension's process
 * long after they were decoded, as its memory after `make bench-perf`'s feeds showed).
 * @returns {Promise<{blob: Blob, header: object | null} | null>}
 */
export async function readPageImage(source, onScreen, pageCopy = null) {
  const limits = await coreLimits();
  const { bytes, type } = pageCopy ? { bytes: pageCopy, type: pageCopy.type } : await fetchCapped(source, onScreen, limits.maxBytes);
  const size = bytes instanceof Blob ? bytes.size : bytes.byteLength;
  if (size > limits.maxBytes) throw new Unchecked(REASON.tooLarge, `${size} bytes`);
  const header = await sniffHeader(bytes);
  // An <object>/<embed> can show a document rather than an image: nothing to check there.
  if (!header && isDocumentType(type)) return null;
  if (header?.width && header?.height) {
    const { width, height } = header;
    if (isIcon(header, limits)) return null;
    if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
      throw new Unchecked(REASON.tooLarge, `${width}x${height}`);
    }
  }
  return { blob: bytes instanceof Blob ? bytes : new Blob([bytes], { type }), header };
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
 * @param {Blob | Uint8Array<ArrayBuffer>} bytes
 */
export async function sniffHeader(bytes) {
  const { headerBytes } = await coreLimits();
  const read = async (end) => (bytes instanceof Blob ? new Uint8Array(await bytes.slice(0, end).arrayBuffer()) : bytes.subarray(0, end));
  const size = bytes instanceof Blob ? bytes.size : bytes.byteLength;
  const header = imageHeader(await read(headerBytes));
  if (header && !header.width && size > headerBytes) return imageHeader(await read(size));
  return header;
}

/**
 * The image's bytes, in one buffer (a Blob built of a download's many chunks, and its header read
 * back from it, were the largest part of the service worker's work per image in a profile of
 * `make bench-perf`'s burst), and its content type; or Unchecked('fetch' | 'too_large' | 'timeout').
 * @returns {Promise<{bytes: Uint8Array<ArrayBuffer>, type: string}>}
 */
async function fetchCapped(url, onScreen, maxBytes) {
  // Aborted only when the download stalls: each byte that arrives gives it more time. One timer
  // looks at when bytes last came, rather than a timer set again for every chunk.
  const stalled = new AbortController();
  let lastProgress = Date.now();
  const watchdog = () => {
    const quiet = Date.now() - lastProgress;
    if (quiet >= STALL_TIMEOUT_MS) stalled.abort(new Error('stalled')); // developer-facing
    else timer = setTimeout(watchdog, STALL_TIMEOUT_MS - quiet);
  };
  let timer = setTimeout(watchdog, STALL_TIMEOUT_MS);
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
      lastProgress = Date.now();
      total += step.value.byteLength;
      if (total > maxBytes) {
        reader.cancel();
        throw new Unchecked(REASON.tooLarge, `over ${maxBytes} bytes`); // developer-facing detail
      }
      chunks.push(step.value);
    }
    return { bytes: joined(chunks, total), type: response.headers.get('content-type') ?? '' };
  } finally {
    clearTimeout(timer);
  }
}

/** `chunks` (`total` bytes in all) in one buffer. */
function joined(chunks, total) {
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
