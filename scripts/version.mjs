// Veil's one version number: Cargo.toml's [package] version. The build writes it into both
// manifests; package.json carries the same number (a test checks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function veilVersion(root) {
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const version = cargo.split(/^\[/m).find((section) => section.startsWith('package]'))?.match(/^version\s*=\s*"([^"]+)"/m)?.[1];
  if (!version) throw new Error('Cargo.toml has no [package] version');
  return version;
}
