// Requests from Veil's own pages (popup, options, evidence log, report page), by name; content
// scripts use their frame port instead.

import { PAGE_REQUEST } from '../protocol.js';
import { clearRecords, deleteRecord, updateRecord } from './evidence-log.js';
import { openReport, recordReport } from './reports.js';
import { isAllHidden, toggleHideAll } from './safety.js';
import { matchedOnTab, tabCounts } from './tab-counts.js';

const handlers = {
  [PAGE_REQUEST.tabCounts]: ({ tabId }) => tabCounts(tabId),
  // The popup's Report: every image hidden as a match on the tab, in one report.
  [PAGE_REQUEST.reportTab]: async ({ tabId }) => {
    const tab = await chrome.tabs.get(tabId);
    const imageUrls = matchedOnTab(tabId);
    return imageUrls.length ? recordReport({ pageUrl: tab.url, imageUrls, siteLinks: [] }) : null;
  },
  [PAGE_REQUEST.openReport]: ({ recordId, tabId }) => openReport(recordId, tabId),
  [PAGE_REQUEST.hideAll]: ({ tabId }) => toggleHideAll(tabId),
  [PAGE_REQUEST.allHidden]: ({ tabId }) => isAllHidden(tabId),
  [PAGE_REQUEST.evidenceUpdate]: ({ id, changes }) => updateRecord(id, changes),
  [PAGE_REQUEST.evidenceDelete]: ({ id }) => deleteRecord(id),
  [PAGE_REQUEST.evidenceClear]: () => clearRecords(),
};

const extensionOrigin = chrome.runtime.getURL('');

/** runtime.onMessage: answers `{ok, result}` or `{ok: false, error}`, only to Veil's own pages. */
export function onPageRequest(message, sender, reply) {
  const handle = handlers[message?.type];
  if (!handle || sender.id !== chrome.runtime.id || !sender.url?.startsWith(extensionOrigin)) return false;
  Promise.resolve(handle(message)).then(
    (result) => reply({ ok: true, result: result ?? null }),
    (error) => reply({ ok: false, error: String(error?.message ?? error) }),
  );
  return true; // the reply comes asynchronously
}
