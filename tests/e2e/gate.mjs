// Firefox's network gate: each image response is held until Veil has decided on the page's own
// bytes, and a match reaches the page as a flat placeholder. So every way a page can paint a
// network image is covered, whether or not the DOM layer knows that way: stylesheet classes,
// pseudo-elements, border and list images, custom properties, canvas, <object>/<embed>, SVG, a
// top-level image. Checked with screenshots while the images load, and with the page's own pixels.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { iconPng } from '../../scripts/icon.mjs';
import { DEMO, decodePng, imageShare, isPageOrVeil, trickle, waitForPaintState } from './harness.mjs';
import { UNRELATED, until } from './scenarios.mjs';

const BOX = { width: 200, height: 125 };
const COLUMNS = 6;
const PLACEHOLDER = [0xee, 0xf1, 0xf4];

/**
 * The share of a screenshot's pixels brighter than Firefox's dark, noisy backdrop around a
 * top-level image and unlike Veil's panel or placeholder: the protected photo would fill most of
 * the window. (The panel over a top-level image is as large as the image and placeholder-grey.)
 */
function brightShare(png) {
  const { pixels, channels } = decodePng(png);
  let bright = 0;
  for (let i = 0; i < pixels.length; i += channels) {
    if (pixels[i] + pixels[i + 1] + pixels[i + 2] > 240 && !isPageOrVeil(pixels, i)) bright++;
  }
  return bright / (pixels.length / channels);
}
const inBox = 'position:absolute;width:200px;height:125px;overflow:hidden;margin:0;padding:0';

// Each way to paint an image: markup painting `src` into a 200 x 125 box.
const PATHS = {
  img: (src) => `<img src="${src}" style="width:200px;height:125px">`,
  'stylesheet-class': (src, id) => `<style>.${id} { background-image: url(${src}); background-size: cover; width: 200px; height: 125px }</style><div class="${id}"></div>`,
  before: (src, id) => `<style>.${id}::before { content: url(${src}) }</style><div class="${id}"></div>`,
  after: (src, id) => `<style>.${id}::after { content: url(${src}) }</style><div class="${id}"></div>`,
  'border-image': (src) => `<div style="box-sizing:border-box;width:200px;height:125px;border:45px solid #fff;border-image:url(${src}) 60 stretch"></div>`,
  'list-style-image': (src) => `<ul style="margin:0;padding:0;list-style-image:url(${src});list-style-position:inside"><li></li></ul>`,
  'custom-property': (src, id) => `<style>.${id} { --picture: url(${src}) } .${id} > div { background: var(--picture) center / cover; width: 200px; height: 125px }</style><div class="${id}"><div></div></div>`,
  canvas: (src, id) => `<canvas id="${id}-canvas" width="200" height="125"></canvas><script>
    { const image = new Image(); image.onload = () => document.getElementById('${id}-canvas').getContext('2d').drawImage(image, 0, 0, 200, 125); image.src = '${src}'; }
    </script>`,
  object: (src) => `<object data="${src}" width="200" height="125"></object>`,
  embed: (src) => `<embed src="${src}" width="200" height="125">`,
  'svg-image': (src) => `<svg width="200" height="125"><image href="${src}" width="200" height="125" preserveAspectRatio="xMidYMid slice"/></svg>`,
};

/** The centre pixel of a same-origin image or canvas (`id`, or the document's first image), as the page reads it. */
function pagePixel(tab, id = null) {
  return tab.evaluate(async (id) => {
    const source = id ? document.getElementById(id) : document.images[0];
    if (source instanceof HTMLImageElement) await source.decode().catch(() => {});
    const width = source instanceof HTMLImageElement ? source.naturalWidth : source.width;
    const height = source instanceof HTMLImageElement ? source.naturalHeight : source.height;
    const context = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d');
    context.drawImage(source, width / 2, height / 2, 1, 1, 0, 0, 1, 1);
    return [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  }, id);
}

const nearPlaceholder = (rgb) => rgb.every((value, i) => Math.abs(value - PLACEHOLDER[i]) <= 2);

export function networkGateScenarios(env) {
  describe('network gate (Firefox): decided where the bytes arrive', () => {
    test('every way a page paints a network image: a match is never painted, a clean image is', async () => {
      const clean = UNRELATED.map((file) => readFileSync(join(DEMO, 'images', file)));
      const boxes = [];
      Object.entries(PATHS).forEach(([path, markup], i) => {
        for (const [kind, offset] of [['protected', 0], ['clean', 1]]) {
          const at = i * 2 + offset;
          const box = { kind, path, x: (at % COLUMNS) * 210, y: Math.floor(at / COLUMNS) * 135, ...BOX };
          const src = `/gate/${kind}-${path}.jpg`;
          env.site.routes[src] = kind === 'protected'
            ? trickle(env.variants['half.jpg'], 'image/jpeg', 2000, 20)
            : { body: clean[i % clean.length], type: 'image/jpeg' };
          boxes.push({ ...box, html: `<div id="${kind}-${path}" style="${inBox};left:${box.x}px;top:${box.y}px">${markup(src, `${kind}-${path}`)}</div>` });
        }
      });
      const region = { x: 0, y: 0, width: COLUMNS * 210, height: Math.ceil(boxes.length / COLUMNS) * 135 };
      const tab = await env.browser.context.newPage();
      await tab.setViewport({ width: region.width + 20, height: region.height + 100 });
      env.site.routes['/gate/paths.html'] = { type: 'text/html; charset=utf-8', body: `<!doctype html><body style="margin:0;background:#fff">${boxes.map((b) => b.html).join('')}</body>` };
      await tab.goto(`${env.site.origin}/gate/paths.html`, { waitUntil: 'domcontentloaded' });

      const shares = async () => {
        const shot = decodePng(await tab.screenshot({ clip: region }));
        return boxes.map((box) => ({ ...box, share: imageShare(shot, box) }));
      };
      // While the protected copies trickle in, and for a while after they are decided.
      const deadline = Date.now() + 5000;
      let shots = 0;
      while (Date.now() < deadline) {
        for (const box of (await shares()).filter((b) => b.kind === 'protected')) {
          assert.ok(box.share < 0.1, `screenshot ${shots}: ${box.path} shows the protected image (${(box.share * 100).toFixed(1)}% of its box)`);
        }
        shots++;
      }
      assert.ok(shots >= 5, `only ${shots} screenshots`);
      // Every clean image is painted, by every path (which also shows each path really paints).
      let last = [];
      const cleanDeadline = Date.now() + 15_000;
      while (Date.now() < cleanDeadline) {
        last = (await shares()).filter((b) => b.kind === 'clean' && b.share <= 0.5);
        if (last.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.deepEqual(last.map((b) => `${b.path} ${(b.share * 100).toFixed(0)}%`), [], 'clean images not painted');
      // The page's canvas holds the placeholder, not the match (once the page has drawn it); the
      // clean one its image.
      await until(tab, () => document.getElementById('protected-canvas-canvas').getContext('2d').getImageData(100, 62, 1, 1).data[3] > 0);
      assert.ok(nearPlaceholder(await pagePixel(tab, 'protected-canvas-canvas')));
      assert.ok(!nearPlaceholder(await pagePixel(tab, 'clean-canvas-canvas')));
      // A matched <img> still offers its panel (Show, Report, Not a match).
      await until(tab, () => document.querySelector('#protected-img > img').nextElementSibling?.localName === 'div');
      await tab.close();
    });

    test('a top-level image of a match is never painted; the page itself gets the placeholder', async () => {
      env.site.routes['/gate/top.jpg'] = trickle(env.variants['half.jpg'], 'image/jpeg', 2000, 20);
      const tab = await env.browser.context.newPage();
      await tab.setViewport({ width: 800, height: 600 });
      // Not awaited: the navigation ends only once the held image is decided.
      tab.goto(`${env.site.origin}/gate/top.jpg`).catch(() => {});
      await until(tab, () => document.contentType.startsWith('image/') && Boolean(document.body));
      const deadline = Date.now() + 4000;
      let shots = 0;
      while (Date.now() < deadline) {
        const share = brightShare(await tab.screenshot());
        assert.ok(share < 0.1, `screenshot ${shots} shows the protected image (${(share * 100).toFixed(1)}%)`);
        shots++;
      }
      assert.ok(shots >= 5, `only ${shots} screenshots`);
      await until(tab, () => document.images[0]?.complete);
      assert.ok(nearPlaceholder(await pagePixel(tab)), 'the page\'s image is the placeholder');
      await tab.close();
    });

    test('Show on a gated match shows the real image after the confirm, with no second download', async () => {
      let hits = 0;
      env.site.routes['/gate/show.jpg'] = (req, res) => {
        hits++;
        res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store' });
        res.end(env.variants['mirrored.jpg']);
      };
      const tab = await env.open('<img id="m" src="/gate/show.jpg" style="position:absolute;left:0;top:0;width:400px;height:250px">');
      await waitForPaintState(tab, { m: false });
      await until(tab, () => document.getElementById('m').nextElementSibling?.localName === 'div');
      const box = { x: 0, y: 0, width: 400, height: 250 };
      assert.ok(imageShare(await tab.screenshot({ clip: box })) < 0.1, 'hidden before Show');
      await tab.bringToFront();
      await tab.keyboard.press('Tab');
      await tab.keyboard.press('Enter');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(imageShare(await tab.screenshot({ clip: box })) < 0.1, 'one press does not reveal');
      await tab.keyboard.press('Enter');
      const deadline = Date.now() + 10_000;
      let share = 0;
      while (Date.now() < deadline && share <= 0.5) {
        share = imageShare(await tab.screenshot({ clip: box }));
        if (share <= 0.5) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(share > 0.5, `the real image is shown after the confirm (${(share * 100).toFixed(1)}%)`);
      // Veil's copy of the page's own bytes, held in memory: nothing was downloaded again.
      assert.equal(hits, 1, 'downloaded once, by the page');
      await tab.close();
    });

    test('the wait follows the download: a slow match is held as long as it moves; a stalled image passes, "not checked"', async () => {
      // 14 s in all, a piece every half second: longer than the gate's 10 s, never 10 s without progress.
      env.site.routes['/gate/long.jpg'] = trickle(env.variants['half.jpg'], 'image/jpeg', 14_000, 28);
      const clean = readFileSync(join(DEMO, 'images/garden.jpg'));
      env.site.routes['/gate/stalled.jpg'] = (req, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': clean.length, 'cache-control': 'no-store' });
        res.write(clean.subarray(0, clean.length / 2));
        const timer = setTimeout(() => res.end(clean.subarray(clean.length / 2)), 13_000);
        req.on('close', () => clearTimeout(timer));
      };
      const tab = await env.open('<img id="long" src="/gate/long.jpg" width="200" height="125"><img id="stalled" src="/gate/stalled.jpg" width="200" height="125">');
      // Stalled past 10 s: its bytes go on to the page, and the DOM layer says "not checked".
      await waitForPaintState(tab, { stalled: false }, 25_000);
      await until(tab, () => document.getElementById('stalled').complete, undefined, 10_000);
      assert.ok(!nearPlaceholder(await pagePixel(tab, 'stalled')), 'the stalled image\'s own bytes');
      // The slow match was held to its end, and decided: the page got the placeholder.
      await waitForPaintState(tab, { long: false }, 25_000);
      await until(tab, () => document.getElementById('long').complete, undefined, 10_000);
      assert.ok(nearPlaceholder(await pagePixel(tab, 'long')), 'the slow match reached the page as the placeholder');
      await tab.close();
    });

    test('an icon (its first bytes declare it) goes to the page as its bytes come; a larger image is held to its end', async () => {
      // Each response sends its first half at once and the rest only after 8 s.
      const halfThenRest = (body, type) => (req, res) => {
        res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
        res.write(body.subarray(0, body.length / 2));
        const timer = setTimeout(() => res.end(body.subarray(body.length / 2)), 8_000);
        req.on('close', () => clearTimeout(timer));
      };
      env.site.routes['/gate/icon.png'] = halfThenRest(iconPng(16), 'image/png');
      env.site.routes['/gate/half-sent.jpg'] = halfThenRest(readFileSync(join(DEMO, 'images/garden.jpg')), 'image/jpeg');
      const tab = await env.open('<img id="icon" src="/gate/icon.png"><img id="photo" src="/gate/half-sent.jpg" width="200" height="125">');
      // The page learns the icon's size from the half it has been sent, long before the rest.
      await until(tab, () => document.getElementById('icon').naturalWidth === 16, undefined, 6_000);
      const photo = await tab.evaluate(() => ({ width: document.getElementById('photo').naturalWidth, complete: document.getElementById('photo').complete }));
      assert.deepEqual(photo, { width: 0, complete: false }, 'the photo\'s first half is still held by the gate');
      await tab.close();
    });

    test('where Veil does not check (paused), the page\'s own bytes pass unchanged', async () => {
      const options = await env.browser.openExtensionPage('options/options.html');
      const setPaused = (paused) => options.evaluate(async (paused) => {
        const { settings = {} } = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({ settings: { ...settings, paused } });
      }, paused);
      await setPaused(true);
      try {
        env.site.routes['/gate/paused.jpg'] = { body: env.variants['recompressed.jpg'], type: 'image/jpeg' };
        const tab = await env.open('<style>.p { background: url(/gate/paused.jpg) center / cover; position:absolute;left:0;top:0;width:400px;height:250px }</style><div class="p"></div><img id="i" src="/gate/paused.jpg" width="40">');
        await waitForPaintState(tab, { i: true });
        assert.ok(!nearPlaceholder(await pagePixel(tab, 'i')), 'the real bytes');
        assert.ok(imageShare(await tab.screenshot({ clip: { x: 0, y: 0, width: 400, height: 250 } })) > 0.5);
        await tab.close();
      } finally {
        await setPaused(false);
        await options.close();
      }
    });
  });
}
