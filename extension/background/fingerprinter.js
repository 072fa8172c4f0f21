// Where page images are fingerprinted. The background always reads them (so every request Veil
// makes comes from one place; in Firefox from the page's own download, pipeline/gate.js). Firefox's background is a page, with WebCodecs' ImageDecoder: it
// fingerprints them itself. Chromium's service worker has no ImageDecoder, so an offscreen
// document (opened on first need) decodes and fingerprints, on a thread beside the worker's.

import { FINGERPRINT_CHANNEL, OFFSCREEN, REASON } from '../protocol.js';
import { fingerprintBlob } from '../pipeline/fingerprint.js';
import { pageDownload } from '../pipeline/gate.js';
import { Unchecked, readPageImage } from '../pipeline/read.js';

const inOffscreenDocument = typeof ImageDecoder === 'undefined' && Boolean(globalThis.chrome?.offscreen);
const OFFSCREEN_URL = 'offscreen/offscreen.html';
const ANSWER_TIMEOUT_MS = 20_000;

/** `[{pdq, quality, mirror}]` to match, `null` for an icon, or Unchecked (see pipeline/read.js). */
export async function fingerprintImage(source, onScreen) {
  const image = await readPageImage(source, onScreen, await pageDownload(source));
  if (!image) return null;
  if (!inOffscreenDocument) return fingerprintBlob(image.blob, image.header, onScreen);
  return fingerprintOffscreen(image, onScreen);
}

/** Opens the offscreen document ahead of the first image (a page's first verdicts wait otherwise). */
export function prepareFingerprinting() {
  if (!inOffscreenDocument) return;
  listen();
  offscreenDocumentOpen().catch(() => {}); // the first image tries again
}

let channel = null;
let offscreenOpen = null;
let nextId = 0;
const answers = new Map(); // id -> {resolve, reject}
let whenReady = null;

function listen() {
  if (channel) return;
  channel = new BroadcastChannel(FINGERPRINT_CHANNEL);
  channel.onmessage = ({ data }) => {
    if (data?.type === OFFSCREEN.ready) whenReady?.();
    if (data?.type !== OFFSCREEN.fingerprinted || !answers.has(data.id)) return;
    const { resolve, reject } = answers.get(data.id);
    answers.delete(data.id);
    if (data.error) reject(new Unchecked(data.error.reason, data.error.detail));
    else resolve(data.queries);
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

async function fingerprintOffscreen({ blob, header }, onScreen) {
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
      resolve: (queries) => (clearTimeout(timer), resolve(queries)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    channel.postMessage({ type: OFFSCREEN.fingerprint, id, blob, header, onScreen });
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
