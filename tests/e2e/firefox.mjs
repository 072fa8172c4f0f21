// Firefox ESR with the built extension, driven over WebDriver BiDi by puppeteer-core (Playwright
// cannot drive firefox-esr). Extension pages are reached with system access, which BiDi needs to
// navigate to moz-extension:// URLs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { ROOT } from './harness.mjs';

export const FIREFOX_DIST = join(ROOT, 'dist/firefox');
export const FIREFOX_PATH = process.env.VEIL_FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr';
export const STAND_IN_HOSTS = ['x.com', 'help.x.com'];
// A fixed internal UUID, so the test knows the extension's page URLs.
const UUID = '6b1c1a52-0d1e-4b53-9d2f-2f3b0d4e5a61';

/** Firefox ESR with the built extension (or another build of it, `dist`). */
export async function launchFirefox({ dist = FIREFOX_DIST } = {}) {
  if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`${dist} is missing: run make build`);
  const id = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [id]: UUID }),
      // Real platform hosts resolve to this machine: the reporting tests use them, and nothing leaves.
      'network.dns.localDomains': STAND_IN_HOSTS.join(','),
      // Veil's data-consent requests (made on a real click) are granted without Firefox's doorhanger,
      // which WebDriver cannot press.
      'extensions.webextOptionalPermissionPrompts': false,
    },
  });
  await browser.installExtension(dist);
  const firefox = {
    browser,
    // The part of Playwright's BrowserContext the shared scenarios use.
    context: { newPage: () => browser.newPage() },
    extensionUrl: (path) => `moz-extension://${UUID}/${path}`,
    openExtensionPage: (path) => openExtensionPage(firefox, path),
    close: () => browser.close(),
  };
  return firefox;
}

/** Opens an extension page; BiDi does not report the navigation's end, so wait on the page. */
export async function openExtensionPage(firefox, path) {
  const page = await firefox.context.newPage();
  await page.goto(firefox.extensionUrl(path), { timeout: 2000 }).catch(() => {});
  await page.waitForFunction(() => document.body?.dataset.ready === 'true', { timeout: 15_000 });
  return page;
}

/** Protects image files through the real options page. */
export async function protectFilesInFirefox(firefox, files) {
  const page = await openExtensionPage(firefox, 'options/options.html');
  const before = await page.evaluate(() => document.querySelectorAll('#list-body tr').length);
  const input = await page.$('#protect-files');
  await input.uploadFile(...files);
  await page.waitForFunction((n) => document.querySelectorAll('#list-body tr').length >= n, { timeout: 15_000 }, before + files.length);
  await page.close();
}
