// Issue 13 item 4, measured: each decode path the extension could use (bench/decode-paths.js) on
// real photos at several sizes and formats, in plain pages of Chromium and Firefox: PDQ bits from
// today's path, and the time each takes. The page is cross-origin isolated, for fine timers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../tests/e2e/harness.mjs';
import { photoSources } from './corpus.mjs';
import { median, quantile } from './stats.mjs';

const SIDES = [640, 1080, 1600, 2048];
const TYPES = [['image/jpeg', 'jpg'], ['image/png', 'png'], ['image/webp', 'webp']];
const BATCH = 20;
// "Within a few bits" of today's hash: what the report calls close enough to ship.
export const CLOSE = { medianBits: 4, p95Bits: 10 };

/** Two renditions of each photo: two long sides, two formats, rotating, so every format sees every size. */
export function studyPlan(sourceCount) {
  return photoSources(sourceCount).flatMap((source, i) => [0, 2].map((shift) => {
    const [type, ext] = TYPES[(i + shift / 2) % TYPES.length];
    const longSide = SIDES[(i + shift) % SIDES.length];
    return { name: `study/${String(i).padStart(3, '0')}-${longSide}.${ext}`, source: source.name, longSide, type, quality: 0.85 };
  }));
}

function isolated(type, body) {
  return (req, res) => {
    res.writeHead(200, { 'content-type': type, 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' });
    res.end(body);
  };
}

/** Serves the study's page, script, wasm and images on `site`; returns the images' URLs. */
export function serveStudy(site, plan, bodies) {
  site.routes['/bench/decode-study.html'] = isolated('text/html', '<!doctype html><title>decode study</title>');
  site.routes['/bench/decode-paths.js'] = isolated('text/javascript', readFileSync(join(ROOT, 'bench/decode-paths.js')));
  site.routes['/pkg/veil.js'] = isolated('text/javascript', readFileSync(join(ROOT, 'pkg/veil.js')));
  site.routes['/pkg/veil_bg.wasm'] = isolated('application/wasm', readFileSync(join(ROOT, 'pkg/veil_bg.wasm')));
  const present = plan.filter((item) => bodies.has(item.name));
  for (const item of present) site.routes[`/${item.name}`] = isolated(item.type, bodies.get(item.name));
  return present.map((item) => `${site.origin}/${item.name}`);
}

/** Every path on every image in one page of `newPage`'s browser (Playwright or puppeteer). */
export async function runStudy(newPage, site, urls, log) {
  const page = await newPage();
  try {
    await page.goto(`${site.origin}/bench/decode-study.html`, { waitUntil: 'load' });
    const rows = [];
    for (let at = 0; at < urls.length; at += BATCH) {
      log?.(`  images ${at + 1}-${Math.min(at + BATCH, urls.length)} of ${urls.length}`);
      rows.push(...await page.evaluate(async (batch) => (await import('/bench/decode-paths.js')).compare(batch), urls.slice(at, at + BATCH)));
    }
    return { rows, timer: await page.evaluate(() => (crossOriginIsolated ? 'isolated' : 'coarse')) };
  } finally {
    await page.close();
  }
}

/** Per format and path: bits from today's path (median, p95), decode and decode + hash ms (medians), output side. */
export function summariseStudy(rows) {
  const cells = new Map();
  for (const row of rows) {
    for (const [path, result] of Object.entries(row.results)) {
      const key = `${row.format}\u0000${path}`;
      if (!cells.has(key)) cells.set(key, { format: row.format, path, bits: [], decodeMs: [], totalMs: [], sides: [], errors: 0, inputSides: [] });
      const cell = cells.get(key);
      if (result.error) {
        cell.errors++;
        continue;
      }
      cell.bits.push(result.bits);
      cell.decodeMs.push(result.decodeMs);
      cell.totalMs.push(result.decodeMs + result.hashMs);
      cell.sides.push(result.side);
      cell.inputSides.push(row.side);
    }
  }
  const summary = [...cells.values()].map((cell) => ({
    format: cell.format, path: cell.path, n: cell.bits.length, errors: cell.errors,
    bitsP50: median(cell.bits), bitsP95: quantile(cell.bits, 0.95), bitsMax: Math.max(...cell.bits),
    decodeMs: median(cell.decodeMs), totalMs: median(cell.totalMs),
    // Whether the decoder gave a reduced size: the output's long side against the input's, medians.
    sideP50: median(cell.sides), inputSideP50: median(cell.inputSides),
  }));
  const formats = [...new Set(summary.map((s) => s.format))];
  const best = Object.fromEntries(formats.map((format) => {
    const close = summary.filter((s) => s.format === format && s.n && s.bitsP50 <= CLOSE.medianBits && s.bitsP95 <= CLOSE.p95Bits);
    return [format, close.sort((a, b) => a.totalMs - b.totalMs)[0]?.path];
  }));
  return { summary, best };
}
