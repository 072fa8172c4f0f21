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
const waitingUrls = new Set(); // URLs sent to the document and not yet answered
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

/** `onScreen()` is asked as the image is sent (the document may have taken a while to open). */
async function fingerprint({ blob, header }, onScreen, url) {
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
      waitingUrls.delete(url);
      offscreenOpen = null; // closed or stuck: the next image opens it again
      reject(new Unchecked(REASON.timeout, 'no answer from the offscreen document')); // developer-facing
    }, ANSWER_TIMEOUT_MS);
    const settled = () => (clearTimeout(timer), waitingUrls.delete(url));
    answers.set(id, {
      resolve: (answer) => (settled(), resolve(answer)),
      reject: (error) => (settled(), reject(error)),
    });
    waitingUrls.add(url);
    channel.postMessage({ type: FINGERPRINTING.fingerprint, id, blob, header, onScreen: onScreen(), url });
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

/** A frame said the image at `url` is on screen: if it waits for a decoder, it goes first. */
function seenOnScreen(url) {
  if (waitingUrls.has(url)) channel.postMessage({ type: FINGERPRINTING.seenOnScreen, url });
}

/** Opens the offscreen document ahead of the first image (a page's first verdicts wait otherwise). */
function prepare() {
  listen();
  offscreenDocumentOpen().catch(() => {}); // the first image tries again
}

/**
 * `{prepare(), fingerprint(image, onScreen, url), seenOnScreen(url)}` where the browser has
 * offscreen documents, else null.
 * @type {{
 *   prepare: () => void,
 *   fingerprint: (image: {blob: Blob, header: object | null}, onScreen: () => boolean, url: string) => Promise<{queries: any, timing: any}>,
 *   seenOnScreen: (url: string) => void,
 * } | null}
 */
export const offscreenClient = globalThis.chrome?.offscreen ? { prepare, fingerprint, seenOnScreen } : null;
