// The pipeline's decoding step: the browser's own decoders (native, every format the page shows,
// EXIF orientation applied), pre-scaled, then RGBA for the wasm. Protect (the options page) and
// browse share decodeToRgba, so a protected image and its copy on a page are hashed the same way.

// PDQ downsamples to 64x64 anyway; 512 px keeps its filter's input rich while bounding the cost
// (Meta's own CLI squashes larger images to 512).
export const MAX_HASH_SIDE = 512;

// Page images take the cheapest decode whose hash stays within a few bits of the exact one
// (protect-time's 'high' resize), as `make bench-perf`'s decode study measured it per engine on the
// quality corpus (bench/perf-report.md, section 7). In Chromium (the only engine with
// navigator.userAgentData): a JPEG decoded by DCT scaling to twice the hash's size, then a 'low'
// resize (2 bits median from the exact hash, against 6 for DCT scaling straight to 512); other
// formats a 'low' resize (0 median, 5 at p95, up to 15 % faster than 'high'). In Firefox: a JPEG by
// DCT scaling to the hash's size (0 median), others as exactly as at protect time (Firefox's
// cheaper resizes drift 12-25 bits at p95).
const chromium = typeof navigator !== 'undefined' && 'userAgentData' in navigator;
const PAGE_JPEG_DECODE_SIDE = chromium ? 2 * MAX_HASH_SIDE : MAX_HASH_SIDE;
const PAGE_RESIZE_QUALITY = chromium ? 'low' : 'high';

/**
 * A page image's pixels for its hash (see above). A JPEG larger than the hash needs is decoded
 * straight to a reduced size where the context has WebCodecs' ImageDecoder (documents and
 * workers, not service workers): a fraction of the work of decoding it whole. EXIF orientation is
 * not applied on that path: matching tries all eight orientations.
 */
export async function decodePageImage(blob, declared) {
  if (blob instanceof ImageBitmap) return decodeToRgba(blob, { width: blob.width, height: blob.height });
  const type = 'image/jpeg';
  if (declared?.format !== 'jpeg' || !largerThanHash(declared) || typeof ImageDecoder === 'undefined' || !(await ImageDecoder.isTypeSupported(type))) {
    return decodeToRgba(blob, declared, PAGE_RESIZE_QUALITY);
  }
  const scaled = fitWithin(declared.width, declared.height, PAGE_JPEG_DECODE_SIDE);
  const decoder = new ImageDecoder({ data: blob.stream(), type, desiredWidth: scaled.width, desiredHeight: scaled.height });
  try {
    const { image } = await decoder.decode(); // the first frame of an animation
    try {
      const { width, height } = image.visibleRect;
      // DCT scaling goes down by powers of two only: what is left over is resized.
      if (Math.max(width, height) > MAX_HASH_SIDE) return await decodeToRgba(image, { width, height }, PAGE_RESIZE_QUALITY);
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
 * An SVG image has no pixels until it is drawn: drawn here (a document: Chromium's offscreen
 * document, Firefox's background page) as an <img> draws it, which runs no script and fetches
 * nothing, so a raster it embeds is checked too. `null` for one of an icon's size.
 * @param {Blob} blob
 * @param {number} iconSide
 * @returns {Promise<ImageBitmap | null>}
 */
export async function rasterizeSvg(blob, iconSide) {
  const url = URL.createObjectURL(new Blob([blob], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    // An SVG with no size of its own is drawn at the hash's size.
    const width = image.naturalWidth || MAX_HASH_SIDE;
    const height = image.naturalHeight || MAX_HASH_SIDE;
    if (width < iconSide && height < iconSide) return null;
    const scaled = fitForHash(width, height);
    return await createImageBitmap(image, { resizeWidth: scaled.width, resizeHeight: scaled.height });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Whether a declared size is known and larger than the hash needs. */
function largerThanHash(declared) {
  return Boolean(declared?.width && declared?.height && Math.max(declared.width, declared.height) > MAX_HASH_SIDE);
}

/** The size a width x height image is hashed at: at most MAX_HASH_SIDE on its long side. */
function fitForHash(width, height) {
  return fitWithin(width, height, MAX_HASH_SIDE);
}

/** width x height scaled down to at most `side` on its long side. */
function fitWithin(width, height, side) {
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * `source`: a Blob, or a frame ImageDecoder gave. `declared`: the size the image's header declares
 * (wasm `imageHeader`), if known. A large image is then scaled while it is decoded, which the
 * browser does far faster than decoding at full size and scaling after. Only the long side is
 * given, so the aspect ratio is kept even when EXIF orientation turns the image. `resizeQuality`:
 * 'high' (the exact path, protect time's) unless a page image's cheaper one is asked for.
 * @param {ImageBitmapSource} source
 * @param {{width?: number, height?: number} | null | undefined} declared
 * @param {ResizeQuality} [resizeQuality]
 */
export async function decodeToRgba(source, declared, resizeQuality = 'high') {
  /** @type {ImageBitmapOptions} */
  const options = { imageOrientation: 'from-image', premultiplyAlpha: 'none' };
  if (largerThanHash(declared)) {
    Object.assign(options, declared.width >= declared.height ? { resizeWidth: MAX_HASH_SIDE } : { resizeHeight: MAX_HASH_SIDE });
    options.resizeQuality = resizeQuality;
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
