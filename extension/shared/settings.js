// Settings and stored data, in extension storage only (never the page's).

export const KEYS = Object.freeze({
  settings: 'settings',
  protectedList: 'protectedList',
  notAMatch: 'notAMatch',
  evidence: 'evidence',
  // Accounts the person connected for sending reports directly (see report-apis.js).
  accounts: 'accounts',
  // The list and the log sealed under the person's passphrase, when they set one (store.js).
  vault: 'vault',
  // In storage.session (memory only): the vault's key once unlocked this browser session.
  vaultKey: 'vaultKey',
  // The shape of stored data (store.js SCHEMA_VERSION).
  schema: 'schema',
});

export const DEFAULT_SETTINGS = Object.freeze({
  // Pause checking on every site.
  paused: false,
  // Hostnames where Veil is off.
  disabledSites: [],
  // When an image cannot be checked or Veil is unavailable: 'show' it with a notice, or keep it 'hidden'.
  onFailure: 'show',
  // A plain grey toolbar button named "Page tools", for people who share their screen or computer.
  neutralToolbar: false,
});

/**
 * One value from extension storage (local, or session: memory only), typed as its fallback.
 * @template T
 * @param {string} key
 * @param {T} fallback
 * @returns {Promise<T>}
 */
export async function readStored(key, fallback, area = chrome.storage.local) {
  const { [key]: value } = await area.get(key);
  return /** @type {T} */ (value ?? fallback);
}

/** @returns {Promise<typeof DEFAULT_SETTINGS>} */
export async function loadSettings() {
  return { ...DEFAULT_SETTINGS, ...(await readStored(KEYS.settings, {})) };
}

export async function saveSettings(changes) {
  const settings = { ...(await loadSettings()), ...changes };
  await chrome.storage.local.set({ [KEYS.settings]: settings });
  return settings;
}

/** Is Veil checking pages on this host under these settings? */
export function activeOn(settings, hostname) {
  return !settings.paused && !settings.disabledSites.includes(hostname);
}
