// `make release`: the store packages, the source archive AMO's reviewers rebuild them from, and
// their SHA-256 sums, in dist/release/. Every file is dated by the commit (SOURCE_DATE_EPOCH) and
// written in a fixed order (zip.mjs), so a rebuild of the same commit gives the same bytes; the
// wasm names no local folder (the Makefile remaps them), which this checks before it packs.
//   node scripts/release.mjs [--dist DIR] [--out DIR]
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { veilVersion } from './version.mjs';
import { byteOrder, zip, zipDirectory } from './zip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { dist: { type: 'string' }, out: { type: 'string' } } });
const dist = resolve(args.dist ?? join(root, 'dist'));
const out = resolve(args.out ?? join(dist, 'release'));
// Written into the source archive, where there is no git history to ask.
const RELEASE_INFO = 'release.json';

const git = (...command) => execFileSync('git', command, { cwd: root, encoding: 'utf8' });
const inGit = existsSync(join(root, '.git'));
const tool = (command, ...flags) => {
  try {
    return execFileSync(command, flags, { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};

/** Seconds since 1970 to date every file by: SOURCE_DATE_EPOCH, the commit's time, or release.json's. */
function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  if (inGit) return Number(git('log', '-1', '--format=%ct'));
  return JSON.parse(readFileSync(join(root, RELEASE_INFO), 'utf8')).sourceDateEpoch;
}

/** Stops the release if the wasm still names a folder of this machine. */
function checkNoLocalPaths(wasm) {
  const bytes = readFileSync(wasm).toString('latin1');
  const folders = [root, homedir(), process.env.CARGO_HOME, tool('rustc', '--print', 'sysroot')].filter(Boolean);
  const found = folders.filter((folder) => bytes.includes(folder));
  if (found.length) throw new Error(`${wasm} names local folders (${found.join(', ')}): build it with make wasm`);
}

/** The tracked files as they are in this checkout, plus release.json: what a reviewer builds from. */
function sourceEntries(version, epoch) {
  const paths = git('ls-files', '-z').split('\0').filter((path) => path && existsSync(join(root, path))).sort(byteOrder);
  const modified = git('status', '--porcelain', '--untracked-files=no').trim() !== '';
  const info = {
    version,
    commit: git('rev-parse', 'HEAD').trim() + (modified ? ' (with uncommitted changes)' : ''),
    sourceDateEpoch: epoch,
    // What built the packages beside this archive; the same versions rebuild the same bytes.
    builtWith: { rustc: tool('rustc', '--version'), wasmBindgen: tool('wasm-bindgen', '--version'), node: process.version },
  };
  return [
    ...paths.filter((path) => path !== RELEASE_INFO).map((name) => ({ name, data: readFileSync(join(root, name)) })),
    { name: RELEASE_INFO, data: Buffer.from(JSON.stringify(info, null, 2) + '\n') },
  ];
}

const version = veilVersion(root);
const npmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
if (npmVersion !== version) throw new Error(`package.json says ${npmVersion}, Cargo.toml ${version}: make them one`);
const epoch = sourceDateEpoch();
const packages = {};
for (const browser of ['chromium', 'firefox']) {
  const dir = join(dist, browser);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  if (manifest.version !== version) throw new Error(`${dir} is Veil ${manifest.version}, not ${version}: run make extension`);
  checkNoLocalPaths(join(dir, 'wasm/veil_bg.wasm'));
  packages[`veil-${version}-${browser}.zip`] = zipDirectory(dir, epoch);
}
if (inGit) packages[`veil-${version}-source.zip`] = zip(sourceEntries(version, epoch), epoch);
else console.log('not a git checkout: no source archive (this is one)');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const sums = [];
for (const [name, data] of Object.entries(packages)) {
  writeFileSync(join(out, name), data);
  sums.push(`${createHash('sha256').update(data).digest('hex')}  ${name}`);
}
writeFileSync(join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
console.log(`Veil ${version} in ${out}:\n${sums.join('\n')}`);
