// Reporting a match: evidence recorded, the right place to report opened beside the page, the
// report text copied, contacts found for sites with no known route, and the evidence log's
// exports, and sending directly to Bluesky and Mastodon. Stand-in pages play the real platforms'
// hosts: Playwright's request routing in Chromium (any request for another host fails the test),
// and in Firefox a profile preference that resolves x.com to this machine. Nothing leaves it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { clickVeilButton, waitForPaintState } from './harness.mjs';
import { page, until } from './scenarios.mjs';

/** Runs `action`, then returns the new page of the context whose URL starts with `prefix` (a
 * new tab is created blank and navigates after, so the "page" event is too early to tell). */
async function pageOpenedBy(action, context, prefix, timeout = 15_000) {
  const existing = new Set(context.pages());
  await action();
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = context.pages().find((p) => !existing.has(p) && p.url().startsWith(prefix));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no page opened at ${prefix}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const evidence = (extensionPage) => extensionPage.evaluate(async () => (await chrome.storage.local.get('evidence')).evidence ?? []);

/** The newest record once there are more than `count`. */
async function newRecord(extensionPage, count) {
  await until(extensionPage, async (n) => ((await chrome.storage.local.get('evidence')).evidence ?? []).length > n, count);
  return (await evidence(extensionPage)).at(-1);
}

/** The URL of a tab whose address starts with `prefix`, once one is open. */
const tabOpened = (extensionPage, prefix) =>
  until(extensionPage, async (prefix) => (await chrome.tabs.query({})).find((t) => (t.pendingUrl || t.url || '').startsWith(prefix))?.url || false, prefix);

/** Both browsers: a site with no known route (the local test site) gets Veil's contacts page. */
export function reportingScenarios(env) {
  describe('reporting (any browser)', () => {
    test('Report on an unknown site records evidence and opens Veil\'s contacts page with the site\'s contacts', async () => {
      env.site.routes['/.well-known/security.txt'] = {
        type: 'text/plain; charset=utf-8',
        body: 'Contact: mailto:security@pics.test\nContact: mailto:REDACTED@privacy.test\nExpires: 2030-01-01T00:00:00.000Z\n',
      };
      const extensionPage = await env.browser.openExtensionPage('evidence/evidence.html');
      const before = (await evidence(extensionPage)).length;
      const tab = await env.open(`<p><a href="/help/report-abuse">Report abuse</a> <a href="/about">About</a></p>
        <img id="match" src="/variants/recompressed.jpg" width="400" height="250">`, '/gallery.html');
      await waitForPaintState(tab, { match: false });
      await until(tab, () => document.getElementById('match').nextElementSibling?.localName === 'div');
      // Keyboard, as a person may: past the page's two links to the panel's Show, then Report.
      await tab.bringToFront();
      for (let i = 0; i < 4; i++) await tab.keyboard.press('Tab');
      await tab.keyboard.press('Enter');

      const record = await newRecord(extensionPage, before);
      assert.equal(record.pageUrl, `${env.site.origin}/gallery.html`);
      assert.equal(record.imageUrl, `${env.site.origin}/variants/recompressed.jpg`);
      assert.equal(record.platform, null);
      assert.equal(record.status, 'recorded');
      assert.deepEqual(record.siteLinks, [`${env.site.origin}/help/report-abuse`]);
      assert.ok(record.distance <= 31);

      const reportUrl = await tabOpened(extensionPage, env.browser.extensionUrl(`report/report.html?record=${record.id}`));
      const report = await env.browser.openExtensionPage(reportUrl.slice(reportUrl.indexOf('report/')));
      // Firefox asks for its data consent, on a click, before the first lookup; Chromium looks up at once.
      if (await report.evaluate(() => !document.getElementById('lookup-consent').hidden)) await report.click('#lookup-consent button');
      await until(report, () => document.querySelectorAll('#contacts li').length >= 2);
      const shown = await report.evaluate(() => ({
        text: document.getElementById('report-text').value,
        contacts: [...document.querySelectorAll('#contacts li')].map((li) => ({ kind: li.dataset.kind, href: li.querySelector('a').href })),
      }));
      assert.ok(shown.text.includes(record.pageUrl) && shown.text.includes(record.imageUrl), shown.text);
      assert.deepEqual(shown.contacts.map((c) => c.kind), ['contactSiteLink', 'contactSecurityTxt'], 'the placeholder address is dropped');
      const mail = new URL(shown.contacts[1].href);
      assert.equal(mail.protocol + mail.pathname, 'mailto:security@pics.test');
      assert.ok(mail.searchParams.get('body').includes(record.imageUrl), 'the e-mail carries the report text');

      await report.evaluate(() => document.getElementById('mark-reported').click());
      await until(extensionPage, async (id) => ((await chrome.storage.local.get('evidence')).evidence.find((r) => r.id === id)).status === 'reported', record.id);
      for (const t of [report, extensionPage, tab]) await t.close();
    });
  });
}

const json = (body) => ({ contentType: 'application/json', body: JSON.stringify(body) });

/**
 * Runs `body` with stand-in pages for real hosts (a response, or a function of the request that
 * returns one); any other request off the machine is refused and
 * fails the test.
 */
async function withStandIns(context, pages, body) {
  const escaped = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (local || !url.protocol.startsWith('http')) return route.fallback();
    const standIn = pages[url.origin + url.pathname];
    if (standIn) return route.fulfill({ status: 200, ...(typeof standIn === 'function' ? standIn(route.request()) : standIn) });
    escaped.push(url.href);
    return route.abort('blockedbyclient');
  });
  try {
    await body();
  } finally {
    await context.unrouteAll({ behavior: 'wait' });
  }
  assert.deepEqual(escaped, [], 'no request left for a real host');
}

/** Chromium: real platform hostnames (request routing), the clipboard, and the log's exports. */
export function chromiumReporting(env) {
  describe('reporting (Chromium)', () => {
    test('Report on a stand-in x.com status opens X\'s route, records one entry and copies the report text', async () => {
      const { context } = env.browser;
      const status = 'https://x.com/someone/status/1860000000000000001';
      const form = 'https://help.x.com/forms/safety-and-sensitive-content/take-it-down';
      await withStandIns(context, {
        [status]: page('<article><img id="post" src="https://pbs.twimg.com/media/GxStandIn.jpg" width="400" height="250"></article>'),
        'https://pbs.twimg.com/media/GxStandIn.jpg': { contentType: 'image/jpeg', body: env.variants['half.jpg'] },
        [form]: page('<h1>Stand-in for X\'s form</h1>'),
      }, async () => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://x.com' });
      const extensionPage = await env.browser.openExtensionPage('evidence/evidence.html');
      const before = (await evidence(extensionPage)).length;

      const tab = await context.newPage();
      await tab.goto(status);
      await waitForPaintState(tab, { post: false });
      const formTab = await pageOpenedBy(() => clickVeilButton(tab, 'Report', 'post'), context, 'https://help.x.com/');
      assert.equal(formTab.url(), form);

      const record = await newRecord(extensionPage, before);
      assert.equal((await evidence(extensionPage)).length, before + 1, 'one click, one entry');
      assert.equal(record.pageUrl, status);
      assert.equal(record.platform, 'X (Twitter)');
      assert.equal(record.routeUrl, form);

      await tab.bringToFront();
      const clipboard = await tab.evaluate(() => navigator.clipboard.readText());
      assert.ok(clipboard.includes(status) && clipboard.includes('https://pbs.twimg.com/media/GxStandIn.jpg'), clipboard);
      assert.match(clipboard, /shared without my consent/);
      for (const t of [formTab, tab, extensionPage]) await t.close();
      });
    });

    test('a platform that takes reports only in its app (a WhatsApp channel): Report opens Veil\'s page with the steps and the platform\'s link', async () => {
      const { context } = env.browser;
      const channel = 'https://www.whatsapp.com/channel/0029VaWaUrD1XquPeK01cf2c';
      await withStandIns(context, {
        [channel]: page('<img id="post" src="https://pps.whatsapp.net/v/t61/standin.jpg" width="400" height="250">'),
        'https://pps.whatsapp.net/v/t61/standin.jpg': { contentType: 'image/jpeg', body: env.variants['half.jpg'] },
      }, async () => {
      const tab = await context.newPage();
      await tab.goto(channel);
      await waitForPaintState(tab, { post: false });
      const report = await pageOpenedBy(() => clickVeilButton(tab, 'Report', 'post'), context, env.browser.extensionUrl('report/report.html'));
      await report.waitForSelector('body[data-ready="true"]');
      const shown = await report.evaluate(() => ({
        note: document.getElementById('route-notes').textContent,
        link: document.getElementById('route-link').getAttribute('href'),
        visible: !document.getElementById('route-section').hidden,
      }));
      assert.ok(shown.visible && shown.note.length > 20, JSON.stringify(shown));
      assert.match(shown.link, /^https:\/\/faq\.whatsapp\.com\//);
      for (const t of [report, tab]) await t.close();
      });
    });

    test('an unknown .com site: the registrar\'s abuse desk (RDAP) and Cloudflare are offered, redacted data is not', async () => {
      const { context } = env.browser;
      const gallery = 'https://pics-share.com/g/42';
      await withStandIns(context, {
        [gallery]: page('<img id="leak" src="https://cdn.pics-share.com/i/42.jpg" width="400" height="250">'),
        'https://cdn.pics-share.com/i/42.jpg': { contentType: 'image/jpeg', body: env.variants['mirrored.jpg'] },
        'https://pics-share.com/.well-known/security.txt': { contentType: 'text/plain', headers: { 'cf-ray': '8f0000000000-LHR' }, body: 'Contact: https://pics-share.com/contact\n' },
        'https://data.iana.org/rdap/dns.json': { contentType: 'application/json', body: JSON.stringify({ version: '1.0', services: [[['com', 'net'], ['https://rdap.verisign.com/com/v1/']]] }) },
        'https://rdap.verisign.com/com/v1/domain/pics-share.com': { contentType: 'application/rdap+json', body: JSON.stringify({
          objectClassName: 'domain',
          ldhName: 'PICS-SHARE.COM',
          entities: [
            { roles: ['registrar'], vcardArray: ['vcard', [['fn', {}, 'text', 'Example Registrar, LLC']]],
              entities: [{ roles: ['abuse'], vcardArray: ['vcard', [['email', {}, 'text', 'abuse@registrar.test'], ['tel', { type: 'voice' }, 'uri', 'tel:+1.4805550100']]] }] },
            { roles: ['registrant'], vcardArray: ['vcard', [['fn', {}, 'text', 'REDACTED FOR PRIVACY'], ['email', {}, 'text', 'redacted@redacted.invalid']]] },
          ],
        }) },
      }, async () => {
      const tab = await context.newPage();
      await tab.goto(gallery);
      await waitForPaintState(tab, { leak: false });
      const report = await pageOpenedBy(() => clickVeilButton(tab, 'Report', 'leak'), context, env.browser.extensionUrl('report/report.html'));
      await report.waitForSelector('body[data-ready="true"]');
      const contacts = await report.evaluate(() => [...document.querySelectorAll('#contacts li')].map((li) => [li.dataset.kind, li.querySelector('a').getAttribute('href').split('?')[0]]));
      assert.deepEqual(contacts, [
        ['contactSecurityTxt', 'https://pics-share.com/contact'],
        ['contactRegistrar', 'mailto:abuse@registrar.test'],
        ['contactRegistrarPhone', 'tel:+1.4805550100'],
        ['contactCloudflare', 'https://abuse.cloudflare.com/'],
      ]);
      assert.match(await report.textContent('#contacts'), /Example Registrar, LLC registered pics-share\.com/);
      assert.doesNotMatch(await report.textContent('body'), /redacted/i);
      await Promise.all([report.close(), tab.close()]);
      });
    });

    test('the evidence log: status and ticket are kept; JSON, CSV and printable exports hold the entry; delete', async () => {
      const log = await env.browser.openExtensionPage('evidence/evidence.html');
      const records = await evidence(log);
      assert.ok(records.length >= 2, 'the reports above are in the log');
      const last = records.at(-1);
      const item = log.locator(`li[data-id="${last.id}"]`);
      await item.locator('select.status').selectOption('reported');
      await item.locator('input.ticket').fill('X-4471');
      await item.locator('input.ticket').press('Tab');
      await until(log, async (id) => (await chrome.storage.local.get('evidence')).evidence.find((r) => r.id === id).ticket === 'X-4471', last.id);
      const saved = (await evidence(log)).at(-1);
      assert.equal(saved.status, 'reported');
      assert.equal(saved.pageUrl, last.pageUrl, 'what Veil saw is unchanged');

      const exported = async (button) => {
        const [download] = await Promise.all([log.waitForEvent('download'), log.click(button)]);
        return readFileSync(await download.path(), 'utf8');
      };
      const json = JSON.parse(await exported('#export-json'));
      assert.equal(json.format, 'veil-evidence-log');
      assert.deepEqual(json.records.at(-1), saved);
      const csv = (await exported('#export-csv')).trim().split('\r\n');
      assert.equal(csv.length, records.length + 1, 'a header and a row per record');
      assert.ok(csv[0].startsWith('recordedAt,pageUrl,imageUrl'));
      assert.ok(csv.at(-1).includes(saved.imageUrl) && csv.at(-1).includes('X-4471'));
      const html = await exported('#export-html');
      assert.ok(html.includes(saved.pageUrl) && html.includes('X-4471') && !/<script|<img/i.test(html));
      for (const text of [JSON.stringify(json), csv.join(), html]) assert.ok(!text.includes('data:image'), 'never an image');

      log.once('dialog', (dialog) => dialog.accept());
      await item.locator('button.delete').click();
      await until(log, async (n) => (await chrome.storage.local.get('evidence')).evidence.length === n, records.length - 1);
      await log.close();
    });

    test('the popup\'s report: every image hidden on the tab goes into one report', async () => {
      const tab = await env.open('<img id="m1" src="/variants/half.jpg" width="200"><img id="m2" src="/variants/recompressed.jpg" width="200"><img id="c" src="/images/street.jpg" width="200">');
      await waitForPaintState(tab, { m1: false, m2: false, c: true });
      const extensionPage = await env.browser.openExtensionPage('evidence/evidence.html');
      const before = (await evidence(extensionPage)).length;
      // What the popup's button asks the background (a popup opened as a tab has no page of its own).
      const tabId = await until(extensionPage, async (url) => {
        const target = (await chrome.tabs.query({})).find((t) => t.url === url);
        const { result: counts } = await chrome.runtime.sendMessage({ type: 'tab-counts', tabId: target.id });
        return counts.hidden === 2 && target.id;
      }, tab.url());
      const { result: report } = await extensionPage.evaluate((tabId) => chrome.runtime.sendMessage({ type: 'report-tab', tabId }), tabId);
      assert.equal(report.text.split('\n').filter((line) => line.includes('/variants/')).length, 2, report.text);
      assert.match(report.text, /Page: .*\.html/);
      const records = (await evidence(extensionPage)).slice(before);
      assert.deepEqual(records.map((r) => r.imageUrl.split('/').pop()).sort(), ['half.jpg', 'recompressed.jpg']);
      await Promise.all([extensionPage.close(), tab.close()]);
    });

    test('Bluesky: with a connected account, Report offers sending to Bluesky\'s moderators with the NCII reason', async () => {
      const { context } = env.browser;
      const post = 'https://bsky.app/profile/someone.bsky.social/post/3lstandin22x';
      const calls = [];
      const pds = (path, answer) => [`https://bsky.social/xrpc/${path}`, (request) => {
        calls.push({ path, auth: request.headers().authorization, proxy: request.headers()['atproto-proxy'], body: request.postDataJSON?.() ?? null });
        return json(typeof answer === 'function' ? answer(request) : answer);
      }];
      await withStandIns(context, Object.fromEntries([
        [post, page('<img id="sky" src="https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:poster/bafkstandin@jpeg" width="400" height="250">')],
        ['https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:poster/bafkstandin@jpeg', { contentType: 'image/jpeg', body: env.variants['recompressed.jpg'] }],
        pds('com.atproto.server.createSession', { did: 'did:plc:me', handle: 'me.bsky.social', accessJwt: 'access-1', refreshJwt: 'refresh-1' }),
        pds('com.atproto.identity.resolveHandle', { did: 'did:plc:poster' }),
        pds('app.bsky.feed.getPosts', { posts: [{ uri: 'at://did:plc:poster/app.bsky.feed.post/3lstandin22x', cid: 'bafyreistandin' }] }),
        pds('com.atproto.moderation.createReport', { id: 4242 }),
        pds('com.atproto.server.deleteSession', {}),
      ]), async () => {
        const options = await env.browser.openExtensionPage('options/options.html');
        await options.fill('#bluesky-handle', '@me.bsky.social');
        await options.fill('#bluesky-password', 'abcd-efgh-ijkl-mnop');
        await options.click('#bluesky-form button[type="submit"]');
        await options.waitForSelector('#bluesky-connected:not([hidden])');
        assert.equal(await options.textContent('#bluesky-account'), 'Connected as @me.bsky.social.');
        const stored = await options.evaluate(async () => (await chrome.storage.local.get('accounts')).accounts);
        assert.ok(!JSON.stringify(stored).includes('abcd-efgh'), 'the app password is not kept');

        const tab = await context.newPage();
        await tab.goto(post);
        await waitForPaintState(tab, { sky: false });
        const report = await pageOpenedBy(() => clickVeilButton(tab, 'Report', 'sky'), context, env.browser.extensionUrl('report/report.html'));
        await report.waitForSelector('body[data-ready="true"]');
        assert.equal(await report.getAttribute('#route-link', 'href'), 'https://support.bsky.social/about/support/tida-info');
        assert.equal(calls.filter((c) => c.path.includes('createReport')).length, 0, 'nothing is sent before the click');
        await report.click('#send-direct');
        await report.waitForFunction(() => document.getElementById('direct-status').textContent.startsWith('Sent'));

        const reports = () => calls.filter((c) => c.path === 'com.atproto.moderation.createReport');
        const [sent] = reports();
        assert.equal(sent.auth, 'Bearer access-1');
        assert.equal(sent.proxy, 'did:plc:ar7c4by46qjdydhdevvrndac#atproto_labeler');
        assert.equal(sent.body.reasonType, 'tools.ozone.report.defs#reasonSexualNCII', 'an intimate image shared without consent, unless the person says it is fake');
        assert.deepEqual(sent.body.subject, { $type: 'com.atproto.repo.strongRef', uri: 'at://did:plc:poster/app.bsky.feed.post/3lstandin22x', cid: 'bafyreistandin' });
        assert.ok(sent.body.reason.includes(post));
        const record = (await evidence(options)).at(-1);
        assert.deepEqual([record.platformId, record.status, record.ticket], ['bluesky', 'reported', '4242']);

        // The person can say the image is fake: Bluesky has its own reason for sexual deepfakes.
        const again = await env.browser.openExtensionPage(`report/report.html?record=${record.id}`);
        assert.ok(await again.isVisible('#direct-fake'));
        await again.check('#direct-fake');
        await again.click('#send-direct');
        await again.waitForFunction(() => document.getElementById('direct-status').textContent.startsWith('Sent'));
        assert.equal(reports().length, 2);
        assert.equal(reports()[1].body.reasonType, 'tools.ozone.report.defs#reasonSexualDeepfake');
        await again.close();

        await options.bringToFront();
        await options.click('#bluesky-disconnect');
        await options.waitForSelector('#bluesky-form:not([hidden])');
        assert.deepEqual(await options.evaluate(async () => (await chrome.storage.local.get('accounts')).accounts), {});
        assert.ok(calls.some((c) => c.path === 'com.atproto.server.deleteSession'), 'the session is ended on the server too');
        for (const t of [report, tab, options]) await t.close();
      });
    });

    test('Mastodon: connect by the server\'s code, then Report sends a forwarded report from the person\'s server', async () => {
      const { context } = env.browser;
      const status = 'https://mastodon.social/@someone/113456789012345678';
      const sent = {};
      const api = (path, answer) => [`https://mastodon.social${path}`, (request) => {
        sent[path] = { auth: request.headers().authorization, body: request.postData(), url: request.url() };
        return json(answer);
      }];
      await withStandIns(context, Object.fromEntries([
        [status, page('<img id="toot" src="https://files.mastodon.social/media_attachments/files/113/standin.jpg" width="400" height="250">')],
        ['https://files.mastodon.social/media_attachments/files/113/standin.jpg', { contentType: 'image/jpeg', body: env.variants['mirrored.jpg'] }],
        ['https://mastodon.social/oauth/authorize', page('<p>Stand-in: authorise Veil. Your code: CODE-123</p>')],
        api('/api/v1/apps', { client_id: 'client-1', client_secret: 'secret-1' }),
        api('/oauth/token', { access_token: 'token-1', token_type: 'Bearer', scope: 'read:search write:reports' }),
        api('/api/v1/accounts/verify_credentials', { id: '9', acct: 'me' }),
        api('/api/v2/search', { accounts: [], hashtags: [], statuses: [{ id: '113456789012345678', account: { id: '42' } }] }),
        api('/api/v1/reports', { id: '777' }),
        api('/api/v2/instance', { domain: 'mastodon.social', version: '4.3.2' }),
        api('/oauth/revoke', {}),
        // Servers that publish an older version get `other`: one answers only the v1 instance API.
        ['https://old.example/api/v2/instance', { status: 404, ...json({ error: 'Not found' }) }],
        ['https://old.example/api/v1/instance', json({ uri: 'old.example', version: '4.1.9' })],
      ]), async () => {
        const options = await env.browser.openExtensionPage('options/options.html');
        await options.fill('#mastodon-server', '@me@mastodon.social');
        const authorize = await pageOpenedBy(() => options.click('#mastodon-form button[type="submit"]'), context, 'https://mastodon.social/oauth/authorize');
        const asked = new URL(authorize.url()).searchParams;
        assert.deepEqual([asked.get('client_id'), asked.get('scope'), asked.get('redirect_uri')], ['client-1', 'read:search write:reports', 'urn:ietf:wg:oauth:2.0:oob']);
        await authorize.close();
        await options.fill('#mastodon-code', 'CODE-123');
        await options.click('#mastodon-code-form button[type="submit"]');
        await options.waitForSelector('#mastodon-connected:not([hidden])');
        assert.equal(await options.textContent('#mastodon-account'), 'Connected as @me@mastodon.social.');
        assert.equal(new URLSearchParams(sent['/oauth/token'].body).get('code'), 'CODE-123');

        const tab = await context.newPage();
        await tab.goto(status);
        await waitForPaintState(tab, { toot: false });
        const report = await pageOpenedBy(() => clickVeilButton(tab, 'Report', 'toot'), context, env.browser.extensionUrl('report/report.html'));
        await report.waitForSelector('body[data-ready="true"]');
        assert.ok(!(await report.isVisible('#direct-fake')), 'Mastodon has no reason for a faked image');
        await report.click('#send-direct');
        await report.waitForFunction(() => document.getElementById('direct-status').textContent.startsWith('Sent'));
        assert.equal(new URL(sent['/api/v2/search'].url).searchParams.get('q'), status);
        const body = JSON.parse(sent['/api/v1/reports'].body);
        assert.equal(sent['/api/v1/reports'].auth, 'Bearer token-1');
        assert.deepEqual([body.account_id, body.status_ids, body.forward], ['42', ['113456789012345678'], true]);
        assert.equal(body.category, 'legal', 'a 4.2+ server has the category for illegal content');
        const older = await report.evaluate(async () => {
          const { mastodonCategory, mastodonReportCategory } = await import('../shared/report-apis.js');
          const versions = ['4.2.0', '4.10.1', '5.0.0', '4.2.8+glitch', '4.1.9', '3.5.3', '2.7.2 (compatible; Pleroma 2.5.0)', undefined];
          return { categories: versions.map(mastodonCategory), fromV1: await mastodonReportCategory('https://old.example') };
        });
        assert.deepEqual(older.categories, ['legal', 'legal', 'legal', 'legal', 'other', 'other', 'other', 'other']);
        assert.equal(older.fromV1, 'other', 'the version comes from the v1 API when v2 is missing');
        assert.ok(body.comment.includes(status) && body.comment.length <= 1000);
        const record = (await evidence(options)).at(-1);
        assert.deepEqual([record.platformId, record.status, record.ticket], ['mastodon', 'reported', '777']);
        await options.bringToFront();
        await options.click('#mastodon-disconnect');
        await options.waitForSelector('#mastodon-form:not([hidden])');
        assert.equal(new URLSearchParams(sent['/oauth/revoke'].body).get('token'), 'token-1', 'the token is revoked on the server');
        for (const t of [report, tab, options]) await t.close();
      });
    });
  });
}

/** Firefox: x.com resolves to this machine (a preference of the test profile), so the local site
 * plays an X status page; the form's host resolves here too, where nothing answers. */
export function firefoxReporting(env) {
  describe('reporting (Firefox)', () => {
    test('Report on an x.com status opens X\'s route beside it and records one entry', async () => {
      const port = new URL(env.site.origin).port;
      env.site.routes['/someone/status/1860000000000000002'] = page('<img id="post" src="/variants/half.jpg" width="400" height="250">');
      const status = `http://x.com:${port}/someone/status/1860000000000000002`;
      const extensionPage = await env.browser.openExtensionPage('evidence/evidence.html');
      const before = (await evidence(extensionPage)).length;
      const tab = await env.browser.context.newPage();
      await tab.goto(status, { waitUntil: 'domcontentloaded' });
      await waitForPaintState(tab, { post: false });
      await until(tab, () => document.getElementById('post').nextElementSibling?.localName === 'div');
      await tab.bringToFront();
      for (const key of ['Tab', 'Tab', 'Enter']) await tab.keyboard.press(key); // the panel's Show, then Report
      const record = await newRecord(extensionPage, before);
      assert.deepEqual([record.pageUrl, record.platform, record.platformId], [status, 'X (Twitter)', 'x']);
      await tabOpened(extensionPage, 'https://help.x.com/forms/safety-and-sensitive-content/take-it-down');
      assert.equal((await evidence(extensionPage)).length, before + 1, 'one click, one entry');
      await Promise.all([extensionPage.close(), tab.close()]);
    });
  });
}
