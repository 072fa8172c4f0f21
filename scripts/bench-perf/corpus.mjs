// Real photos for the bench's feeds and decode study, all from the repository or from the
// match-quality corpus (`bash scripts/quality-corpus.sh`: Debian packages unpacked into bench/cache/,
// never committed): demo/images, the PDQ fixtures, wallpapers (JPEG/PNG), and GCompris' photos
// (WebP carved out of Qt .rcc files). Nothing is downloaded here.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { ROOT } from '../../tests/e2e/harness.mjs';

const FIXTURES = join(ROOT, 'tests/fixtures/pdq/images');
const CACHE = join(ROOT, 'bench/cache/extracted');
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
// Icons, thumbnails and previews are not photos.
const MIN_BYTES = 20_000;
// The corpus' photo packages (scripts/quality-corpus.sh's first group): the others are icons, game
// art and documentation, fetched only as unrelated images for the match-quality bench.
const PHOTO_PACKAGES = ['gcompris-qt-data', 'gnome-backgrounds', 'mate-backgrounds', 'plasma-workspace-wallpapers'];

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map((entry) => join(dir, entry)).filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile()).sort();
}

/** WebP images stored in a Qt resource file: each a RIFF chunk `RIFF <size LE> WEBP`. */
function carveWebp(bytes) {
  const found = [];
  for (let at = bytes.indexOf('RIFF'); at >= 0; at = bytes.indexOf('RIFF', at + 4)) {
    if (bytes.toString('latin1', at + 8, at + 12) !== 'WEBP') continue;
    const size = bytes.readUInt32LE(at + 4) + 8;
    if (size >= MIN_BYTES && at + size <= bytes.length) found.push(bytes.subarray(at, at + size));
  }
  return found;
}

/** One file per wallpaper: packages ship each in several resolutions (and previews). */
function onePerWallpaper(paths) {
  const byWallpaper = new Map();
  for (const path of paths) {
    const key = path.includes('/wallpapers/') ? path.split('/contents/')[0] : path;
    const size = statSync(path).size;
    if (size < MIN_BYTES || /\/screenshot\.\w+$/.test(path)) continue;
    // The smallest rendition above the minimum: a photo's content, at a size the browser decodes quickly.
    if (!byWallpaper.has(key) || size < statSync(byWallpaper.get(key)).size) byWallpaper.set(key, path);
  }
  return [...byWallpaper.values()];
}

/**
 * Up to `max` photos, `{name, bytes}`: the repository's own first, then the corpus, packages
 * interleaved so that a small `max` still draws from all of them. Deterministic.
 */
export function photoSources(max = Infinity) {
  const own = [...filesUnder(join(ROOT, 'demo/images')), ...filesUnder(FIXTURES)]
    .filter((path) => IMAGE_EXTENSIONS.has(extname(path).toLowerCase()) && statSync(path).size >= 2_000)
    .map((path) => ({ name: path.startsWith(FIXTURES) ? `fixtures/${relative(FIXTURES, path)}` : relative(ROOT, path), bytes: readFileSync(path) }));
  const packages = PHOTO_PACKAGES.filter((name) => existsSync(join(CACHE, name)));
  const perPackage = packages.map((name) => {
    const files = filesUnder(join(CACHE, name));
    const images = onePerWallpaper(files.filter((path) => IMAGE_EXTENSIONS.has(extname(path).toLowerCase())))
      .map((path) => ({ name: `${name}/${basename(dirname(path))}/${basename(path)}`, bytes: readFileSync(path) }));
    const carved = files.filter((path) => path.endsWith('.rcc'))
      .flatMap((path) => carveWebp(readFileSync(path)).map((bytes, i) => ({ name: `${name}/${basename(path)}#${i}`, bytes })));
    return [...images, ...carved];
  });
  const interleaved = [];
  for (let i = 0; perPackage.some((list) => i < list.length); i++) {
    for (const list of perPackage) if (i < list.length) interleaved.push(list[i]);
  }
  return [...own, ...interleaved].slice(0, max);
}
