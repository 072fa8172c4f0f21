// Where Veil cannot check images, said plainly, with how to fix it: its site access limited by the
// person (Chromium's "Site access", Firefox's add-on permissions) or private windows not allowed.
// Both come from the browser's own answers, read each time a page opens and when they change.

import { t } from './i18n.js';

const firefox = chrome.runtime.getURL('').startsWith('moz-extension:');

/** The browser's answers: `{allSites, privateWindows}`. */
export async function accessState() {
  const [allSites, privateWindows] = await Promise.all([
    chrome.permissions.contains({ origins: ['<all_urls>'] }),
    chrome.extension.isAllowedIncognitoAccess(),
  ]);
  return { allSites, privateWindows };
}

/** What to tell the person about `state`, as message keys, in the words of `browser`'s settings. */
export function accessNotices({ allSites, privateWindows }, browser = firefox ? 'Firefox' : 'Chromium') {
  const notices = [];
  if (!allSites) notices.push({ problem: 'accessSitesLimited', fix: `accessSitesFix${browser}`, allow: 'accessSitesAllow' });
  if (!privateWindows) notices.push({ problem: 'accessPrivateOff', fix: `accessPrivateFix${browser}` });
  return notices;
}

/**
 * Fills `container` with the notices for the browser's current answers and returns how many there
 * are. `full`: each fix spelled out, with a button asking for every site again (the browser's own
 * prompt); otherwise one line each.
 */
export async function renderAccessNotices(container, { full }) {
  const notices = accessNotices(await accessState());
  container.replaceChildren(...notices.flatMap((notice) => {
    /** @type {HTMLElement[]} */
    const lines = [Object.assign(document.createElement('p'), { className: 'warn', textContent: t(notice.problem) })];
    if (full) lines.push(Object.assign(document.createElement('p'), { textContent: t(notice.fix) }));
    if (full && notice.allow) {
      const allow = Object.assign(document.createElement('button'), { type: 'button', textContent: t(notice.allow) });
      allow.addEventListener('click', () => chrome.permissions.request({ origins: ['<all_urls>'] }));
      lines.push(allow);
    }
    return lines;
  }));
  return notices.length;
}

/** Calls `render` again whenever the person grants or takes away a permission. */
export function onAccessChange(render) {
  chrome.permissions.onAdded.addListener(render);
  chrome.permissions.onRemoved.addListener(render);
}
