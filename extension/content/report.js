// report.js: the panel's Report, once the background has recorded the evidence entry.
'use strict';

/**
 * Copies the report text while this page still has the focus (the tab that opens next takes it),
 * then asks for the report's page. The clipboard API fires no event the page can see; where it is
 * unavailable (plain http) the text waits on the evidence page.
 */
async function finishReport({ url, recordId, text }) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // Not allowed here (plain http, no focus): the text waits on the evidence page.
  }
  tell({ type: FROM_FRAME.openReport, recordId });
  showStatus(url, t(copied ? 'reportCopiedOpened' : 'reportOpened'));
}

/** The site's own links for reporting or removal, where its pages have them (at most five). */
function siteReportLinks() {
  const wanted = /\b(report|abuse|dmca|takedown|take down|removal|remove content|content removal)\b/i;
  const links = [];
  for (const link of document.querySelectorAll('a[href]')) {
    if (!(link instanceof HTMLAnchorElement)) continue;
    if (!/^https?:$/.test(link.protocol)) continue;
    if (wanted.test(link.textContent) || wanted.test(link.pathname.replace(/[-_/]/g, ' '))) links.push(link.href);
    if (links.length === 5) break;
  }
  return [...new Set(links)];
}
