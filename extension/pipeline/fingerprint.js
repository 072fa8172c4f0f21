// The pipeline's last step before matching: an image's bytes to what the matcher takes, decoded
// pre-scaled (decode.js) and hashed by the wasm, in whichever context decodes fastest (see
// background/fingerprinter.js): Firefox's background page, or Chromium's offscreen document.

import { REASON } from '../protocol.js';
import { pageFingerprint, wasmReady } from '../shared/wasm.js';
import { decodePageImage } from './decode.js';
import { Unchecked } from './read.js';

/**
 * What an image read by readPageImage is matched by: `[{pdq, quality, mirror}]`, its full frame and,
 * when it has letterbox or padding borders or shows a picture inside UI or under a caption, those
 * (wasm `pageFingerprint`); or
 * Unchecked('undecodable').
 */
export async function fingerprintBlob(blob, header, onScreen) {
  await wasmReady();
  const { data, width, height } = await decodeInTurn(blob, header, onScreen);
  return pageFingerprint(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height);
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
    throw new Unchecked(REASON.undecodable, String(error));
  } finally {
    if (onScreen && --decodingOnScreen === 0) offScreenWaiting.splice(0).forEach((resume) => resume());
  }
}
