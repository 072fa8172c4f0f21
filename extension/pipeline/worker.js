// A decoding worker: fingerprints one image at a time for pool.js, with its own wasm instance
// (WebCodecs' ImageDecoder and OffscreenCanvas exist in dedicated workers).

import { FINGERPRINTING } from '../protocol.js';
import { wasmReady } from '../shared/wasm.js';
import { answerFingerprint } from './fingerprint.js';

// Ready before the first image arrives (messages sent meanwhile wait in the worker's queue).
wasmReady();

self.onmessage = async ({ data }) => {
  if (data?.type === FINGERPRINTING.fingerprint) self.postMessage(await answerFingerprint(data));
};
