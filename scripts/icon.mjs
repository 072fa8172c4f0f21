// Veil's icon, drawn in code: a calm blue disc with a light veil draped over its upper half; and a plain
// grey disc for people who would rather the toolbar not say what the extension is. At 128 px the
// art is 96 px with 16 px of transparent padding, as the Chrome Web Store asks, and a faint light
// rim keeps the dark disc visible on dark backgrounds; the small sizes fill their square.
import { deflateSync } from 'node:zlib';
import { pngChunk as chunk } from '../extension/shared/png.js';

export const ICON_SIZES = [16, 32, 48, 128];
const SAMPLES = 4; // per axis, for anti-aliased edges

/** The art's box inside a `size` square: 96 of 128 for the store icon, the whole square below. */
export function artBox(size) {
  const padding = size >= 128 ? size / 8 : 0;
  return { start: padding, size: size - 2 * padding };
}

/** Colour and coverage (0-1) of one point of the icon, in art coordinates (0-1 across the art). */
function paint(x, y, neutral, rim) {
  const r = Math.hypot(x - 0.5, y - 0.5);
  const disc = 0.5 - rim;
  if (r > 0.5) return null;
  if (r > disc) return { rgb: [255, 255, 255], alpha: 0.45 };
  if (neutral) return { rgb: [112, 120, 130], alpha: 1 };
  const veil = y < 0.6 + 0.1 * Math.abs(Math.cos(2.5 * Math.PI * (x - 0.5))); // a hem hanging in soft folds
  return { rgb: veil ? [176, 198, 234] : [45, 90, 160], alpha: 1 };
}

/** A PNG of the icon at `size` x `size` (`neutral`: the plain grey one). */
export function iconPng(size, { neutral = false } = {}) {
  const box = artBox(size);
  const rim = size >= 128 && !neutral ? 2 / box.size : 0;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      let [red, green, blue, cover] = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const point = paint((x - box.start + (sx + 0.5) / SAMPLES) / box.size, (y - box.start + (sy + 0.5) / SAMPLES) / box.size, neutral, rim);
          if (!point) continue;
          red += point.rgb[0] * point.alpha;
          green += point.rgb[1] * point.alpha;
          blue += point.rgb[2] * point.alpha;
          cover += point.alpha;
        }
      }
      // Colours are averaged by coverage (unpremultiplied, as PNG stores them).
      if (cover > 0) row.set([red / cover, green / cover, blue / cover, (cover / SAMPLES ** 2) * 255].map(Math.round), 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
