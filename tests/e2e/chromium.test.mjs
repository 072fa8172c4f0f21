// Veil in real Chromium: the shared scenarios, then what needs Chromium's devtools protocol (clicks
// inside Veil's closed shadow roots), screenshots while an image trickles in, the options page
// round trip, and the extension going away under an open page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DEMO, ROOT, clickVeilButton, imageShare, launchChromium, paintState, protectFiles, trickle, veilButtons,
  waitForPaintState,
} from './harness.mjs';
import { sharedScenarios, useEnvironment } from './scenarios.mjs';

const env = useEnvironment(launchChromium, protectFiles);
sharedScenarios(env);

describe('what cannot be checked, and no flash', () => {
  test('images that cannot be checked stay hidden with a control; missing ones are not stuck', async () => {
    env.site.routes['/corrupt.jpg'] = { body: readFileSync(join(ROOT, 'tests/data/truncated.jpg')).subarray(0, 300), type: 'image/jpeg' };
    env.site.routes['/bomb.png'] = { body: readFileSync(join(ROOT, 'tests/data/huge-header.png')), type: 'image/png' };
    env.site.routes['/huge.png'] = { body: readFileSync(join(ROOT, 'tests/data/too-wide.png')), type: 'image/png' };
    const tab = await env.open(`
      <img id="missing" src="/no-such-image.jpg" width="100" height="100">
      <img id="corrupt" src="/corrupt.jpg" width="100" height="100">
      <img id="bomb" src="/bomb.png" width="100" height="100">
      <img id="huge" src="/huge.png" width="100" height="100">
      <img id="fine" src="/images/tiles.jpg" width="100">`);
    // The browser cannot paint the missing, corrupt or 50,000 x 50,000 image either: nothing waits on them.
    await waitForPaintState(tab, { fine: true, huge: false, missing: true, corrupt: true, bomb: true });
    const labels = (await veilButtons(tab)).map((b) => b.label);
    assert.deepEqual(labels, ['Show'], 'only the huge image offers "Show"');
    await clickVeilButton(tab, 'Show', 'huge');
    await waitForPaintState(tab, { huge: true });
    await tab.close();
  });

  test('a protected image loading slowly is never painted; a clean one is, once cleared', async () => {
    env.site.routes['/slow/protected.jpg'] = trickle(env.variants['half.jpg'], 'image/jpeg', 2500);
    env.site.routes['/slow/clean.jpg'] = trickle(readFileSync(join(DEMO, 'images/garden.jpg')), 'image/jpeg', 2500);
    const tab = await env.open(`
      <img id="slow" src="/slow/protected.jpg" style="position:absolute;left:0;top:0;width:400px;height:250px">
      <img id="slow-clean" src="/slow/clean.jpg" style="position:absolute;left:500px;top:0;width:300px;height:250px">`);
    let shots = 0;
    const deadline = Date.now() + 4000;
    while (Date.now() < deadline) {
      const png = await tab.screenshot({ clip: { x: 0, y: 0, width: 400, height: 250 } });
      const share = imageShare(png);
      assert.ok(share < 0.1, `screenshot ${shots} shows the protected image (${(share * 100).toFixed(1)}% of its box)`);
      shots++;
    }
    assert.ok(shots >= 5, `only ${shots} screenshots`);
    await waitForPaintState(tab, { slow: false, 'slow-clean': true });
    const clean = await tab.screenshot({ clip: { x: 500, y: 0, width: 300, height: 250 } });
    assert.ok(imageShare(clean) > 0.5, 'the cleared image is really painted (the check can see paint)');
    await tab.close();
  });
});

describe('the overlay and the options page', () => {
  test('"Show" needs a confirm; "Report" records evidence; "Not a match" is remembered', async () => {
    const html = '<img id="a" src="/variants/mirrored.jpg" width="400" height="250"><br><img id="b" src="/variants/smaller.webp" width="400" height="250">';
    const tab = await env.open(html, '/overlay.html');
    await waitForPaintState(tab, { a: false, b: false });
    await clickVeilButton(tab, 'Show');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await paintState(tab)).a, false, 'one click does not reveal');
    await clickVeilButton(tab, 'Show it');
    await waitForPaintState(tab, { a: true, b: false });

    const extensionPage = await env.browser.context.newPage();
    await extensionPage.goto(env.browser.extensionUrl('options/options.html'));
    const evidence = () => extensionPage.evaluate(async () => (await chrome.storage.local.get('evidence')).evidence ?? []);
    const before = (await evidence()).length;
    await clickVeilButton(tab, 'Report');
    await extensionPage.waitForFunction(async (n) => ((await chrome.storage.local.get('evidence')).evidence ?? []).length > n, before);
    const record = (await evidence()).at(-1);
    assert.equal(record.pageUrl, `${env.site.origin}/overlay.html`);
    assert.equal(record.imageUrl, `${env.site.origin}/variants/smaller.webp`);
    assert.ok(record.distance <= 31 && !Number.isNaN(Date.parse(record.recordedAt)));
    assert.ok(!JSON.stringify(record).includes('base64'), 'never the image');

    await clickVeilButton(tab, 'Not a match');
    await waitForPaintState(tab, { b: true });
    await tab.reload();
    await waitForPaintState(tab, { b: true, a: false });
    // The popup's figures for this tab: after the reload, one image hidden, two checked.
    await extensionPage.waitForFunction(async (url) => {
      const [t] = await chrome.tabs.query({ url });
      const counts = await chrome.runtime.sendMessage({ type: 'tab-counts', tabId: t.id });
      return counts.checked === 2 && counts.hidden === 1;
    }, `${env.site.origin}/overlay.html`);
    await extensionPage.close();
    await tab.close();
  });

  test('export, import (also a `veil protect` list), a damaged import, and remove', async () => {
    const options = await env.browser.context.newPage();
    await options.goto(env.browser.extensionUrl('options/options.html'));
    await options.waitForSelector('body[data-ready="true"]');
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
    const popup = await env.browser.context.newPage();
    await popup.goto(env.browser.extensionUrl('popup/popup.html'));
    await popup.waitForSelector('body[data-ready="true"]');
    // Opened as a tab, the popup's "current tab" is itself: it must say so without failing.
    assert.match(await popup.textContent('#counts'), /0 image\(s\) checked, 0 hidden/);
    await popup.click('#paused');
    const reopened = await env.open('<img id="m2" src="/variants/recompressed.jpg" width="200">');
    await waitForPaintState(reopened, { m2: true });
    await popup.click('#paused');
    await reopened.reload();
    await waitForPaintState(reopened, { m2: false });
    await Promise.all([popup.close(), tab.close(), reopened.close()]);
  });
});

describe('when Veil itself goes away', () => {
  test('pages are not left hidden: images are revealed with a visible notice', async () => {
    env.site.routes['/slow/pending.jpg'] = trickle(readFileSync(join(DEMO, 'images/market.jpg')), 'image/jpeg', 8_000, 80);
    const tab = await env.open('<img id="pending" src="/slow/pending.jpg" width="300" height="200">');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal((await paintState(tab)).pending, false, 'still being checked');
    const extensionPage = await env.browser.context.newPage();
    await extensionPage.goto(env.browser.extensionUrl('options/options.html'));
    await extensionPage.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50)).catch(() => {});
    const started = Date.now();
    await waitForPaintState(tab, { pending: true }, 6000);
    assert.ok(Date.now() - started < 6000);
    const labels = (await veilButtons(tab)).map((b) => b.label);
    assert.ok(labels.includes('Dismiss'), `a notice tells the person (buttons: ${labels})`);
    await tab.close();
  });
});
