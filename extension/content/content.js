// Veil's content script, in every frame from document_start, in the extension's isolated world.
// It finds every image the page shows, asks the background for a verdict, and reveals what is
// clear. Work from the observer is only queued, then done in one batch per animation frame.
// Everything it knows stays in this isolated world: the page can see only which images are hidden.
(() => {
  'use strict';

  const OK = 'data-veil-ok';
  const CANDIDATES = 'img, input[type="image"], video[poster], image, [style*="url("]';
  // Images this small (natural size) are icons: shown without a check.
  const ICON_SIDE = 32;
  // An image still waiting this long gets the "not checked" control.
  const VERDICT_TIMEOUT_MS = 30_000;
  // If the background does not answer this fast, Veil is unavailable: fail open (or as set).
  const HELLO_TIMEOUT_MS = 3_000;

  // Read once: if the extension is reloaded or removed, this script's chrome.* calls throw, and
  // the notice saying so must still be worded.
  const STRINGS = Object.fromEntries([
    'overlayTitle', 'overlayBody', 'show', 'report', 'notAMatch', 'confirmShow', 'confirmShowYes',
    'confirmShowNo', 'reportCopiedOpened', 'reportOpened', 'reportFailed', 'uncheckedTitle', 'reason_fetch', 'reason_too_large',
    'reason_unsupported', 'reason_undecodable', 'reason_timeout', 'noticeUnavailableShown',
    'noticeUnavailableHidden', 'noticeLockedShown', 'noticeLockedHidden', 'dismiss', '@@bidi_dir', '@@ui_locale',
  ].map((key) => [key, chrome.i18n.getMessage(key)]));
  const t = (key) => STRINGS[key] || key;

  /** @type {WeakMap<Element, {urls: string[], status: string, overlay?: Element}>} */
  const elements = new WeakMap();
  const revealedByVeil = new WeakSet();
  const awaitingLoad = new WeakSet(); // images whose source changed: decided when it loads
  const unloadable = new WeakSet(); // images the browser itself failed to load: nothing to paint
  const verdicts = new Map(); // url -> {state, reason?}
  const waitingFor = new Map(); // url -> Set<Element>
  const requested = new Map(); // url -> time asked
  const queued = new Set();
  let flushScheduled = false;
  let port = null;
  let hello = null; // {active, onFailure} once the background answered
  let askedOnPort = new Set(); // URLs asked over the current port
  let failedOpen = null; // once Veil is unavailable or locked: how undecided images settle ('clear' or 'error')
  const counted = { checked: 0, hidden: 0 };

  // ---- Finding images ------------------------------------------------------------------------

  function absolute(url) {
    try {
      return new URL(url, document.baseURI).href;
    } catch {
      return null;
    }
  }

  function cssUrls(value) {
    const urls = [];
    for (const match of value.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)/g)) {
      const url = absolute(match[1] ?? match[2] ?? match[3]);
      if (url) urls.push(url);
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
    }
    const inline = element.style?.backgroundImage;
    if (inline && inline.includes('url(')) urls.push(...cssUrls(inline));
    return [...new Set(urls)];
  }

  // A lazy image starts loading as it nears the screen, and no event says so. Two observers look
  // at it on the way (Chromium starts such a load about 1,250 px ahead, Firefox nearer): once the
  // browser has chosen its source, Veil's check runs beside the page's download, not after it.
  const lazyWatchers = ['1000px 0px', '0px'].map((rootMargin) => new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (!isIntersecting || !target.currentSrc) continue;
      for (const watcher of lazyWatchers) watcher.unobserve(target);
      enqueue(target);
    }
  }, { rootMargin }));

  function watchLazy(image) {
    for (const watcher of lazyWatchers) watcher.observe(image);
  }

  function isIcon(element) {
    return element.localName === 'img' && element.complete && element.naturalWidth > 0 &&
      element.naturalWidth < ICON_SIDE && element.naturalHeight < ICON_SIDE;
  }

  // ---- Revealing and hiding ------------------------------------------------------------------

  function reveal(element) {
    revealedByVeil.add(element);
    unguard(element);
    element.setAttribute(OK, '');
  }

  function conceal(element) {
    revealedByVeil.delete(element);
    element.removeAttribute(OK);
    guard(element);
  }

  // The page's own inline `!important` beats Veil's manifest rules, which Chromium injects at
  // author level; the user-level copy reaches a new frame only after a round trip to the
  // background. Until Veil reveals such an element, its own inline rule holds it hidden
  // (re-asserted whenever the page rewrites the style), and the page's value comes back after.
  const guarded = new WeakMap(); // element -> the page's inline visibility {value, priority}

  function overridesHiding(style) {
    const visibility = style.getPropertyPriority('visibility') === 'important' && style.getPropertyValue('visibility') !== 'hidden';
    const background = style.getPropertyPriority('background-image') === 'important' && style.backgroundImage.includes('url(');
    return visibility || background;
  }

  function guard(element) {
    const style = element.style;
    if (!style || revealedByVeil.has(element) || !element.matches(CANDIDATES) || !overridesHiding(style)) return;
    const value = style.getPropertyValue('visibility');
    const priority = style.getPropertyPriority('visibility');
    if (value === 'hidden' && priority === 'important') return; // already held (no mutation loop)
    guarded.set(element, { value, priority });
    style.setProperty('visibility', 'hidden', 'important');
  }

  const FORCED_STYLE = '[style*="important" i]';
  function guardSubtree(node) {
    if (node.matches(FORCED_STYLE)) guard(node);
    for (const element of node.querySelectorAll(FORCED_STYLE)) guard(element);
  }

  function unguard(element) {
    const original = guarded.get(element);
    if (!original) return;
    guarded.delete(element);
    if (original.value) element.style.setProperty('visibility', original.value, original.priority);
    else element.style.removeProperty('visibility');
  }

  /** Undoes what an element's current status put on the page and in the counts. */
  function leaveStatus(entry) {
    if (entry.status === 'match') counted.hidden--;
    entry.overlay?.remove();
    entry.overlay = undefined;
  }

  function settle(element, status) {
    const entry = elements.get(element);
    if (!entry || entry.status === status) return;
    leaveStatus(entry);
    entry.status = status;
    if (status === 'match') counted.hidden++;
    if (status === 'clear' || status === 'match') counted.checked++;
    if (status === 'clear' || status === 'shown') reveal(element);
    if (status === 'match' || status === 'error') entry.overlay = overlayFor(element, status, entry);
    reportCounts();
  }

  // ---- The pipeline --------------------------------------------------------------------------

  /** Hides an element again and drops what Veil knew about it. */
  function forget(element) {
    const entry = elements.get(element);
    if (!entry) return;
    leaveStatus(entry);
    conceal(element);
    elements.delete(element);
  }

  /** `visible`: measured by the caller with the rest of its batch, so layout is read once. */
  function consider(element, visible) {
    if (awaitingLoad.has(element)) return;
    const urls = isIcon(element) || unloadable.has(element) ? [] : urlsOf(element);
    if (urls === null) return; // waits for its load event
    const entry = elements.get(element);
    const same = entry && entry.urls.length === urls.length && entry.urls.every((u, i) => u === urls[i]);
    if (same) return;
    // A changed source is a new image: hide it again until it is checked.
    forget(element);
    elements.set(element, { urls, status: 'pending' });
    if (urls.length === 0 || failedOpen || hello?.active === false) {
      settle(element, urls.length > 0 && failedOpen ? failedOpen : 'clear');
      return;
    }
    for (const url of urls) {
      if (verdicts.has(url)) continue;
      if (!waitingFor.has(url)) waitingFor.set(url, new Set());
      waitingFor.get(url).add(element);
      if (!requested.has(url)) ask(url, visible);
    }
    decide(element);
  }

  function isVisible(element) {
    const rect = element.getBoundingClientRect();
    return rect.bottom >= -200 && rect.top <= innerHeight + 200 && rect.right >= 0 && rect.left <= innerWidth;
  }

  // Asked at once, without waiting for the hello: the background holds a check until it knows
  // whether Veil is on for this page, and drops it if not.
  function ask(url, visible) {
    requested.set(url, Date.now());
    postCheck(url, visible);
  }

  const MAX_BLOB_BYTES = 32 * 1024 * 1024;
  const blobSources = new Map(); // blob: URL -> Promise<data: URL>

  /** A page's blob: URL belongs to its origin, so only this script can read it for the background. */
  function blobAsDataUrl(url) {
    if (!blobSources.has(url)) {
      blobSources.set(url, fetch(url).then((response) => response.blob()).then((blob) => {
        if (blob.size > MAX_BLOB_BYTES) throw new Error('too large'); // developer-facing: shown as not checked
        return new Promise((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(reader.result);
          reader.onerror = () => reject(reader.error);
          reader.readAsDataURL(blob);
        });
      }));
    }
    return blobSources.get(url);
  }

  async function postCheck(url, visible) {
    const message = { type: 'check', url, visible };
    if (url.startsWith('blob:')) {
      try {
        message.source = await blobAsDataUrl(url);
      } catch {
        receiveVerdict(url, { state: 'error', reason: 'fetch' });
        return;
      }
    }
    if (!port || askedOnPort.has(url)) return;
    askedOnPort.add(url);
    port.postMessage(message);
  }

  /** Combines the element's URL verdicts: any match hides it, any failure leaves it unchecked. */
  function decide(element) {
    const entry = elements.get(element);
    if (!entry || entry.status !== 'pending') return;
    const states = entry.urls.map((url) => verdicts.get(url)?.state);
    if (states.includes('match')) settle(element, 'match');
    else if (states.includes(undefined)) return;
    else if (states.includes('error')) settle(element, 'error');
    else settle(element, 'clear');
  }

  function receiveVerdict(url, verdict) {
    verdicts.set(url, verdict);
    requested.delete(url);
    for (const element of waitingFor.get(url) ?? []) {
      const entry = elements.get(element);
      if (entry?.urls.includes(url)) decide(element);
    }
    waitingFor.delete(url);
  }

  // ---- Batching DOM work ---------------------------------------------------------------------

  function enqueue(node) {
    queued.add(node);
    if (flushScheduled) return;
    flushScheduled = true;
    // The next task, not the next animation frame: while a page loads, its first frame can come
    // long after its first images (and animation frames do not run in background tabs at all).
    setTimeout(flush);
  }

  function flush() {
    if (!flushScheduled) return;
    flushScheduled = false;
    const nodes = [...queued];
    queued.clear();
    const found = new Set();
    for (const node of nodes) {
      if (!node.isConnected) continue;
      if (node.matches(CANDIDATES)) found.add(node);
      for (const element of node.querySelectorAll(CANDIDATES)) found.add(element);
      watchShadowRoots(node);
    }
    // All reads (layout) before any writes (marks, panels): one layout per batch, not per image.
    const visible = new Map([...found].map((element) => [element, isVisible(element)]));
    for (const element of found) consider(element, visible.get(element));
  }

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList') {
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          guardSubtree(node); // now: the batch runs in a later task, perhaps after a paint
          enqueue(node);
        }
      } else if (record.attributeName === OK) {
        // Only Veil may mark an image cleared: undo the page's forgery before it is painted.
        if (record.target.hasAttribute(OK) && !revealedByVeil.has(record.target)) record.target.removeAttribute(OK);
      } else if (elements.has(record.target) || record.target.matches?.(CANDIDATES)) {
        // At once, not in the next batch: a style the page just forced must not reach a paint.
        if (record.attributeName === 'style') guard(record.target);
        if (record.target.localName === 'img' && (record.attributeName === 'src' || record.attributeName === 'srcset')) {
          // The new source replaces the old one only once it has loaded, and currentSrc changes
          // only then: hide now (before the next paint) and decide on the load event.
          forget(record.target);
          unloadable.delete(record.target);
          awaitingLoad.add(record.target);
        }
        enqueue(record.target);
      }
    }
  });
  const OBSERVED = { childList: true, subtree: true, attributes: true,
    attributeFilter: ['src', 'srcset', 'style', 'poster', 'href', OK] };

  function observe(root) {
    observer.observe(root, OBSERVED);
  }

  // Open shadow roots get the hiding rules too (document styles do not reach inside them).
  // VEIL_HIDE_CSS is hide.css itself, written into hide-css.js by the build.
  const shadowSheet = new CSSStyleSheet();
  shadowSheet.replaceSync(VEIL_HIDE_CSS);
  const watchedRoots = new WeakSet();

  // The page-world hook (shadow-hook.js) announces each new shadow root, synchronously.
  document.addEventListener('veil-shadow-root', (event) => {
    if (event.target instanceof Element) watchShadowRoots(event.target);
  }, true);

  function watchShadowRoots(node) {
    const hosts = [node, ...node.querySelectorAll('*')].filter((e) => e.shadowRoot);
    for (const host of hosts) {
      const root = host.shadowRoot;
      if (watchedRoots.has(root)) continue;
      watchedRoots.add(root);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, shadowSheet];
      observe(root);
      for (const child of root.children) {
        guardSubtree(child);
        enqueue(child);
      }
    }
  }

  // Lazy images and srcset choices become known when they load; failed images paint nothing.
  // (An element's load event never reaches the window: listen on the document.)
  document.addEventListener('load', (event) => {
    if (!(event.target instanceof Element) || !event.target.matches(CANDIDATES)) return;
    awaitingLoad.delete(event.target);
    enqueue(event.target);
  }, true);
  document.addEventListener('error', (event) => {
    const element = event.target;
    if (!(element instanceof HTMLImageElement)) return;
    awaitingLoad.delete(element);
    unloadable.add(element);
    if (elements.get(element)?.status !== 'match') {
      forget(element);
      enqueue(element);
    }
  }, true);

  // ---- Talking to the background -------------------------------------------------------------

  function connect() {
    askedOnPort = new Set();
    port = null;
    try {
      port = chrome.runtime.connect({ name: 'veil-frame' });
    } catch {
      failOpen();
      return;
    }
    const helloTimer = setTimeout(() => hello || failOpen(), HELLO_TIMEOUT_MS);
    port.onMessage.addListener((message) => {
      if (message.type === 'hello') {
        clearTimeout(helloTimer);
        hello = message;
        reportCounts();
        if (!hello.active) {
          revealAllPending();
          return;
        }
        // Locked by the person's passphrase: nothing can be checked until they unlock.
        if (hello.locked) {
          failOpen();
          return;
        }
        for (const [url, element] of pendingRequests()) postCheck(url, isVisible(element));
      } else if (message.type === 'verdict') {
        receiveVerdict(message.url, message.verdict);
      } else if (message.type === 'reported') {
        finishReport(message);
      }
    });
    port.onDisconnect.addListener(() => {
      clearTimeout(helloTimer);
      hello = null;
      port = null;
      // A service worker that went idle disconnects; reconnecting wakes it. A removed or
      // reloaded extension has no runtime left: fail open.
      if (chrome.runtime?.id) connect();
      else failOpen();
    });
  }

  function* pendingRequests() {
    for (const url of requested.keys()) {
      const element = waitingFor.get(url)?.values().next().value;
      if (element) yield [url, element];
    }
  }

  function revealAllPending() {
    for (const elementsForUrl of waitingFor.values()) {
      for (const element of elementsForUrl) settle(element, 'clear');
    }
    waitingFor.clear();
    requested.clear();
  }

  /** Veil is unavailable: nothing it has not decided stays hidden, unless the person chose so. */
  function failOpen() {
    if (failedOpen) return;
    const keepHidden = hello?.onFailure === 'hidden';
    failedOpen = keepHidden ? 'error' : 'clear';
    const undecided = [...document.querySelectorAll(CANDIDATES)]
      .filter((element) => ['pending', 'error'].includes(elements.get(element)?.status));
    for (const element of undecided) settle(element, failedOpen);
    waitingFor.clear();
    requested.clear();
    const notice = hello?.locked ? 'noticeLocked' : 'noticeUnavailable';
    if (undecided.length > 0) showPageNotice(`${notice}${keepHidden ? 'Hidden' : 'Shown'}`);
  }

  // Images waiting far too long get the "not checked" control rather than staying blank.
  setInterval(() => {
    const now = Date.now();
    for (const [url, since] of requested) {
      if (now - since > VERDICT_TIMEOUT_MS) receiveVerdict(url, { state: 'error', reason: 'timeout' });
    }
  }, 2_000);

  let countsTimer = null;
  function reportCounts() {
    if (countsTimer) return;
    countsTimer = setTimeout(() => {
      countsTimer = null;
      if (hello) port.postMessage({ type: 'counts', ...counted, matched: matchedUrls() });
    }, 300);
  }

  // ---- What the person sees ------------------------------------------------------------------

  const OVERLAY_CSS = `
    :host { all: initial; container-type: size; }
    .veil { box-sizing: border-box; width: 100%; height: 100%; overflow: auto; padding: 10px;
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
    @container (max-height: 140px) { .detail { display: none; } .veil { padding: 6px; gap: 4px; } }
    @media (prefers-color-scheme: dark) {
      .veil { background: #1f2933; color: #e4e7eb; border-color: #52606d; }
      button { background: #323f4b; color: #e4e7eb; border-color: #9aa5b1; }
    }`;

  function html(strings, ...values) {
    const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return strings.reduce((out, s, i) => out + s + (i < values.length ? escape(values[i]) : ''), '');
  }

  /** A calm panel over a hidden image, in a closed shadow root the page cannot read. */
  function overlayFor(element, status, entry) {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'closed' });
    const reasonKey = `reason_${verdictReason(entry) ?? 'undecodable'}`;
    root.innerHTML = `<style>${OVERLAY_CSS}</style>` + (status === 'match'
      ? html`<div class="veil" role="group" aria-label="${t('overlayTitle')}" dir="${t('@@bidi_dir')}" lang="${t('@@ui_locale').replace('_', '-')}">
          <p class="title">${t('overlayTitle')}</p>
          <p class="detail">${t('overlayBody')}</p>
          <div class="actions main">
            <button data-act="show">${t('show')}</button>
            <button data-act="report">${t('report')}</button>
            <button data-act="not-a-match">${t('notAMatch')}</button>
          </div>
          <p class="status" role="status"></p>
          <div class="confirm" hidden>
            <p>${t('confirmShow')}</p>
            <div class="actions">
              <button data-act="confirm-show">${t('confirmShowYes')}</button>
              <button data-act="cancel">${t('confirmShowNo')}</button>
            </div>
          </div>
        </div>`
      : html`<div class="veil" role="group" aria-label="${t('uncheckedTitle')}" dir="${t('@@bidi_dir')}" lang="${t('@@ui_locale').replace('_', '-')}">
          <p class="title">${t('uncheckedTitle')}</p>
          <p class="detail">${t(reasonKey)}</p>
          <div class="actions"><button data-act="show-unchecked">${t('show')}</button></div>
        </div>`);
    const confirm = root.querySelector('.confirm');
    const main = root.querySelector('.main');
    root.addEventListener('click', (event) => {
      // The image may sit inside a link: a click on Veil's panel must never navigate.
      event.preventDefault();
      event.stopPropagation();
      const action = event.target.closest?.('button')?.dataset.act;
      const url = entry.urls.find((u) => verdicts.get(u)?.state === 'match');
      if (action === 'show') {
        main.hidden = true;
        confirm.hidden = false;
        confirm.querySelector('button').focus();
      } else if (action === 'cancel') {
        confirm.hidden = true;
        main.hidden = false;
      } else if (action === 'confirm-show' || action === 'show-unchecked') {
        settle(element, 'shown');
      } else if (action === 'report') {
        if (!hello) showStatus(url, t('reportFailed'));
        else port.postMessage({ type: 'report', url, siteLinks: siteReportLinks() });
      } else if (action === 'not-a-match') {
        notMatches.add(url);
        port?.postMessage({ type: 'not-a-match', url });
        settle(element, 'shown');
      }
    });
    for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup']) {
      root.addEventListener(type, (event) => event.stopPropagation());
    }
    place(element, host);
    overlays.set(host, element);
    overlayParts.set(host, root.querySelector('.status'));
    return host;
  }

  function verdictReason(entry) {
    return entry.urls.map((u) => verdicts.get(u)).find((v) => v?.state === 'error')?.reason;
  }

  const overlays = new Map(); // host -> element, to follow layout changes
  const overlayParts = new WeakMap(); // host -> its status line

  function showStatus(url, text) {
    for (const [host, element] of overlays) {
      if (elements.get(element)?.urls.includes(url)) overlayParts.get(host)?.replaceChildren(text);
    }
  }

  const notMatches = new Set(); // URLs the person said are not theirs: not offered for reporting

  function matchedUrls() {
    return [...verdicts].filter(([url, v]) => v.state === 'match' && !notMatches.has(url)).map(([url]) => url);
  }

  /**
   * The report is recorded: copy its text while this page still has the focus (the tab that
   * opens next takes it), then ask for the report's page. The clipboard API fires no event the
   * page can see; where it is unavailable (plain http) the text waits on the evidence page.
   */
  async function finishReport({ url, recordId, text }) {
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {}
    port?.postMessage({ type: 'open-report', recordId });
    showStatus(url, t(copied ? 'reportCopiedOpened' : 'reportOpened'));
  }

  /** The site's own links for reporting or removal, where its pages have them (at most five). */
  function siteReportLinks() {
    const wanted = /\b(report|abuse|dmca|takedown|take down|removal|remove content|content removal)\b/i;
    const links = [];
    for (const link of document.querySelectorAll('a[href]')) {
      if (!/^https?:$/.test(link.protocol)) continue;
      if (wanted.test(link.textContent) || wanted.test(link.pathname.replace(/[-_/]/g, ' '))) links.push(link.href);
      if (links.length === 5) break;
    }
    return [...new Set(links)];
  }

  function place(element, host) {
    const style = host.style;
    style.setProperty('position', 'absolute', 'important');
    style.setProperty('z-index', '2147483646', 'important');
    style.setProperty('display', 'block', 'important');
    if (element instanceof HTMLElement && element.parentNode) {
      element.after(host);
      position(element, host);
    } else {
      (document.body ?? document.documentElement).append(host);
      position(element, host);
    }
  }

  function position(element, host) {
    let left, top, width, height;
    if (element instanceof HTMLElement) {
      ({ offsetLeft: left, offsetTop: top, offsetWidth: width, offsetHeight: height } = element);
    } else {
      const rect = element.getBoundingClientRect();
      ({ width, height } = rect);
      left = rect.left + scrollX;
      top = rect.top + scrollY;
    }
    host.style.setProperty('left', `${left}px`, 'important');
    host.style.setProperty('top', `${top}px`, 'important');
    host.style.setProperty('width', `${Math.max(width, 160)}px`, 'important');
    host.style.setProperty('height', `${Math.max(height, 90)}px`, 'important');
  }

  let repositionScheduled = false;
  function repositionOverlays() {
    if (repositionScheduled) return;
    repositionScheduled = true;
    requestAnimationFrame(() => {
      repositionScheduled = false;
      for (const [host, element] of overlays) {
        if (!host.isConnected || !element.isConnected) {
          overlays.delete(host);
          host.remove();
        } else {
          position(element, host);
        }
      }
    });
  }
  addEventListener('resize', repositionOverlays, { passive: true });
  new ResizeObserver(repositionOverlays).observe(document.documentElement);

  function showPageNotice(messageKey) {
    const show = () => {
      const host = document.createElement('div');
      const root = host.attachShadow({ mode: 'closed' });
      // Sized by its words, unlike the panels, which take their image's box.
      root.innerHTML = `<style>${OVERLAY_CSS}
        :host { container-type: normal; }
        .veil { height: auto; box-shadow: 0 2px 10px rgba(0,0,0,.25); }</style>` +
        html`<div class="veil" role="alert" dir="${t('@@bidi_dir')}" lang="${t('@@ui_locale').replace('_', '-')}"><p>${t(messageKey)}</p>
          <div class="actions"><button data-act="dismiss">${t('dismiss')}</button></div></div>`;
      root.addEventListener('click', (event) => {
        if (event.target.closest?.('button')) host.remove();
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

  // ---- Settings changes from the popup or options page --------------------------------------

  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.settings && port) {
      // The background re-evaluates this frame on a fresh connection.
      port.disconnect();
      hello = null;
      connect();
    }
  });

  // ---- Start ---------------------------------------------------------------------------------

  observe(document);
  if (document.documentElement) enqueue(document.documentElement);
  connect();
})();
