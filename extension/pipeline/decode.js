// The pipeline's decoding step: the browser's own decoders (native, every format the page shows,
// EXIF orientation applied), pre-scaled, then RGBA for the wasm. Protect (the options page) and
// browse share decodeToRgba, so a protected image and its copy on a page are hashed the same way.

// PDQ downsamples to 64x64 anyway; 512 px keeps its filter's input rich while bounding the cost
// (Meta's own CLI squashes larger images to 512).
export const MAX_HASH_SIDE = 512;

/**
 * A page JPEG larger than the hash needs takes a faster path where the context has WebCodecs'
 * ImageDecoder (documents, not service workers): it is decoded straight to a reduced size by its
 * DCT scaling, a fraction of the work of decoding it whole and scaling after (other formats have no
 * such scaling: `make bench-perf` measured them no faster). Everything else is decodeToRgba. EXIF
 * orientation is not applied on the fast path: matching tries all eight orientations.
 */
export async function decodePageImage(blob, declared) {
  const type = 'image/jpeg';
  if (declared?.format !== 'jpeg' || !largerThanHash(declared) || typeof ImageDecoder === 'undefined' || !(await ImageDecoder.isTypeSupported(type))) {
    return decodeToRgba(blob, declared);
  }
  const scaled = fitForHash(declared.width, declared.height);
  const decoder = new ImageDecoder({ data: blob.stream(), type, desiredWidth: scaled.width, desiredHeight: scaled.height });
  try {
    const { image } = await decoder.decode(); // the first frame of an animation
    try {
      const { width, height } = image.visibleRect;
      // DCT scaling goes down by powers of two only: a large remainder is scaled as usual.
      if (Math.max(width, height) > MAX_HASH_SIDE) return await decodeToRgba(image, { width, height });
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

/** Whether a declared size is known and larger than the hash needs. */
function largerThanHash(declared) {
  return Boolean(declared?.width && declared?.height && Math.max(declared.width, declared.height) > MAX_HASH_SIDE);
}

/** The size a width x height image is hashed at: at most MAX_HASH_SIDE on its long side. */
function fitForHash(width, height) {
  const scale = Math.min(1, MAX_HASH_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * `source`: a Blob, or a frame ImageDecoder gave. `declared`: the size the image's header declares
 * (wasm `imageHeader`), if known. A large image is then scaled while it is decoded, which the
 * browser does far faster than decoding at full size and scaling after. Only the long side is
 * given, so the aspect ratio is kept even when EXIF orientation turns the image.
 */
export async function decodeToRgba(source, declared) {
  /** @type {ImageBitmapOptions} */
  const options = { imageOrientation: 'from-image', premultiplyAlpha: 'none' };
  if (largerThanHash(declared)) {
    Object.assign(options, declared.width >= declared.height ? { resizeWidth: MAX_HASH_SIDE } : { resizeHeight: MAX_HASH_SIDE });
    options.resizeQuality = 'high';
  }
  const bitmap = await createImageBitmap(source, options);
  try {
    const { width, height } = fitForHash(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return { data: context.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
  }
}
