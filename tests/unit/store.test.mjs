// The stored list and evidence log, with and without the passphrase: real WebCrypto (AES-GCM,
// PBKDF2 600,000 iterations), storage in memory.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BUILT, installBrowserApis } from './browser-apis.mjs';

const chrome = installBrowserApis();
let store;
before(async () => {
  store = await import(join(BUILT, 'shared/store.js'));
});

const LIST = '{"format":"veil-protected-list","version":1,"entries":[]}';

test('without a passphrase the data is stored plain and reads back', async () => {
  await store.writeProtectedList(LIST);
  await store.writeEvidence([{ id: 'a', pageUrl: 'https://example.com/p' }]);
  assert.equal(await store.lockState(), 'open');
  assert.equal(await store.readProtectedList(), LIST);
  assert.deepEqual(await store.readEvidence(), [{ id: 'a', pageUrl: 'https://example.com/p' }]);
});

test('a passphrase leaves nothing readable at rest; a wrong one is refused, the right one opens', async () => {
  await store.setPassphrase('correct horse battery staple');
  const atRest = JSON.stringify([...chrome.storage.local.data]);
  assert.ok(!atRest.includes('veil-protected-list') && !atRest.includes('example.com'), atRest.slice(0, 200));
  assert.equal(await store.lockState(), 'unlocked', 'the session keeps the key');
  await chrome.storage.session.remove('vaultKey'); // the browser restarted
  assert.equal(await store.lockState(), 'locked');
  await assert.rejects(store.readProtectedList(), store.LockedError);
  assert.equal(await store.unlock('wrong horse'), false);
  assert.equal(await store.unlock('correct horse battery staple'), true);
  assert.equal(await store.readProtectedList(), LIST);
});

test('writes while unlocked stay sealed; removing the passphrase stores the data plain again', async () => {
  await store.writeEvidence([{ id: 'b', pageUrl: 'https://example.org/q' }]);
  assert.ok(!JSON.stringify([...chrome.storage.local.data]).includes('example.org'));
  await store.removePassphrase();
  assert.equal(await store.lockState(), 'open');
  assert.deepEqual(chrome.storage.local.data.get('evidence'), [{ id: 'b', pageUrl: 'https://example.org/q' }]);
});

test('an older Veil\'s evidence records are migrated once', async () => {
  await chrome.storage.local.remove('schema');
  await chrome.storage.local.set({ evidence: [{ id: 'c', pageUrl: 'https://old.example/x', imageUrl: 'https://old.example/i.jpg' }] });
  await store.migrate();
  const [record] = await store.readEvidence();
  assert.equal(record.site, 'old.example');
  assert.equal(record.ticket, '');
  assert.equal(chrome.storage.local.data.get('schema'), store.SCHEMA_VERSION);
});
