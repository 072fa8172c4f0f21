// Veil in real Firefox ESR: the same scenarios as in Chromium, plus the options page's import.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hostileScenarios } from './hostile.mjs';
import { DEMO, ROOT, waitForPaintState } from './harness.mjs';
import { launchFirefox, protectFilesInFirefox } from './firefox.mjs';
import { firefoxReporting, reportingScenarios } from './reporting.mjs';
import { extensionGoesAway, sharedScenarios, useEnvironment } from './scenarios.mjs';

const env = useEnvironment(launchFirefox, protectFilesInFirefox);
sharedScenarios(env);
reportingScenarios(env);
hostileScenarios(env);
firefoxReporting(env);

test('firefox: a damaged import leaves the list intact; a `veil protect` list imports', async () => {
  const options = await env.browser.openExtensionPage('options/options.html');
  const rows = () => options.evaluate(() => document.querySelectorAll('#list-body tr').length);
  const start = await rows();
  const dir = mkdtempSync(join(tmpdir(), 'veil-ff-import-'));
  const damaged = join(dir, 'damaged.json');
  writeFileSync(damaged, '{"format":"veil-protected-list","version":1,"entries":[{"id":');
  await (await options.$('#import-list')).uploadFile(damaged);
  await options.waitForFunction(() => document.getElementById('backup-status').textContent.includes('not changed'));
  assert.equal(await rows(), start);
  const cliList = join(dir, 'cli.json');
  execFileSync(join(ROOT, 'target/release/veil'), ['protect', join(DEMO, 'images/pen-and-coaster.png'), '-o', cliList]);
  await (await options.$('#import-list')).uploadFile(cliList);
  await options.waitForFunction((n) => document.querySelectorAll('#list-body tr').length === n + 1, {}, start);
  await options.close();
});

test('firefox: a passphrase seals the list; with the session key gone Veil is locked until the right passphrase', async () => {
  const passphrase = 'quiet harbour lantern';
  const options = await env.browser.openExtensionPage('options/options.html');
  await options.type('#passphrase', passphrase);
  await options.type('#passphrase-again', passphrase);
  options.once('dialog', (dialog) => dialog.accept());
  await options.click('#lock-form button[type="submit"]');
  await options.waitForFunction(() => !document.getElementById('lock-on').hidden, { timeout: 30_000 });
  const sealed = await options.evaluate(() => browser.storage.local.get(null));
  assert.equal(sealed.protectedList, undefined);
  assert.ok(!JSON.stringify(sealed).includes('veil-protected-list'));

  // What a browser restart does to the key, without restarting (BiDi's add-ons do not outlive it).
  await options.evaluate(() => browser.storage.session.remove('vaultKey'));
  const tab = await env.open('<img id="copy" src="/variants/half.jpg" width="400" height="250">');
  await waitForPaintState(tab, { copy: true });
  const settings = await env.browser.openExtensionPage('options/options.html');
  assert.equal(await settings.evaluate(() => !document.getElementById('unlock-section').hidden), true);
  await settings.type('#unlock-passphrase', passphrase);
  await settings.click('#unlock-form button[type="submit"]');
  await settings.waitForFunction(() => !document.getElementById('lock-on')?.hidden && document.querySelectorAll('#list-body tr').length > 0, { timeout: 30_000 });
  await tab.reload();
  await waitForPaintState(tab, { copy: false });
  settings.once('dialog', (dialog) => dialog.accept());
  await settings.click('#remove-passphrase');
  await settings.waitForFunction(() => !document.getElementById('lock-form').hidden);
  for (const page of [tab, settings, options]) await page.close();
});

extensionGoesAway(env, { notice: false });
