// Hostile pages: a page that knows Veil is there and tries to get a protected image painted anyway
// (stripping styles, moving the image into a shadow root or a frame it writes itself), to forge
// Veil's messages, or to drown it in 10,000 images. And, in Chromium, an audit of every request
// Veil makes while browsing and of everything it stores.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEMO, imageShare, waitForPaintState } from './harness.mjs';
import { until } from './scenarios.mjs';

const BOX = { x: 0, y: 0, width: 400, height: 250 };
const AT_BOX = 'position:absolute;left:0;top:0;width:400px;height:250px';

/** Screenshots of the box for `ms`: the protected image must never fill it. */
async function neverPainted(tab, ms) {
  let shots = 0;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const share = imageShare(await tab.screenshot({ clip: BOX }));
    assert.ok(share < 0.1, `screenshot ${shots} shows the protected image (${(share * 100).toFixed(1)}% of its box)`);
    shots++;
  }
  assert.ok(shots >= 5, `only ${shots} screenshots`);
}

export function hostileScenarios(env) {
  describe('hostile pages', () => {
    test('stripping Veil\'s styles and moving the image into a shadow root, then a frame the page writes, paints nothing', async () => {
      const copy = `${env.site.origin}/variants/recompressed.jpg`;
      const tab = await env.open(`<img id="target" src="${copy}" style="${AT_BOX}">
        <script>
          const unhide = () => {
            for (const sheet of document.querySelectorAll('style, link')) sheet.remove();
            document.adoptedStyleSheets = [];
            for (const img of document.querySelectorAll('img')) {
              img.style.setProperty('visibility', 'visible', 'important');
              img.style.setProperty('content-visibility', 'visible', 'important');
              img.setAttribute('data-veil-ok', '');
            }
          };
          const timer = setInterval(unhide, 50);
          setTimeout(() => {
            const host = Object.assign(document.createElement('div'), { style: '${AT_BOX}' });
            document.body.append(host);
            const root = host.attachShadow({ mode: 'open' });
            root.append(document.getElementById('target'));
            root.querySelector('img').style.cssText = 'width:400px;height:250px;visibility:visible !important';
          }, 700);
          setTimeout(() => {
            document.body.replaceChildren();
            const frame = Object.assign(document.createElement('iframe'), {
              style: '${AT_BOX};border:0',
              srcdoc: '<body style="margin:0"><img src="${copy}" style="width:400px;height:250px;visibility:visible !important"></body>',
            });
            document.body.append(frame);
          }, 1800);
          setTimeout(() => clearInterval(timer), 4000);
        </script>`);
      await neverPainted(tab, 4500);
      await tab.close();
    });

    test('a page\'s own inline !important visibility is held back only until its image is cleared', async () => {
      const tab = await env.open('<img id="styled" src="/images/tiles.jpg" width="200" style="visibility: visible !important">');
      await waitForPaintState(tab, { styled: true });
      const style = await tab.evaluate(() => {
        const { style } = document.getElementById('styled');
        return `${style.getPropertyValue('visibility')} ${style.getPropertyPriority('visibility')}`;
      });
      assert.equal(style, 'visible important');
      await tab.close();
    });

    test('forged messages, events and extension calls from the page neither reveal nor report', async () => {
      const extensionPage = await env.browser.openExtensionPage('evidence/evidence.html');
      const evidence = () => extensionPage.evaluate(async () => ((await chrome.storage.local.get('evidence')).evidence ?? []).length);
      const before = await evidence();
      const copy = `${env.site.origin}/variants/mirrored.jpg`;
      const tab = await env.open(`<img id="target" src="${copy}" style="${AT_BOX}">`);
      await waitForPaintState(tab, { target: false });
      await tab.evaluate((url) => {
        const forged = [
          { type: 'verdict', url, verdict: { state: 'clear' } },
          { type: 'hello', active: false },
          { type: 'report', url },
          { type: 'not-a-match', url },
        ];
        for (const message of forged) {
          window.postMessage(message, '*');
          document.dispatchEvent(new CustomEvent('veil', { detail: message }));
          document.dispatchEvent(new CustomEvent(message.type, { detail: message }));
          try { chrome.runtime.sendMessage('', message); } catch { /* refused, as it should be */ }
          try { chrome.runtime.connect('', { name: 'frame' }).postMessage(message); } catch { /* refused */ }
        }
      }, copy);
      await neverPainted(tab, 1500);
      assert.equal((await waitForPaintState(tab, { target: false })).target, false);
      assert.equal(await evidence(), before, 'nothing was reported');
      await Promise.all([tab.close(), extensionPage.close()]);
    });

    test('10,000 images: the protected copies stay hidden, the page keeps working, no image is fetched twice by Veil', async () => {
      const hits = new Map();
      const clean = ['street.jpg', 'garden.jpg', 'market.jpg', 'tiles.jpg'].map((file) => readFileSync(join(DEMO, 'images', file)));
      env.site.routes['/flood.html'] = {
        type: 'text/html; charset=utf-8',
        body: `<!doctype html><body style="margin:0">
          <img id="first" src="/flood/protected-0.jpg" width="200" height="125">
          <img id="clean" src="/flood/clean-0.jpg" width="200" height="125">
          <script>
            const fragment = document.createDocumentFragment();
            for (let i = 1; i < 10000; i++) {
              const img = document.createElement('img');
              img.width = 20; img.height = 20;
              img.src = i % 2500 === 0 ? '/flood/protected-' + i + '.jpg' : '/flood/clean-' + (i % 40) + '.jpg';
              fragment.append(img);
            }
            document.body.append(fragment);
          </script></body>`,
      };
      const serve = (body) => (req, res) => {
        hits.set(req.url, (hits.get(req.url) ?? 0) + 1);
        res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'max-age=3600' });
        res.end(body);
      };
      for (let i = 0; i < 40; i++) env.site.routes[`/flood/clean-${i}.jpg`] = serve(clean[i % clean.length]);
      for (const i of [0, 2500, 5000, 7500]) env.site.routes[`/flood/protected-${i}.jpg`] = serve(env.variants['half.jpg']);

      const tab = await env.browser.context.newPage();
      await tab.goto(`${env.site.origin}/flood.html`, { waitUntil: 'domcontentloaded' });
      await waitForPaintState(tab, { first: false, clean: true }, 60_000);
      await until(tab, () => document.images.length === 10001, undefined, 60_000);
      // Every protected copy is decided as a match, wherever it sits in the flood.
      await until(tab, () => [...document.images].filter((img) => /protected/.test(img.src))
        .every((img) => img.nextElementSibling?.localName === 'div'), undefined, 60_000);
      const protectedPainted = await tab.evaluate(() => [...document.images].filter((img) => /protected/.test(img.src))
        .filter((img) => getComputedStyle(img).visibility !== 'hidden').length);
      assert.equal(protectedPainted, 0);
      for (const [url, count] of hits) assert.ok(count <= 2, `${url} was fetched ${count} times (the page once, Veil once at most)`);
      // Still a working page: it answers, and scrolls to its end.
      assert.equal(await tab.evaluate(() => { window.scrollTo(0, document.body.scrollHeight); return document.images.length; }), 10001);
      await tab.close();
    });
  });
}

/** Chromium: every request Veil's own contexts make while browsing, and everything it stores. */
export function privacyAudit(env) {
  describe('privacy audit (Chromium)', () => {
    test('Veil requests only the images pages show, and stores no image', async () => {
      const requests = [];
      const extensionOrigin = env.browser.extensionUrl('');
      // The service worker's and extension pages' requests, and any fetch from the page's frame
      // (the page itself fetches nothing, so those would be the content script's).
      const record = (request) => {
        const fromExtension = request.serviceWorker() || request.frame()?.url().startsWith(extensionOrigin);
        const fromContentScript = !fromExtension && request.resourceType() === 'fetch';
        if ((fromExtension || fromContentScript) && !request.url().startsWith(extensionOrigin)) requests.push(request.url());
      };
      env.browser.context.on('request', record);
      const shown = ['/variants/half.jpg', '/variants/recompressed.jpg', '/images/street.jpg', '/images/garden.jpg', '/images/market.jpg?audit']
        .map((path) => `${env.site.origin}${path}`);
      const otherOrigin = `${env.otherSite.origin}/variants/half.jpg?audit`; // a URL no earlier test made Veil fetch
      const background = `${env.site.origin}/images/tiles.jpg?audit`;
      const tab = await env.open(`<p>${[...shown, otherOrigin].map((src, i) => `<img id="i${i}" src="${src}" width="200">`).join('')}</p>
        <div style="width:200px;height:100px;background-image:url('${background}')"></div>`);
      await waitForPaintState(tab, { i0: false, i1: false, i2: true, i3: true, i4: true, i5: false });
      env.browser.context.off('request', record);
      const allowed = new Set([...shown, otherOrigin, background]);
      assert.ok(requests.includes(otherOrigin), 'the audit saw Veil\'s own requests');
      assert.deepEqual(requests.filter((url) => !allowed.has(url)), [], 'nothing but the page\'s own images');

      const extensionPage = await env.browser.openExtensionPage('evidence/evidence.html');
      const stored = await extensionPage.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
      assert.ok(!/data:image|blob:/.test(stored), 'no image URL with image bytes');
      assert.ok(!/[A-Za-z0-9+/=]{256,}/.test(stored), 'no long base64 run (image bytes)');
      assert.ok(!/\\u00ff\\u00d8|\\u0089PNG/.test(stored), 'no raw image bytes');
      await Promise.all([tab.close(), extensionPage.close()]);
    });
  });
}
