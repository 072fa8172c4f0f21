// The scenarios every browser must pass, on a local test site (two origins): protected images stay
// hidden in every way a page can show them, everything else is revealed, no swap or forgery gets a
// match painted, and the page learns nothing. Each browser's test file runs them with its driver.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO, makeVariants, paintState, startSite, waitForPaintState } from './harness.mjs';

export const PROTECTED = join(DEMO, 'images/bridge.jpg');
export const UNRELATED = ['street.jpg', 'garden.jpg', 'market.jpg', 'tiles.jpg'];
export const page = (body) => ({ type: 'text/html; charset=utf-8', body: `<!doctype html><html><body style="margin:0;background:#fff">${body}</body></html>` });

/** Polls `predicate(arg)` in the page (Playwright and Puppeteer differ in waitForFunction's arguments). */
async function until(tab, predicate, arg, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (!(await tab.evaluate(predicate, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the sites and the browser, protects the demo image through the real options page, and
 * serves edited copies of it. `launch` resolves to {context: {newPage}, close}.
 */
export function useEnvironment(launch, protect) {
  const env = {};
  before(async () => {
    env.site = await startSite();
    env.otherSite = await startSite({}, { host: 'localhost' }); // another site: a cross-origin iframe
    env.browser = await launch();
    await protect(env.browser, [PROTECTED]);
    env.variants = await makeVariants(env.browser, env.site, '/images/bridge.jpg', [
      { name: 'half.jpg', scale: 0.5, quality: 0.7 },
      { name: 'recompressed.jpg', quality: 0.3 },
      { name: 'mirrored.jpg', mirror: true },
      { name: 'smaller.webp', type: 'image/webp', scale: 0.6 },
    ]);
    for (const [name, body] of Object.entries(env.variants)) {
      env.site.routes[`/variants/${name}`] = { body };
      env.otherSite.routes[`/variants/${name}`] = { body };
    }
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
    await env.otherSite?.close();
  });
  /** Serves `html` as a new page and opens it in a new tab, returning before its images load. */
  env.open = async (html, path = `/t${Math.random().toString(36).slice(2)}.html`) => {
    env.site.routes[path] = page(html);
    const tab = await env.browser.context.newPage();
    await tab.goto(`${env.site.origin}${path}`, { waitUntil: 'domcontentloaded' });
    return tab;
  };
  return env;
}

export function sharedScenarios(env) {
  describe('hiding and revealing', () => {
  test('edited copies of a protected image stay hidden; unrelated images are revealed', async () => {
      const { variants, open } = env;
      const tab = await open(`
        ${Object.keys(variants).map((v, i) => `<img id="copy${i}" src="/variants/${v}" width="200">`).join('')}
        <img id="original" src="/images/bridge.jpg" width="200">
        ${UNRELATED.map((f, i) => `<img id="other${i}" src="/images/${f}" width="200">`).join('')}`);
      const expected = { original: false };
      Object.keys(variants).forEach((_, i) => (expected[`copy${i}`] = false));
      UNRELATED.forEach((_, i) => (expected[`other${i}`] = true));
      await waitForPaintState(tab, expected);
      // One overlay per match (hidden alone would also hold for images still being checked).
      await until(tab, (n) => [...document.images].filter((i) => i.nextElementSibling?.localName === 'div').length === n,
        Object.keys(variants).length + 1);
      await tab.close();
    });

    test('srcset, picture, CSS background, blob: and data:, late, lazy, shadow DOM and a cross-origin iframe', async () => {
      const { open, otherSite } = env;
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
          fetch('/variants/mirrored.jpg').then((r) => r.blob()).then((blob) => {
            const fromBlob = Object.assign(document.createElement('img'), { id: 'blob', src: URL.createObjectURL(blob), width: 150 });
            document.body.prepend(fromBlob);
          });
          fetch('/variants/smaller.webp').then((r) => r.blob()).then((blob) => {
            const reader = new FileReader();
            reader.onload = () => document.body.prepend(Object.assign(document.createElement('img'), { id: 'data', src: reader.result, width: 150 }));
            reader.readAsDataURL(blob);
          });
          const root = document.getElementById('host').attachShadow({ mode: 'open' });
          root.innerHTML = '<img id="in-shadow" src="/variants/mirrored.jpg" width="150">';
        </script>`);
      otherSite.routes['/frame.html'] = page('<img id="framed" src="/variants/half.jpg" width="150"><img id="framed-clear" src="/images/street.jpg" width="150">');
      await tab.reload();
      await waitForPaintState(tab, {
        srcset: false, 'srcset-clear': true, picture: false, background: false, 'background-clear': true,
        late: false, 'late-clear': true, blob: false, data: false,
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
  });

  describe('no swap, no forgery', () => {
    test('a protected image swapped into a cleared element is caught', async () => {
      const tab = await env.open('<img id="swap" src="/images/street.jpg" width="200"><img id="swap-set" srcset="/images/garden.jpg 1x" width="200">');
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
      const tab = await env.open(`<style>img { visibility: visible !important; display: inline !important }</style>
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
      const tab = await env.open(`
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
}
