// Ways a page paints an image beyond <img>, each watched on screen while the page loads: a copy of
// the protected image is never painted; a clean image in the same form is, once cleared; a hidden
// image keeps a reachable control. Shared by both browsers; `laterPaints` needs Chromium's
// devtools protocol for the panel's buttons.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEMO, clickVeilButton, decodePng, imageShare, stopServiceWorker, trickle, veilButtons } from './harness.mjs';

const BOX = { width: 300, height: 200 };

/** Screenshots the boxes at (x, 0) for `ms`: the protected ones must never show their image. */
async function neverPainted(tab, protectedBoxes, ms = 3000) {
  const deadline = Date.now() + ms;
  let shots = 0;
  // One screenshot a round, as wide as the boxes: every box is seen in the same frame.
  const width = Math.max(...Object.values(protectedBoxes)) + BOX.width;
  // At least three rounds, however slow the machine makes a screenshot.
  while (Date.now() < deadline || shots < 3) {
    const shot = decodePng(await tab.screenshot({ clip: { x: 0, y: 0, width, height: BOX.height } }));
    for (const [name, x] of Object.entries(protectedBoxes)) {
      const share = imageShare(shot, { x, y: 0, ...BOX });
      assert.ok(share < 0.1, `${name}: screenshot ${shots} shows the protected image (${(share * 100).toFixed(1)}% of its box)`);
    }
    shots++;
  }
}

/** Waits until the box at (x, 0) shows an image. */
async function eventuallyPainted(tab, name, x, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let share = 0;
  while (Date.now() < deadline) {
    share = imageShare(await tab.screenshot({ clip: { x, y: 0, ...BOX } }));
    if (share > 0.5) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${name}: the clean image was never painted (${(share * 100).toFixed(1)}% of its box)`);
}

/** One box per column at the page's top, `position: absolute` so screenshots can find them. */
const at = (i, html) => `<div style="position:absolute;left:${i * 320}px;top:0;width:300px;height:200px;overflow:hidden">${html}</div>`;

export function paintPathScenarios(env) {
  describe('paint paths beyond <img>', () => {
    const slow = (name, file) => {
      env.site.routes[`/slow-paths/${name}`] = trickle(file, 'image/jpeg', 1500);
      return `/slow-paths/${name}?${Math.random().toString(36).slice(2)}`;
    };
    const clean = () => readFileSync(join(DEMO, 'images/garden.jpg'));

    test('inline styles: URL( in capitals, image-set() without url(), border-image, content: url()', async () => {
      const forms = {
        upper: (src) => `<div style="width:300px;height:200px;background-image:URL(${src});background-size:cover"></div>`,
        imageSet: (src) => `<div style="width:300px;height:200px;background-image:image-set('${src}' 1x);background-size:cover"></div>`,
        border: (src) => `<div style="box-sizing:border-box;width:300px;height:200px;border:100px solid transparent;border-image:url(${src}) 40% stretch"></div>`,
        content: (src) => `<div style="width:300px;height:200px;content:url(${src})"></div>`,
      };
      const names = Object.keys(forms);
      const protectedHtml = names.map((name, i) => at(i, forms[name](slow(`${name}.jpg`, env.variants['half.jpg'])))).join('');
      const tab = await env.open(`${protectedHtml}<div style="position:absolute;top:240px">${
        names.map((name) => `<div style="position:relative;display:inline-block">${forms[name](slow(`${name}-clean.jpg`, clean()))}</div>`).join('')}</div>`);
      await neverPainted(tab, Object.fromEntries(names.map((name, i) => [name, i * 320])));
      // The clean copies, in the same forms, are painted once cleared.
      const cleanTab = await env.open(names.map((name, i) => at(i, forms[name](`/images/garden.jpg?${name}`))).join(''));
      for (const [i, name] of names.entries()) await eventuallyPainted(cleanTab, name, i * 320);
      await tab.close();
      await cleanTab.close();
    });

    test('first paints from a stylesheet rule, ::before, a custom property, <object> and <embed>: a protected copy never, a clean one once cleared', async () => {
      const forms = {
        stylesheet: (src, id) => `<style>.${id} { width: 300px; height: 200px; background: url(${src}) center / cover }</style><div class="${id}"></div>`,
        before: (src, id) => `<style>.${id}::before { content: url(${src}) }</style><div class="${id}"></div>`,
        customProperty: (src, id) => `<style>.${id} { --picture: url(${src}) } .${id} > div { width: 300px; height: 200px; background: var(--picture) center / cover }</style><div class="${id}"><div></div></div>`,
        object: (src) => `<object data="${src}" width="300" height="200"></object>`,
        embed: (src) => `<embed src="${src}" width="300" height="200">`,
      };
      // Two pages, each as wide as the window's four columns of boxes.
      for (const names of [['stylesheet', 'before', 'customProperty'], ['object', 'embed']]) {
        const tab = await env.open(names.map((name, i) => at(i, forms[name](slow(`first-${name}.jpg`, env.variants['half.jpg']), `protected-${name}`))).join(''));
        await neverPainted(tab, Object.fromEntries(names.map((name, i) => [name, i * 320])));
        if (names.includes('stylesheet')) {
          // Another element of the same class, once the image is in the browser's memory cache
          // (no request to announce): held too.
          await tab.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), at(3, '<div class="protected-stylesheet"></div>'));
          await neverPainted(tab, { 'stylesheet, later element': 960 });
        }
        const cleanTab = await env.open(names.map((name, i) => at(i, forms[name](slow(`first-${name}-clean.jpg`, clean()), `clean-${name}`))).join(''));
        for (const [i, name] of names.entries()) await eventuallyPainted(cleanTab, name, i * 320);
        await tab.close();
        await cleanTab.close();
      }
    });

    test('an <object> showing a page, not an image, is shown: nothing to check', async () => {
      env.site.routes['/object/page.html'] = { type: 'text/html; charset=utf-8', body: '<!doctype html><body style="margin:0;background:#2a7"></body>' };
      const tab = await env.open(at(0, '<object id="page" data="/object/page.html" width="300" height="200"></object>'));
      await eventuallyPainted(tab, 'object page', 0);
      await tab.close();
    });

    test('an image the page\'s own service worker serves is checked on the bytes the page gets, not on what the network gives Veil', async () => {
      // The network answers /sw/ with clean photos; the page's worker answers with a protected copy.
      env.site.routes['/sw/photo.jpg'] = { type: 'image/jpeg', body: clean() };
      env.site.routes['/sw/clean.jpg'] = { type: 'image/jpeg', body: clean() };
      env.site.routes['/sw/worker.js'] = { type: 'text/javascript', body: `
        self.addEventListener('install', () => self.skipWaiting());
        self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
        self.addEventListener('fetch', (event) => {
          if (new URL(event.request.url).pathname === '/sw/photo.jpg') event.respondWith(fetch('/variants/half.jpg'));
        });` };
      const tab = await env.open(`<script>
        navigator.serviceWorker.register('/sw/worker.js', { scope: '/sw/' });
        navigator.serviceWorker.ready.then(() => new Promise((resolve) => (navigator.serviceWorker.controller ? resolve() : navigator.serviceWorker.addEventListener('controllerchange', resolve))))
          .then(() => document.body.insertAdjacentHTML('beforeend', '${at(0, '<img src="/sw/photo.jpg" style="width:300px;height:200px">')}${at(1, '<img src="/sw/clean.jpg" style="width:300px;height:200px">')}'));
        </script>`, '/sw/page.html');
      await tab.waitForFunction(() => document.images.length === 2);
      await neverPainted(tab, { 'served by the worker': 0 });
      await eventuallyPainted(tab, 'clean, from the network', 320);
      await tab.evaluate(() => navigator.serviceWorker.getRegistrations().then((all) => Promise.all(all.map((r) => r.unregister()))));
      await tab.close();
    });

    test('SVG images are drawn and checked: one embedding a protected copy stays hidden, a plain one is shown', async () => {
      const embedded = `data:image/jpeg;base64,${env.variants['half.jpg'].toString('base64')}`;
      env.site.routes['/svg/embeds.svg'] = { type: 'image/svg+xml', body: `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><image href="${embedded}" width="600" height="400"/></svg>` };
      env.site.routes['/svg/plain.svg'] = { type: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="600" height="400" fill="#2a7"/><circle cx="300" cy="200" r="150" fill="#c33"/></svg>' };
      const tab = await env.open(`${at(0, '<img src="/svg/embeds.svg" style="width:300px;height:200px">')}${at(1, '<img src="/svg/plain.svg" style="width:300px;height:200px">')}`);
      await neverPainted(tab, { 'svg embedding a copy': 0 });
      await eventuallyPainted(tab, 'plain svg', 320);
      await tab.close();
    });

    test('the shadow-root hook reads as the browser\'s own function', async () => {
      const tab = await env.open('<p>plain</p>');
      const seen = await tab.evaluate(() => {
        const hook = Element.prototype.attachShadow;
        return { source: Function.prototype.toString.call(hook), name: hook.name, length: hook.length, own: Object.hasOwn(Element.prototype, 'attachShadow') };
      });
      assert.match(seen.source, /\[native code\]/);
      assert.deepEqual({ name: seen.name, length: seen.length, own: seen.own }, { name: 'attachShadow', length: 1, own: true });
      await tab.close();
    });

    test('closed and declarative shadow roots: a protected copy inside is never painted, a clean one is', async () => {
      const src = slow('in-closed.jpg', env.variants['mirrored.jpg']);
      const declarativeSrc = slow('in-declarative.jpg', env.variants['half.jpg']);
      const tab = await env.open(`
        ${at(0, '<div id="closed-host"></div>')}
        ${at(1, `<div><template shadowrootmode="closed"><img src="${declarativeSrc}" style="width:300px;height:200px"></template></div>`)}
        ${at(2, '<div><template shadowrootmode="closed"><img src="/images/tiles.jpg?declarative" style="width:300px;height:200px"></template></div>')}
        ${at(3, '<div id="late-host"></div>')}
        <script>
          const root = document.getElementById('closed-host').attachShadow({ mode: 'closed' });
          root.innerHTML = '<img src="${src}" style="width:300px;height:200px">';
          // Long after its host was found: only the page-world hook tells Veil of this root, whose
          // clean image is then checked and shown (the user-level rules hide it meanwhile).
          setTimeout(() => {
            document.getElementById('late-host').attachShadow({ mode: 'closed' }).innerHTML = '<img src="/images/street.jpg?late-closed" style="width:300px;height:200px">';
          }, 500);
        </script>`);
      await neverPainted(tab, { closed: 0, declarative: 320 });
      await eventuallyPainted(tab, 'declarative clean', 640);
      await eventuallyPainted(tab, 'clean, in a closed root attached late', 960);
      await tab.close();
    });
  });
}

/** The labels of Veil's buttons on screen, once there are `count` of them. */
async function panelShown(tab, count, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let labels = [];
  while (labels.length < count && Date.now() < deadline) {
    labels = (await veilButtons(tab)).filter((b) => b.box).map((b) => b.label);
    if (labels.length < count) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return labels;
}

/** Chromium: the panel of a slotted image, and a known match's later paints by other paths. */
export function chromiumPaintPathScenarios(env) {
  describe('paint paths beyond <img> (Chromium)', () => {
    test('an image slotted into a component keeps its panel where the image is', async () => {
      const tab = await env.open(`
        <photo-card id="card"><img id="slotted" slot="photo" src="/variants/half.jpg?slot" width="300" height="200"></photo-card>
        <script>
          customElements.define('photo-card', class extends HTMLElement {
            constructor() { super(); this.attachShadow({ mode: 'closed' }).innerHTML = '<figure><slot name="photo"></slot></figure>'; }
          });
        </script>`);
      const labels = await panelShown(tab, 3);
      assert.deepEqual(labels.sort(), ['Not a match', 'Report', 'Show'], 'the panel renders, with its buttons on screen');
      await tab.close();
    });

    test('a hotlink-protected image (403 without the page\'s Referer) is checked: a protected copy gets the match panel, a clean one shows', async () => {
      const guarded = (body) => (req, res) => {
        const fromPage = (req.headers.referer ?? '').startsWith(env.site.origin);
        res.writeHead(fromPage ? 200 : 403, { 'content-type': 'image/jpeg', 'cache-control': 'no-store' });
        res.end(fromPage ? body : 'hotlinking refused');
      };
      env.site.routes['/hotlink/copy.jpg'] = guarded(env.variants['recompressed.jpg']);
      env.site.routes['/hotlink/clean.jpg'] = guarded(readFileSync(join(DEMO, 'images/market.jpg')));
      const tab = await env.open(`${at(0, '<img id="hot-copy" src="/hotlink/copy.jpg" style="width:300px;height:200px">')}${at(1, '<img src="/hotlink/clean.jpg" style="width:300px;height:200px">')}`);
      assert.deepEqual((await panelShown(tab, 3)).sort(), ['Not a match', 'Report', 'Show'], 'a match panel, not "not checked"');
      await eventuallyPainted(tab, 'clean hotlinked image', 320);
      await tab.close();
    });

    test('a hotlink-protected image whose request waits for a connection (Veil asks before the page\'s Referer is known) is checked', async () => {
      const guarded = (body) => (req, res) => {
        const fromPage = (req.headers.referer ?? '').startsWith(env.site.origin);
        res.writeHead(fromPage ? 200 : 403, { 'content-type': 'image/jpeg', 'cache-control': 'no-store' });
        res.end(fromPage ? body : 'hotlinking refused');
      };
      const tag = Math.random().toString(36).slice(2);
      env.site.routes['/queued/copy.jpg'] = guarded(env.variants['recompressed.jpg']);
      env.site.routes['/queued/busy'] = trickle(Buffer.alloc(3000), 'text/plain', 2500);
      // The page's six fetches hold its six connections to the host: its image request waits (its
      // headers are not sent, so not seen) while the frame already asks Veil to check the image.
      const tab = await env.open(`<script>
        for (let i = 0; i < 6; i++) fetch('/queued/busy?${tag}-' + i);
        setTimeout(() => document.body.insertAdjacentHTML('beforeend', '${at(0, `<img src="/queued/copy.jpg?${tag}" style="width:300px;height:200px">`)}'), 300);
        </script>`);
      await neverPainted(tab, { 'queued hotlinked copy': 0 });
      assert.deepEqual((await panelShown(tab, 3, 20_000)).sort(), ['Not a match', 'Report', 'Show'], 'a match panel, not "not checked"');
      await tab.close();
    });

    test('a slow download that keeps coming (17 s, past the old fixed 15 s) is checked, not given up', async () => {
      env.site.routes['/slow-paths/long.jpg'] = trickle(readFileSync(join(DEMO, 'images/street.jpg')), 'image/jpeg', 17_000, 40);
      const tab = await env.open(at(0, '<img id="long" src="/slow-paths/long.jpg" style="width:300px;height:200px">'));
      await eventuallyPainted(tab, 'slow clean image', 0, 40_000);
      await tab.close();
    });

    test('a canvas: the first draw of a protected copy is never painted, by drawImage or a pattern; a clean draw is', async () => {
      const draw = (id, src, how) => `${at(Number(id.at(-1)), `<canvas id="${id}" width="300" height="200"></canvas>`)}<script>
        { const image = new Image(); image.onload = () => { const context = document.getElementById('${id}').getContext('2d');
          ${how === 'pattern' ? "context.fillStyle = context.createPattern(image, 'no-repeat'); context.fillRect(0, 0, 300, 200);" : 'context.drawImage(image, 0, 0, 300, 200);'} };
          image.src = '${src}'; }</script>`;
      env.site.routes['/canvas/copy.jpg'] = { type: 'image/jpeg', body: env.variants['half.jpg'] };
      const tab = await env.open(`${draw('c0', '/canvas/copy.jpg?draw', 'draw')}${draw('c1', '/canvas/copy.jpg?pattern', 'pattern')}${draw('c2', '/images/garden.jpg?canvas', 'draw')}`);
      await neverPainted(tab, { drawImage: 0, createPattern: 320 });
      await eventuallyPainted(tab, 'clean canvas', 640);
      assert.deepEqual((await panelShown(tab, 6)).sort(), ['Not a match', 'Not a match', 'Report', 'Report', 'Show', 'Show'], 'each canvas that drew a match has its panel');
      // The hook reads as the browser's own function.
      const seen = await tab.evaluate(() => {
        const hook = CanvasRenderingContext2D.prototype.drawImage;
        return { source: Function.prototype.toString.call(hook), name: hook.name, length: hook.length };
      });
      assert.match(seen.source, /\[native code\]/);
      assert.deepEqual({ name: seen.name, length: seen.length }, { name: 'drawImage', length: 3 });
      await tab.close();
    });

    test('a style on :hover that paints a protected copy: hidden with its panel once its verdict comes, though the page changed nothing', async () => {
      const url = `/variants/half.jpg?hover=${Math.random().toString(36).slice(2)}`;
      const tab = await env.open(`<style>.hover-box:hover { background: url(${url}) center / cover }</style>${at(0, '<div class="hover-box" style="width:300px;height:200px"></div>')}`);
      await tab.mouse.move(150, 100);
      assert.deepEqual((await panelShown(tab, 3)).sort(), ['Not a match', 'Report', 'Show'], 'the box that painted a match gets the panel');
      await neverPainted(tab, { 'hovered box': 0 });
      await tab.close();
    });

    test('once an address matches, a stylesheet, a pseudo-element and a canvas get a placeholder for it; "Show" shows the real image', async () => {
      const url = `/variants/half.jpg?later=${Math.random().toString(36).slice(2)}`;
      const first = await env.open(`<img id="first" src="${url}" width="300" height="200">`);
      await panelShown(first, 3);
      await first.close();
      const tab = await env.open(`
        <style>
          .card { width: 300px; height: 200px; background: url(${url}) center / cover; }
          .before::before { content: url(${url}); }
        </style>
        ${at(0, '<div class="card"></div>')}
        ${at(1, '<div class="before"></div>')}
        ${at(2, '<canvas id="canvas" width="300" height="200"></canvas>')}
        ${at(3, `<img id="again" src="${url}" style="width:300px;height:200px">`)}
        <script>
          const image = new Image();
          image.onload = () => document.getElementById('canvas').getContext('2d').drawImage(image, 0, 0, 300, 200);
          image.src = '${url}';
        </script>`);
      await neverPainted(tab, { stylesheet: 0, pseudo: 320, canvas: 640, img: 960 });
      await clickVeilButton(tab, 'Show', 'again');
      await clickVeilButton(tab, 'Show it', 'again');
      await eventuallyPainted(tab, 'shown after confirming', 960);
      await tab.close();
    });

    test('after the service worker stops (as it does when idle), a known match and a new one are both held back; "Show" releases the known one', async () => {
      const tag = Math.random().toString(36).slice(2);
      const known = `${env.site.origin}/variants/half.jpg?before-stop=${tag}`;
      const fresh = `${env.site.origin}/variants/recompressed.jpg?after-stop=${tag}`;
      const matchOn = async (url) => {
        const tab = await env.open(at(0, `<img id="m" src="${url}" style="width:300px;height:200px">`));
        assert.deepEqual((await panelShown(tab, 3)).sort(), ['Not a match', 'Report', 'Show'], url);
        return tab;
      };
      await (await matchOn(known)).close();
      const worker = await stopServiceWorker(env.browser);
      const heldBack = async () => (await worker.evaluate(() => chrome.declarativeNetRequest.getSessionRules()))
        .filter((rule) => rule.action.type === 'redirect').map((rule) => rule.condition.urlFilter).filter((filter) => filter.includes(tag)).sort();
      const tab = await matchOn(fresh);
      assert.deepEqual(await heldBack(), [`|${fresh}|`, `|${known}|`].sort(), 'the new match\'s rule is not refused for an id the stopped worker used');
      await tab.close();
      const again = await matchOn(known);
      await clickVeilButton(again, 'Show', 'm');
      await clickVeilButton(again, 'Show it', 'm');
      await eventuallyPainted(again, 'shown after confirming', 0);
      assert.deepEqual(await heldBack(), [`|${fresh}|`], 'the stopped worker\'s rule is released by the new one');
      await again.close();
    });
  });
}
