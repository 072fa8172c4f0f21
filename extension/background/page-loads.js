// Which tabs' pages are still loading (their top frame's document has not fired its load event),
// as their content scripts tell: checks of images not on screen wait for them (verdicts.js), but
// for a page's first few.

// The first images a page requests are most often its first screen's, requested before its content
// script can say where they are: this many checks of images not known to be on screen start as
// they come, for each page that starts loading.
const FIRST_CHECKS = 16;

const loading = new Set(); // keys of top frames' documents still loading (frames.js `documentKey`)
const onAllLoaded = [];
let firstChecksLeft = 0;

/** A top frame connected (and is loading until it says otherwise), loaded, or went away. */
export function notePageLoading(documentKey, stillLoading) {
  if (stillLoading) {
    if (!loading.has(documentKey)) firstChecksLeft = Math.min(firstChecksLeft + FIRST_CHECKS, 2 * FIRST_CHECKS);
    loading.add(documentKey);
    return;
  }
  if (!loading.delete(documentKey) || loading.size > 0) return;
  for (const callback of onAllLoaded) callback();
}

/** Whether a check of an image not known to be on screen may start now (counted as started). */
export function laterCheckMayStart() {
  if (loading.size === 0) return true;
  if (firstChecksLeft === 0) return false;
  firstChecksLeft--;
  return true;
}

/** Calls `callback` each time the last page still loading has loaded (or gone). */
export function whenPagesLoaded(callback) {
  onAllLoaded.push(callback);
}
