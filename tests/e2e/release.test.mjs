// `make release` gives the same bytes on a rebuild: the zip step runs twice, the second time over
// a copy of dist/ written in another order with other file times, and the checksums must match.
// (That the wasm itself rebuilds identically, from the source archive in another folder, is
// `make release-check`: it builds the wasm from scratch, too slow for every test run.)
// Also: one version everywhere, and no local folder named in the wasm.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { veilVersion } from '../../scripts/version.mjs';
import { filesUnder } from '../../scripts/zip.mjs';
import { ROOT } from './harness.mjs';

const work = mkdtempSync(join(tmpdir(), 'veil-release-'));
after(() => rmSync(work, { recursive: true, force: true }));
const release = (...args) => execFileSync('node', [join(ROOT, 'scripts/release.mjs'), ...args], { encoding: 'utf8' });
const sums = (dir) => readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
const version = veilVersion(ROOT);

/** A copy of `from` written file by file in reverse order, each dated differently. */
function scrambledCopy(from, to) {
  const files = filesUnder(from).reverse();
  files.forEach((file, i) => {
    mkdirSync(join(to, file, '..'), { recursive: true });
    cpSync(join(from, file), join(to, file));
    const when = new Date(Date.UTC(2031, 0, 1) + i * 7_654_321);
    utimesSync(join(to, file), when, when);
  });
}

test('the release is byte-identical when built again from the same files', () => {
  release('--out', join(work, 'first'));
  for (const browser of ['chromium', 'firefox']) scrambledCopy(join(ROOT, 'dist', browser), join(work, 'dist', browser));
  release('--dist', join(work, 'dist'), '--out', join(work, 'second'));
  const names = readdirSync(join(work, 'first')).sort();
  assert.deepEqual(names, ['SHA256SUMS', `veil-${version}-chromium.zip`, `veil-${version}-firefox.zip`, `veil-${version}-source.zip`]);
  assert.equal(sums(join(work, 'second')), sums(join(work, 'first')));
  // The sums are sha256sum's own format.
  execFileSync('sha256sum', ['--check', '--quiet', 'SHA256SUMS'], { cwd: join(work, 'first') });
});

test('the source archive holds the build instructions, the lock files and the commit\'s date', () => {
  const listed = execFileSync('unzip', ['-Z1', join(work, 'first', `veil-${version}-source.zip`)], { encoding: 'utf8' }).split('\n');
  for (const wanted of ['docs/BUILDING.md', 'Cargo.lock', 'package-lock.json', 'Makefile', 'release.json', 'src/lib.rs', 'extension/manifest.json']) {
    assert.ok(listed.includes(wanted), `${wanted} is in the source archive`);
  }
  assert.ok(!listed.some((name) => name.startsWith('node_modules/') || name.startsWith('target/') || name.startsWith('dist/')));
  const info = JSON.parse(execFileSync('unzip', ['-p', join(work, 'first', `veil-${version}-source.zip`), 'release.json'], { encoding: 'utf8' }));
  assert.equal(info.version, version);
  assert.equal(info.sourceDateEpoch, Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' })));
});

test('one version: Cargo.toml\'s, in both manifests and package.json', () => {
  assert.match(version, /^\d+\.\d+\.\d+$/);
  assert.equal(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version, version);
  assert.equal(JSON.parse(readFileSync(join(ROOT, 'extension/manifest.json'), 'utf8')).version, undefined, 'the base manifest leaves it to the build');
  for (const browser of ['chromium', 'firefox']) {
    assert.equal(JSON.parse(readFileSync(join(ROOT, 'dist', browser, 'manifest.json'), 'utf8')).version, version, browser);
  }
});

test('the wasm names no folder of the machine that built it', () => {
  const wasm = readFileSync(join(ROOT, 'dist/chromium/wasm/veil_bg.wasm')).toString('latin1');
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  for (const folder of [ROOT, homedir(), join(homedir(), '.cargo'), sysroot]) assert.ok(!wasm.includes(folder), `the wasm names ${folder}`);
  // The remapped names are there instead: the build did embed source paths, only not local ones.
  assert.ok(wasm.includes('/cargo/registry/'));
});
