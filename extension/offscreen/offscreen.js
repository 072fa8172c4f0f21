// Chromium only: fingerprints page images for the background, whose service worker lacks
// WebCodecs' ImageDecoder (the fast decoding path). The background reads each image and sends it
// here as a Blob over a BroadcastChannel (a reference to the browser's copy, not JSON); this
// document makes no request of its own, and the protected list never comes here.

import { FINGERPRINT_CHANNEL, OFFSCREEN, REASON } from '../protocol.js';
import { fingerprintBlob } from '../pipeline/fingerprint.js';
import { Unchecked } from '../pipeline/read.js';
import { wasmReady } from '../shared/wasm.js';

// Ready before the first image arrives.
wasmReady();

const channel = new BroadcastChannel(FINGERPRINT_CHANNEL);
channel.onmessage = async ({ data }) => {
  if (data?.type !== OFFSCREEN.fingerprint) return;
  try {
    channel.postMessage({ type: OFFSCREEN.fingerprinted, id: data.id, queries: await fingerprintBlob(data.blob, data.header, data.onScreen) });
  } catch (error) {
    const reason = error instanceof Unchecked ? error.reason : REASON.undecodable;
    channel.postMessage({ type: OFFSCREEN.fingerprinted, id: data.id, error: { reason, detail: String(error?.message ?? error) } });
  }
};
channel.postMessage({ type: OFFSCREEN.ready });
