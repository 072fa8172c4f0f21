// The four browsers a bench run compares, each a profile of its own: Chromium with Veil (the
// built extension, the demo's protected photo) and without it (a profile with no extension), and
// the same two in Firefox ESR. Each side opens pages at the same viewport and, with Veil, reads
// Veil's per-image trace (globalThis.veilTrace in its background, where the build has one).
import puppeteer from 'puppeteer-core';
import { chromium } from 'playwright-core';
import { FIREFOX_PATH, launchFirefox, openExtensionPage, protectFilesInFirefox } from '../../tests/e2e/firefox.mjs';
import { CHROMIUM_PATH, chromiumArgs, launchChromium, protectFiles } from '../../tests/e2e/harness.mjs';
import { PROTECTED_FILE, VIEWPORT } from './feeds.mjs';
import { chromiumContextHeaps, chromiumExtensionMb, firefoxExtensionMb } from './memory.mjs';

// The Veil profile's arguments, without the extension: both sides run the same browser flags.
const PLAIN_ARGS = chromiumArgs('').filter((arg) => !arg.includes('extension'));

/** Reads the trace in a background context: url -> {stage: epoch ms}, or null where the build has none. */
const readTrace = (urls) => {
  const trace = globalThis.veilTrace;
  return trace instanceof Map ? urls.map((url) => trace.get(url) ?? null) : null;
};

/**
 * Chromium with Veil (a build of it: `extensionDir`), the demo's photo protected (unless not
 * `protect`: Veil installed with nothing to check); `label` tells its pages' URLs apart from another
 * Veil side's in the same run.
 */
export async function chromiumWithVeil({ extensionDir, label = 'veil', protect = true } = {}) {
  const veil = await launchChromium({ extensionDir });
  if (protect) await protectFiles(veil, [PROTECTED_FILE]);
  return {
    browser: 'Chromium', veil: true, label,
    newPage: () => veil.context.newPage(),
    trace: async (urls) => {
      const worker = veil.context.serviceWorkers()[0];
      return worker ? worker.evaluate(readTrace, urls).catch(() => null) : null;
    },
    memory: async () => ({ processMb: chromiumExtensionMb(veil.profile), contexts: await chromiumContextHeaps(veil.context, veil.extensionId) }),
    close: () => veil.close(),
  };
}

/** Chromium without Veil (a profile with no extension). */
export async function chromiumPlain() {
  const plain = await chromium.launchPersistentContext('', { executablePath: CHROMIUM_PATH, args: PLAIN_ARGS, viewport: VIEWPORT });
  return { browser: 'Chromium', veil: false, label: 'plain', context: plain, newPage: () => plain.newPage(), close: () => plain.close() };
}

export async function chromiumPair() {
  return { withVeil: await chromiumWithVeil(), without: await chromiumPlain() };
}

async function firefoxPage(browser) {
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  return page;
}

/** Firefox with Veil (a build of it: `dist`), the demo's photo protected; `label` as chromiumWithVeil's. */
export async function firefoxWithVeil({ dist, label = 'veil' } = {}) {
  const veil = await launchFirefox({ dist });
  await protectFilesInFirefox(veil, [PROTECTED_FILE]);
  // The background page is reached from one of Veil's own pages, kept open for the run.
  const extensionPage = await openExtensionPage(veil, 'options/options.html');
  return {
    browser: 'Firefox', veil: true, label,
    newPage: () => firefoxPage(veil.browser),
    trace: (urls) => extensionPage.evaluate(async (urls) => {
      const background = await globalThis.browser.runtime.getBackgroundPage().catch(() => null);
      const trace = background?.veilTrace;
      return trace instanceof background.Map ? urls.map((url) => (trace.get(url) ? { ...trace.get(url) } : null)) : null;
    }, urls).catch(() => null),
    memory: async () => ({ processMb: firefoxExtensionMb(veil.browser.process().pid), contexts: [] }),
    close: () => veil.close(),
  };
}

export async function firefoxPair() {
  const withVeil = await firefoxWithVeil();
  const plain = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
  const without = { browser: 'Firefox', veil: false, label: 'plain', newPage: () => firefoxPage(plain), close: () => plain.close() };
  return { withVeil, without };
}
