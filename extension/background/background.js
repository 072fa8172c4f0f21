// Veil's background: holds the protected list's matcher (wasm), answers each frame's checks over
// its port, keeps per-tab counts for the popup, and, when the person asks, records evidence and
// opens the place to report. Chrome runs it as a service worker, Firefox as an event page. This
// file only wires the browser's events to the modules that handle them, each event once.

import { KEYS } from '../shared/settings.js';
import { forgetTabDocuments, onFrameConnected } from './frames.js';
import { onPageRequest } from './page-requests.js';
import { onStorageChanged, prepareMatching } from './protected-list.js';
import { applyToolbarLook, forgetHideAll, onCommand } from './safety.js';
import { forgetTab } from './tab-counts.js';

prepareMatching();
applyToolbarLook().catch(() => {});

chrome.runtime.onConnect.addListener(onFrameConnected);
chrome.runtime.onMessage.addListener(onPageRequest);

chrome.storage.onChanged.addListener((changes, area) => {
  onStorageChanged(changes, area);
  if (area === 'local' && KEYS.settings in changes) applyToolbarLook();
});

chrome.tabs.onUpdated.addListener((tabId, { status }) => status === 'loading' && forgetHideAll(tabId));
chrome.tabs.onRemoved.addListener((tabId) => {
  forgetTab(tabId);
  forgetTabDocuments(tabId);
  forgetHideAll(tabId);
});

// Firefox for Android has no keyboard shortcuts (and no chrome.commands).
chrome.commands?.onCommand.addListener(onCommand);

// A new install opens the welcome page: what Veil does, then the first step, protecting images.
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') chrome.tabs.create({ url: chrome.runtime.getURL('welcome/welcome.html') });
});
