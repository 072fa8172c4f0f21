// Veil in real Firefox ESR: the same scenarios as in Chromium, plus the options page's import.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { networkGateScenarios } from './gate.mjs';
import { hostileScenarios } from './hostile.mjs';
import { DEMO, ROOT, waitForPaintState } from './harness.mjs';
import { launchFirefox, protectFilesInFirefox } from './firefox.mjs';
import { firefoxReporting, reportingScenarios } from './reporting.mjs';
import { extensionGoesAway, sharedScenarios, useEnvironment } from './scenarios.mjs';
import { paintPathScenarios } from './paint-paths.mjs';
import { protectFileScenarios } from './protect-files.mjs';

const env = useEnvironment(launchFirefox, protectFilesInFirefox);
sharedScenarios(env);
protectFileScenarios(env, async (page, paths) => (await page.$('#protect-files')).uploadFile(...paths));
reportingScenarios(env);
hostileScenarios(env);
paintPathScenarios(env);
networkGateScenarios(env);
firefoxReporting(env);

test('firefox: Veil reads the page\'s own download of each image: none is requested twice', async () => {
  const hits = new Map();
  const serve = (body) => (req, res) => {
    hits.set(req.url, (hits.get(req.url) ?? 0) + 1);
    // Not cacheable: a second download by Veil would have to reach this server.
    res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store' });
    res.end(body);
  };
  env.site.routes['/once/copy.jpg'] = serve(env.variants['half.jpg']);
  env.site.routes['/once/other.jpg'] = serve(readFileSync(join(DEMO, 'images/street.jpg')));
  const tab = await env.open('<img id="copy" src="/once/copy.jpg" width="200"><img id="other" src="/once/other.jpg" width="200">');
  await waitForPaintState(tab, { copy: false, other: true });
  assert.deepEqual(Object.fromEntries(hits), { '/once/copy.jpg': 1, '/once/other.jpg': 1 });
  await tab.close();
});

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
