// The scenarios every browser must pass, on a local test site (two origins): protected images stay
// hidden in every way a page can show them, everything else is revealed, no swap or forgery gets a
// match painted, and the page learns nothing. Each browser's test file runs them with its driver.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO, ROOT, imageShare, makeVariants, paintState, startSite, trickle, waitForPaintState } from './harness.mjs';

export const PROTECTED = join(DEMO, 'images/bridge.jpg');
export const UNRELATED = ['street.jpg', 'garden.jpg', 'market.jpg', 'tiles.jpg'];
export const page = (body) => ({ type: 'text/html; charset=utf-8', body: `<!doctype html><html><body style="margin:0;background:#fff">${body}</body></html>` });

/**
 * Polls `predicate(arg)` in the page until it is truthy, and returns that value (Playwright and
 * Puppeteer differ in waitForFunction's arguments).
 */
export async function until(tab, predicate, arg, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let value;
  while (!(value = await tab.evaluate(predicate, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return value;
}

/** Waits until Veil has decided on these hidden elements: each has its panel next to it. */
function settled(tab, ids) {
  return until(tab, (ids) => ids.every((id) => document.getElementById(id).nextElementSibling?.localName === 'div'), ids);
}

/**
 * Starts the sites and the browser, protects the demo image through the real options page, and
 * serves edited copies of it. `launch` resolves to {context: {newPage}, openExtensionPage(path), close}.
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
      // Hidden before the next frame is painted (animation-frame callbacks run just before it).
      const beforePaint = await tab.evaluate(() => {
        document.getElementById('swap').src = '/variants/recompressed.jpg';
        document.getElementById('swap-set').srcset = '/variants/half.jpg 1x';
        return new Promise((resolve) => requestAnimationFrame(() =>
          resolve(['swap', 'swap-set'].map((id) => getComputedStyle(document.getElementById(id)).visibility))));
      });
      assert.deepEqual(beforePaint, ['hidden', 'hidden']);
      // Then kept hidden by the verdict.
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

  describe('what cannot be checked, the panel, and no flash', () => {
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
      // Its panel's "Show" is the page's only focusable control: the keyboard reaches it.
      await settled(tab, ['huge']);
      await tab.keyboard.press('Tab');
      await tab.keyboard.press('Enter');
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

    test('by keyboard: "Show" needs a confirm; "Not a match" is remembered; "Report" records evidence', async () => {
      const html = ['mirrored.jpg', 'smaller.webp', 'half.jpg']
        .map((file, i) => `<img id="${'abc'[i]}" src="/variants/${file}" width="400" height="250"><br>`).join('');
      const extensionPage = await env.browser.openExtensionPage('options/options.html');
      const evidence = () => extensionPage.evaluate(async () => (await chrome.storage.local.get('evidence')).evidence ?? []);
      const before = (await evidence()).length;
      const tab = await env.open(html, '/overlay.html');
      await settled(tab, ['a', 'b', 'c']);
      await tab.bringToFront(); // keys go to the tab in front
      // Keyboard only: Tab reaches the first panel's "Show"; Enter asks to confirm, and focus moves there.
      await tab.keyboard.press('Tab');
      await tab.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await paintState(tab)).a, false, 'one press does not reveal');
      await tab.keyboard.press('Enter');
      await waitForPaintState(tab, { a: true, b: false, c: false });

      for (const key of ['Tab', 'Tab', 'Tab', 'Enter']) await tab.keyboard.press(key); // b's Show, Report, "Not a match"
      await waitForPaintState(tab, { b: true, c: false });
      for (const key of ['Tab', 'Tab', 'Enter']) await tab.keyboard.press(key); // c's Show, then Report
      await until(extensionPage, async (n) => ((await chrome.storage.local.get('evidence')).evidence ?? []).length > n, before);
      const record = (await evidence()).at(-1);
      assert.equal(record.pageUrl, `${env.site.origin}/overlay.html`);
      assert.equal(record.imageUrl, `${env.site.origin}/variants/half.jpg`);
      assert.ok(record.distance <= 31 && !Number.isNaN(Date.parse(record.recordedAt)));
      assert.ok(!JSON.stringify(record).includes('base64'), 'never the image');

      await tab.bringToFront(); // Report opened the report page in a new tab, in front
      await tab.reload();
      await waitForPaintState(tab, { a: false, b: true, c: false });
      // The popup's figures for this tab: after the reload, two images hidden, three checked.
      await until(extensionPage, async (url) => {
        const t = (await chrome.tabs.query({})).find((tab) => tab.url === url);
        const { result: counts } = await chrome.runtime.sendMessage({ type: 'tab-counts', tabId: t.id });
        return counts.checked === 3 && counts.hidden === 2;
      }, `${env.site.origin}/overlay.html`);
      await extensionPage.close();
      await tab.close();
    });
  });
}

/**
 * Reloads the extension under an open page: run it last, after every other test of the file.
 * With `notice`, Veil's orphaned content script must say so on the page (Chromium keeps it running);
 * Firefox removes a reloaded extension's styles and scripts from open pages, so images simply show.
 */
export function extensionGoesAway(env, { notice }) {
  describe('when Veil itself goes away', () => {
    test('pages are not left hidden: images are revealed with a visible notice', async () => {
      env.site.routes['/slow/pending.jpg'] = trickle(readFileSync(join(DEMO, 'images/market.jpg')), 'image/jpeg', 8_000, 80);
      const tab = await env.open('<img id="pending" src="/slow/pending.jpg" width="300" height="200">');
      await new Promise((r) => setTimeout(r, 800));
      assert.equal((await paintState(tab)).pending, 'pending', 'still being checked');
      const extensionPage = await env.browser.openExtensionPage('options/options.html');
      await extensionPage.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50)).catch(() => {});
      const started = Date.now();
      await waitForPaintState(tab, { pending: true }, 6000);
      assert.ok(Date.now() - started < 6000);
      // The notice: a fixed panel at the end of the body (its words are in a closed shadow root).
      const shown = await tab.evaluate(() => {
        const last = document.body.lastElementChild;
        return last.localName === 'div' && getComputedStyle(last).position === 'fixed' && last.getBoundingClientRect().height > 20;
      });
      assert.equal(shown, notice, notice ? 'a notice tells the person' : 'no script is left to show a notice');
      await tab.close();
    });
  });
}
