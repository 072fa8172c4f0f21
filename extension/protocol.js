// @ts-check
// Every message Veil's contexts exchange, every verdict state and every reason an image goes
// unchecked: declared once, here. The background, the offscreen document and Veil's pages import
// it; content scripts cannot import, so the build writes a classic-script copy of this file
// (content/protocol.js, the same declarations without `export`). Keep it declarations only.

/** The port each frame's content script opens to the background. */
export const FRAME_PORT = 'frame';

/**
 * Content script -> background, over the frame port.
 * @typedef {{type: 'check', url: string, visible: boolean, source?: string}} CheckMessage
 *   `source`: where to read the bytes when it is not `url` (a page's blob: read as a data: URL).
 * @typedef {{type: 'counts', checked: number, hidden: number, matched: string[]}} CountsMessage
 * @typedef {{type: 'report', url: string, siteLinks: string[]}} ReportMessage
 * @typedef {{type: 'open-report', recordId: string}} OpenReportMessage
 * @typedef {{type: 'not-a-match', url: string}} NotAMatchMessage
 * @typedef {{type: 'on-screen', urls: string[]}} OnScreenMessage
 *   Images asked for as not on screen have come near it (scrolled to): their checks go first.
 * @typedef {{type: 'loaded'}} LoadedMessage
 *   The frame's document has loaded (its load event): checks of images not on screen wait for the
 *   top frame's, so that they do not slow the page's own loading (background/verdicts.js).
 * @typedef {{type: 'shown', url: string, wantBytes: boolean}} ShownMessage
 *   The person chose to see a match: later paints get the real image again; `wantBytes` asks for
 *   the image itself (its element was given Veil's placeholder).
 */
export const FROM_FRAME = Object.freeze({
  check: 'check',
  counts: 'counts',
  report: 'report',
  openReport: 'open-report',
  notAMatch: 'not-a-match',
  onScreen: 'on-screen',
  loaded: 'loaded',
  shown: 'shown',
});

/**
 * Background -> content script, over the frame port.
 * @typedef {{type: 'hello', active: boolean, locked: boolean, onFailure: 'show' | 'hidden',
 *   limits: {iconSide: number, maxBytes: number} | null, strings: Record<string, string>}} HelloMessage
 *   `limits`: the core's, for what the frame decides itself (icons, a page's blob: images); null
 *   when the background's wasm has not loaded yet. `strings`: PANEL_STRINGS in the person's language.
 * @typedef {{type: 'verdict', url: string, verdict: Verdict}} VerdictMessage
 * @typedef {{type: 'reported', url: string, recordId: string, text: string, platform: string}} ReportedMessage
 * @typedef {{type: 'original', url: string, dataUrl: string}} OriginalMessage
 *   A match the person chose to see, as a data: URL, for an element that was given the placeholder.
 * @typedef {{type: 'image-requested', url: string}} ImageRequestedMessage
 *   Chromium: the frame's document requested this image (its response is still to come), so the
 *   frame can hold whatever its styles paint it with (content/find-styled.js).
 */
export const TO_FRAME = Object.freeze({
  hello: 'hello',
  verdict: 'verdict',
  reported: 'reported',
  original: 'original',
  imageRequested: 'image-requested',
});

/**
 * Veil's own pages (popup, options, evidence log, report page) -> background, with
 * `runtime.sendMessage`; answered `{ok: true, result}` or `{ok: false, error}`.
 */
export const PAGE_REQUEST = Object.freeze({
  tabCounts: 'tab-counts',
  reportTab: 'report-tab',
  openReport: 'open-report',
  hideAll: 'hide-all',
  allHidden: 'all-hidden',
  evidenceUpdate: 'evidence-update',
  evidenceDelete: 'evidence-delete',
  evidenceClear: 'evidence-clear',
});

/**
 * Asking for an image's fingerprint where images are decoded: background <-> Chromium's offscreen
 * document (over a BroadcastChannel of the extension's origin, which no page can join), and the
 * decoding workers' messages (pipeline/pool.js <-> pipeline/worker.js).
 * @typedef {{type: 'fingerprint', id: number, blob: Blob, header: object | null, onScreen: boolean}} FingerprintRequest
 * @typedef {{pooled?: number, toWorker?: number, decodeStart: number, decodeEnd: number, hashed: number}} FingerprintTiming
 *   When each step ended, in ms since the epoch (for `make bench-perf`'s trace): the image joined the
 *   decoders' queue (pool.js), went to a worker, and was decoded and hashed there.
 * @typedef {{type: 'fingerprinted', id: number, queries?: Query[], timing?: FingerprintTiming,
 *   error?: {reason: string, detail: string}}} FingerprintAnswer
 * @typedef {{type: 'ready'}} FingerprinterReady
 */
export const FINGERPRINT_CHANNEL = 'fingerprint';
export const FINGERPRINTING = Object.freeze({
  fingerprint: 'fingerprint',
  fingerprinted: 'fingerprinted',
  ready: 'ready',
  seenOnScreen: 'seenOnScreen',
});

/**
 * One page image's fingerprint, as the matcher takes it.
 * @typedef {{pdq: string, quality: number, mirror?: string}} Query
 */

/**
 * What the background decides for an image URL.
 * @typedef {{state: 'clear'} | {state: 'match'} | {state: 'error', reason: string}} Verdict
 */
export const VERDICT = Object.freeze({
  clear: 'clear',
  match: 'match',
  error: 'error',
});

/** Why an image could not be checked; each has a `reason_<code>` message in _locales. */
export const REASON = Object.freeze({
  fetch: 'fetch',
  tooLarge: 'too_large',
  unsupported: 'unsupported',
  undecodable: 'undecodable',
  timeout: 'timeout',
});

/**
 * The words of a frame's panels and notices (message keys): the background reads them once and
 * sends them with its hello, rather than every frame asking the browser for each.
 */
export const PANEL_STRINGS = Object.freeze([
  'overlayTitle', 'overlayBody', 'show', 'report', 'notAMatch', 'confirmShow', 'confirmShowYes',
  'confirmShowNo', 'reportCopiedOpened', 'reportOpened', 'reportFailed', 'uncheckedTitle',
  ...Object.values(REASON).map((reason) => `reason_${reason}`), 'noticeUnavailableShown',
  'noticeUnavailableHidden', 'noticeLockedShown', 'noticeLockedHidden', 'dismiss', '@@bidi_dir', '@@ui_locale',
]);

/** Where a content script's element stands: a verdict, or waiting, or shown by the person. */
export const STATUS = Object.freeze({
  pending: 'pending',
  clear: VERDICT.clear,
  match: VERDICT.match,
  error: VERDICT.error,
  shown: 'shown',
});
