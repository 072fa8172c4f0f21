// Veil's pages ask the background, the one writer of stored evidence, to act for them.

import { t } from './i18n.js';

/** Sends a request to the background and returns its result; throws the background's error. */
export async function ask(type, fields = {}) {
  const answer = await chrome.runtime.sendMessage({ type, ...fields });
  if (!answer?.ok) throw new Error(answer?.error ?? t('backgroundSilent'));
  return answer.result;
}
