// Content scripts, in manifest order (each a classic script sharing the isolated world's scope):
// protocol -> platform -> hide-css -> find -> find-styled -> find-drawn -> hide -> verdicts -> ask -> panel -> report -> watch.
// find.js: which elements can paint an image, and which URLs each one paints.
'use strict';

// Kept equal to hide.css's selectors: what it hides, Veil checks and reveals. `data-veil-styled`:
// an element whose computed style paints an image the page has just requested (find-styled.js).
const STYLED = 'data-veil-styled';
const CANDIDATES = `img, input[type="image"], video[poster], image, object[data], embed[src], [style*="url(" i], [style*="image-set(" i], [${STYLED}]`;

// The page-world hooks (shadow-hook.js; canvas-hook.js in Chromium) announce under event names
// each makes up per page, told to this script once as they start: before any of the page's own
// scripts runs (the isolated scripts run first, in manifest order), so the page never hears them.
const HOOK_HELLO = 'veil-hook';
const hookListeners = {}; // kind -> listener, until its hook has said its name
function onHookEvent(kind, listener) {
  hookListeners[kind] = listener;
}
document.addEventListener(HOOK_HELLO, (event) => {
  const [kind, name] = String(/** @type {CustomEvent} */ (event).detail).split(' ');
  const listener = hookListeners[kind];
  delete hookListeners[kind]; // only the first hello of each kind: a page cannot add more
  if (listener && name) document.addEventListener(name, listener, true);
}, true);

// Veil works on the page's thread for at most this long at a time before it lets the page run
// (and then goes on): the page's own tasks never wait behind a long one of Veil's.
const SLICE_MS = 8;

// Only these elements and custom elements can have a shadow root (DOM attachShadow(), and the
// parser's <template shadowrootmode>): the browser is asked about no other element, since each
// question is a call out of this script, on pages of thousands of elements.
const SHADOW_HOSTS = new Set(['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span']);

// The hosts of Veil's own panels (panel.js): nothing in them is the page's, so nothing in them is
// watched, checked or read for styles.
const veilHosts = new WeakSet();

/** An element's shadow root, open, closed or parsed (the platform shim's shadowRootOf), or null;
 * null for Veil's own panels. */
function shadowRootIn(element) {
  if (!SHADOW_HOSTS.has(element.localName) && !element.localName.includes('-')) return null;
  return veilHosts.has(element) ? null : shadowRootOf(element);
}

function absolute(url) {
  try {
    return new URL(url, document.baseURI).href;
  } catch {
    return null;
  }
}

/** Every image a style text names: url(...) in any case, and image-set()'s bare strings. */
function cssUrls(value) {
  const urls = [];
  for (const match of value.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)/gi)) {
    const url = absolute(match[1] ?? match[2] ?? match[3]);
    if (url) urls.push(url);
  }
  for (const [, set] of value.matchAll(/image-set\(([^)]*)\)/gi)) {
    for (const match of set.matchAll(/(?:^|,)\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const url = absolute(match[1] ?? match[2]);
      if (url) urls.push(url);
    }
  }
  return urls;
}

/** The URLs an element paints, [] for none, or null when not known yet (srcset not chosen). */
function urlsOf(element) {
  let urls = [];
  switch (element.localName) {
    case 'img': {
      // With srcset or <picture> the browser picks the source; it is known once it loads.
      if (!element.currentSrc && (element.srcset || element.parentElement?.localName === 'picture')) return null;
      const src = element.currentSrc || element.src;
      if (!src) return [];
      if (element.loading === 'lazy' && !element.complete && !element.currentSrc) {
        watchLazy(element);
        return null;
      }
      urls = [src];
      break;
    }
    case 'input':
      urls = element.type === 'image' && element.src ? [element.src] : [];
      break;
    case 'video':
      urls = element.poster ? [element.poster] : [];
      break;
    case 'image': {
      const href = element.href?.baseVal;
      urls = href ? [absolute(href)].filter(Boolean) : [];
      break;
    }
    case 'object':
    case 'embed': {
      // A declared type that is no image (a PDF, a page) shows no image; otherwise the check reads it.
      const type = element.getAttribute('type');
      const src = element.localName === 'object' ? element.data : element.src;
      urls = src && (!type || type.toLowerCase().startsWith('image/')) ? [src] : [];
      break;
    }
  }
  urls.push(...(styledUrls.get(element) ?? []));
  const inline = element.getAttribute('style');
  if (inline && /url\(|image-set\(/i.test(inline)) urls.push(...cssUrls(inline));
  return [...new Set(urls)];
}

// A lazy image starts loading as it nears the screen, and no event says so. Two observers look
// at it on the way (Chromium starts such a load about 1,250 px ahead, Firefox nearer): once the
// browser has chosen its source, Veil's check runs beside the page's download, not after it.
const lazyWatchers = ['1000px 0px', '0px'].map((rootMargin) => new IntersectionObserver((entries) => {
  for (const { target, isIntersecting } of entries) {
    if (!isIntersecting || !(/** @type {HTMLImageElement} */ (target)).currentSrc) continue;
    for (const watcher of lazyWatchers) watcher.unobserve(target);
    enqueue(target);
  }
}, { rootMargin }));

function watchLazy(image) {
  for (const watcher of lazyWatchers) watcher.observe(image);
}

/** Images this small (natural size, by the core's rule, which the hello brings) are icons: shown
 * without a check. Before the hello, the background decides them. */
function isIcon(element) {
  const side = connection.hello?.limits?.iconSide;
  return element.localName === 'img' && side !== undefined && element.complete && element.naturalWidth > 0 &&
    element.naturalWidth < side && element.naturalHeight < side;
}
