// The toolbar popup: this tab's counts, reporting what is hidden on it, Veil on or off for this
// site, pause everywhere.

import { PAGE_REQUEST } from '../protocol.js';
import { ask } from '../shared/ask.js';
import { t, localize } from '../shared/i18n.js';
import { activeOn, loadSettings, saveSettings } from '../shared/settings.js';
import { lockState } from '../shared/store.js';
import { webHostOf } from '../shared/urls.js';
import { $ } from '../shared/dom.js';

localize();
const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
// Veil checks web pages only; browser and extension pages have no site to switch.
const hostname = webHostOf(tab?.url ?? '');

async function render() {
  const settings = await loadSettings();
  $('title').textContent = t(settings.neutralToolbar ? 'neutralTitle' : 'extName');
  const hidden = hostname ? await ask(PAGE_REQUEST.allHidden, { tabId: tab.id }) : false;
  $('hide-all').textContent = t(hidden ? 'showAllAgain' : 'hideAll');
  $('hide-all').disabled = !hostname;
  const counts = await ask(PAGE_REQUEST.tabCounts, { tabId: tab?.id });
  $('report').hidden = !(counts?.hidden > 0);
  const locked = (await lockState()) === 'locked';
  $('counts').textContent = locked ? t('popupLocked')
    : activeOn(settings, hostname) ? t('popupCounts', String(counts?.checked ?? 0), String(counts?.hidden ?? 0))
      : t('popupOff');
  $('site-label').textContent = hostname ? t('onForSite', hostname) : t('notAWebPage');
  $('site-on').checked = !settings.disabledSites.includes(hostname);
  $('site-on').disabled = !hostname;
  $('paused').checked = settings.paused;
}

$('hide-all').addEventListener('click', async () => {
  await ask(PAGE_REQUEST.hideAll, { tabId: tab.id });
  render();
});
$('site-on').addEventListener('change', async (event) => {
  const { disabledSites } = await loadSettings();
  const others = disabledSites.filter((h) => h !== hostname);
  await saveSettings({ disabledSites: event.target.checked ? others : [...others, hostname] });
  render();
});
$('paused').addEventListener('change', async (event) => {
  await saveSettings({ paused: event.target.checked });
  render();
});
// The same report as a panel's: evidence recorded, the text copied here (the popup has the focus),
// then the platform's route, or Veil's contacts page, opens beside the tab.
$('report').addEventListener('click', async () => {
  const report = await ask(PAGE_REQUEST.reportTab, { tabId: tab.id });
  if (!report) return;
  let copied = true;
  await navigator.clipboard.writeText(report.text).catch(() => (copied = false));
  await ask(PAGE_REQUEST.openReport, { recordId: report.recordId, tabId: tab.id });
  $('report-status').textContent = t(copied ? 'reportCopiedOpened' : 'reportOpened');
});
$('open-evidence').addEventListener('click', (event) => {
  event.preventDefault();
  chrome.tabs.create({ url: chrome.runtime.getURL('evidence/evidence.html') });
  window.close();
});

$('open-options').addEventListener('click', (event) => {
  event.preventDefault();
  chrome.runtime.openOptionsPage();
  window.close();
});

await render();
document.body.dataset.ready = 'true';
