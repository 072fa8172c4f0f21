// Writes the loadable extensions dist/chromium and dist/firefox (and their store zips) from the
// one base manifest in extension/, the generated wasm in pkg/, and per-browser patches.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iconPng } from './icon.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = JSON.parse(readFileSync(join(root, 'extension/manifest.json'), 'utf8'));
const background = 'background/background.js';

// Dark Reader's pattern: one manifest, small per-browser differences.
const patches = {
  chromium: (m) => ({
    ...m,
    background: { service_worker: background, type: 'module' },
    // Page images are decoded in an offscreen document (the service worker lacks ImageDecoder).
    permissions: [...m.permissions, 'offscreen'],
  }),
  firefox: (m) => ({
    ...m,
    background: { scripts: [background], type: 'module' },
    // Firefox (144+) can inject the hiding rules at user level from the start: page styles,
    // even inline !important ones, cannot override them.
    content_scripts: m.content_scripts.map((script) => (script.css ? { ...script, css_origin: 'user' } : script)),
    // Veil reads each image as the page downloads it, instead of downloading it again.
    permissions: [...m.permissions, 'webRequest', 'webRequestBlocking', 'webRequestFilterResponse'],
    browser_specific_settings: {
      gecko: {
        id: 'veil@veil-extension.org',
        strict_min_version: '140.0',
        // Veil collects nothing: no data leaves the device.
        data_collection_permissions: { required: ['none'] },
      },
    },
  }),
};

/**
 * protocol.js for the content scripts, which cannot import: the same declarations, as a classic
 * script (top-level names are shared by the content scripts of one isolated world).
 */
function classicProtocol() {
  const source = readFileSync(join(root, 'extension/protocol.js'), 'utf8');
  if (/^\s*import\b/m.test(source)) throw new Error('protocol.js must stay declarations only (no imports)');
  return `// Generated from protocol.js by the build.\n${source.replace(/^export /gm, '')}`;
}

for (const wanted of ['veil.js', 'veil_bg.wasm']) {
  if (!existsSync(join(root, 'pkg', wanted))) throw new Error(`pkg/${wanted} is missing: run make wasm first`);
}

for (const [browser, patch] of Object.entries(patches)) {
  const out = join(root, 'dist', browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // Firefox's background page decodes itself: it has no use for the offscreen document.
  const unused = browser === 'firefox' ? join(root, 'extension/offscreen') : null;
  cpSync(join(root, 'extension'), out, { recursive: true, filter: (src) => !src.endsWith('manifest.json') && !src.endsWith('.d.ts') && src !== unused });
  // The content script adopts the same rules into open shadow roots, which page styles cannot reach.
  const hideCss = readFileSync(join(root, 'extension/content/hide.css'), 'utf8');
  writeFileSync(join(out, 'content/hide-css.js'), `// Generated from hide.css by the build.\nconst HIDE_CSS = ${JSON.stringify(hideCss)};\n`);
  writeFileSync(join(out, 'content/protocol.js'), classicProtocol());
  mkdirSync(join(out, 'wasm'));
  for (const file of ['veil.js', 'veil_bg.wasm']) cpSync(join(root, 'pkg', file), join(out, 'wasm', file));
  mkdirSync(join(out, 'icons'), { recursive: true });
  for (const size of [16, 48, 128]) writeFileSync(join(out, 'icons', `veil-${size}.png`), iconPng(size));
  for (const size of [16, 32]) writeFileSync(join(out, 'icons', `neutral-${size}.png`), iconPng(size, { neutral: true }));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(patch(base), null, 2) + '\n');
  const zip = join(root, 'dist', `veil-${browser}.zip`);
  rmSync(zip, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: out });
  console.log(`built dist/${browser} and dist/veil-${browser}.zip`);
}
