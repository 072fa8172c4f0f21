// The protected list and the evidence log at rest. Both are sensitive (PDQ hashes can be partly
// turned back into images; the log names where someone's images were found), so the person may
// lock them with a passphrase: then they are kept only sealed with AES-GCM under a key derived
// from the passphrase by PBKDF2 (WebCrypto's slow KDF), and the key lives in session storage,
// in memory only, until the browser closes. Without the passphrase nothing can be read back:
// there is no recovery, by design.
//
// Every write is one storage.set of one key, so a crash leaves the old value or the new one,
// never half of each. `SCHEMA_VERSION` names the shape of stored data; `migrate` brings older
// data up to it when Veil starts after an update.

import { hostOf } from './urls.js';
import { KEYS, readStored } from './settings.js';

export const SCHEMA_VERSION = 2;
const VAULT_FORMAT = 'veil-vault';
const KDF = Object.freeze({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
const SEALED_KEYS = [KEYS.protectedList, KEYS.evidence];

export class LockedError extends Error {
  constructor() {
    super('locked'); // pages say it in the person's language (lockedGoToOptions, unlockExplain)
  }
}

const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function deriveKey(passphrase, salt, iterations) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: KDF.hash, salt, iterations }, material, { name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'],
  );
}

async function seal(key, value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(value)));
  return { iv: toBase64(iv), data: toBase64(data) };
}

async function open(key, sealed) {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data));
  return JSON.parse(new TextDecoder().decode(plain));
}

/**
 * The sealed data, when the person set a passphrase.
 * @typedef {{iv: string, data: string}} Sealed
 * @typedef {{format: string, kdf: {salt: string, iterations: number}, values: Object<string, Sealed>}} Vault
 * @returns {Promise<Vault | null>}
 */
function vault() {
  return readStored(KEYS.vault, /** @type {Vault | null} */ (null));
}

/** The session's key, if the person unlocked Veil since the browser started. */
async function sessionKey() {
  const { [KEYS.vaultKey]: raw } = await chrome.storage.session.get(KEYS.vaultKey);
  return raw ? crypto.subtle.importKey('raw', fromBase64(raw), 'AES-GCM', true, ['encrypt', 'decrypt']) : null;
}

/** 'open' (no passphrase), 'unlocked' (passphrase set, key held this session) or 'locked'. */
export async function lockState() {
  if (!(await vault())) return 'open';
  return (await sessionKey()) ? 'unlocked' : 'locked';
}

async function read(name, fallback) {
  const sealed = await vault();
  if (!sealed) return readStored(name, fallback);
  const key = await sessionKey();
  if (!key) throw new LockedError();
  return sealed.values[name] ? open(key, sealed.values[name]) : fallback;
}

async function write(name, value) {
  const sealed = await vault();
  if (!sealed) return chrome.storage.local.set({ [name]: value });
  const key = await sessionKey();
  if (!key) throw new LockedError();
  await chrome.storage.local.set({ [KEYS.vault]: { ...sealed, values: { ...sealed.values, [name]: await seal(key, value) } } });
}

/** The protected list's text, or null when nothing is protected yet. Throws LockedError. */
export const readProtectedList = () => read(KEYS.protectedList, null);
export const writeProtectedList = (text) => write(KEYS.protectedList, text);
/** The evidence records. Throws LockedError. */
export const readEvidence = () => read(KEYS.evidence, []);
export const writeEvidence = (records) => write(KEYS.evidence, records);

/** Which stored data a storage.onChanged event touched. */
export function changedData(changes, area) {
  if (area === 'session' && KEYS.vaultKey in changes) return { list: true, evidence: true, lock: true };
  if (area !== 'local') return { list: false, evidence: false, lock: false };
  const sealed = KEYS.vault in changes;
  return { list: sealed || KEYS.protectedList in changes, evidence: sealed || KEYS.evidence in changes, lock: sealed };
}

/**
 * Seals the list and the log under a new passphrase (or re-seals them under a changed one). The
 * sealed copy is written before the plain copies are removed, and reads prefer it, so a crash in
 * between loses nothing. The person has been told that a forgotten passphrase cannot be recovered
 * and offered a backup first.
 */
export async function setPassphrase(passphrase) {
  const plain = { [KEYS.protectedList]: await readProtectedList(), [KEYS.evidence]: await readEvidence() };
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await deriveKey(passphrase, salt, KDF.iterations);
  const values = {};
  for (const name of SEALED_KEYS) values[name] = await seal(key, plain[name]);
  const sealed = { format: VAULT_FORMAT, version: 1, kdf: { ...KDF, salt: toBase64(salt) }, values };
  await chrome.storage.session.set({ [KEYS.vaultKey]: toBase64(await crypto.subtle.exportKey('raw', key)) });
  await chrome.storage.local.set({ [KEYS.vault]: sealed });
  await chrome.storage.local.remove(SEALED_KEYS);
}

/** Opens the vault for this browser session; false for a wrong passphrase. */
export async function unlock(passphrase) {
  const sealed = await vault();
  if (!sealed) return true;
  const key = await deriveKey(passphrase, fromBase64(sealed.kdf.salt), sealed.kdf.iterations);
  try {
    for (const name of SEALED_KEYS) if (sealed.values[name]) await open(key, sealed.values[name]);
  } catch {
    return false; // AES-GCM refuses a wrong key: its tag does not verify
  }
  await chrome.storage.session.set({ [KEYS.vaultKey]: toBase64(await crypto.subtle.exportKey('raw', key)) });
  return true;
}

/** Keeps the data without a passphrase again (Veil must be unlocked). */
export async function removePassphrase() {
  const plain = { [KEYS.protectedList]: await readProtectedList(), [KEYS.evidence]: await readEvidence() };
  if (plain[KEYS.protectedList] === null) delete plain[KEYS.protectedList];
  await chrome.storage.local.set(plain);
  await chrome.storage.local.remove(KEYS.vault);
  await chrome.storage.session.remove(KEYS.vaultKey);
}

/**
 * Brings stored data written by an older Veil up to `SCHEMA_VERSION`. Version 1 (no version
 * stored) had evidence records without platform, status details or site.
 */
export async function migrate() {
  const version = await readStored(KEYS.schema, 1);
  if (version >= SCHEMA_VERSION) return;
  if (version < 2 && !(await vault())) {
    const records = await readStored(KEYS.evidence, /** @type {object[] | null} */ (null));
    if (records) {
      const upgraded = records.map((r) => ({
        site: hostOf(r.pageUrl), platform: null, platformId: null, routeUrl: null, siteLinks: [], ticket: '', reply: '', updatedAt: null, ...r,
      }));
      // The data and its new version in one write.
      await chrome.storage.local.set({ [KEYS.evidence]: upgraded, [KEYS.schema]: SCHEMA_VERSION });
      return;
    }
  }
  await chrome.storage.local.set({ [KEYS.schema]: SCHEMA_VERSION });
}
