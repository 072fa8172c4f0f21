// Real parts for the browser tests and the demo: a local web server on 127.0.0.1, Debian's Chromium
// with the built extension loaded, the real options page to protect images, and helpers that look
// at the page the way a person (and a hostile page script) would.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO = join(ROOT, 'demo');
export const CHROMIUM_DIST = join(ROOT, 'dist/chromium');
export const CHROMIUM_PATH = process.env.VEIL_CHROMIUM ?? '/usr/bin/chromium';

const TYPES = { '.html': 'text/html; charset=utf-8', '.jpg': 'image/jpeg', '.png': 'image/png',
  '.webp': 'image/webp', '.gif': 'image/gif', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/**
 * Serves `routes` (path -> {body, type} or (req, res) => void), then files under demo/.
 * @returns {Promise<{origin: string, close: () => Promise<void>, routes: object}>}
 */
export async function startSite(routes = {}, { host = '127.0.0.1' } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const route = routes[path];
    if (typeof route === 'function') return route(req, res);
    if (route) {
      res.writeHead(200, { 'content-type': route.type ?? TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      return res.end(route.body);
    }
    const file = normalize(join(DEMO, path));
    if (!file.startsWith(DEMO) || !existsSync(file) || path.endsWith('/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  const origin = `http://${host}:${server.address().port}`;
  return { origin, routes, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A route that sends `body` in small pieces over `ms`: an image that loads slowly. */
export function trickle(body, type, ms = 3000, pieces = 30) {
  return (req, res) => {
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
    const size = Math.ceil(body.length / pieces);
    let sent = 0;
    const timer = setInterval(() => {
      res.write(body.subarray(sent, sent + size));
      sent += size;
      if (sent >= body.length) {
        clearInterval(timer);
        res.end();
      }
    }, ms / pieces);
    req.on('close', () => clearInterval(timer));
  };
}

export function chromiumArgs(extensionDir, headless = true) {
  return [
    ...(headless ? ['--headless=new'] : []),
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    '--hide-scrollbars', `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
  ];
}

/**
 * Chromium with the built extension; resolves once its service worker runs. With `profile`, an
 * existing profile folder is used and kept (a browser restart); otherwise a new one, removed on close.
 * `extensionDir`: another build of it (the bench's copies).
 */
export async function launchChromium({ headless = true, profile: existing, lang, extensionDir = CHROMIUM_DIST } = {}) {
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`${extensionDir} is missing: run make build`);
  const profile = existing ?? mkdtempSync(join(tmpdir(), 'veil-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: false, // headless=new comes from the args: the old headless mode has no extensions
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...chromiumArgs(extensionDir, headless), ...(lang ? [`--lang=${lang}`] : [])],
    ...(lang ? { locale: lang, env: { ...process.env, LANGUAGE: lang } } : {}),
    viewport: { width: 1200, height: 900 },
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  // A new install opens the welcome page (onboarding). Close it once it is there, so that no test
  // races it for the same page.
  const deadline = Date.now() + (existing ? 0 : 5000);
  let onboarding;
  while (!onboarding && Date.now() < deadline) {
    onboarding = context.pages().find((page) => page.url().startsWith(`chrome-extension://${extensionId}/welcome/`));
    if (!onboarding) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await onboarding?.waitForLoadState('load');
  await onboarding?.close();
  const extensionUrl = (path) => `chrome-extension://${extensionId}/${path}`;
  return {
    context,
    profile,
    extensionId,
    extensionUrl,
    /** Opens one of Veil's pages in a new tab, once it says it is ready. */
    openExtensionPage: async (path) => {
      const page = await context.newPage();
      await page.goto(extensionUrl(path));
      await page.waitForSelector('body[data-ready="true"]');
      return page;
    },
    close: async () => {
      await context.close();
      if (!existing) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Stops Veil's service worker, as Chromium does when it has been idle for 30 s: its memory goes,
 * its session rules stay. The next event starts a new one.
 */
export async function stopServiceWorker(browser) {
  const page = await browser.openExtensionPage('options/options.html');
  const worker = browser.context.serviceWorkers()[0];
  await worker.evaluate(() => (globalThis.veilLifeBeforeStop = true));
  const session = await browser.context.newCDPSession(page);
  await session.send('ServiceWorker.enable');
  await session.send('ServiceWorker.stopAllWorkers');
  await page.reload(); // an event that starts the new worker
  await page.waitForSelector('body[data-ready="true"]');
  if (await worker.evaluate(() => globalThis.veilLifeBeforeStop ?? false)) throw new Error('the service worker did not stop');
  await page.close();
  return worker; // Playwright's handle reaches the new worker
}

/** Protects image files through the real options page, as a person would. */
export async function protectFiles(browser, files) {
  const page = await browser.openExtensionPage('options/options.html');
  const before = await page.locator('#list-body tr').count();
  await page.setInputFiles('#protect-files', files);
  await page.waitForFunction((n) => document.querySelectorAll('#list-body tr').length >= n, before + files.length);
  await page.close();
}

/** The edited copies of the protected demo image (bridge.jpg) that demo/feed.html shows under /variants/. */
export const FEED_VARIANTS = [
  { name: 'half.jpg', scale: 0.5, quality: 0.7 },
  { name: 'recompressed.jpg', quality: 0.3 },
  { name: 'mirrored.jpg', mirror: true },
  { name: 'smaller.webp', type: 'image/webp', scale: 0.6 },
  { name: 'thumbnail.jpg', scale: 0.25, quality: 0.6 },
];

/**
 * Edited copies of an image, made by the browser's own encoders: what a re-share looks like.
 * @returns {Promise<Record<string, Buffer>>}
 */
export async function makeVariants(browser, site, source, edits) {
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/images/`); // any same-origin page: the canvas stays untainted
  const encoded = await page.evaluate(async ({ source, edits }) => {
    const bitmap = await createImageBitmap(await (await fetch(source)).blob());
    const out = {};
    for (const edit of edits) {
      const width = Math.round(bitmap.width * (edit.scale ?? 1));
      const height = Math.round(bitmap.height * (edit.scale ?? 1));
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d');
      if (edit.mirror) {
        context.translate(width, 0);
        context.scale(-1, 1);
      }
      context.drawImage(bitmap, 0, 0, width, height);
      const blob = await canvas.convertToBlob({ type: edit.type ?? 'image/jpeg', quality: edit.quality ?? 0.8 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out[edit.name] = btoa(binary);
    }
    return out;
  }, { source, edits });
  await page.close();
  return Object.fromEntries(Object.entries(encoded).map(([name, b64]) => [name, Buffer.from(b64, 'base64')]));
}

/**
 * Each element's state as the page sees it (main world, computed styles): `true` painted, `false`
 * hidden under Veil's panel (decided), `'pending'` hidden without one (still being checked).
 */
export function paintState(frame, selector = '[id]') {
  return frame.evaluate((selector) => {
    const state = {};
    for (const element of document.querySelectorAll(selector)) {
      const style = getComputedStyle(element);
      const hasBackground = element.style.backgroundImage.includes('url(');
      const painted = hasBackground ? style.backgroundImage !== 'none' : style.visibility === 'visible';
      state[element.id] = painted || (element.nextElementSibling?.localName === 'div' ? false : 'pending');
    }
    return state;
  }, selector);
}

/** Waits until the elements reach `expected` (id -> true painted, false hidden under a panel). */
export async function waitForPaintState(frame, expected, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let state;
  while (Date.now() < deadline) {
    state = await paintState(frame);
    if (Object.entries(expected).every(([id, painted]) => state[id] === painted)) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`paint state never became ${JSON.stringify(expected)}; last ${JSON.stringify(state)}`);
}

/**
 * The buttons inside Veil's closed shadow roots, with their centres: the page's own scripts cannot
 * reach them, so the test finds them as the browser's inspector does (DOM with pierce) and clicks
 * them with the mouse, as a person does.
 */
export async function veilButtons(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const buttons = [];
    const walk = (node, inClosedShadow) => {
      if (inClosedShadow && node.nodeName === 'BUTTON') buttons.push(node);
      for (const child of node.children ?? []) walk(child, inClosedShadow);
      for (const shadow of node.shadowRoots ?? []) walk(shadow, inClosedShadow || shadow.shadowRootType === 'closed');
    };
    walk(root, false);
    const text = (node) => (node.nodeValue ?? '') + (node.children ?? []).map(text).join('');
    const out = [];
    for (const node of buttons) {
      const label = text(node).trim();
      let box = null;
      try {
        const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendNodeId });
        const [x1, y1, , , x3, y3] = model.content;
        box = { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
      } catch {
        // Not rendered (e.g. a hidden confirm step).
      }
      out.push({ label, box });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

/** Clicks Veil's button `label`; with `near`, the one closest to element `#near`. */
export async function clickVeilButton(page, label, near) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const rect = near ? await page.locator(`#${near}`).boundingBox() : { x: 0, y: 0, width: 0, height: 0 };
    const distance = ({ box }) => Math.hypot(box.x - rect.x - rect.width / 2, box.y - rect.y - rect.height / 2);
    const candidates = (await veilButtons(page)).filter((b) => b.label === label && b.box);
    const button = candidates.sort((a, b) => distance(a) - distance(b))[0];
    if (button) return page.mouse.click(button.box.x, button.box.y);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no visible Veil button "${label}"`);
}

/** Decodes the 8-bit RGB(A), non-interlaced PNGs that Chromium's screenshots are. */
export function decodePng(buffer) {
  let at = 8;
  let width, height, channels;
  const idat = [];
  while (at < buffer.length) {
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString('ascii', at + 4, at + 8);
    const data = buffer.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = { 2: 3, 6: 4 }[data[9]];
      if (data[8] !== 8 || !channels || data[12] !== 0) throw new Error('unsupported PNG');
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a
        : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      pixels[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

// The page's white and the backgrounds of Veil's own panel (light and dark); the light one is also
// the colour of the placeholder Firefox's network gate paints instead of a match.
const NOT_IMAGE = [[255, 255, 255], [238, 241, 244], [31, 41, 51]];

/**
 * The share (0-1) of a screenshot's pixels that are neither the page's white nor Veil's panel:
 * a photo fills its box, while the panel's text and buttons cover a few percent of it. `box`
 * ({x, y, width, height} in the screenshot's pixels) looks at part of it; `png` may be decoded.
 */
export function imageShare(png, box = null) {
  const { width, height, pixels, channels } = png.pixels ? png : decodePng(png);
  const { x, y, width: w, height: h } = box ?? { x: 0, y: 0, width, height };
  let foreign = 0;
  for (let row = y; row < y + h; row++) {
    for (let i = (row * width + x) * channels, end = i + w * channels; i < end; i += channels) {
      if (!isPageOrVeil(pixels, i)) foreign++;
    }
  }
  return foreign / (w * h);
}

/** Whether the pixel at `i` is the page's white, Veil's panel or text, or the gate's placeholder. */
export function isPageOrVeil(pixels, i) {
  return NOT_IMAGE.some(([r, g, b]) => Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 12);
}
