// Chromium only: the background's side of the offscreen document, which holds the decoding workers
// (the service worker can start none). Firefox's background is a page that starts the workers
// itself: its build ships a stub of this file instead (scripts/build-extension.mjs).

import { FINGERPRINT_CHANNEL, FINGERPRINTING, REASON } from '../protocol.js';
import { Unchecked } from '../pipeline/read.js';

const OFFSCREEN_URL = 'offscreen/offscreen.html';
const ANSWER_TIMEOUT_MS = 20_000;

let channel = null;
let offscreenOpen = null;
let nextId = 0;
const answers = new Map(); // id -> {resolve, reject}
let whenReady = null;

function listen() {
  if (channel) return;
  channel = new BroadcastChannel(FINGERPRINT_CHANNEL);
  channel.onmessage = ({ data }) => {
    if (data?.type === FINGERPRINTING.ready) whenReady?.();
    if (data?.type !== FINGERPRINTING.fingerprinted || !answers.has(data.id)) return;
    const { resolve, reject } = answers.get(data.id);
    answers.delete(data.id);
    if (data.error) reject(new Unchecked(data.error.reason, data.error.detail));
    else resolve({ queries: data.queries, timing: data.timing });
  };
}

/** One opening shared by every caller; a failed one is forgotten, so the next caller retries. */
function offscreenDocumentOpen() {
  offscreenOpen ??= openOffscreenDocument().catch((error) => {
    offscreenOpen = null;
    throw error;
  });
  return offscreenOpen;
}

async function fingerprint({ blob, header }, onScreen) {
  listen();
  try {
    await offscreenDocumentOpen();
  } catch (error) {
    throw new Unchecked(REASON.undecodable, String(error?.message ?? error));
  }
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      answers.delete(id);
      offscreenOpen = null; // closed or stuck: the next image opens it again
      reject(new Unchecked(REASON.timeout, 'no answer from the offscreen document')); // developer-facing
    }, ANSWER_TIMEOUT_MS);
    answers.set(id, {
      resolve: (answer) => (clearTimeout(timer), resolve(answer)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    channel.postMessage({ type: FINGERPRINTING.fingerprint, id, blob, header, onScreen });
  });
}

async function openOffscreenDocument() {
  if (await chrome.offscreen.hasDocument()) return;
  const ready = new Promise((resolve) => (whenReady = resolve));
  try {
    await chrome.offscreen.createDocument({
      url: OFFSCREEN_URL,
      reasons: ['BLOBS'],
      justification: 'Decodes the images pages show, to fingerprint them on this device.', // developer-facing
    });
  } catch (error) {
    // Another check opened it meanwhile.
    if (await chrome.offscreen.hasDocument()) return;
    throw error;
  }
  await ready;
}

/** Opens the offscreen document ahead of the first image (a page's first verdicts wait otherwise). */
function prepare() {
  listen();
  offscreenDocumentOpen().catch(() => {}); // the first image tries again
}

/**
 * `{prepare(), fingerprint(image, onScreen)}` where the browser has offscreen documents, else null.
 * @type {{prepare: () => void, fingerprint: (image: {blob: Blob, header: object | null}, onScreen: boolean) => Promise<{queries: any, timing: any}>} | null}
 */
export const offscreenClient = globalThis.chrome?.offscreen ? { prepare, fingerprint } : null;
