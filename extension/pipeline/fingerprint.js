// The pipeline's last step before matching: an image's bytes to what the matcher takes, decoded
// pre-scaled (decode.js) and hashed by the wasm. It runs in a decoding worker (pool.js), one image
// at a time per worker.

import { FINGERPRINTING, REASON } from '../protocol.js';
import { pageFingerprint, wasmReady } from '../shared/wasm.js';
import { decodePageImage } from './decode.js';
import { Unchecked } from './read.js';

/** Now, in ms since the epoch: comparable across Veil's contexts (for `make bench-perf`'s trace). */
export const now = () => performance.timeOrigin + performance.now();

/**
 * What an image read by readPageImage is matched by: `[{pdq, quality, mirror}]`, its full frame and,
 * when it has letterbox or padding borders or shows a picture inside UI or under a caption, those
 * (wasm `pageFingerprint`); or
 * Unchecked('undecodable').
 * @returns {Promise<{queries: import('../protocol.js').Query[], timing: import('../protocol.js').FingerprintTiming}>}
 */
export async function fingerprintBlob(blob, header) {
  await wasmReady();
  const decodeStart = now();
  let pixels;
  try {
    pixels = await decodePageImage(blob, header);
  } catch (error) {
    throw new Unchecked(REASON.undecodable, String(error));
  }
  const decodeEnd = now();
  const { data, width, height } = pixels;
  const queries = pageFingerprint(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height);
  return { queries, timing: { decodeStart, decodeEnd, hashed: now() } };
}

/** The answer to a fingerprint request, as the asker takes it (worker or offscreen document). */
export async function answerFingerprint({ id, blob, header }) {
  try {
    return { type: FINGERPRINTING.fingerprinted, id, ...(await fingerprintBlob(blob, header)) };
  } catch (error) {
    const reason = error instanceof Unchecked ? error.reason : REASON.undecodable;
    return { type: FINGERPRINTING.fingerprinted, id, error: { reason, detail: String(error?.message ?? error) } };
  }
}
