// Encodes the bench's images with the browser's own encoders (canvas convertToBlob), from real
// photos (corpus.mjs) scaled to a long side; PNG screenshots are the browser's own screenshots of
// a text page with photos. Nothing is downloaded.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../tests/e2e/harness.mjs';
import { photoSources } from './corpus.mjs';

// Encoded images are kept between runs (git-ignored), keyed by what made them: encoding a few
// hundred images from multi-megapixel photos takes a minute or more on a loaded machine.
const CACHE = join(ROOT, 'bench/out/images');

const SCREEN_SIZES = [[1280, 800], [1920, 1080], [1366, 768], [1440, 900], [1536, 864], [1600, 900]];

/**
 * A page to take screenshots of: the README as an article, with two of the demo photos (not the
 * protected one: a screenshot showing it would rightly be hidden).
 */
function screenshotPage() {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'));
  const paragraphs = text.split(/\n\n+/).slice(0, 60).map((p) => `<p>${p}</p>`);
  paragraphs.splice(4, 0, '<img src="/images/garden.jpg" alt="">');
  paragraphs.splice(12, 0, '<img src="/images/street.jpg" alt="">');
  return `<!doctype html><meta charset="utf-8"><title>Notes</title><style>body { font: 15px/1.5 sans-serif; max-width: 760px; margin: 2em auto; color: #222; } img { width: 60%; display: block; margin: 1em 0; }</style>${paragraphs.join('\n')}`;
}

/** PNG screenshots of a text page with photos (served by `site`), at common screen sizes, scrolled a little each. */
async function screenshots(context, site, count) {
  site.routes['/bench/screenshot-page.html'] = { type: 'text/html; charset=utf-8', body: screenshotPage() };
  const page = await context.newPage();
  const shots = [];
  try {
    for (let i = 0; i < count; i++) {
      const [width, height] = SCREEN_SIZES[i % SCREEN_SIZES.length];
      await page.setViewportSize({ width, height });
      await page.goto(`${site.origin}/bench/screenshot-page.html`, { waitUntil: 'load' });
      await page.evaluate((y) => scrollTo(0, y), i * 300);
      shots.push(await page.screenshot({ type: 'png' }));
    }
  } finally {
    await page.close();
  }
  return shots;
}

/**
 * Bodies for a plan of `{name, source, longSide, type, quality}` (source: a photoSources name, or
 * `screenshot:N`), encoded in a page of `context` (Playwright, no extension) on `site`.
 * @returns {Promise<Map<string, Buffer>>} name -> encoded bytes
 */
async function encodeImages(context, site, plan) {
  const wanted = new Set(plan.map((item) => item.source));
  const sources = new Map(photoSources().filter((s) => wanted.has(s.name)).map((s) => [s.name, s.bytes]));
  const shotNames = [...wanted].filter((name) => name.startsWith('screenshot:'));
  const shots = await screenshots(context, site, shotNames.length ? Math.max(...shotNames.map((n) => Number(n.split(':')[1]))) + 1 : 0);
  const bodies = new Map();
  for (const item of plan.filter((p) => p.source.startsWith('screenshot:'))) bodies.set(item.name, shots[Number(item.source.split(':')[1])]);
  for (const [name, bytes] of sources) site.routes[`/source/${name}`] = { type: 'application/octet-stream', body: bytes };
  const missing = [...wanted].filter((name) => !name.startsWith('screenshot:') && !sources.has(name));
  if (missing.length) throw new Error(`bench images: no source ${missing.join(', ')}`);
  const cacheFile = (item) => join(CACHE, createHash('sha256').update(JSON.stringify([item.name, item.longSide, item.type, item.quality]))
    .update(sources.get(item.source)).digest('hex').slice(0, 24));
  mkdirSync(CACHE, { recursive: true });
  const toEncode = [];
  for (const item of plan.filter((p) => !p.source.startsWith('screenshot:'))) {
    if (existsSync(cacheFile(item))) bodies.set(item.name, readFileSync(cacheFile(item)));
    else toEncode.push(item);
  }
  const page = await context.newPage();
  try {
    await page.goto(`${site.origin}/images/`); // any same-origin page: the canvas stays untainted
    // In batches: each answer travels back as base64 text.
    for (let at = 0; at < toEncode.length; at += 40) {
      const batch = toEncode.slice(at, at + 40);
      const encoded = await page.evaluate(async (items) => {
        const bitmaps = {};
        const out = {};
        for (const item of items) {
          bitmaps[item.source] ??= await createImageBitmap(await (await fetch(`/source/${encodeURIComponent(item.source)}`)).blob()).catch(() => null);
          const bitmap = bitmaps[item.source];
          if (!bitmap) continue; // not decodable here: the caller picks another source
          const scale = item.longSide / Math.max(bitmap.width, bitmap.height);
          const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
          const context = canvas.getContext('2d');
          context.imageSmoothingQuality = 'high';
          context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
          const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: item.type, quality: item.quality })).arrayBuffer());
          let binary = '';
          for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          out[item.name] = btoa(binary);
        }
        return out;
      }, batch);
      for (const item of batch) {
        if (!encoded[item.name]) continue;
        bodies.set(item.name, Buffer.from(encoded[item.name], 'base64'));
        writeFileSync(cacheFile(item), bodies.get(item.name));
      }
      for (const item of batch) if (!bodies.has(item.name)) console.log(`bench images: ${item.source} is not decodable, ${item.name} left out`);
    }
  } finally {
    await page.close();
  }
  return bodies;
}

/**
 * The feeds' images (and `more`, for another use) encoded in `context`, and the feeds' served by
 * `origins` at /img/NAME (a delayed feed's with its delay); each feed keeps the images that encoded.
 * @returns {Promise<Map<string, Buffer>>} name -> encoded bytes, of `more` too
 */
export async function serveFeeds(context, origins, feeds, more = []) {
  const bodies = await encodeImages(context, origins.local, [...feeds.flatMap((feed) => feed.images), ...more]);
  for (const feed of feeds) {
    feed.images = feed.images.filter((image) => bodies.has(image.name));
    for (const image of feed.images) origins.serveImage(`/img/${image.name}`, image.type, bodies.get(image.name), { delayed: feed.delayed });
  }
  return bodies;
}
