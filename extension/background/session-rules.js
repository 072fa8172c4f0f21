// What Veil's declarativeNetRequest session rules share (known matches, page referers): one
// numbering, since ids must be unique; a condition matching one address exactly; and one way to
// change them. The browser applies rule changes one call at a time, each taking a while: the changes
// asked for meanwhile go together in the next call, so an image's download is not kept waiting
// behind every other image's own call (in `make bench-perf`'s trace, first-screen downloads were
// sent after images further down the page when each Referer rule had a call of its own).

let last = 0;

export const nextRuleId = () => ++last;

/** The part of a rule's condition that matches exactly `url` (urlFilter has no escape for its
 * wildcards, so an address containing one is matched by a regex instead). */
export function exactly(url) {
  if (!/[*^|]/.test(url)) return { urlFilter: `|${url}|` };
  return { regexFilter: `^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` };
}

/** @typedef {{addRules?: chrome.declarativeNetRequest.Rule[], removeRuleIds?: number[], settle: (error?: unknown) => void}} Change */
/** @type {Change[]} */
let waiting = [];
let applying = false;

/**
 * Adds and removes session rules, with whatever other changes are asked for meanwhile; resolves
 * once they apply, or rejects (a rule the browser refuses fails only the change that brought it).
 * @param {{addRules?: chrome.declarativeNetRequest.Rule[], removeRuleIds?: number[]}} change
 * @returns {Promise<void>}
 */
export function changeSessionRules(change) {
  return new Promise((resolve, reject) => {
    waiting.push({ ...change, settle: (error) => (error ? reject(error) : resolve()) });
    if (!applying) void applyWaiting();
  });
}

async function applyWaiting() {
  applying = true;
  while (waiting.length > 0) {
    const batch = waiting;
    waiting = [];
    try {
      await chrome.declarativeNetRequest.updateSessionRules({
        addRules: batch.flatMap((change) => change.addRules ?? []),
        removeRuleIds: batch.flatMap((change) => change.removeRuleIds ?? []),
      });
      for (const change of batch) change.settle();
    } catch {
      // One refused rule fails the whole call: each change is tried on its own, to fail alone.
      for (const { settle, ...change } of batch) {
        await chrome.declarativeNetRequest.updateSessionRules(change).then(() => settle(), settle);
      }
    }
  }
  applying = false;
}
