// Per tab, per frame: {checked, hidden, matched: [image URLs]}, kept in memory for the popup's
// figures and its Report button; the popup itself shows numbers only.

const counts = new Map(); // tabId -> Map<frameId, {checked, hidden, matched}>

export function setFrameCounts(tabId, frameId, frameCounts) {
  if (!counts.has(tabId)) counts.set(tabId, new Map());
  counts.get(tabId).set(frameId, frameCounts);
}

/** The frame navigated or closed: its images are no longer on the tab. */
export function forgetFrame(tabId, frameId) {
  counts.get(tabId)?.delete(frameId);
}

export function forgetTab(tabId) {
  counts.delete(tabId);
}

export function tabCounts(tabId) {
  const total = { checked: 0, hidden: 0 };
  for (const frame of counts.get(tabId)?.values() ?? []) {
    total.checked += frame.checked;
    total.hidden += frame.hidden;
  }
  return total;
}

/** Every image hidden as a match on the tab, in any frame, once each. */
export function matchedOnTab(tabId) {
  return [...new Set([...(counts.get(tabId)?.values() ?? [])].flatMap((frame) => frame.matched))];
}
