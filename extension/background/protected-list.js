// The protected list as the background matches with it: the wasm Matcher built from the stored
// list (none while Veil is locked), the URLs the person said are not theirs, and the verdict
// engine that uses both. Rebuilt when the list changes.

import { KEYS, readStored } from '../shared/settings.js';
import { changedData, migrate, readProtectedList } from '../shared/store.js';
import { Matcher, wasmReady } from '../shared/wasm.js';
import { fingerprintImage, prepareFingerprinting, seenOnScreen } from './fingerprinter.js';
import { releaseAll, releaseLaterPaints } from './known-matches.js';
import { laterCheckMayStart, whenPagesLoaded } from './page-loads.js';
import { VerdictEngine } from './verdicts.js';

let matcherPromise = null;
let notAMatch = new Set();

// Data written by an older Veil is brought up to date before anything reads it.
const migrated = migrate().catch((error) => console.error('Veil: stored data could not be migrated:', error));

function currentMatcher() {
  matcherPromise ??= (async () => {
    await migrated;
    notAMatch = new Set(await readStored(KEYS.notAMatch, /** @type {string[]} */ ([])));
    // Locked (a passphrase, not yet entered this session): frames are told so in their hello and
    // ask for nothing; a check that still comes fails as "not checked", never as clear.
    const text = await readProtectedList();
    if (!text) return null;
    await wasmReady();
    try {
      return new Matcher(text);
    } catch (error) {
      // The options page validates before saving, so this means storage was damaged.
      console.error('Veil: the stored protected list cannot be read:', error);
      return null;
    }
  })();
  return matcherPromise;
}

export const engine = new VerdictEngine(currentMatcher, (url) => notAMatch.has(url), fingerprintImage, { seenOnScreen, laterMayStart: laterCheckMayStart });
whenPagesLoaded(() => engine.pump());

/** Loads the wasm and the list now, not when the first image waits; and where images are decoded
 * elsewhere, opens that place too once there is something to match. */
export function prepareMatching() {
  currentMatcher().then((matcher) => matcher?.size && prepareFingerprinting(), () => {});
}

/** Follows storage: a new list decides every image again; "not a match" only those images. */
export function onStorageChanged(changes, area) {
  if (changedData(changes, area).list) {
    matcherPromise?.then((old) => old?.free());
    matcherPromise = null;
    engine.reset();
    releaseAll();
    // A list that now has entries (the first photo protected, or unlocked): ready before the next page.
    prepareMatching();
  } else if (area === 'local' && KEYS.notAMatch in changes) {
    notAMatch = new Set(changes[KEYS.notAMatch].newValue ?? []);
    for (const url of notAMatch) {
      engine.forget(url);
      releaseLaterPaints(url);
    }
  }
}

export async function rememberNotAMatch(url) {
  const urls = await readStored(KEYS.notAMatch, /** @type {string[]} */ ([]));
  if (!urls.includes(url)) await chrome.storage.local.set({ [KEYS.notAMatch]: [...urls, url] });
}
