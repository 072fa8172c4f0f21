// Firefox for Android's missing desktop APIs, in real Firefox ESR: a build of dist/firefox whose
// manifest has no `commands` (Firefox only defines browser.commands when the manifest asks for
// it, so the API is absent, as it is on Android) must still start, open its welcome page, match,
// and change its toolbar button. In the same browser, two Firefox permissions taken away as a
// person can: site access (the options page and the popup say so and how to fix it, and the
// button gives it back) and the data consent a report's contact lookup waits for.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIREFOX_DIST, launchFirefox, openExtensionPage, protectFilesInFirefox } from './firefox.mjs';
import { makeVariants, startSite, waitForPaintState } from './harness.mjs';
import { PROTECTED, page, until } from './scenarios.mjs';

/** dist/firefox without what Firefox for Android lacks: keyboard shortcuts. */
function androidLikeBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'veil-android-'));
  cpSync(FIREFOX_DIST, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  delete manifest.commands;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

describe('as on Firefox for Android: no keyboard shortcuts (browser.commands absent)', () => {
  let dir;
  let site;
  let firefox;
  const t = (tab, key) => tab.evaluate((key) => browser.i18n.getMessage(key), key);
  before(async () => {
    dir = androidLikeBuild();
    site = await startSite();
    firefox = await launchFirefox({ dist: dir });
  });
  after(async () => {
    await firefox?.close();
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the background starts: onboarding opens, images are matched, the toolbar button changes', async () => {
    const options = await openExtensionPage(firefox, 'options/options.html');
    assert.equal(await options.evaluate(() => typeof browser.commands), 'undefined', 'no commands API, as on Android');
    // Onboarding: the welcome tab, opened by the install listener registered after the commands line
    // (WebDriver BiDi does not report extension pages' addresses: the extension's own tabs API does).
    const welcome = await until(options, async (url) => (await browser.tabs.query({ url })).map((tab) => tab.id)[0], firefox.extensionUrl('welcome/welcome.html'));
    await options.evaluate((id) => browser.tabs.remove(id), welcome);

    await protectFilesInFirefox(firefox, [PROTECTED]);
    const variants = await makeVariants(firefox, site, '/images/bridge.jpg', [{ name: 'half.jpg', scale: 0.5, quality: 0.7 }]);
    site.routes['/variants/half.jpg'] = { body: variants['half.jpg'] };
    site.routes['/phone.html'] = page('<img id="copy" src="/variants/half.jpg" width="300"><img id="other" src="/images/street.jpg" width="300">');
    const tab = await firefox.context.newPage();
    await tab.goto(`${site.origin}/phone.html`);
    await waitForPaintState(tab, { copy: false, other: true });
    await tab.close();

    await options.click('#neutral-toolbar');
    await until(options, async () => (await browser.action.getTitle({})) === 'Page tools');
    await options.click('#neutral-toolbar');
    await until(options, async () => (await browser.action.getTitle({})) === 'Veil');
    await options.close();
    const popup = await openExtensionPage(firefox, 'popup/popup.html');
    assert.equal(await popup.evaluate(() => document.getElementById('hide-all-shortcut').hidden), true, 'no shortcut is offered');
    await popup.close();
  });

  test('site access taken away: the options page and the popup say so and how; the button gives it back', async () => {
    const options = await openExtensionPage(firefox, 'options/options.html');
    assert.equal(await options.evaluate(() => browser.permissions.remove({ origins: ['<all_urls>'] })), true);
    // The section is shown already for private windows: wait for the sites' notice itself.
    const limited = await t(options, 'accessSitesLimited');
    await until(options, (text) => document.getElementById('access-section').textContent.includes(text), limited);
    const notice = await options.evaluate(() => document.getElementById('access-section').textContent);
    assert.ok(notice.includes(await t(options, 'accessSitesLimited')) && notice.includes(await t(options, 'accessSitesFixFirefox')), notice);
    // Private windows are not allowed for a new add-on in Firefox either.
    assert.ok(notice.includes(await t(options, 'accessPrivateOff')), notice);
    const popup = await openExtensionPage(firefox, 'popup/popup.html');
    assert.ok((await popup.evaluate(() => document.getElementById('access-notices').textContent)).includes(await t(popup, 'accessSitesLimited')));
    await popup.close();

    // The person's click asks for every site again (granted without the doorhanger here: firefox.mjs).
    await options.click('#access-notices button');
    await until(options, () => browser.permissions.contains({ origins: ['<all_urls>'] }));
    await until(options, (text) => !document.getElementById('access-section').textContent.includes(text), limited);
    await options.close();
  });

  test('a report\'s contact lookup sends nothing until the person clicks and Firefox\'s data consent is given', async () => {
    const asked = [];
    site.routes['/.well-known/security.txt'] = (req, res) => {
      asked.push(req.url);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Contact: mailto:abuse@pics.test\n');
    };
    const options = await openExtensionPage(firefox, 'options/options.html');
    const id = await options.evaluate(async (origin) => {
      const record = { id: 'consent', recordedAt: new Date().toISOString(), pageUrl: `${origin}/phone.html`, imageUrl: `${origin}/variants/half.jpg`, site: '127.0.0.1', distance: 4, platform: null, platformId: null, routeUrl: null, siteLinks: [], status: 'recorded', ticket: '', reply: '', updatedAt: null };
      await browser.storage.local.set({ evidence: [record] });
      return record.id;
    }, site.origin);
    await options.close();
    const report = await openExtensionPage(firefox, `report/report.html?record=${id}`);
    assert.equal(await report.evaluate(() => document.getElementById('lookup-consent').hidden), false, 'the consent prompt is shown');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(asked, [], 'nothing was asked before the click');
    await report.click('#lookup-consent button');
    await until(report, () => document.querySelectorAll('#contacts li').length === 1);
    assert.deepEqual(asked, ['/.well-known/security.txt']);
    assert.equal(await report.evaluate(() => browser.permissions.contains({ data_collection: ['browsingActivity'] })), true);
    await report.close();
  });
});
