// Chromium only: fingerprints page images for the background, whose service worker can start no
// workers and lacks WebCodecs' ImageDecoder. The background reads each image and sends it here as
// a Blob over a BroadcastChannel (a reference to the browser's copy, not JSON); this document hands
// it to its decoding workers (pipeline/pool.js), makes no request of its own, and never sees the
// protected list.

import { FINGERPRINT_CHANNEL, FINGERPRINTING, REASON } from '../protocol.js';
import { fingerprintInPool, preparePool, seenOnScreen } from '../pipeline/pool.js';
import { Unchecked } from '../pipeline/read.js';

// The workers and their wasm, ready before the first image arrives.
preparePool();

const channel = new BroadcastChannel(FINGERPRINT_CHANNEL);
channel.onmessage = async ({ data }) => {
  if (data?.type === FINGERPRINTING.seenOnScreen) seenOnScreen(data.url);
  if (data?.type !== FINGERPRINTING.fingerprint) return;
  try {
    const { queries, timing } = await fingerprintInPool(data.blob, data.header, data.onScreen, data.url);
    channel.postMessage({ type: FINGERPRINTING.fingerprinted, id: data.id, queries, timing });
  } catch (error) {
    const reason = error instanceof Unchecked ? error.reason : REASON.undecodable;
    channel.postMessage({ type: FINGERPRINTING.fingerprinted, id: data.id, error: { reason, detail: String(error?.message ?? error) } });
  }
};
channel.postMessage({ type: FINGERPRINTING.ready });
