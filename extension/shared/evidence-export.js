// The evidence log's exports for police or a helpline, saved through the browser's own download
// (the person chooses where): JSON (complete), CSV (spreadsheets), a printable HTML page. Pages
// only: this reaches for `document`.

import { EVIDENCE_FORMAT, EVIDENCE_VERSION, utcTime } from './evidence.js';
import { download, today } from './download.js';
import { t } from './i18n.js';

function evidenceJson(records) {
  return JSON.stringify({ format: EVIDENCE_FORMAT, version: EVIDENCE_VERSION, exportedAt: new Date().toISOString(), records }, null, 2);
}

/** Saves the log as JSON, the complete backup (evidence page export, backup before locking). */
export function downloadEvidenceJson(records) {
  download(evidenceJson(records), `veil-evidence-${today()}.json`, 'application/json');
}

const CSV_COLUMNS = ['recordedAt', 'pageUrl', 'imageUrl', 'site', 'platform', 'routeUrl', 'distance', 'status', 'ticket', 'reply', 'updatedAt'];

/** RFC 4180 CSV. Addresses come from hostile pages, so cells a spreadsheet would run as a
 * formula (=, +, -, an at sign, tab, return first) are written with a leading apostrophe. */
export function evidenceCsv(records) {
  const cell = (value) => {
    let text = value == null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [CSV_COLUMNS, ...records.map((r) => CSV_COLUMNS.map((c) => r[c]))].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A self-contained page to keep or print to PDF: one block per record, no scripts, no images. */
export function evidenceHtml(records, generatedAt = new Date().toISOString()) {
  const row = (label, value) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
  const blocks = records.map((r, i) => `
    <section>
      <h2>${escapeHtml(t('evidenceItem', String(i + 1), utcTime(r.recordedAt)))}</h2>
      <table>
        ${row(t('fieldPageUrl'), r.pageUrl)}
        ${r.frameUrl ? row(t('fieldFrameUrl'), r.frameUrl) : ''}
        ${row(t('fieldImageUrl'), r.imageUrl)}
        ${row(t('fieldSite'), r.platform ? `${r.platform} (${r.site})` : r.site)}
        ${row(t('fieldRoute'), r.routeUrl ?? t('routeNone'))}
        ${row(t('fieldDistance'), r.distance == null ? '' : t('distanceValue', String(r.distance)))}
        ${row(t('fieldStatus'), t(`status_${r.status}`))}
        ${r.ticket ? row(t('fieldTicket'), r.ticket) : ''}
        ${r.reply ? row(t('fieldReply'), r.reply) : ''}
      </table>
    </section>`).join('');
  return `<!doctype html>
<html lang="${escapeHtml(chrome.i18n.getUILanguage())}" dir="${escapeHtml(chrome.i18n.getMessage('@@bidi_dir') || 'ltr')}">
<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(t('evidenceReportTitle'))}</title>
<style>
  body { font: 12pt/1.45 system-ui, sans-serif; color: #111; margin: 2em; }
  h1 { font-size: 18pt; } h2 { font-size: 13pt; margin: 1.2em 0 .4em; }
  table { border-collapse: collapse; width: 100%; } section { break-inside: avoid; }
  th, td { text-align: start; vertical-align: top; border: 1px solid #999; padding: 4px 6px; overflow-wrap: anywhere; }
  th { width: 28%; font-weight: 600; }
</style></head>
<body>
  <h1>${escapeHtml(t('evidenceReportTitle'))}</h1>
  <p>${escapeHtml(t('evidenceReportIntro', utcTime(generatedAt), String(records.length)))}</p>
  ${blocks}
</body>
</html>
`;
}
