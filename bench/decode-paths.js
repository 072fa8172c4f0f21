// make bench-perf's decode study (issue 13, item 4), run in a plain page of each browser: every
// way the extension could decode a page image for its hash, timed on the same images, and how
// far (in PDQ bits) each one's hash lands from today's path: createImageBitmap with a 'high'
// resize to at most 512 px, then the wasm's pageFingerprint (the full frame's hash).
import init, { imageHeader, pageFingerprint } from '/pkg/veil.js';

const fit = (width, height, side) => {
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
};

function pixelsOf(source, width, height) {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  return { data: context.getImageData(0, 0, width, height).data, width, height };
}

/** createImageBitmap (of a Blob or a decoded frame) resizing to at most `side` on the long side with `quality` (as decode.js does with 'high'). */
async function viaBitmap(blob, header, quality, side) {
  const options = { imageOrientation: 'from-image', premultiplyAlpha: 'none' };
  if (Math.max(header.width, header.height) > side) {
    Object.assign(options, header.width >= header.height ? { resizeWidth: side } : { resizeHeight: side });
    options.resizeQuality = quality;
  }
  const bitmap = await createImageBitmap(blob, options);
  try {
    const { width, height } = fit(bitmap.width, bitmap.height, side);
    return pixelsOf(bitmap, width, height);
  } finally {
    bitmap.close();
  }
}

/** WebCodecs ImageDecoder asked for at most `side`: the browser decides whether it honours the size. */
async function viaDecoder(blob, header, type, side) {
  const wanted = fit(header.width, header.height, side);
  const decoder = new ImageDecoder({ data: blob.stream(), type, desiredWidth: wanted.width, desiredHeight: wanted.height });
  try {
    const { image } = await decoder.decode();
    try {
      const { width, height } = image.visibleRect;
      const data = new Uint8ClampedArray(width * height * 4);
      await image.copyTo(data, { format: 'RGBA', rect: image.visibleRect });
      return { data, width, height };
    } finally {
      image.close();
    }
  } finally {
    decoder.close();
  }
}

/**
 * ImageDecoder asked for twice the size (its DCT scaling then lands at or above `side` where a
 * browser rounds down), the rest resized by createImageBitmap with `quality`.
 */
async function viaDecoderThenBitmap(blob, header, type, side, quality) {
  const wanted = fit(header.width, header.height, 2 * side);
  const decoder = new ImageDecoder({ data: blob.stream(), type, desiredWidth: wanted.width, desiredHeight: wanted.height });
  try {
    const { image } = await decoder.decode();
    try {
      const { width, height } = image.visibleRect;
      return await viaBitmap(image, { width, height }, quality, side);
    } finally {
      image.close();
    }
  } finally {
    decoder.close();
  }
}

export const PATHS = {
  'bitmap high 512 (today)': (blob, header) => viaBitmap(blob, header, 'high', 512),
  'bitmap medium 512': (blob, header) => viaBitmap(blob, header, 'medium', 512),
  'bitmap low 512': (blob, header) => viaBitmap(blob, header, 'low', 512),
  'bitmap pixelated 512': (blob, header) => viaBitmap(blob, header, 'pixelated', 512),
  'bitmap low 256': (blob, header) => viaBitmap(blob, header, 'low', 256),
  'ImageDecoder 512': (blob, header, type) => viaDecoder(blob, header, type, 512),
  'ImageDecoder 256': (blob, header, type) => viaDecoder(blob, header, type, 256),
  'ImageDecoder 1024, bitmap low 512': (blob, header, type) => viaDecoderThenBitmap(blob, header, type, 512, 'low'),
};
const REFERENCE = 'bitmap high 512 (today)';

const bits = (a, b) => {
  let n = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16);
    for (; x; x &= x - 1) n++;
  }
  return n;
};

/**
 * For each image URL, every path in turn (the order rotating image by image, so that no path
 * always runs cold or warm): decode ms, hash ms, the size it produced, its hash's distance to
 * the reference path's. Paths a browser lacks are left out; a failed decode is noted.
 */
export async function compare(urls) {
  await init();
  const names = Object.keys(PATHS).filter((name) => !name.startsWith('ImageDecoder') || typeof ImageDecoder !== 'undefined');
  const rows = [];
  for (const [i, url] of urls.entries()) {
    const blob = await (await fetch(url)).blob();
    const header = imageHeader(new Uint8Array(await blob.arrayBuffer()));
    const type = `image/${header.format}`;
    const results = {};
    const order = names.map((_, k) => names[(k + i) % names.length]);
    for (const name of order) {
      try {
        if (name.startsWith('ImageDecoder') && !(await ImageDecoder.isTypeSupported(type))) continue;
        const t0 = performance.now();
        const { data, width, height } = await PATHS[name](blob, header, type);
        const t1 = performance.now();
        const [full] = pageFingerprint(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height);
        results[name] = { decodeMs: t1 - t0, hashMs: performance.now() - t1, side: Math.max(width, height), pdq: full.pdq };
      } catch (error) {
        results[name] = { error: String(error) };
      }
    }
    const reference = results[REFERENCE]?.pdq;
    for (const result of Object.values(results)) if (reference && result.pdq) result.bits = bits(result.pdq, reference);
    rows.push({ url, format: header.format, side: Math.max(header.width, header.height), results });
  }
  return rows;
}
