// Decodes HEIC/HEIF photos (the iPhone camera's format) for the options page, which browsers
// cannot decode themselves. libheif (npm libheif-js, LGPL-3.0, copied into vendor/libheif/ by the
// build) runs here, in a worker, so a large photo does not freeze the page; libheif applies the
// file's rotation and mirroring (irot/imir) as it decodes. Only the options page starts this
// worker: page images never reach it.
/* global importScripts, libheif */
importScripts('../vendor/libheif/libheif.js');

let decoder;

async function heifDecoder() {
  if (!decoder) {
    const wasmBinary = await (await fetch('../vendor/libheif/libheif.wasm')).arrayBuffer();
    // One decoder for every file: each decode frees the previous file's context.
    decoder = new (libheif({ wasmBinary }).HeifDecoder)();
  }
  return decoder;
}

/** `bytes` (an ArrayBuffer of a HEIF file) -> its primary image as RGBA {data, width, height}. */
async function decode(bytes) {
  const images = (await heifDecoder()).decode(new Uint8Array(bytes));
  try {
    const image = images.find((candidate) => candidate.is_primary()) ?? images[0];
    if (!image) throw new Error('libheif found no image in the file'); // developer-facing
    const width = image.get_width();
    const height = image.get_height();
    const target = { data: new Uint8ClampedArray(width * height * 4), width, height };
    const pixels = await new Promise((resolve) => image.display(target, resolve));
    if (!pixels) throw new Error('libheif could not decode the image'); // developer-facing
    return pixels;
  } finally {
    for (const image of images) image.free();
  }
}

self.onmessage = async ({ data: { id, bytes } }) => {
  try {
    const { data, width, height } = await decode(bytes);
    self.postMessage({ id, data, width, height }, { transfer: [data.buffer] });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};
