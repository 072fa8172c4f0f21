// Veil in real Chromium: the shared scenarios, then what needs Chromium's devtools protocol (reading
// and clicking Veil's panels inside their closed shadow roots), the options page's export, the
// popup.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DEMO, ROOT, clickVeilButton, launchChromium, protectFiles, veilButtons, waitForPaintState,
} from './harness.mjs';
import { hostileScenarios, privacyAudit } from './hostile.mjs';
import { chromiumReporting, reportingScenarios } from './reporting.mjs';
import { extensionGoesAway, sharedScenarios, useEnvironment } from './scenarios.mjs';
import { protectFileScenarios } from './protect-files.mjs';
import { chromiumPaintPathScenarios, paintPathScenarios } from './paint-paths.mjs';

const env = useEnvironment(() => launchChromium(), protectFiles);
sharedScenarios(env);
protectFileScenarios(env, (page, paths) => page.setInputFiles('#protect-files', paths));
reportingScenarios(env);
hostileScenarios(env);
paintPathScenarios(env);
chromiumPaintPathScenarios(env);
privacyAudit(env);
chromiumReporting(env);

describe('the options page and the panels', () => {
  test('a match offers Show, Report and Not a match; an unchecked image only Show', async () => {
    env.site.routes['/too-wide.png'] = { body: readFileSync(join(ROOT, 'tests/data/too-wide.png')), type: 'image/png' };
    const tab = await env.open('<img id="m" src="/variants/half.jpg" width="300" height="200"><img id="u" src="/too-wide.png" width="300" height="200">');
    await waitForPaintState(tab, { m: false, u: false });
    const deadline = Date.now() + 10_000;
    let labels = [];
    while (labels.length < 4 && Date.now() < deadline) labels = (await veilButtons(tab)).filter((b) => b.box).map((b) => b.label);
    assert.deepEqual(labels.sort(), ['Not a match', 'Report', 'Show', 'Show']);
    await clickVeilButton(tab, 'Show', 'u');
    await waitForPaintState(tab, { u: true, m: false });
    await tab.close();
  });

  test('export, import (also a `veil protect` list), a damaged import, and remove', async () => {
    const options = await env.browser.openExtensionPage('options/options.html');
    const rows = () => options.locator('#list-body tr').count();
    const start = await rows();

    const [download] = await Promise.all([options.waitForEvent('download'), options.click('#export-list')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(exported.format, 'veil-protected-list');
    assert.equal(exported.entries.length, start);
    assert.ok(!JSON.stringify(exported).includes('data:image'), 'fingerprints only');

    const dir = mkdtempSync(join(tmpdir(), 'veil-import-'));
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, JSON.stringify(exported).slice(0, 120));
    await options.setInputFiles('#import-list', damaged);
    await options.waitForFunction(() => document.getElementById('backup-status').textContent.includes('not changed'));
    assert.equal(await rows(), start, 'a damaged file leaves the list as it was');

    const cliList = join(dir, 'cli.json');
    execFileSync(join(ROOT, 'target/release/veil'), ['protect', join(DEMO, 'images/pen-and-coaster.png'), '-o', cliList]);
    await options.setInputFiles('#import-list', cliList);
    await options.waitForFunction((n) => document.querySelectorAll('#list-body tr').length === n + 1, start);

    options.once('dialog', (dialog) => dialog.accept());
    await options.locator('#list-body tr').last().getByRole('button').click();
    await options.waitForFunction((n) => document.querySelectorAll('#list-body tr').length === n, start);
    await options.close();
  });
});

describe('the popup', () => {
  test('shows the tab\'s counts; "Pause everywhere" reveals pages, and un-pausing checks again', async () => {
    const tab = await env.open('<img id="m" src="/variants/half.jpg" width="200"><img id="c" src="/images/street.jpg" width="200">');
    await waitForPaintState(tab, { m: false, c: true });
    const popup = await env.browser.openExtensionPage('popup/popup.html');
    // Opened as a tab, the popup's "current tab" is itself: it must say so without failing.
    assert.match(await popup.textContent('#counts'), /0 image\(s\) checked, 0 hidden/);
    assert.equal(await popup.textContent('#site-label'), 'Veil checks web pages; this is not one.');
    assert.ok(await popup.isDisabled('#site-on'));
    await popup.click('#paused');
    const reopened = await env.open('<img id="m2" src="/variants/recompressed.jpg" width="200">');
    await waitForPaintState(reopened, { m2: true });
    await popup.click('#paused');
    await reopened.reload();
    await waitForPaintState(reopened, { m2: false });
    await Promise.all([popup.close(), tab.close(), reopened.close()]);
  });
});

extensionGoesAway(env, { notice: true });
