// What Veil's declarativeNetRequest session rules share (known matches, page referers): one
// numbering, since ids must be unique, and a condition matching one address exactly.

let last = 0;

export const nextRuleId = () => ++last;

/** The part of a rule's condition that matches exactly `url` (urlFilter has no escape for its
 * wildcards, so an address containing one is matched by a regex instead). */
export function exactly(url) {
  if (!/[*^|]/.test(url)) return { urlFilter: `|${url}|` };
  return { regexFilter: `^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` };
}
