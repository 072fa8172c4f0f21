// Every word a person reads comes from _locales (chrome.i18n), so Veil can speak their language.

export const t = (key, ...substitutions) => chrome.i18n.getMessage(key, substitutions) || key;

/** Fills elements marked data-i18n (text) and data-i18n-<attribute> (attributes). */
export function localize(root = document) {
  document.documentElement.lang = chrome.i18n.getUILanguage();
  document.documentElement.dir = chrome.i18n.getMessage('@@bidi_dir') || 'ltr';
  for (const element of root.querySelectorAll('*')) {
    for (const { name, value } of [...element.attributes]) {
      if (name === 'data-i18n') element.textContent = t(value);
      else if (name.startsWith('data-i18n-')) element.setAttribute(name.slice('data-i18n-'.length), t(value));
    }
  }
}
