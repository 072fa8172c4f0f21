// Veil in real Firefox ESR: the same scenarios as in Chromium, plus the options page's import.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO, ROOT } from './harness.mjs';
import { launchFirefox, protectFilesInFirefox } from './firefox.mjs';
import { firefoxReporting, reportingScenarios } from './reporting.mjs';
import { extensionGoesAway, sharedScenarios, useEnvironment } from './scenarios.mjs';

const env = useEnvironment(launchFirefox, protectFilesInFirefox);
sharedScenarios(env);
reportingScenarios(env);
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

extensionGoesAway(env, { notice: false });
