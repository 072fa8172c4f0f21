// Decoding and pre-scaling in the browser's own decoders (native, every format the page shows,
// EXIF orientation applied), then RGBA for the wasm. Protect and browse share this one path so a
// protected image and its copy on a page are hashed the same way.

// PDQ downsamples to 64x64 anyway; 512 px keeps its filter's input rich while bounding the cost
// (Meta's own CLI squashes larger images to 512).
export const MAX_HASH_SIDE = 512;

/**
 * `declared`: the size the image's header declares (wasm `imageHeader`), if known. A large image is
 * then scaled while it is decoded, which the browser does far faster than decoding at full size
 * and scaling after. Only the long side is given, so the aspect ratio is kept even when EXIF
 * orientation turns the image.
 */
export async function decodeToRgba(blob, declared) {
  const options = { imageOrientation: 'from-image', premultiplyAlpha: 'none' };
  if (declared?.width && declared?.height && Math.max(declared.width, declared.height) > MAX_HASH_SIDE) {
    Object.assign(options, declared.width >= declared.height ? { resizeWidth: MAX_HASH_SIDE } : { resizeHeight: MAX_HASH_SIDE });
    options.resizeQuality = 'high';
  }
  const bitmap = await createImageBitmap(blob, options);
  try {
    const scale = Math.min(1, MAX_HASH_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return { data: context.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
  }
}
