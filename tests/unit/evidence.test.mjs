// The evidence log's words and exports: report text, CSV that a spreadsheet cannot run, a printable
// page that cannot run anything.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BUILT, installBrowserApis } from './browser-apis.mjs';

installBrowserApis();
let evidence, exports;
before(async () => {
  evidence = await import(join(BUILT, 'shared/evidence.js'));
  exports = await import(join(BUILT, 'shared/evidence-export.js'));
});

const record = (fields) => ({
  id: 'r1', recordedAt: '2026-11-28T21:04:05.000Z', pageUrl: 'https://pics.example/g/1', imageUrl: 'https://cdn.pics.example/1.jpg',
  site: 'pics.example', platform: null, routeUrl: null, distance: 12, status: 'recorded', ticket: '', reply: '', ...fields,
});

test('a new record holds addresses, time, distance and route; never the image', () => {
  const r = evidence.newRecord({
    pageUrl: 'https://x.com/a/status/1', imageUrl: 'https://pbs.twimg.com/media/1.jpg', distance: 20,
    route: { platform: 'x', route: { name: 'X (Twitter)', reportUrl: 'https://help.x.com/forms' } },
  });
  assert.equal(r.site, 'x.com');
  assert.equal(r.platform, 'X (Twitter)');
  assert.equal(r.routeUrl, 'https://help.x.com/forms');
  assert.equal(r.distance, 20);
  assert.match(r.recordedAt, /^\d{4}-\d\d-\d\dT/);
  assert.ok(!JSON.stringify(r).includes('data:'));
});

test('the report text names the page, every image and the time in UTC', () => {
  const text = evidence.reportText([record(), record({ imageUrl: 'https://cdn.pics.example/2.jpg' })]);
  for (const part of ['https://pics.example/g/1', 'https://cdn.pics.example/1.jpg', 'https://cdn.pics.example/2.jpg', '2026-11-28 21:04 UTC']) {
    assert.ok(text.includes(part), `${part} in ${text}`);
  }
});

test('CSV: cells a spreadsheet would run as a formula are defused; quotes and commas escaped', () => {
  const csv = exports.evidenceCsv([record({ ticket: '=HYPERLINK("http://evil")', reply: 'said "no", twice' })]);
  const [header, row] = csv.trimEnd().split('\r\n');
  assert.ok(header.startsWith('recordedAt,pageUrl,imageUrl'));
  assert.ok(row.includes(`"'=HYPERLINK(""http://evil"")"`), row);
  assert.ok(row.includes('"said ""no"", twice"'), row);
});

test('the printable page escapes what pages wrote and allows no script', () => {
  const html = exports.evidenceHtml([record({ pageUrl: 'https://pics.example/<script>alert(1)</script>' })], '2026-11-30T10:00:00.000Z');
  assert.ok(!html.includes('<script>alert'), 'markup from a page is escaped');
  assert.ok(html.includes('&#60;script&#62;'));
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});
