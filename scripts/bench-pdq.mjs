// PDQ on the same pixels, natively (`veil bench`) and in the wasm build inside headless Chromium,
// side by side in one run: rounds alternate native and wasm so machine noise hits both alike.
// For scale, a JS peer from npm on the same pixels in the same page: blockhash-core's bmvbhash
// (256 bits), a different perceptual hash than PDQ, so its figure is a peer's cost, not a twin's.
// Usage: node scripts/bench-pdq.mjs [--runs N] [--rounds N] [PNG...]
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, ROOT, startSite } from '../tests/e2e/harness.mjs';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '31' }, rounds: { type: 'string', default: '3' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
const rounds = Number(values.rounds);
const fixtures = join(ROOT, '../shared/fixtures/pdq/exact');
const files = positionals.length > 0 ? positionals : [join(fixtures, 'aaa-orig.png'), join(fixtures, 'bridge-1-original-fullres.png')];
const veil = join(ROOT, 'target/release/veil');
for (const needed of [veil, join(ROOT, 'pkg/veil.js'), join(ROOT, 'pkg/veil_bg.wasm')]) {
  if (!existsSync(needed)) {
    console.error(`bench-pdq: ${relative(ROOT, needed)} is missing: run make build first`);
    process.exit(1);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Each native call allocates its two float buffers afresh, and glibc hands large ones back to the
// kernel on free, so every call pays first-touch page faults; the wasm's linear memory keeps its
// pages. The "warm" column raises glibc's thresholds so native reuses memory as wasm does.
const WARM_MALLOC = { MALLOC_MMAP_THRESHOLD_: '1000000000', MALLOC_TRIM_THRESHOLD_: '1000000000', MALLOC_TOP_PAD_: '100000000' };

function nativeRound(file, env = {}) {
  const line = execFileSync(veil, ['bench', '--runs', String(runs), file], { encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  return JSON.parse(line).median_ms;
}

// A local page with the wasm build and the images, served from memory.
const site = await startSite();
files.forEach((file, i) => {
  site.routes[`/image-${i}.png`] = { body: readFileSync(file), type: 'image/png' };
});
for (const name of ['veil.js', 'veil_bg.wasm']) {
  site.routes[`/pkg/${name}`] = {
    body: readFileSync(join(ROOT, 'pkg', name)),
    type: name.endsWith('.js') ? 'text/javascript' : 'application/wasm',
  };
}
// blockhash-core is CommonJS: the page gets it wrapped as a script that sets window.blockhash.
const blockhashSource = readFileSync(createRequire(import.meta.url).resolve('blockhash-core'), 'utf8');
site.routes['/blockhash.js'] = {
  type: 'text/javascript',
  body: `window.blockhash = (() => { const exports = {};\n${blockhashSource}\nreturn exports; })();`,
};
site.routes['/bench.html'] = { type: 'text/html', body: '<!doctype html><title>PDQ bench</title>' };

let browser;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage();
  await page.goto(`${site.origin}/bench.html`);
  await page.evaluate(async () => {
    const veil = await import('/pkg/veil.js');
    await veil.default();
    window.veil = veil;
  });
  await page.addScriptTag({ url: '/blockhash.js' });

  // Lossless PNG decoded without colour management: the same pixels as natively, which the
  // hashes must prove before anything is timed.
  const sizes = [];
  for (const [i, file] of files.entries()) {
    const { pdq, width, height } = await page.evaluate(async (i) => {
      const blob = await (await fetch(`/image-${i}.png`)).blob();
      const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      context.drawImage(bitmap, 0, 0);
      window.pixels ??= [];
      window.pixels[i] = context.getImageData(0, 0, bitmap.width, bitmap.height);
      const { data, width, height } = window.pixels[i];
      return { pdq: veil.fingerprint(data, width, height).hashes.pdq, width, height };
    }, i);
    const native = execFileSync(veil, ['hash', file], { encoding: 'utf8' }).split(',')[0];
    if (pdq !== native) throw new Error(`${file}: wasm hashed ${pdq}, native ${native}: not the same pixels`);
    sizes.push(`${width}x${height}`);
  }

  // Chromium coarsens performance.now() (100 us steps without cross-origin isolation), too coarse
  // for one call on the small image; so each sample times a batch of calls lasting >= 20 ms (the
  // calibration doubles as warm-up), then divides.
  const tick = await page.evaluate(() => {
    let step = Infinity;
    for (let n = 0; n < 20; n++) {
      const t0 = performance.now();
      let t1;
      while ((t1 = performance.now()) === t0);
      step = Math.min(step, t1 - t0);
    }
    return step;
  });
  const batches = files.map(() => []);
  // `hasher`: 'wasm' (Veil's PDQ) or 'blockhash' (the npm peer).
  const browserRound = (i, hasher) => page.evaluate(({ i, runs, hasher }) => {
    const pixels = window.pixels[i];
    const hash = hasher === 'wasm'
      ? () => veil.fingerprint(pixels.data, pixels.width, pixels.height)
      : () => window.blockhash.bmvbhash(pixels, 16);
    let batch = 1;
    for (let t0 = performance.now(); performance.now() - t0 < 20; batch++) hash();
    const samples = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      for (let k = 0; k < batch; k++) hash();
      samples.push((performance.now() - t0) / batch);
    }
    return { batch, ms: samples.sort((a, b) => a - b)[Math.floor(runs / 2)] };
  }, { i, runs, hasher });

  const native = files.map(() => []);
  const warm = files.map(() => []);
  const wasm = files.map(() => []);
  const blockhashMs = files.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const i of files.keys()) {
      native[i].push(nativeRound(files[i]));
      warm[i].push(nativeRound(files[i], WARM_MALLOC));
      const { batch, ms } = await browserRound(i, 'wasm');
      batches[i].push(batch);
      wasm[i].push(ms);
      blockhashMs[i].push((await browserRound(i, 'blockhash')).ms);
    }
  }

  const round4 = (x) => Math.round(x * 1e4) / 1e4;
  const rows = files.map((file, i) => ({
    file: relative(ROOT, file),
    size: sizes[i],
    native_ms: median(native[i]),
    native_warm_ms: median(warm[i]),
    wasm_ms: round4(median(wasm[i])),
    wasm_calls_per_sample: batches[i],
    blockhash_js_ms: round4(median(blockhashMs[i])),
  }));
  const table = [
    `PDQ on the same pixels (median of ${rounds} alternating rounds, each the median of ${runs} runs; decoding excluded)`,
    `wasm timer: performance.now() steps of ${round4(tick)} ms, so each wasm sample times a batch of calls and divides`,
    `(calls per sample, by round: ${rows.map((r) => `${r.size} ${r.wasm_calls_per_sample.join('/')}`).join(', ')})`,
    '',
    '| image | size | native ms | native, warm allocator ms | wasm in Chromium ms | wasm / native | wasm / warm native | blockhash-core JS ms (not PDQ) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.file} | ${r.size} | ${r.native_ms.toFixed(2)} | ${r.native_warm_ms.toFixed(2)} | ${r.wasm_ms.toFixed(2)} | ${(r.wasm_ms / r.native_ms).toFixed(2)} | ${(r.wasm_ms / r.native_warm_ms).toFixed(2)} | ${r.blockhash_js_ms.toFixed(2)} |`),
  ].join('\n');
  console.log(table);
  console.log(JSON.stringify({ runs, rounds, timer_step_ms: round4(tick), rows }));
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/out/pdq.md'), `${table}\n`);
} finally {
  await browser?.close();
  await site.close();
}
