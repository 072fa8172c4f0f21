// The evidence log: what Veil recorded when the person reported a match (addresses, time,
// distance; never the image), where each report stands, and exports for police or a helpline.

import { PAGE_REQUEST } from '../protocol.js';
import { ask } from '../shared/ask.js';
import { download, today } from '../shared/download.js';
import { downloadEvidenceJson, evidenceCsv, evidenceHtml } from '../shared/evidence-export.js';
import { STATUSES, reportText, utcTime } from '../shared/evidence.js';
import { t, localize } from '../shared/i18n.js';
import { LockedError, changedData, readEvidence } from '../shared/store.js';
import { $ } from '../shared/dom.js';

localize();

const storedRecords = readEvidence;

function say(text) {
  $('status').textContent = text;
}

function recordItem(record, index) {
  const item = $('record-template').content.firstElementChild.cloneNode(true);
  localize(item);
  const fill = (selector, text) => (item.querySelector(selector).textContent = text);
  fill('.record-title', t('evidenceItem', String(index + 1), utcTime(record.recordedAt)));
  fill('.page-url', record.frameUrl ? `${record.pageUrl} (${t('fieldFrameUrl')}: ${record.frameUrl})` : record.pageUrl);
  fill('.image-url', record.imageUrl);
  fill('.site', record.platform ? `${record.platform} (${record.site})` : record.site);
  fill('.distance', record.distance == null ? '' : t('distanceValue', String(record.distance)));
  const route = item.querySelector('.route');
  if (record.routeUrl) {
    route.append(Object.assign(document.createElement('a'), { href: record.routeUrl, target: '_blank', rel: 'noreferrer', textContent: record.routeUrl }));
  } else {
    route.append(Object.assign(document.createElement('a'), {
      href: `../report/report.html?record=${encodeURIComponent(record.id)}`, target: '_blank', textContent: t('findContacts'),
    }));
  }

  const status = item.querySelector('.status');
  status.append(...STATUSES.map((s) => new Option(t(`status_${s}`), s, false, s === record.status)));
  const ticket = item.querySelector('.ticket');
  const reply = item.querySelector('.reply');
  ticket.value = record.ticket ?? '';
  reply.value = record.reply ?? '';
  const save = (field, value) => ask(PAGE_REQUEST.evidenceUpdate, { id: record.id, changes: { [field]: value } })
    .then(() => say(t('evidenceSaved')), (error) => say(t('evidenceSaveFailed', error.message)));
  status.addEventListener('change', () => save('status', status.value));
  ticket.addEventListener('change', () => save('ticket', ticket.value));
  reply.addEventListener('change', () => save('reply', reply.value));

  item.querySelector('.copy').addEventListener('click', async () => {
    await navigator.clipboard.writeText(reportText([record]));
    say(t('reportTextCopied'));
  });
  item.querySelector('.delete').addEventListener('click', async () => {
    if (!confirm(t('deleteRecordConfirm'))) return;
    await ask(PAGE_REQUEST.evidenceDelete, { id: record.id });
    say(t('recordDeleted'));
  });
  item.dataset.id = record.id;
  return item;
}

async function render() {
  const records = await storedRecords();
  $('evidence-empty').hidden = records.length > 0;
  $('delete-section').hidden = records.length === 0;
  for (const id of ['export-json', 'export-csv', 'export-html', 'print']) $(id).disabled = records.length === 0;
  // Keep what the person is typing: only redraw when records were added or removed.
  const shown = [...$('records').children].map((li) => li.dataset.id).join();
  if (shown !== records.map((r) => r.id).join()) $('records').replaceChildren(...records.map(recordItem));
}

const exports = {
  'export-json': downloadEvidenceJson,
  'export-csv': (records) => download(evidenceCsv(records), `veil-evidence-${today()}.csv`, 'text/csv'),
  'export-html': (records) => download(evidenceHtml(records), `veil-evidence-${today()}.html`, 'text/html'),
};
for (const [id, write] of Object.entries(exports)) {
  $(id).addEventListener('click', async () => write(await storedRecords()));
}
$('print').addEventListener('click', () => window.print());

$('delete-all').addEventListener('click', async () => {
  // Deleting is final: offer the backup first.
  if (confirm(t('deleteAllExportFirst'))) exports['export-json'](await storedRecords());
  if (!confirm(t('deleteAllConfirm'))) return;
  await ask(PAGE_REQUEST.evidenceClear);
  say(t('allDeleted'));
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (changedData(changes, area).evidence) render().catch(() => {});
});

try {
  await render();
} catch (error) {
  if (!(error instanceof LockedError)) throw error;
  for (const section of document.querySelectorAll('main > section')) if (section instanceof HTMLElement) section.hidden = true;
  $('evidence-empty').textContent = t('lockedGoToOptions');
}
document.body.dataset.ready = 'true';
