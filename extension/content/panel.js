// panel.js: what the person sees over a hidden image (a calm panel in a closed shadow root the
// page cannot read), and the notice when Veil is unavailable. Built from DOM nodes, never HTML.
'use strict';

// The words come with the background's hello (read there once: a frame's own i18n calls were
// most of Veil's work on each frame's thread). Before any hello they are read here; if the extension is gone by then, its
// chrome.* calls throw and the keys stand in. Once a hello came, they outlive the background.
let ownStrings = null;
function words() {
  if (connection.strings) return connection.strings;
  try {
    ownStrings ??= Object.fromEntries(PANEL_STRINGS.map((key) => [key, chrome.i18n.getMessage(key)]));
  } catch {
    ownStrings = {};
  }
  return ownStrings;
}
const t = (key) => words()[key] || key;

const PANEL_CSS = `
  :host { all: initial; container-type: size; }
  .panel { box-sizing: border-box; width: 100%; height: 100%; overflow: auto; padding: 10px;
    display: flex; flex-direction: column; justify-content: center; gap: 6px;
    background: #eef1f4; color: #1f2933; border: 1px solid #c5ccd3; border-radius: 6px;
    font: 13px/1.4 system-ui, sans-serif; text-align: start; }
  .title { font-weight: 600; margin: 0; }
  p { margin: 0; }
  .actions { display: flex; flex-wrap: wrap; gap: 6px; }
  button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #7b8794;
    background: #fff; color: #1f2933; cursor: pointer; }
  button:focus-visible { outline: 3px solid #2563eb; outline-offset: 1px; }
  [hidden] { display: none !important; }
  /* Small images: keep the title and the buttons, drop the sentence. */
  @container (max-height: 140px) { .detail { display: none; } .panel { padding: 6px; gap: 4px; } }
  @media (prefers-color-scheme: dark) {
    .panel { background: #1f2933; color: #e4e7eb; border-color: #52606d; }
    button { background: #323f4b; color: #e4e7eb; border-color: #9aa5b1; }
  }`;
// Sized by its words, unlike the panels, which take their image's box.
const NOTICE_CSS = `${PANEL_CSS}
  :host { container-type: normal; }
  .panel { height: auto; box-shadow: 0 2px 10px rgba(0,0,0,.25); }`;

/** `node('p', {class: 'title'}, 'text', child)`: an element with attributes and children. */
function node(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

const button = (action, label) => node('button', { 'data-act': action }, t(label));

/** The action of the panel button an event came from, if any. */
function actionOf(event) {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  return target?.dataset.act;
}

/** A host element with a closed shadow root holding `css` and a `.panel` group. */
function panelHost(css, attributes, ...children) {
  const host = document.createElement('div');
  veilHosts.add(host);
  const root = host.attachShadow({ mode: 'closed' });
  const style = node('style');
  style.textContent = css;
  const panel = node('div', {
    class: 'panel', dir: t('@@bidi_dir'), lang: t('@@ui_locale').replace('_', '-'), ...attributes,
  }, ...children);
  root.append(style, panel);
  return { host, root };
}

/** The panel over a hidden image: a match (show, report, not a match) or an unchecked image. */
function panelFor(element, status, entry) {
  const { host, root } = status === STATUS.match
    ? panelHost(PANEL_CSS, { role: 'group', 'aria-label': t('overlayTitle') },
      node('p', { class: 'title' }, t('overlayTitle')),
      node('p', { class: 'detail' }, t('overlayBody')),
      node('div', { class: 'actions', 'data-part': 'main' }, button('show', 'show'), button('report', 'report'), button('not-a-match', 'notAMatch')),
      node('p', { class: 'status', role: 'status' }),
      node('div', { class: 'confirm', hidden: '' },
        node('p', {}, t('confirmShow')),
        node('div', { class: 'actions' }, button('confirm-show', 'confirmShowYes'), button('cancel', 'confirmShowNo'))))
    : panelHost(PANEL_CSS, { role: 'group', 'aria-label': t('uncheckedTitle') },
      node('p', { class: 'title' }, t('uncheckedTitle')),
      node('p', { class: 'detail' }, t(`reason_${verdictReason(entry) ?? REASON.undecodable}`)),
      node('div', { class: 'actions' }, button('show-unchecked', 'show')));
  const confirm = /** @type {HTMLElement} */ (root.querySelector('.confirm'));
  const main = /** @type {HTMLElement} */ (root.querySelector('[data-part="main"]'));
  const actions = {
    'show': () => {
      main.hidden = true;
      confirm.hidden = false;
      confirm.querySelector('button').focus();
    },
    'cancel': () => {
      confirm.hidden = true;
      main.hidden = false;
    },
    'confirm-show': () => showMatch(element, entry),
    'show-unchecked': () => settle(element, STATUS.shown),
    'report': () => {
      const url = matchedUrl(entry);
      if (!connection.hello || !tell({ type: FROM_FRAME.report, url, siteLinks: siteReportLinks() })) {
        showStatus(url, t('reportFailed'));
      }
    },
    'not-a-match': () => {
      const url = matchedUrl(entry);
      notMatches.add(url);
      tell({ type: FROM_FRAME.notAMatch, url });
      settle(element, STATUS.shown);
    },
  };
  root.addEventListener('click', (event) => {
    // The image may sit inside a link: a click on Veil's panel must never navigate.
    event.preventDefault();
    event.stopPropagation();
    actions[actionOf(event)]?.();
  });
  for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup']) {
    root.addEventListener(type, (event) => event.stopPropagation());
  }
  place(element, host);
  panels.set(host, element);
  panelStatus.set(host, root.querySelector('.status'));
  return host;
}

const panels = new Map(); // host -> element, to follow layout changes
const panelStatus = new WeakMap(); // host -> its status line

function showStatus(url, text) {
  for (const [host, element] of panels) {
    if (elements.get(element)?.urls.includes(url)) panelStatus.get(host)?.replaceChildren(text);
  }
}

function place(element, host) {
  const style = host.style;
  style.setProperty('position', 'absolute', 'important');
  style.setProperty('z-index', '2147483646', 'important');
  style.setProperty('display', 'block', 'important');
  // Unseen until it is over its element, in the next animation frame (before that frame paints)
  // with every other new panel: reading an element's box lays the page out, once for all of them.
  style.setProperty('visibility', 'hidden', 'important');
  if (element instanceof HTMLElement && element.parentNode) {
    // An image slotted into a component renders where its slot is: the panel, beside it in the
    // light DOM, must go to the same slot, or it would not render at all.
    if (element.hasAttribute('slot')) host.slot = element.slot;
    element.after(host);
  } else {
    (document.body ?? document.documentElement).append(host);
  }
  repositionPanels();
}

/** Where an element's box is, in the coordinates its panel is placed in. */
function boxOf(element) {
  if (element instanceof HTMLElement) {
    const { offsetLeft: left, offsetTop: top, offsetWidth: width, offsetHeight: height } = element;
    return { left, top, width, height };
  }
  const { left, top, width, height } = element.getBoundingClientRect();
  return { left: left + scrollX, top: top + scrollY, width, height };
}

const boxes = new WeakMap(); // host -> the box it was last given

function setBox(host, box) {
  const { left, top, width, height } = box;
  // Unchanged, untouched: a style written restyles the page, and the next frame's read lays it out again.
  const last = boxes.get(host);
  if (last && last.left === left && last.top === top && last.width === width && last.height === height) return;
  if (!last) host.style.removeProperty('visibility');
  boxes.set(host, box);
  host.style.setProperty('left', `${left}px`, 'important');
  host.style.setProperty('top', `${top}px`, 'important');
  host.style.setProperty('width', `${Math.max(width, 160)}px`, 'important');
  host.style.setProperty('height', `${Math.max(height, 90)}px`, 'important');
}

let repositionScheduled = false;
/** Every panel over its element again, in the next animation frame: all boxes read, then all set. */
function repositionPanels() {
  if (repositionScheduled) return;
  repositionScheduled = true;
  requestAnimationFrame(() => {
    repositionScheduled = false;
    const placed = [];
    for (const [host, element] of panels) {
      if (host.isConnected && element.isConnected) placed.push([host, boxOf(element)]);
    }
    for (const [host, element] of panels) {
      if (host.isConnected && element.isConnected) continue;
      panels.delete(host);
      host.remove();
    }
    for (const [host, box] of placed) setBox(host, box);
  });
}
addEventListener('resize', repositionPanels, { passive: true });
new ResizeObserver(repositionPanels).observe(document.documentElement);

function showPageNotice(messageKey) {
  const show = () => {
    const { host, root } = panelHost(NOTICE_CSS, { role: 'alert' },
      node('p', {}, t(messageKey)),
      node('div', { class: 'actions' }, button('dismiss', 'dismiss')));
    root.addEventListener('click', (event) => {
      if (actionOf(event)) host.remove();
    });
    for (const [property, value] of [['position', 'fixed'], ['top', '12px'], ['right', '12px'],
      ['width', 'min(360px, 90vw)'], ['z-index', '2147483647'], ['display', 'block']]) {
      host.style.setProperty(property, value, 'important');
    }
    (document.body ?? document.documentElement).append(host);
  };
  if (document.body) show();
  else addEventListener('DOMContentLoaded', show, { once: true });
}
