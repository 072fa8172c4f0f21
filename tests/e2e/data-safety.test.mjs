// What the person made must never be lost, and a locked list must stay unreadable: the list and
// the evidence log across a browser restart (the same Chromium profile, closed and opened again),
// an older Veil's data migrated on update, and the optional passphrase (sealed at rest, locked
// after a restart, opened only by the right passphrase).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { clickVeilButton, launchChromium, makeVariants, protectFiles, startSite, waitForPaintState } from './harness.mjs';
import { PROTECTED, page, until } from './scenarios.mjs';

const profile = mkdtempSync(join(tmpdir(), 'veil-data-safety-'));
let site;
let browser;
const PASSPHRASE = 'quiet harbour lantern';

async function start() {
  browser = await launchChromium({ profile });
}

async function restart() {
  await browser.close();
  await start();
}

/** Everything in the extension's local storage, as stored. */
const storedData = (extensionPage) => extensionPage.evaluate(() => chrome.storage.local.get(null));

async function openPage(html) {
  const path = `/p${Math.random().toString(36).slice(2)}.html`;
  site.routes[path] = page(html);
  const tab = await browser.context.newPage();
  await tab.goto(`${site.origin}${path}`, { waitUntil: 'domcontentloaded' });
  return tab;
}

before(async () => {
  site = await startSite();
  await start();
  await protectFiles(browser, [PROTECTED]);
  const variants = await makeVariants(browser, site, '/images/bridge.jpg', [{ name: 'copy.jpg', scale: 0.5, quality: 0.7 }]);
  site.routes['/variants/copy.jpg'] = { body: variants['copy.jpg'] };
});
after(async () => {
  await browser?.close();
  await site?.close();
  rmSync(profile, { recursive: true, force: true });
});

test('the list and the evidence log survive a browser restart, with their schema version', async () => {
  const tab = await openPage('<img id="copy" src="/variants/copy.jpg" width="400" height="250">');
  await waitForPaintState(tab, { copy: false });
  await clickVeilButton(tab, 'Report', 'copy');
  const options = await browser.openExtensionPage('options/options.html');
  await until(options, async () => ((await chrome.storage.local.get('evidence')).evidence ?? []).length === 1);
  const saved = await storedData(options);
  assert.equal(saved.schema, 2);

  await restart();
  const reopened = await browser.openExtensionPage('options/options.html');
  const restored = await storedData(reopened);
  assert.equal(restored.protectedList, saved.protectedList);
  assert.deepEqual(restored.evidence, saved.evidence);
  assert.equal(await reopened.locator('#list-body tr').count(), 1);
  await reopened.close();
});

test('an older Veil\'s evidence records are migrated when Veil next starts', async () => {
  const options = await browser.openExtensionPage('options/options.html');
  const old = { id: 'old-1', recordedAt: '2026-11-01T10:00:00.000Z', pageUrl: 'https://pics.example/p/1', imageUrl: 'https://pics.example/i/1.jpg', distance: 12, status: 'recorded' };
  await options.evaluate(async (old) => {
    await chrome.storage.local.remove('schema');
    await chrome.storage.local.set({ evidence: [old] });
  }, old);
  const listBefore = (await storedData(options)).protectedList;
  // A browser restart starts the background afresh, as an update does.
  await restart();
  const reopened = await browser.openExtensionPage('evidence/evidence.html');
  // The background migrates as it starts.
  await until(reopened, async () => (await chrome.storage.local.get('schema')).schema === 2);
  const data = await storedData(reopened);
  assert.deepEqual(data.evidence, [{ ...old, site: 'pics.example', platform: null, platformId: null, routeUrl: null, siteLinks: [], ticket: '', reply: '', updatedAt: null }]);
  assert.equal(data.protectedList, listBefore, 'the list is untouched');
  assert.equal(await reopened.locator('li.record').count(), 1, 'the evidence page shows the migrated record');
  await reopened.close();
});

test('a passphrase seals the list and the log; after a restart Veil is locked until the right passphrase', async () => {
  const options = await browser.openExtensionPage('options/options.html');
  await options.fill('#passphrase', PASSPHRASE);
  await options.fill('#passphrase-again', PASSPHRASE);
  options.once('dialog', (dialog) => dialog.accept()); // "cannot be recovered": the person agrees
  await options.click('#lock-form button[type="submit"]');
  await options.waitForSelector('#lock-on:not([hidden])', { timeout: 30_000 });
  const sealed = await storedData(options);
  assert.equal(sealed.protectedList, undefined);
  assert.equal(sealed.evidence, undefined);
  assert.equal(sealed.vault.kdf.name, 'PBKDF2');
  assert.ok(sealed.vault.kdf.iterations >= 600_000);
  const raw = JSON.stringify(sealed);
  for (const secret of ['veil-protected-list', 'pics.example', site.origin]) assert.ok(!raw.includes(secret), `${secret} is not readable at rest`);

  // This session still has the key: matching goes on.
  const before = await openPage('<img id="copy" src="/variants/copy.jpg" width="400" height="250">');
  await waitForPaintState(before, { copy: false });

  await restart();
  // Locked: images are shown (the default on failure) with a notice saying why.
  const locked = await openPage('<img id="copy" src="/variants/copy.jpg" width="400" height="250">');
  await waitForPaintState(locked, { copy: true });
  await until(locked, () => getComputedStyle(document.body.lastElementChild).position === 'fixed');
  const settings = await browser.openExtensionPage('options/options.html');
  assert.ok(await settings.isVisible('#unlock-section'));
  assert.ok(!(await settings.isVisible('#list-table')), 'nothing of the list while locked');
  await settings.fill('#unlock-passphrase', 'wrong passphrase');
  await settings.click('#unlock-form button[type="submit"]');
  await settings.waitForFunction(() => document.getElementById('unlock-status').textContent.includes('does not open'), null, { timeout: 30_000 });
  await settings.fill('#unlock-passphrase', PASSPHRASE);
  await settings.click('#unlock-form button[type="submit"]');
  await settings.waitForSelector('#lock-on:not([hidden])', { timeout: 30_000 });
  assert.equal(await settings.locator('#list-body tr').count(), 1, 'the list is back');

  await locked.reload();
  await waitForPaintState(locked, { copy: false });

  settings.once('dialog', (dialog) => dialog.accept());
  await settings.click('#remove-passphrase');
  await settings.waitForSelector('#lock-form:not([hidden])');
  const plain = await storedData(settings);
  assert.equal(plain.vault, undefined);
  assert.ok(plain.protectedList.includes('veil-protected-list') && plain.evidence.length === 1);
});
