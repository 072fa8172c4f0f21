// Veil's pages ask the background, the one writer of stored evidence, to act for them.

/** Sends a request to the background and returns its result; throws the background's error. */
export async function ask(type, fields = {}) {
  const answer = await chrome.runtime.sendMessage({ type, ...fields });
  if (!answer?.ok) throw new Error(answer?.error ?? 'Veil did not answer');
  return answer.result;
}
