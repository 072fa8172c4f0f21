// The extension in real Chromium on a local test site: protected images stay hidden in every way a
// page can show them, everything else is revealed, nothing flashes, and the page learns nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DEMO, ROOT, clickVeilButton, launchChromium, makeVariants, paintState, imageShare, protectFiles,
  startSite, trickle, veilButtons, waitForPaintState,
} from './harness.mjs';

const PROTECTED = join(DEMO, 'images/bridge.jpg');
const UNRELATED = ['street.jpg', 'garden.jpg', 'market.jpg', 'tiles.jpg'];
const page = (body) => ({ type: 'text/html; charset=utf-8', body: `<!doctype html><html><body style="margin:0;background:#fff">${body}</body></html>` });

let browser, site, otherSite, variants;

before(async () => {
  site = await startSite();
  otherSite = await startSite({}, { host: 'localhost' }); // another site: a cross-origin iframe
  browser = await launchChromium();
  await protectFiles(browser, [PROTECTED]);
  variants = await makeVariants(browser, site, '/images/bridge.jpg', [
    { name: 'half.jpg', scale: 0.5, quality: 0.7 },
    { name: 'recompressed.jpg', quality: 0.3 },
    { name: 'mirrored.jpg', mirror: true },
    { name: 'smaller.webp', type: 'image/webp', scale: 0.6 },
  ]);
  for (const [name, body] of Object.entries(variants)) {
    site.routes[`/variants/${name}`] = { body };
    otherSite.routes[`/variants/${name}`] = { body };
  }
});

after(async () => {
  await browser?.close();
  await site?.close();
  await otherSite?.close();
});

async function open(html, path = `/t${Math.random().toString(36).slice(2)}.html`) {
  site.routes[path] = page(html);
  const tab = await browser.context.newPage();
  await tab.goto(`${site.origin}${path}`);
  return tab;
}

describe('hiding and revealing', () => {
  test('edited copies of a protected image stay hidden; unrelated images are revealed', async () => {
    const tab = await open(`
      ${Object.keys(variants).map((v, i) => `<img id="copy${i}" src="/variants/${v}" width="200">`).join('')}
      <img id="original" src="/images/bridge.jpg" width="200">
      ${UNRELATED.map((f, i) => `<img id="other${i}" src="/images/${f}" width="200">`).join('')}`);
    const expected = { original: false };
    Object.keys(variants).forEach((_, i) => (expected[`copy${i}`] = false));
    UNRELATED.forEach((_, i) => (expected[`other${i}`] = true));
    await waitForPaintState(tab, expected);
    const labels = (await veilButtons(tab)).map((b) => b.label);
    assert.equal(labels.filter((l) => l === 'Report').length, Object.keys(variants).length + 1, 'one overlay per match');
    assert.ok(labels.includes('Not a match'));
    await tab.close();
  });

  test('srcset, picture, CSS background, late, lazy, shadow DOM and a cross-origin iframe', async () => {
    const tab = await open(`
      <img id="srcset" srcset="/variants/half.jpg 1x, /variants/half.jpg 2x" width="150">
      <img id="srcset-clear" srcset="/images/street.jpg 1x" width="150">
      <picture><source srcset="/variants/smaller.webp" type="image/webp"><img id="picture" src="/images/garden.jpg" width="150"></picture>
      <div id="background" style="width:150px;height:100px;background-image:url('/variants/mirrored.jpg')"></div>
      <div id="background-clear" style="width:150px;height:100px;background:url(/images/tiles.jpg)"></div>
      <div id="host"></div>
      <iframe id="frame" src="${otherSite.origin}/frame.html" width="400" height="200"></iframe>
      <div style="height:3000px"></div>
      <img id="lazy" loading="lazy" src="/variants/recompressed.jpg" width="150">
      <script>
        setTimeout(() => {
          const late = Object.assign(document.createElement('img'), { id: 'late', src: '/variants/half.jpg', width: 150 });
          const lateClear = Object.assign(document.createElement('img'), { id: 'late-clear', src: '/images/market.jpg', width: 150 });
          document.body.prepend(late, lateClear);
        }, 500);
        const root = document.getElementById('host').attachShadow({ mode: 'open' });
        root.innerHTML = '<img id="in-shadow" src="/variants/mirrored.jpg" width="150">';
      </script>`);
    otherSite.routes['/frame.html'] = page('<img id="framed" src="/variants/half.jpg" width="150"><img id="framed-clear" src="/images/street.jpg" width="150">');
    await tab.reload();
    await waitForPaintState(tab, {
      srcset: false, 'srcset-clear': true, picture: false, background: false, 'background-clear': true,
      late: false, 'late-clear': true,
    });
    const frame = tab.frames().find((f) => f.url().startsWith(otherSite.origin));
    await waitForPaintState(frame, { framed: false, 'framed-clear': true });
    const shadowVisible = () => tab.evaluate(() => getComputedStyle(document.getElementById('host').shadowRoot.getElementById('in-shadow')).visibility);
    await tab.waitForFunction(() => document.getElementById('host').shadowRoot.getElementById('in-shadow').complete);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await shadowVisible(), 'hidden');
    await tab.evaluate(() => document.getElementById('lazy').scrollIntoView());
    await waitForPaintState(tab, { lazy: false });
    await tab.close();
  });

  test('images that cannot be checked stay hidden with a control; missing ones are not stuck', async () => {
    site.routes['/corrupt.jpg'] = { body: readFileSync(join(ROOT, 'tests/data/truncated.jpg')).subarray(0, 300), type: 'image/jpeg' };
    site.routes['/bomb.png'] = { body: readFileSync(join(ROOT, 'tests/data/huge-header.png')), type: 'image/png' };
    site.routes['/huge.png'] = { body: readFileSync(join(ROOT, 'tests/data/too-wide.png')), type: 'image/png' };
    const tab = await open(`
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
});

describe('no flash, no swap, no forgery', () => {
  test('a protected image loading slowly is never painted; a clean one is, once cleared', async () => {
    const bridge = readFileSync(PROTECTED);
    site.routes['/slow/protected.jpg'] = trickle(variants['half.jpg'], 'image/jpeg', 2500);
    site.routes['/slow/clean.jpg'] = trickle(readFileSync(join(DEMO, 'images/garden.jpg')), 'image/jpeg', 2500);
    assert.ok(bridge.length > 0);
    const tab = await open(`
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

  test('a protected image swapped into a cleared element is caught', async () => {
    const tab = await open('<img id="swap" src="/images/street.jpg" width="200"><img id="swap-set" srcset="/images/garden.jpg 1x" width="200">');
    await waitForPaintState(tab, { swap: true, 'swap-set': true });
    await tab.evaluate(() => {
      document.getElementById('swap').src = '/variants/recompressed.jpg';
      document.getElementById('swap-set').srcset = '/variants/half.jpg 1x';
    });
    // Hidden at once (the same task), then kept hidden by the verdict.
    assert.deepEqual(await paintState(tab), { swap: false, 'swap-set': false });
    await new Promise((r) => setTimeout(r, 1500));
    await waitForPaintState(tab, { swap: false, 'swap-set': false });
    await tab.close();
  });

  test('the page cannot reveal a match by forging the cleared mark or overriding styles', async () => {
    const tab = await open(`<style>img { visibility: visible !important; display: inline !important }</style>
      <img id="target" src="/variants/half.jpg" width="200" style="visibility: visible !important">`);
    await new Promise((r) => setTimeout(r, 1500));
    await tab.evaluate(() => document.getElementById('target').setAttribute('data-veil-ok', ''));
    const afterForgery = await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() =>
      resolve([document.getElementById('target').hasAttribute('data-veil-ok'), getComputedStyle(document.getElementById('target')).visibility]))));
    assert.deepEqual(afterForgery, [false, 'hidden']);
    await tab.close();
  });
});

describe('privacy', () => {
  test('the page finds no verdict data in the DOM, attributes, storage or events', async () => {
    const tab = await open(`
      <img id="match" src="/variants/half.jpg" width="200"><img id="clean" src="/images/street.jpg" width="200">
      <script>
        window.seen = [];
        for (const type of ['message', 'veil', 'load']) addEventListener(type, (e) => seen.push(type + ':' + JSON.stringify(e.data ?? '')), true);
      </script>`);
    await waitForPaintState(tab, { match: false, clean: true });
    const found = await tab.evaluate(() => {
      const attributes = [];
      for (const element of document.querySelectorAll('*')) {
        for (const { name, value } of element.attributes) attributes.push(`${name}=${value}`);
      }
      const shadowHosts = [...document.querySelectorAll('*')].filter((e) => e.localName === 'div' && !e.id);
      return {
        attributes,
        veilAttributes: attributes.filter((a) => a.startsWith('data-veil')),
        storage: [localStorage.length, sessionStorage.length],
        openShadows: shadowHosts.map((h) => h.shadowRoot).filter(Boolean).length,
        hosts: shadowHosts.length,
        messages: window.seen.filter((s) => !s.startsWith('load')),
        text: document.body.innerText,
      };
    });
    assert.ok(!found.attributes.some((a) => /[0-9a-f]{16,}/i.test(a)), `hash-like data in ${found.attributes}`);
    assert.deepEqual(found.veilAttributes, ['data-veil-ok='], 'only the cleared mark, on the clean image');
    assert.deepEqual(found.storage, [0, 0]);
    assert.equal(found.hosts, 1, 'one overlay host');
    assert.equal(found.openShadows, 0, 'its contents are closed to the page');
    assert.deepEqual(found.messages, []);
    assert.ok(!/hidden by veil/i.test(found.text), 'no Veil text in the page DOM');
    await tab.close();
  });
});

describe('the overlay and the options page', () => {
  test('"Show" needs a confirm; "Report" records evidence; "Not a match" is remembered', async () => {
    const html = '<img id="a" src="/variants/mirrored.jpg" width="400" height="250"><br><img id="b" src="/variants/smaller.webp" width="400" height="250">';
    const tab = await open(html, '/overlay.html');
    await waitForPaintState(tab, { a: false, b: false });
    await clickVeilButton(tab, 'Show');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await paintState(tab)).a, false, 'one click does not reveal');
    await clickVeilButton(tab, 'Show it');
    await waitForPaintState(tab, { a: true, b: false });

    const extensionPage = await browser.context.newPage();
    await extensionPage.goto(browser.extensionUrl('options/options.html'));
    const evidence = () => extensionPage.evaluate(async () => (await chrome.storage.local.get('evidence')).evidence ?? []);
    const before = (await evidence()).length;
    await clickVeilButton(tab, 'Report');
    await extensionPage.waitForFunction(async (n) => ((await chrome.storage.local.get('evidence')).evidence ?? []).length > n, before);
    const record = (await evidence()).at(-1);
    assert.equal(record.pageUrl, `${site.origin}/overlay.html`);
    assert.equal(record.imageUrl, `${site.origin}/variants/smaller.webp`);
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
    }, `${site.origin}/overlay.html`);
    await extensionPage.close();
    await tab.close();
  });

  test('export, import (also a `veil protect` list), a damaged import, and remove', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options/options.html'));
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

describe('when Veil itself goes away', () => {
  test('pages are not left hidden: images are revealed with a visible notice', async () => {
    site.routes['/slow/pending.jpg'] = trickle(readFileSync(join(DEMO, 'images/market.jpg')), 'image/jpeg', 8_000, 80);
    const tab = await open('<img id="pending" src="/slow/pending.jpg" width="300" height="200">');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal((await paintState(tab)).pending, false, 'still being checked');
    const extensionPage = await browser.context.newPage();
    await extensionPage.goto(browser.extensionUrl('options/options.html'));
    await extensionPage.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50)).catch(() => {});
    const started = Date.now();
    await waitForPaintState(tab, { pending: true }, 6000);
    assert.ok(Date.now() - started < 6000);
    const labels = (await veilButtons(tab)).map((b) => b.label);
    assert.ok(labels.includes('Dismiss'), `a notice tells the person (buttons: ${labels})`);
    await tab.close();
  });
});
