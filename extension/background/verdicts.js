// From an image URL to a verdict: checks deduplicated and queued (images on screen first), each
// image fingerprinted where decoding is fastest (fingerprinter.js), then matched here, against the
// protected list only the background holds. Verdicts are cached by URL for the life of this
// background context.

import { REASON, VERDICT } from '../protocol.js';
import { Unchecked } from '../pipeline/read.js';

// Checks under way at once (a bound on what is held in memory): their downloads take turns in
// fingerprinter.js, their decoding in the workers (pipeline/pool.js).
const CONCURRENT_CHECKS = 64;
// A check of an image not on screen can wait while a page is loading (its download and decoding
// slow the page's own, as `make bench-perf`'s page loads show; background/page-loads.js), but no
// longer than this.
const LATER_WAIT_MS = 3_000;

export class VerdictEngine {
  /**
   * @param {() => Promise<{checkPage: Function, size: number} | null>} currentMatcher
   * @param {(url: string) => boolean} isNotAMatch  URLs the person said are not theirs
   * @param {(url: string, source: string, onScreen: () => boolean, pageCopy?: Blob) => Promise<object[] | null>} fingerprint
   *   An image's queries for the matcher, null for an icon or a document (background/fingerprinter.js);
   *   `onScreen()`: whether a frame has said the image is on screen, so far (each queue on its way
   *   asks when it gives a turn); `pageCopy`: the page's own bytes, where the caller has them (Firefox's gate)
   * @param {{seenOnScreen?: (url: string) => void, laterMayStart?: () => boolean}} [hooks]
   *   `seenOnScreen`: a check under way was asked for on screen (its image, if waiting for a
   *   decoder, goes first there); `laterMayStart`: whether the next check of an image not on
   *   screen may start now (asked just before it starts; see LATER_WAIT_MS); call `pump()` when
   *   that changes
   */
  constructor(currentMatcher, isNotAMatch, fingerprint, { seenOnScreen = () => {}, laterMayStart = () => true } = {}) {
    this.currentMatcher = currentMatcher;
    this.isNotAMatch = isNotAMatch;
    this.fingerprint = fingerprint;
    this.seenOnScreen = seenOnScreen;
    this.laterMayStart = laterMayStart;
    this.laterTimer = null;
    this.verdicts = new Map(); // url -> Promise<verdict>
    this.matches = new Map(); // url -> {distance, entryId}: for the evidence log, never sent to pages
    this.waiting = { visible: [], later: [] };
    // URLs being decided that a frame has said are on screen (asked so, or since): a check started
    // before the frame asked (Chromium starts one when the page's request is announced) still goes
    // first from then on.
    this.askedOnScreen = new Set();
    this.underWay = new Set(); // URLs being decided now (out of the queues above)
    this.running = 0;
  }

  /** Forget every verdict (the protected list changed). */
  reset() {
    this.verdicts.clear();
    this.matches.clear();
  }

  /** Forget one image's verdict (the person said it is not a match): the next check decides again. */
  forget(url) {
    this.verdicts.delete(url);
    this.matches.delete(url);
  }

  /** `source` is where to read the bytes when it is not `url` itself (a page's blob: as data:). */
  check(url, visible, source = url) {
    let verdict = this.verdicts.get(url);
    if (!verdict) {
      verdict = new Promise((resolve) => {
        (visible ? this.waiting.visible : this.waiting.later).push({ url, source, resolve, since: Date.now() });
      });
      this.verdicts.set(url, verdict);
      this.pump();
    } else if (visible) {
      this.onScreen(url);
    }
    return verdict;
  }

  /** A frame says the image at `url` is on screen: its check goes first, wherever it waits. */
  onScreen(url) {
    this.promote(url);
    if (this.underWay.has(url) && !this.askedOnScreen.has(url)) {
      this.askedOnScreen.add(url);
      this.seenOnScreen(url);
    }
    this.pump();
  }

  /**
   * Firefox's network gate: the page's own bytes of `url`, held until decided. Decided from these
   * bytes at once, not queued (they are in memory already, which is what the queue bounds, and the
   * page waits for them), and cached for the URL, so the frame's own check of it gets this verdict.
   * They wait for a decoder as on screen only where a frame has said so (asked so, or since): a page
   * of many images holds them all at once, and its first screen goes first.
   */
  decideBytes(url, blob) {
    const visible = this.askedOnScreen.has(url) || this.waiting.visible.some((job) => job.url === url);
    const verdict = this.run({ url, source: url, blob }, visible);
    this.verdicts.set(url, verdict);
    // A frame's check of this URL still waiting for its turn gets this verdict, rather than a turn
    // of its own that would only wait for these same bytes (a page of many images asks for more
    // checks at once than run at once).
    for (const queue of [this.waiting.visible, this.waiting.later]) {
      const at = queue.findIndex((job) => job.url === url);
      if (at >= 0) void verdict.then(queue.splice(at, 1)[0].resolve);
    }
    return verdict;
  }

  promote(url) {
    const at = this.waiting.later.findIndex((job) => job.url === url);
    if (at >= 0) this.waiting.visible.push(...this.waiting.later.splice(at, 1));
  }

  pump() {
    while (this.running < CONCURRENT_CHECKS) {
      const visible = this.waiting.visible.shift();
      const job = visible ?? (this.laterMayStartNow() ? this.waiting.later.shift() : undefined);
      if (!job) return;
      this.running++;
      void this.run(job, job === visible).then(job.resolve).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /** Whether the next check of an image not on screen may start (else a timer pumps at its deadline). */
  laterMayStartNow() {
    const next = this.waiting.later[0];
    if (!next) return false;
    const waited = Date.now() - next.since;
    if (waited >= LATER_WAIT_MS || this.laterMayStart()) return true;
    clearTimeout(this.laterTimer);
    this.laterTimer = setTimeout(() => this.pump(), LATER_WAIT_MS - waited);
    return false;
  }

  /** The verdict on one job: decided, or an error verdict for a failure (which is not cached). */
  run(job, visible) {
    this.underWay.add(job.url);
    if (visible) this.askedOnScreen.add(job.url);
    return this.decide(job, visible)
      .catch((error) => {
        const reason = error instanceof Unchecked ? error.reason : REASON.undecodable;
        // Not cached: the next page view tries again.
        this.verdicts.delete(job.url);
        return { state: VERDICT.error, reason };
      })
      .finally(() => {
        this.askedOnScreen.delete(job.url);
        this.underWay.delete(job.url);
      });
  }

  async decide({ url, source, blob }, visible) {
    const matcher = await this.currentMatcher();
    // Nothing protected: nothing to fetch, nothing to learn.
    if (!matcher || matcher.size === 0 || this.isNotAMatch(url)) return { state: VERDICT.clear };
    const onScreen = () => visible || this.askedOnScreen.has(url);
    const queries = await this.fingerprint(url, source, onScreen, blob);
    if (!queries) return { state: VERDICT.clear }; // an icon, or a document: not checked
    const result = matcher.checkPage(queries);
    if (!result.matched) return { state: VERDICT.clear };
    this.matches.set(url, { distance: result.distance, entryId: result.entryId });
    return { state: VERDICT.match };
  }
}
