// Whether Veil checks a page's images: on, unless paused everywhere or switched off for the page's
// site, and able to, unless locked by the person's passphrase.

import { activeOn, loadSettings } from '../shared/settings.js';
import { lockState } from '../shared/store.js';
import { hostOf } from '../shared/urls.js';

let remembered = null; // Promise<{settings, lock}>, until storage changes

/** Storage changed: settings or the lock may have. */
export function forgetCheckingState() {
  remembered = null;
}

/**
 * `{settings, active, locked}` for a page (the tab's top-level address decides). `fresh` reads
 * storage now, as a frame's hello must: the frame reconnects right after a change, perhaps
 * before this context hears of it.
 * @returns {Promise<{settings: Awaited<ReturnType<typeof loadSettings>>, active: boolean, locked: boolean}>}
 */
export async function checkingOn(pageUrl, { fresh = false } = {}) {
  const read = () => Promise.all([loadSettings(), lockState()]).then(([settings, lock]) => ({ settings, lock }));
  if (fresh) remembered = read();
  else remembered ??= read();
  const { settings, lock } = await remembered;
  const active = activeOn(settings, hostOf(pageUrl));
  return { settings, active, locked: active && lock === 'locked' };
}
