// The few browser APIs the unit tier's modules call, for Node: extension storage in memory (each
// area as chrome.storage's get/set/remove behave) and chrome.i18n over the real English messages.
// WebCrypto, Blob and URL are Node's own. Modules are imported from the built extension
// (dist/chromium), where the wasm they import sits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(import.meta.url), '../../..');
export const BUILT = join(ROOT, 'dist/chromium');

function storageArea() {
  const data = new Map();
  const keysOf = (keys) => (keys == null ? [...data.keys()] : typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys));
  return {
    data,
    async get(keys) {
      return Object.fromEntries(keysOf(keys).filter((key) => data.has(key)).map((key) => [key, structuredClone(data.get(key))]));
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of keysOf(keys)) data.delete(key);
    },
  };
}

const messages = JSON.parse(readFileSync(join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));

/** chrome.i18n.getMessage's substitution rules: named placeholders, then $1..$9. */
function getMessage(key, substitutions = []) {
  const entry = messages[key];
  if (!entry) return '';
  const subs = [substitutions].flat();
  let text = entry.message.replace(/\$(\w+)\$/g, (whole, name) => entry.placeholders?.[name.toLowerCase()]?.content ?? whole);
  text = text.replace(/\$(\d)/g, (whole, n) => subs[Number(n) - 1] ?? '');
  return text;
}

/** Installs a fresh `globalThis.chrome` and returns it. */
export function installBrowserApis() {
  globalThis.chrome = {
    storage: { local: storageArea(), session: storageArea(), onChanged: { addListener() {} } },
    i18n: { getMessage, getUILanguage: () => 'en' },
    runtime: { id: 'unit-tests', getURL: (path) => `chrome-extension://unit-tests/${path}` },
  };
  return globalThis.chrome;
}
