// Firefox's network gate (pipeline/gate.js), wired to what it needs: whether Veil checks a page's
// images now, by the same rules as a frame's checks (paused, the site off, locked, nothing
// protected, "not a match"); the verdict engine, whose cache the gate's verdicts go into; and the
// real bytes of a match, kept for Show. Elsewhere (Chromium) startGate does nothing.

import { startGate } from '../pipeline/gate.js';
import { activeOn, loadSettings } from '../shared/settings.js';
import { lockState } from '../shared/store.js';
import { hostOf } from '../shared/urls.js';
import { keepMatchedBytes } from './matched-bytes.js';
import { engine } from './protected-list.js';

// What the rules need, read once and kept until storage changes: most responses are then decided
// without waiting (and pass at once where Veil does not check).
let known = null;
let reading = null;
let generation = 0;

async function readState() {
  const [settings, lock] = await Promise.all([loadSettings(), lockState()]);
  const matcher = lock === 'locked' ? null : await engine.currentMatcher().catch(() => null);
  return { settings, locked: lock === 'locked', protecting: (matcher?.size ?? 0) > 0 };
}

function wouldCheck(pageUrl, url) {
  const decide = ({ settings, locked, protecting }) =>
    activeOn(settings, hostOf(pageUrl)) && !locked && protecting && !engine.isNotAMatch(url);
  if (known) return decide(known);
  const reads = generation;
  reading ??= readState().then((state) => {
    if (reads === generation) known = state;
    return state;
  });
  return reading.then(decide);
}

/** Settings, the list or the lock may have changed: read them again for the next response. */
export function forgetGateState() {
  generation++;
  known = null;
  reading = null;
}

export function startNetworkGate() {
  startGate({
    wouldCheck,
    decide: (url, blob) => engine.decideBytes(url, blob),
    matched: keepMatchedBytes,
  });
}
