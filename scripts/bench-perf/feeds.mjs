// The feeds make bench-perf loads, with Veil and without, and the pages that show them.
// - burst: 200 images at once (demo images at 320-1600 px, JPEG/PNG/WebP), first screen 12 of them;
// - scrolled: the burst's first images, lazy, one screen every SCROLL_PAUSE_MS, as a person reads;
// - delayed: ordinary photos (JPEG, long side 480-800 px, median 640) from a second origin that
//   holds every response DELAY_MS, as a CDN across a network: a first screen and a scrolled page;
// - large: real-world sizes (JPEG and WebP at 1080-2048 px, PNG screenshots), first screen 12.
// Every tenth image is an edited copy of the protected photo (Veil must hide it, and it never
// counts towards time to pixels). Images are encoded by the browser from real photos.
import { join } from 'node:path';
import { DEMO } from '../../tests/e2e/harness.mjs';
import { photoSources } from './corpus.mjs';

export const PROTECTED_FILE = join(DEMO, 'images/bridge.jpg');
export const SCROLL_PAUSE_MS = 400;
export const FIRST_SCREEN = 12; // a 4 x 3 grid of 290 px tiles fills the 1200 x 900 viewport
export const VIEWPORT = { width: 1200, height: 900 };
const BURST_IMAGES = 200;
const SCROLL_IMAGES = 36;
const GRID_IMAGES = 36;
const DEMO_OTHERS = ['garden.jpg', 'market.jpg', 'street.jpg', 'tiles.jpg', 'pen-and-coaster.png'];
const EXT = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

const protectedAt = (i) => i % 10 === 0;

/** Photos that are not the protected one (the PDQ fixtures are mostly its edits): the corpus, else demo images. */
function otherPhotos() {
  const corpus = photoSources().filter((s) => !s.name.startsWith('demo/') && !s.name.startsWith('fixtures/'));
  return corpus.length ? corpus.map((s) => s.name) : DEMO_OTHERS.map((name) => `demo/images/${name}`);
}

/**
 * Each feed: its images as a plan for encode.mjs ({name, source, longSide, type, quality,
 * protectedCopy}), where they are served from, and how its pages show them.
 */
export function feedPlans() {
  const others = otherPhotos();
  const pick = (i, offset = 0) => (protectedAt(i) ? 'demo/images/bridge.jpg' : others[((i + offset) * 7) % others.length]);
  const item = (feed, i, source, longSide, type) => ({
    name: `${feed}/${String(i).padStart(3, '0')}.${EXT[type]}`, source, longSide, type,
    quality: 0.6 + (i % 7) * 0.05, protectedCopy: protectedAt(i),
  });
  const demoSource = (i) => (protectedAt(i) ? 'demo/images/bridge.jpg' : `demo/images/${DEMO_OTHERS[i % DEMO_OTHERS.length]}`);
  const types = ['image/jpeg', 'image/png', 'image/webp'];
  const burst = Array.from({ length: BURST_IMAGES }, (_, i) =>
    item('burst', i, demoSource(i), [320, 640, 1080, 1600][Math.floor(i / 3) % 4], types[i % 3]));
  const delayed = Array.from({ length: Math.max(GRID_IMAGES, SCROLL_IMAGES) }, (_, i) =>
    item('delayed', i, pick(i), [480, 640, 800, 560, 720][i % 5], 'image/jpeg'));
  // Real-world sizes: a PNG screenshot every sixth image (encode.mjs takes them), the rest photos.
  const large = Array.from({ length: GRID_IMAGES }, (_, i) => (i % 6 === 3 && !protectedAt(i)
    ? { ...item('large', i, `screenshot:${(i / 6) | 0}`, 0, 'image/png') }
    : item('large', i, pick(i, 3), [1080, 1440, 2048][i % 3], i % 2 ? 'image/webp' : 'image/jpeg')));
  return [
    { key: 'burst', title: `burst: ${BURST_IMAGES} images at once`, images: burst, layout: 'grid', firstScreen: FIRST_SCREEN, delayed: false },
    { key: 'scrolled', title: `scrolled: ${SCROLL_IMAGES} lazy images, a screen every ${SCROLL_PAUSE_MS / 1000} s`, images: burst.slice(0, SCROLL_IMAGES), layout: 'column', delayed: false },
    { key: 'delayed', title: `delayed second origin, first screen (${GRID_IMAGES} photos)`, images: delayed.slice(0, GRID_IMAGES), layout: 'grid', firstScreen: FIRST_SCREEN, delayed: true },
    { key: 'delayed-scrolled', title: `delayed second origin, scrolled (${SCROLL_IMAGES} lazy photos)`, images: delayed.slice(0, SCROLL_IMAGES), layout: 'column', delayed: true },
    { key: 'large', title: `real-world sizes, first screen (${GRID_IMAGES} images)`, images: large, layout: 'grid', firstScreen: FIRST_SCREEN, delayed: false },
  ];
}

/**
 * A feed page. `origin` serves its images; `tag` makes every URL new (nothing cached from an
 * earlier page, and Veil's trace keyed by URL stays apart). Grid: eager images in 290 px tiles,
 * the first FIRST_SCREEN on the first screen. Column: lazy posts 360 px high, as real feeds load.
 */
export function feedHtml(feed, origin, tag) {
  const src = (image) => `${origin}/img/${image.name}?${tag}`;
  const images = feed.images.map((image, i) => (feed.layout === 'grid'
    ? `<img id="img-${i}" elementtiming="img-${i}" alt="" src="${src(image)}">`
    : `<article><p>Post ${i + 1}</p><img id="img-${i}" elementtiming="img-${i}" alt="" loading="lazy" src="${src(image)}"></article>`));
  const style = feed.layout === 'grid'
    ? 'body { margin: 0; } main { display: grid; grid-template-columns: repeat(4, 290px); grid-auto-rows: 290px; gap: 10px; } img { width: 290px; height: 290px; object-fit: cover; display: block; }'
    : 'body { font: 14px sans-serif; max-width: 640px; margin: 0 auto; } p { margin: 0; height: 20px; } img { display: block; height: 340px; width: 100%; object-fit: contain; }';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Veil bench: ${feed.key}</title>
<script src="/verdict-watch.js"></script>
<script src="/bench/feed-probe.js"></script>
<style>${style}</style>
</head><body><main>
${images.join('\n')}
</main></body></html>`;
}
