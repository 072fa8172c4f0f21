// What Firefox's network gate hands the page instead of a matched image: a PNG of one flat, calm
// colour (the panel's own) at the image's size, so that an <img>, a CSS background or a canvas the
// page draws it into keeps its shape, and nothing of the image is in it. One bit per pixel: even
// 50 megapixels (the largest image Veil checks) deflate from about 6 MB of zero bytes to kilobytes.
// Browsers read a raster image's type from its bytes, so the PNG paints whatever raster type the
// server declared; an SVG gets an SVG.

import { pngChunk as chunk } from '../shared/png.js';

const COLOUR = [0xee, 0xf1, 0xf4];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The placeholder for an image of `width` x `height` pixels (1 x 1 when its size is unknown). */
export async function placeholderPng(width = 1, height = 1) {
  const header = new DataView(new ArrayBuffer(13));
  header.setUint32(0, width);
  header.setUint32(4, height);
  header.setUint8(8, 1); // bit depth 1
  header.setUint8(9, 3); // palette colour: every pixel is index 0
  return new Blob([
    new Uint8Array(PNG_SIGNATURE),
    chunk('IHDR', new Uint8Array(header.buffer)),
    chunk('PLTE', new Uint8Array(COLOUR)),
    chunk('IDAT', await zeroRowsDeflated(width, height)),
    chunk('IEND', new Uint8Array(0)),
  ], { type: 'image/png' });
}

/** The placeholder for an SVG image (served as SVG, it is read as SVG): the same colour, any size. */
export function placeholderSvg() {
  const fill = `#${COLOUR.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  return new Blob([`<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"><rect width="100%" height="100%" fill="${fill}"/></svg>`], { type: 'image/svg+xml' });
}

/** zlib-deflated scanlines, each a "no filter" byte and palette index 0 for every pixel. */
async function zeroRowsDeflated(width, height) {
  const rowBytes = 1 + Math.ceil(width / 8);
  const rowsPerWrite = Math.max(1, Math.floor(65_536 / rowBytes));
  const zeros = new Uint8Array(rowBytes * rowsPerWrite); // never changed, so written again and again
  const stream = new CompressionStream('deflate');
  const deflated = new Response(stream.readable).arrayBuffer();
  const writer = stream.writable.getWriter();
  for (let row = 0; row < height; row += rowsPerWrite) {
    await writer.write(zeros.subarray(0, rowBytes * Math.min(rowsPerWrite, height - row)));
  }
  await writer.close();
  return new Uint8Array(await deflated);
}
