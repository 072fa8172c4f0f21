// Safety: hide every image on a tab at once (a shortcut or the popup), and a neutral toolbar
// button for people who share their screen or computer.

import { loadSettings } from '../shared/settings.js';

// Tabs where the person hid every image; the rules go when they show them again or navigate.
const allHidden = new Set();

export const isAllHidden = (tabId) => allHidden.has(tabId);

export async function toggleHideAll(tabId) {
  const target = { tabId, allFrames: true };
  const hiding = !allHidden.has(tabId);
  if (hiding) {
    await chrome.scripting.insertCSS({ target, files: ['content/hide-all.css'], origin: 'USER' });
    allHidden.add(tabId);
  } else {
    await chrome.scripting.removeCSS({ target, files: ['content/hide-all.css'], origin: 'USER' });
    allHidden.delete(tabId);
  }
  return hiding;
}

/** A new page in the tab starts with its images as Veil decides them. */
export function forgetHideAll(tabId) {
  allHidden.delete(tabId);
}

/** The keyboard shortcut (desktop browsers only: Firefox for Android has no commands). */
export async function onCommand(command, tab) {
  if (command !== 'hide-all-images') return;
  const tabId = tab?.id ?? (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId != null) await toggleHideAll(tabId).catch(() => {});
}

/** The toolbar button as the person chose: Veil's own, or a plain grey one named "Page tools". */
export async function applyToolbarLook() {
  const { neutralToolbar } = await loadSettings();
  await chrome.action.setIcon({ path: neutralToolbar ? { 16: '/icons/neutral-16.png', 32: '/icons/neutral-32.png' } : { 16: '/icons/veil-16.png', 48: '/icons/veil-48.png' } });
  await chrome.action.setTitle({ title: chrome.i18n.getMessage(neutralToolbar ? 'neutralTitle' : 'extName') });
}
