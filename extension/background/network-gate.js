// Firefox's network gate (pipeline/gate.js), wired to what it needs: whether Veil checks a page's
// images now, by the same rules as a frame's checks (checking.js: paused, the site off, locked)
// and the verdict engine's (nothing protected, "not a match"); the engine, whose cache the gate's
// verdicts go into; and the real bytes of a match, kept for Show. Elsewhere startGate does nothing.

import { startGate } from '../pipeline/gate.js';
import { checkingOn } from './checking.js';
import { keepMatchedBytes } from './matched-bytes.js';
import { engine } from './protected-list.js';

async function wouldCheck(pageUrl, url) {
  const { active, locked } = await checkingOn(pageUrl);
  if (!active || locked) return false;
  const matcher = await engine.currentMatcher().catch(() => null);
  return (matcher?.size ?? 0) > 0 && !engine.isNotAMatch(url);
}

export function startNetworkGate() {
  startGate({
    wouldCheck,
    decide: (url, blob) => engine.decideBytes(url, blob),
    matched: keepMatchedBytes,
  });
}
