// What Veil's declarativeNetRequest session rules share (known matches, page referers): one
// numbering, since ids must be unique; a condition matching one address exactly; and one way to
// change them. The browser applies rule changes one call at a time, each taking a while: the changes
// asked for meanwhile go together in the next call, so an image's download is not kept waiting
// behind every other image's own call (in `make bench-perf`'s trace, first-screen downloads were
// sent after images further down the page when each Referer rule had a call of its own).

// A service worker that stops (idle for 30 s) loses its memory, not its session rules: a new one
// numbers on from the highest id left (an id in use is refused), and is handed the rules left over.
/** @type {Promise<chrome.declarativeNetRequest.Rule[]>} */
export const leftOverRules = globalThis.chrome?.declarativeNetRequest?.getSessionRules
  ? chrome.declarativeNetRequest.getSessionRules().catch(() => [])
  : Promise.resolve([]);
let last = 0;
const numbered = leftOverRules.then((rules) => {
  last = Math.max(last, ...rules.map((rule) => rule.id));
});

/** @returns {Promise<number>} an id no rule has */
export async function nextRuleId() {
  await numbered;
  return ++last;
}

/** The part of a rule's condition that matches exactly `url` (urlFilter has no escape for its
 * wildcards, so an address containing one is matched by a regex instead). */
export function exactly(url) {
  if (!/[*^|]/.test(url)) return { urlFilter: `|${url}|` };
  return { regexFilter: `^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` };
}

/** The address a condition made by `exactly` matches.
 * @param {chrome.declarativeNetRequest.RuleCondition} condition */
export function addressOf({ urlFilter, regexFilter }) {
  return urlFilter ? urlFilter.slice(1, -1) : regexFilter.slice(1, -1).replace(/\\(.)/g, '$1');
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
