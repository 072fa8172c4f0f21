// Decoding and pre-scaling in the browser's own decoders (native, every format the page shows,
// EXIF orientation applied), then RGBA for the wasm. Protect and browse share this one path so a
// protected image and its copy on a page are hashed the same way.

// PDQ downsamples to 64x64 anyway; 512 px keeps its filter's input rich while bounding the cost
// (Meta's own CLI squashes larger images to 512).
export const MAX_HASH_SIDE = 512;

export async function decodeToRgba(blob) {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
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
