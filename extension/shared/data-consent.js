// Firefox's data consent: the manifest declares what a click may send (browser_specific_settings.
// gecko.data_collection_permissions.optional: a sign-in to the person's own Bluesky or Mastodon
// server, page and image addresses in a report, a site's host name to RDAP), and Firefox asks the
// person once before the first such send. Chromium has no such prompt: there this always allows,
// and the privacy policy says what is sent. Nothing is ever sent while browsing.

const declared = () => chrome.runtime.getManifest().browser_specific_settings?.gecko?.data_collection_permissions?.optional ?? [];
const asked = (kinds) => kinds.filter((kind) => declared().includes(kind));

/**
 * Asks for consent to send `kinds` of data, from inside a click's handler (Firefox shows its
 * prompt only for a click): call it before anything is awaited. Resolves true when allowed.
 */
export function consentToSend(kinds) {
  const needed = asked(kinds);
  return needed.length ? chrome.permissions.request({ data_collection: needed }) : Promise.resolve(true);
}

/**
 * Runs `send` now if consent was given before; otherwise shows `prompt` (an element holding the
 * explanation and a button) and runs it after the person clicks that button and allows it.
 */
export async function whenAllowed(kinds, prompt, send) {
  const needed = asked(kinds);
  if (!needed.length || (await chrome.permissions.contains({ data_collection: needed }))) return send();
  prompt.hidden = false;
  const button = prompt.querySelector('button');
  button.addEventListener('click', async () => {
    if (!(await consentToSend(needed))) return;
    prompt.hidden = true;
    await send();
  });
}
