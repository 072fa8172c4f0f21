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
 */
export const FROM_FRAME = Object.freeze({
  check: 'check',
  counts: 'counts',
  report: 'report',
  openReport: 'open-report',
  notAMatch: 'not-a-match',
});

/**
 * Background -> content script, over the frame port.
 * @typedef {{type: 'hello', active: boolean, locked: boolean, onFailure: 'show' | 'hidden'}} HelloMessage
 * @typedef {{type: 'verdict', url: string, verdict: Verdict}} VerdictMessage
 * @typedef {{type: 'reported', url: string, recordId: string, text: string, platform: string}} ReportedMessage
 */
export const TO_FRAME = Object.freeze({
  hello: 'hello',
  verdict: 'verdict',
  reported: 'reported',
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
 * Background <-> Chromium's offscreen document, over a BroadcastChannel of the extension's origin
 * (no page can join it).
 * @typedef {{type: 'fingerprint', id: number, blob: Blob, header: object | null, onScreen: boolean}} FingerprintRequest
 * @typedef {{type: 'fingerprinted', id: number, queries?: Query[], error?: {reason: string, detail: string}}} FingerprintAnswer
 * @typedef {{type: 'ready'}} OffscreenReady
 */
export const FINGERPRINT_CHANNEL = 'fingerprint';
export const OFFSCREEN = Object.freeze({
  fingerprint: 'fingerprint',
  fingerprinted: 'fingerprinted',
  ready: 'ready',
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

/** Where a content script's element stands: a verdict, or waiting, or shown by the person. */
export const STATUS = Object.freeze({
  pending: 'pending',
  clear: VERDICT.clear,
  match: VERDICT.match,
  error: VERDICT.error,
  shown: 'shown',
});
