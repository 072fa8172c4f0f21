// The support page by country and the report page's route notes, as people in other languages see
// them: Chromium launched in French, Urdu, English and in regional locales (es-MX, fr-SN, ar-EG,
// en-NZ), the real extension pages. The country comes from the browser's language and can be
// changed; every route note is the person's language, never the English text; every service says
// where it was checked and when. Nothing here leaves the machine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, launchChromium } from './harness.mjs';

// A regional locale (es-MX) reads its language's messages (es).
const messages = (lang) => JSON.parse(readFileSync(join(ROOT, `extension/_locales/${lang.split('-')[0]}/messages.json`), 'utf8'));
const LANGUAGES = ['en', 'es', 'fr', 'pl', 'ar', 'ur'];
const support = JSON.parse(readFileSync(join(ROOT, 'extension/support/services.json'), 'utf8'));
const english = messages('en');
const englishRouteNotes = Object.entries(english).filter(([key]) => key.startsWith('routeNote')).map(([, m]) => m.message);
const weekday = (lang, day) => new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, day));

/** The ids of the services the support page lists now. */
const listed = (page) => page.$$eval('#services li', (items) => items.map((li) => li.dataset.service));

/** Evidence records for pages on platforms, as the background writes them (no image, ever). */
const platformRecords = [
  { id: 'on-x', pageUrl: 'https://x.com/someone/status/1860000000000000009', platform: 'X (Twitter)', platformId: 'x', routeUrl: 'https://help.x.com/forms/safety-and-sensitive-content/take-it-down' },
  { id: 'on-whatsapp', pageUrl: 'https://www.whatsapp.com/channel/0029VaWaUrD1XquPeK01cf2c', platform: 'WhatsApp', platformId: 'whatsapp', routeUrl: 'https://faq.whatsapp.com/245599461477281' },
  { id: 'on-mastodon', pageUrl: 'https://social.example.org/@someone/113456789012345678', platform: 'Mastodon', platformId: 'mastodon', routeUrl: 'https://social.example.org/about' },
].map((r) => ({ recordedAt: new Date().toISOString(), imageUrl: `${r.pageUrl}/image.jpg`, site: new URL(r.pageUrl).hostname, distance: 4, siteLinks: [], status: 'recorded', ticket: '', reply: '', updatedAt: null, ...r }));
const expectedNote = { 'on-x': 'routeNoteX', 'on-whatsapp': 'routeNoteWhatsApp', 'on-mastodon': 'routeNoteMastodonServer' };

// hint: the line above the list (hours are local, or no service of the country's own was confirmed).
for (const { lang, country, local, elsewhere, hint = 'supportHoursLocal' } of [
  { lang: 'fr', country: 'FR', local: ['3018', 'pharos', 'pointdecontact'], elsewhere: ['rph', 'hateaid', 'aepd'] },
  { lang: 'ur', country: 'PK', local: ['drf'], elsewhere: ['cybercrimegovin', 'rph'] },
  { lang: 'en', country: 'US', local: ['ccri', 'ftc'], elsewhere: ['rph', 'esafety'] },
  { lang: 'es-MX', country: 'MX', local: ['mx088'], elsewhere: ['aepd', 'argentina', 'gaula'] },
  { lang: 'fr-SN', country: 'SN', local: [], elsewhere: ['3018', 'pharos', 'eblagh'], hint: 'supportNoLocalService' },
  { lang: 'ar-EG', country: 'EG', local: ['ncwegypt', 'eg108', 'smex'], elsewhere: ['sa1909', 'eblagh'] },
  { lang: 'en-NZ', country: 'NZ', local: ['netsafe'], elsewhere: ['esafety', 'rph'] },
]) {
  describe(`Veil in ${lang}: help by country and route notes`, () => {
    let browser;
    before(async () => {
      browser = await launchChromium({ lang });
    });
    after(() => browser?.close());

    test(`the support page starts in ${country} and lists its services, in ${lang}, then changes country`, async () => {
      const page = await browser.openExtensionPage('support/support.html');
      assert.equal(await page.inputValue('#country'), country);
      const ids = await listed(page);
      for (const id of [...local, 'stopncii', 'takeitdown']) assert.ok(ids.includes(id), `${id} in ${ids}`);
      for (const id of elsewhere) assert.ok(!ids.includes(id), `${id} is not for ${country}`);
      assert.deepEqual(ids.slice(0, local.length).sort(), [...local].sort(), `${country}'s own services first`);
      assert.equal(await page.textContent('#country-hint'), messages(lang)[hint].message);
      const first = await page.$eval('#services li p:not(.for)', (p) => p.textContent);
      assert.ok(Object.values(messages(lang)).some((m) => m.message === first), `"${first}" is a ${lang} message`);

      await page.selectOption('#country', 'CA');
      const canada = await listed(page);
      assert.deepEqual(canada.slice(0, 2), ['cybertip', 'needhelpnow'], 'the country\'s own services first');
      await page.selectOption('#country', 'GB');
      const hours = await page.$eval('li[data-service="rph"] .hours', (p) => p.textContent);
      assert.ok(hours.includes(weekday(lang, 1)) && hours.includes(weekday(lang, 5)), `Monday to Friday in ${lang}: ${hours}`);
      await page.selectOption('#country', '*');
      assert.deepEqual(await listed(page), ['stopncii', 'takeitdown'], 'anywhere: the services open to anyone');
      await page.close();
    });

    if (!lang.startsWith('en')) {
      test(`the report page gives each platform's route note in ${lang}, never the English text`, async () => {
        const worker = browser.context.serviceWorkers()[0];
        await worker.evaluate((records) => chrome.storage.local.set({ evidence: records }), platformRecords);
        const translated = messages(lang);
        for (const record of platformRecords) {
          const report = await browser.openExtensionPage(`report/report.html?record=${record.id}`);
          const note = await report.textContent('#route-notes');
          assert.equal(note, translated[expectedNote[record.id]].message, record.id);
          const body = await report.textContent('body');
          for (const englishNote of englishRouteNotes) assert.ok(!body.includes(englishNote), `English route text on the ${lang} page: ${englishNote}`);
          await report.close();
        }
      });
    }
  });
}

describe('the country from the browser\'s languages', () => {
  let browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  test('a region in the locale wins; a language alone gives the country it is most spoken in; else anywhere', async () => {
    const page = await browser.openExtensionPage('support/support.html');
    const chosen = await page.evaluate(async () => {
      const { defaultCountry } = await import('./choose.js');
      const { countries } = await (await fetch('services.json')).json();
      const cases = [['es'], ['pl'], ['ar'], ['ur'], ['en-GB'], ['fr-CA'], ['de-CH'], ['ur-IN'], ['es-MX'], ['ja', 'fr-BE'], ['ja'], ['not a tag', 'de'],
        ['en-ZA'], ['es-CL'], ['es-PR'], ['fr-MA'], ['fr-LU'], ['ar-JO'], ['ar-PS'], ['ja', 'ar-YE']];
      return cases.map((languages) => defaultCountry(languages, countries));
    });
    assert.deepEqual(chosen, ['ES', 'PL', 'EG', 'PK', 'GB', 'CA', 'CH', 'IN', 'MX', 'BE', '*', 'DE', 'ZA', 'CL', 'PR', 'MA', 'LU', 'JO', 'PS', 'YE']);
    await page.close();
  });

  test('every country can be chosen on the page and has a name in each of the six languages', async () => {
    const page = await browser.openExtensionPage('support/support.html');
    const options = await page.$$eval('#country option', (all) => all.map((o) => o.value));
    assert.deepEqual([...options].sort(), ['*', ...support.countries].sort());
    const unnamed = await page.evaluate(
      ({ languages, countries }) =>
        languages.flatMap((language) => {
          const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
          return countries.filter((code) => !names.of(code) || names.of(code) === code).map((code) => `${code} in ${language}`);
        }),
      { languages: LANGUAGES, countries: support.countries },
    );
    assert.deepEqual(unnamed, []);
    await page.close();
  });
});

describe('the list of services', () => {
  test('every service says where it was checked, when and how surely, and serves listed countries', () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const s of support.services) {
      assert.equal(new URL(s.source).protocol.startsWith('http'), true, `${s.id}: source ${s.source}`);
      assert.match(s.checked, /^\d{4}-\d{2}-\d{2}$/, `${s.id}: checked`);
      assert.ok(!Number.isNaN(Date.parse(s.checked)) && s.checked <= today, `${s.id}: checked ${s.checked}`);
      assert.ok(['verified', 'secondary'].includes(s.certainty), `${s.id}: certainty ${s.certainty}`);
      assert.ok(s.url || s.phone, `${s.id}: a way to reach it`);
      assert.ok(s.countries.length > 0, `${s.id}: countries`);
      for (const c of s.countries) assert.ok(c === '*' || support.countries.includes(c), `${s.id}: ${c} is not on the page`);
    }
    assert.equal(new Set(support.services.map((s) => s.id)).size, support.services.length, 'ids are unique');
  });

  test('what each service is for is written in every language', () => {
    for (const language of LANGUAGES) {
      const translated = messages(language);
      for (const s of support.services) {
        for (const key of [s.who, s.images, s.about]) assert.ok(translated[key]?.message, `${key} (${s.id}) in ${language}`);
      }
    }
  });
});
