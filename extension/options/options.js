// The options page: protect images (fingerprints only), see and remove them, back up the list,
// and choose what happens when Veil cannot check an image.

import { download, today } from '../shared/download.js';
import { t, localize } from '../shared/i18n.js';
import { decodeToRgba } from '../pipeline/decode.js';
import {
  connectBluesky, disconnectBluesky, disconnectMastodon, finishMastodonConnect, loadAccounts, startMastodonConnect,
} from '../shared/report-apis.js';
import { downloadEvidenceJson } from '../shared/evidence-export.js';
import { KEYS, loadSettings, saveSettings } from '../shared/settings.js';
import {
  changedData, lockState, readEvidence, readProtectedList, removePassphrase, setPassphrase, unlock, writeProtectedList,
} from '../shared/store.js';
import { imageHeader, listAdd, listMerge, listNew, listRemove, listSummary, wasmReady } from '../shared/wasm.js';
import { $ } from '../shared/dom.js';

const LOW_QUALITY = 50;

localize();
await wasmReady();

// Locked by a passphrase and not yet opened this session: only the unlock form is offered.
if ((await lockState()) === 'locked') {
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== 'unlock-section';
  $('unlock-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('unlock-status').textContent = t('unlocking');
    if (await unlock($('unlock-passphrase').value)) location.reload();
    else $('unlock-status').textContent = t('unlockWrong');
  });
  document.body.dataset.ready = 'true';
  await new Promise(() => {}); // nothing else runs on this page until it reloads
}

async function storedList() {
  return (await readProtectedList()) ?? listNew();
}

// One change to the list at a time, each read-modify-write complete before the next begins.
let pending = Promise.resolve();
function changeList(change) {
  const run = pending.then(async () => {
    const next = await change(await storedList());
    if (next !== undefined) await writeProtectedList(next);
  });
  pending = run.catch(() => {});
  return run;
}

function say(list, text, className) {
  const item = document.createElement('li');
  item.textContent = text;
  if (className) item.className = className;
  list.append(item);
}

// ---- Protect --------------------------------------------------------------------------------

async function protect(files) {
  const images = [...files];
  if (images.length === 0) return;
  const messages = $('protect-messages');
  messages.replaceChildren();
  $('protect-progress').hidden = false;
  $('protect-bar').max = images.length;
  let done = 0;
  const progress = () => {
    $('protect-bar').value = done;
    $('protect-count').textContent = t('protectProgress', String(done), String(images.length));
  };
  progress();
  for (const file of images) {
    try {
      // The header is in the first bytes (a large EXIF block included).
      const header = imageHeader(new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer()));
      const pixels = await decodeToRgba(file, header);
      const label = file.name.replace(/\.[^.]+$/, '');
      let result;
      await changeList((text) => {
        result = listAdd(text, pixels.data, pixels.width, pixels.height, label, new Date().toISOString());
        return result.list;
      });
      if (result.alreadyProtected) say(messages, t('protectAlready', file.name));
      else if (result.quality < LOW_QUALITY) say(messages, t('protectLowQuality', file.name), 'warn');
    } catch (error) {
      say(messages, t('protectFailed', file.name), 'warn');
      console.warn('Veil: could not protect', file.name, error);
    }
    done++;
    progress();
  }
  say(messages, t('protectDone', String(images.length)));
  await render();
}

$('protect-files').addEventListener('change', async (event) => {
  await protect(event.target.files);
  event.target.value = '';
});

const zone = $('drop-zone');
zone.addEventListener('dragover', (event) => {
  event.preventDefault();
  zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (event) => {
  event.preventDefault();
  zone.classList.remove('over');
  protect([...event.dataTransfer.files].filter((f) => f.type.startsWith('image/')));
});

// ---- The list -------------------------------------------------------------------------------

async function render() {
  const rows = listSummary(await storedList());
  $('list-empty').hidden = rows.length > 0;
  $('list-table').hidden = rows.length === 0;
  $('list-body').replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    const label = document.createElement('td');
    label.textContent = row.label ?? t('noLabel');
    if (row.quality < LOW_QUALITY) {
      const warning = document.createElement('div');
      warning.className = 'warn';
      warning.textContent = t('lowQualityNote');
      label.append(warning);
    }
    const added = document.createElement('td');
    added.textContent = new Date(row.added).toLocaleDateString(chrome.i18n.getUILanguage());
    const actions = document.createElement('td');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = t('remove');
    remove.setAttribute('aria-label', t('removeNamed', row.label ?? t('noLabel')));
    remove.addEventListener('click', async () => {
      if (!confirm(t('removeConfirm'))) return;
      await changeList((text) => listRemove(text, row.id));
      await render();
    });
    actions.append(remove);
    tr.append(label, added, actions);
    return tr;
  }));
}

// ---- Backup ---------------------------------------------------------------------------------


async function exportList() {
  download(await storedList(), `veil-protected-list-${today()}.json`, 'application/json');
  $('backup-status').textContent = t('exportDone');
}
$('export-list').addEventListener('click', exportList);

$('import-list').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  const status = $('backup-status');
  try {
    const incoming = await file.text();
    let added = 0;
    await changeList((text) => {
      const merged = listMerge(text, incoming);
      added = merged.added;
      return merged.list;
    });
    status.textContent = t('importDone', String(added));
  } catch (error) {
    // The stored list is untouched: changeList writes only after a successful merge.
    status.textContent = t('importFailed', error?.message ?? String(error));
  }
  await render();
});

// ---- Settings and evidence ------------------------------------------------------------------

const settings = await loadSettings();
for (const radio of document.querySelectorAll('input[name="onFailure"]')) {
  radio.checked = radio.value === settings.onFailure;
  radio.addEventListener('change', () => saveSettings({ onFailure: radio.value }));
}
$('neutral-toolbar').checked = settings.neutralToolbar;
$('neutral-toolbar').addEventListener('change', (event) => saveSettings({ neutralToolbar: event.target.checked }));

async function renderEvidence() {
  $('evidence-count').textContent = t('evidenceCount', String((await readEvidence()).length));
}

// ---- Passphrase -------------------------------------------------------------------------------

async function renderLock() {
  const locked = (await lockState()) !== 'open';
  $('lock-form').hidden = locked;
  $('lock-on').hidden = !locked;
}
$('backup-first').addEventListener('click', async () => {
  await exportList();
  downloadEvidenceJson(await readEvidence());
});
$('lock-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const passphrase = $('passphrase').value;
  if (passphrase.length < 8) return void ($('lock-status').textContent = t('passphraseTooShort'));
  if (passphrase !== $('passphrase-again').value) return void ($('lock-status').textContent = t('passphraseMismatch'));
  if (!confirm(t('passphraseConfirm'))) return;
  $('lock-status').textContent = t('locking');
  await setPassphrase(passphrase);
  $('passphrase').value = $('passphrase-again').value = '';
  $('lock-status').textContent = t('lockedDone');
  await renderLock();
});
$('remove-passphrase').addEventListener('click', async () => {
  if (!confirm(t('removePassphraseConfirm'))) return;
  await removePassphrase();
  $('lock-status').textContent = t('passphraseRemoved');
  await renderLock();
});
// ---- Accounts for sending reports directly ----------------------------------------------------

async function renderAccounts() {
  const { bluesky, mastodon } = await loadAccounts();
  $('bluesky-connected').hidden = !bluesky;
  $('bluesky-form').hidden = Boolean(bluesky);
  $('bluesky-account').textContent = bluesky ? t('connectedAs', `@${bluesky.handle}`) : '';
  const connected = Boolean(mastodon?.accessToken);
  $('mastodon-connected').hidden = !connected;
  $('mastodon-form').hidden = Boolean(mastodon);
  $('mastodon-code-form').hidden = !mastodon?.pending;
  $('mastodon-account').textContent = connected ? t('connectedAs', `@${mastodon.acct}@${new URL(mastodon.server).host}`) : '';
}

/** Runs an account action from a form, saying how it went. */
function accountAction(form, action) {
  $(form).addEventListener('submit', async (event) => {
    event.preventDefault();
    $('accounts-status').textContent = t('connecting');
    try {
      await action();
      $('accounts-status').textContent = '';
    } catch (error) {
      $('accounts-status').textContent = t('connectFailed', error.message);
    }
    await renderAccounts();
  });
}
accountAction('bluesky-form', async () => {
  await connectBluesky($('bluesky-server').value, $('bluesky-handle').value, $('bluesky-password').value);
  $('bluesky-password').value = '';
});
accountAction('mastodon-form', async () => {
  // The server shows a code once the person allows Veil; they paste it below.
  chrome.tabs.create({ url: await startMastodonConnect($('mastodon-server').value) });
});
accountAction('mastodon-code-form', () => finishMastodonConnect($('mastodon-code').value));
$('bluesky-disconnect').addEventListener('click', async () => {
  await disconnectBluesky();
  await renderAccounts();
});
$('mastodon-disconnect').addEventListener('click', async () => {
  await disconnectMastodon();
  await renderAccounts();
});

chrome.storage.onChanged.addListener((changes, area) => {
  const changed = changedData(changes, area);
  if (area === 'local' && KEYS.accounts in changes) renderAccounts();
  if (changed.evidence) renderEvidence();
  if (changed.list) render();
});

await render();
await renderEvidence();
await renderAccounts();
await renderLock();
document.body.dataset.ready = 'true';
