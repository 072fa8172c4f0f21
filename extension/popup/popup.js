// The toolbar popup: this tab's counts, Veil on or off for this site, pause everywhere.

import { t, localize } from '../shared/i18n.js';
import { activeOn, loadSettings, saveSettings } from '../shared/settings.js';

localize();
const $ = (id) => document.getElementById(id);
const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
// Veil checks web pages only; browser and extension pages have no site to switch.
let hostname = '';
try {
  const url = new URL(tab?.url ?? '');
  if (url.protocol === 'http:' || url.protocol === 'https:') hostname = url.hostname;
} catch {}

async function render() {
  const settings = await loadSettings();
  const counts = await chrome.runtime.sendMessage({ type: 'tab-counts', tabId: tab?.id });
  $('counts').textContent = activeOn(settings, hostname)
    ? t('popupCounts', String(counts?.checked ?? 0), String(counts?.hidden ?? 0))
    : t('popupOff');
  $('site-label').textContent = hostname ? t('onForSite', hostname) : t('notAWebPage');
  $('site-on').checked = !settings.disabledSites.includes(hostname);
  $('site-on').disabled = !hostname;
  $('paused').checked = settings.paused;
}

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
$('open-options').addEventListener('click', (event) => {
  event.preventDefault();
  chrome.runtime.openOptionsPage();
  window.close();
});

await render();
document.body.dataset.ready = 'true';
