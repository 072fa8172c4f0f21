// Chromium: once Veil knows that an image address matches, every later request for it, by any
// path (a stylesheet, a pseudo-element, a canvas source, another page or frame), is answered with
// a plain placeholder packaged with Veil (a declarativeNetRequest session rule), so those paints
// never show it. The first paint of an address is still decided in the page (content/). Veil's own
// requests are left alone. Firefox decides every image's bytes where they arrive instead
// (pipeline/gate.js).

import { addressOf, changeSessionRules, exactly, leftOverRules, nextRuleId } from './session-rules.js';

const PLACEHOLDER = '/pipeline/placeholder.png';
// Not a page's fetch() or XHR: the page may make a blob: of it, which Veil then checks in the
// page and hides under its panel, as a first paint.
const RESOURCE_TYPES = /** @type {chrome.declarativeNetRequest.ResourceType[]} */ (
  ['image', 'media', 'object', 'other', 'sub_frame']);

const available = Boolean(globalThis.chrome?.offscreen && chrome.declarativeNetRequest?.updateSessionRules);
const rules = new Map(); // url -> rule id (a promise of it while one is given)
// A stopped service worker's rules stay in force: the new one knows them as its own.
const adopted = leftOverRules.then((left) => {
  for (const { id, action, condition } of left) if (action.type === 'redirect') rules.set(addressOf(condition), id);
});

/** Every later request for `url` gets the placeholder. */
export async function holdBackLaterPaints(url) {
  if (!available) return;
  await adopted;
  if (rules.has(url)) return;
  const numbered = nextRuleId();
  rules.set(url, numbered);
  const id = await numbered;
  await changeSessionRules({
    addRules: [{ id, priority: 1, action: { type: 'redirect', redirect: { extensionPath: PLACEHOLDER } }, condition: { ...exactly(url), excludedInitiatorDomains: [chrome.runtime.id], resourceTypes: RESOURCE_TYPES } }],
  }).catch((error) => {
    rules.delete(url);
    console.warn('Veil: could not hold back later paints of a match:', error);
  });
}

/** The person showed it, or said it is not theirs: later requests get the real image again. */
export async function releaseLaterPaints(url) {
  await adopted;
  if (!rules.has(url)) return;
  const id = await rules.get(url);
  rules.delete(url);
  await changeSessionRules({ removeRuleIds: [id] }).catch(() => {});
}

/** The protected list changed: every address is decided again. */
export async function releaseAll() {
  if (!available) return;
  await adopted;
  const given = [...rules.values()];
  rules.clear();
  const ids = await Promise.all(given);
  await changeSessionRules({ removeRuleIds: ids });
}
