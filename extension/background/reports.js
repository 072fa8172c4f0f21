// Reporting for the person: one evidence entry per matched image, the report text, and opening the
// place to report next to the page.

import { newRecord, reportText } from '../shared/evidence.js';
import { directSender } from '../shared/report-apis.js';
import { reportRoute, wasmReady } from '../shared/wasm.js';
import { addRecords, findRecord } from './evidence-log.js';
import { engine } from './protected-list.js';

/**
 * Records one evidence entry per matched image on a page and returns them with the report text.
 * Nothing opens yet: the caller copies the text first, while its document still has the focus.
 * @param {{pageUrl: string, frameUrl?: string, imageUrls: string[], siteLinks: string[]}} report
 */
export async function recordReport({ pageUrl, frameUrl, imageUrls, siteLinks }) {
  await wasmReady();
  const records = imageUrls.map((imageUrl) => newRecord({
    pageUrl,
    frameUrl,
    imageUrl,
    distance: engine.matches.get(imageUrl)?.distance,
    route: reportRoute(pageUrl, imageUrl),
    siteLinks,
  }));
  await addRecords(records);
  return { recordId: records[0].id, text: reportText(records), platform: records[0].platform };
}

/**
 * Opens where the report is made, next to the page: the platform's own route; or Veil's report
 * page, for a site with no known route (it finds the site's contacts) and for a platform where the
 * person connected an account to send reports directly.
 */
export async function openReport(recordId, openerTabId) {
  const record = await findRecord(recordId);
  if (!record) return;
  const ownPage = !record.routeUrl || (await directSender(record.platformId));
  const url = ownPage ? chrome.runtime.getURL(`report/report.html?record=${encodeURIComponent(record.id)}`) : record.routeUrl;
  const opener = openerTabId == null ? null : await chrome.tabs.get(openerTabId).catch(() => null);
  await chrome.tabs.create({ url, ...(opener ? { openerTabId: opener.id, index: opener.index + 1 } : {}) });
}
