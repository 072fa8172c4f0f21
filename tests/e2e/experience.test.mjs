// Every page of Veil as people see it, in English and in Arabic (right to left), light and dark:
// a screenshot of each into test-results/screenshots/, no layout breakage (nothing wider than the
// window, no control whose text is clipped), no serious accessibility violation (axe-core), the
// match panel announced without describing the image, and the safety features: hide every image
// on a tab at once, and the neutral toolbar button.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, launchChromium, makeVariants, protectFiles, startSite, waitForPaintState } from './harness.mjs';
import { PROTECTED, page, until } from './scenarios.mjs';

export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PAGES = ['welcome/welcome.html', 'options/options.html', 'popup/popup.html', 'evidence/evidence.html',
  'report/report.html?record=', 'support/support.html', 'guide/guide.html', 'privacy/privacy.html'];

/** Serious and critical axe violations on the page, as `rule: target` lines. */
async function axeViolations(tab) {
  await tab.evaluate(AXE); // through the devtools protocol: the pages' CSP allows no inline script
  const results = await tab.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => ['serious', 'critical'].includes(v.impact))
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** What overflows: the page wider than the window, or controls whose own text does not fit. */
function layoutProblems(tab) {
  return tab.evaluate(() => {
    const problems = [];
    const root = document.scrollingElement;
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`page is ${root.scrollWidth}px wide in ${root.clientWidth}px`);
    for (const control of document.querySelectorAll('button, a.button, select, label, h1, h2')) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(control).visibility === 'hidden') continue;
      if (control.scrollWidth > control.clientWidth + 1 && getComputedStyle(control).overflowX !== 'visible') {
        problems.push(`clipped: ${control.localName} "${control.textContent.trim().slice(0, 40)}"`);
      }
      if (box.left < -1 || box.right > root.clientWidth + 1) problems.push(`outside the window: ${control.localName} "${control.textContent.trim().slice(0, 40)}"`);
    }
    return problems;
  });
}

for (const lang of ['en', 'ar']) {
  describe(`Veil's pages in ${lang}`, () => {
    let site;
    let browser;
    let recordId;
    before(async () => {
      site = await startSite();
      browser = await launchChromium({ lang });
      await protectFiles(browser, [PROTECTED]);
      const variants = await makeVariants(browser, site, '/images/bridge.jpg', [{ name: 'copy.jpg', scale: 0.5 }]);
      site.routes['/variants/copy.jpg'] = { body: variants['copy.jpg'] };
      // One evidence record, so the log and the report page have something to show.
      site.routes['/feed.html'] = page('<h1>Feed</h1><img id="copy" alt="Holiday photo of Sam" src="/variants/copy.jpg" width="400" height="250"><img id="clear" alt="" src="/images/street.jpg" width="300">');
      const tab = await browser.context.newPage();
      await tab.goto(`${site.origin}/feed.html`);
      await waitForPaintState(tab, { copy: false, clear: true });
      const worker = browser.context.serviceWorkers()[0];
      // On the local site, so the report page's contact lookups stay on this machine.
      recordId = await worker.evaluate(async (origin) => {
        const record = { id: 'sample', recordedAt: new Date().toISOString(), pageUrl: `${origin}/feed.html`, imageUrl: `${origin}/variants/copy.jpg`, site: '127.0.0.1', distance: 8, platform: null, platformId: null, routeUrl: null, siteLinks: [], status: 'reported', ticket: 'A-1', reply: '', updatedAt: null };
        await chrome.storage.local.set({ evidence: [record] });
        return record.id;
      }, site.origin);
      await tab.close();
    });
    after(async () => {
      await browser?.close();
      await site?.close();
    });

    test('every page: screenshots in light and dark, no layout breakage, no serious axe violation', async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const failures = [];
      for (const path of PAGES) {
        const url = browser.extensionUrl(path.endsWith('=') ? `${path}${recordId}` : path);
        const name = path.split('/')[0];
        for (const colorScheme of ['light', 'dark']) {
          const tab = await browser.context.newPage();
          // The popup is drawn 300px wide by the browser; the pages at a small laptop's width.
          await tab.setViewportSize(name === 'popup' ? { width: 340, height: 600 } : { width: 1024, height: 768 });
          await tab.emulateMedia({ colorScheme });
          await tab.goto(url);
          await tab.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
          assert.equal(await tab.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr', `${name} direction`);
          await tab.screenshot({ path: join(SCREENSHOTS, `${lang}-${colorScheme}-${name}.png`), fullPage: true });
          for (const problem of await layoutProblems(tab)) failures.push(`${lang} ${colorScheme} ${name}: ${problem}`);
          for (const violation of await axeViolations(tab)) failures.push(`${lang} ${colorScheme} ${name}: axe ${violation}`);
          await tab.close();
        }
      }
      assert.deepEqual(failures, []);
    });

    test('the guide for support workers prints on one page (A4 and Letter)', async () => {
      const guide = await browser.openExtensionPage('guide/guide.html');
      for (const format of ['A4', 'Letter']) {
        const pdf = (await guide.pdf({ format })).toString('latin1');
        assert.equal(pdf.match(/\/Type\s*\/Page\b(?!s)/g).length, 1, `${lang} ${format}`);
      }
      await guide.close();
    });

    test('the match panel is announced as Veil\'s, never with the hidden image\'s description', async () => {
      const tab = await browser.context.newPage();
      await tab.goto(`${site.origin}/feed.html`);
      await waitForPaintState(tab, { copy: false, clear: true });
      const cdp = await browser.context.newCDPSession(tab);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      const named = nodes.filter((n) => !n.ignored).map((n) => `${n.role?.value}:${n.name?.value ?? ''}`);
      assert.ok(!named.some((n) => n.includes('Holiday photo of Sam')), 'the hidden image is not announced');
      assert.ok(named.filter((n) => n.startsWith('button:')).length >= 3, `the panel's buttons are announced: ${named.join(' | ')}`);
      assert.ok(named.some((n) => n.startsWith('group:') && n.length > 'group:'.length), 'the panel is a named group');
      await cdp.detach();
      await tab.close();
    });

    if (lang === 'en') {
      test('Alt+Shift+H\'s action hides every image on the tab at once, and shows them again', async () => {
        const tab = await browser.context.newPage();
        await tab.goto(`${site.origin}/feed.html`);
        await waitForPaintState(tab, { clear: true });
        const options = await browser.openExtensionPage('options/options.html');
        const toggle = () => options.evaluate(async (url) => {
          const [target] = await chrome.tabs.query({ url });
          return (await chrome.runtime.sendMessage({ type: 'hide-all', tabId: target.id })).result;
        }, `${site.origin}/feed.html`);
        assert.equal(await toggle(), true);
        await until(tab, () => getComputedStyle(document.getElementById('clear')).visibility === 'hidden');
        assert.equal(await toggle(), false);
        await until(tab, () => getComputedStyle(document.getElementById('clear')).visibility === 'visible');
        const manifest = await options.evaluate(() => chrome.runtime.getManifest().commands['hide-all-images'].suggested_key.default);
        assert.equal(manifest, 'Alt+Shift+H');
        await Promise.all([tab.close(), options.close()]);
      });

      test('the neutral toolbar button: a plain icon named "Page tools"', async () => {
        const options = await browser.openExtensionPage('options/options.html');
        await options.check('#neutral-toolbar');
        await until(options, async () => (await chrome.action.getTitle({})) === 'Page tools');
        await options.uncheck('#neutral-toolbar');
        await until(options, async () => (await chrome.action.getTitle({})) === 'Veil');
        await options.close();
      });
    }
  });
}
