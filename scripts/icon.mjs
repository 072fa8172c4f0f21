// Veil's toolbar icon, drawn in code: a calm blue disc with a soft band across it (a veil); and a
// plain grey disc for people who would rather the toolbar not say what the extension is.
import { deflateSync } from 'node:zlib';
import { pngChunk as chunk } from '../extension/shared/png.js';

/** A PNG of the icon at `size` x `size` (`neutral`: the plain grey one). */
export function iconPng(size, { neutral = false } = {}) {
  const rows = [];
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - c, y - c) / (size / 2);
      const inside = Math.min(1, Math.max(0, (1 - r) * size / 2)); // anti-aliased edge
      const band = !neutral && Math.abs(y - size * 0.45) < size * 0.12;
      const [red, green, blue] = neutral ? [112, 120, 130] : band ? [232, 238, 247] : [45, 90, 160];
      row.set([red, green, blue, Math.round(inside * 255)], 1 + x * 4);
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
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
