// From an image URL to a verdict: fetch (deduplicated, capped, visible images first), refuse bombs
// before decoding, decode and pre-scale in the browser, PDQ + match in wasm. Verdicts are cached
// by URL for the life of this background context.

import { decodeToRgba } from '../shared/pixels.js';
import { imageHeader, wasmReady } from '../shared/wasm.js';

const ICON_SIDE = 32;

const LIMITS = Object.freeze({
  maxBytes: 32 * 1024 * 1024,
  maxPixels: 50_000_000,
  maxSide: 20_000,
  fetchTimeoutMs: 15_000,
  concurrentFetches: 4,
});

/** Why an image could not be checked; the content script words it for the person. */
export class Unchecked extends Error {
  constructor(reason, detail) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
    this.reason = reason;
  }
}

export class VerdictEngine {
  /**
   * @param {() => Promise<{check: Function, size: number} | null>} currentMatcher
   * @param {(url: string) => boolean} isNotAMatch  URLs the person said are not theirs
   */
  constructor(currentMatcher, isNotAMatch) {
    this.currentMatcher = currentMatcher;
    this.isNotAMatch = isNotAMatch;
    this.verdicts = new Map(); // url -> Promise<verdict>
    this.matches = new Map(); // url -> {distance, entryId}: for the evidence log, never sent to pages
    this.waiting = { visible: [], later: [] };
    this.running = 0;
    // Decoding is CPU-bound: an off-screen image waits while one on screen is being decoded, so
    // that it does not slow what the person is looking at (downloads still run side by side).
    this.decodingOnScreen = 0;
    this.offScreenWaiting = [];
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
        (visible ? this.waiting.visible : this.waiting.later).push({ url, source, resolve });
      });
      this.verdicts.set(url, verdict);
      this.pump();
    } else if (visible) {
      this.promote(url);
    }
    return verdict;
  }

  promote(url) {
    const at = this.waiting.later.findIndex((job) => job.url === url);
    if (at >= 0) this.waiting.visible.push(...this.waiting.later.splice(at, 1));
  }

  pump() {
    while (this.running < LIMITS.concurrentFetches) {
      const visible = this.waiting.visible.shift();
      const job = visible ?? this.waiting.later.shift();
      if (!job) return;
      this.running++;
      this.decide(job, job === visible)
        .then(job.resolve, (error) => {
          const reason = error instanceof Unchecked ? error.reason : 'undecodable';
          // A failure is not cached: the next page view tries again.
          this.verdicts.delete(job.url);
          job.resolve({ state: 'error', reason });
        })
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  async decide({ url, source }, onScreen) {
    const matcher = await this.currentMatcher();
    // Nothing protected: nothing to fetch, nothing to learn.
    if (!matcher || matcher.size === 0 || this.isNotAMatch(url)) return { state: 'clear' };
    const bytes = await fetchCapped(source, onScreen);
    await wasmReady();
    const header = imageHeader(bytes);
    if (header?.format === 'svg') throw new Unchecked('unsupported', 'svg');
    if (header?.width && header?.height) {
      const { width, height } = header;
      // Icons are not checked.
      if (width < ICON_SIDE && height < ICON_SIDE) return { state: 'clear' };
      if (width > LIMITS.maxSide || height > LIMITS.maxSide || width * height > LIMITS.maxPixels) {
        throw new Unchecked('too_large', `${width}x${height}`);
      }
    }
    if (onScreen) this.decodingOnScreen++;
    else while (this.decodingOnScreen > 0) await new Promise((resolve) => this.offScreenWaiting.push(resolve));
    let result;
    try {
      let pixels;
      try {
        pixels = await decodeToRgba(new Blob([bytes]), header);
      } catch (error) {
        throw new Unchecked('undecodable', String(error));
      }
      result = matcher.check(pixels.data, pixels.width, pixels.height);
    } finally {
      if (onScreen && --this.decodingOnScreen === 0) this.offScreenWaiting.splice(0).forEach((resume) => resume());
    }
    if (!result.matched) return { state: 'clear' };
    this.matches.set(url, { distance: result.distance, entryId: result.entryId });
    return { state: 'match' };
  }
}

/** The image's bytes, or Unchecked('fetch' | 'too_large'). */
async function fetchCapped(url, onScreen) {
  let response;
  try {
    response = await fetch(url, {
      credentials: 'include',
      cache: 'force-cache',
      // The network service sends an image on screen before off-screen ones.
      priority: onScreen ? 'high' : 'low',
      signal: AbortSignal.timeout(LIMITS.fetchTimeoutMs),
    });
  } catch (error) {
    throw new Unchecked('fetch', String(error));
  }
  if (!response.ok) throw new Unchecked('fetch', `HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') || 0);
  if (declared > LIMITS.maxBytes) throw new Unchecked('too_large', `${declared} bytes`);
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch (error) {
      throw new Unchecked('fetch', String(error));
    }
    if (step.done) break;
    total += step.value.byteLength;
    if (total > LIMITS.maxBytes) {
      reader.cancel();
      throw new Unchecked('too_large', `over ${LIMITS.maxBytes} bytes`); // developer-facing detail
    }
    chunks.push(step.value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
