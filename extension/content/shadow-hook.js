// Runs in the page's own world, before the page's scripts: tells Veil's content script the moment
// the page opens a shadow root, so images inside it are hidden and checked before they are painted
// (mutation observers do not see a shadow root being attached). It carries no data: the event, named
// anew on each page, only says "look here". The hook is a Proxy of the browser's own function, so the page sees the same
// function (its source reads as native code, its name and length unchanged).
(() => {
  // This page's name for the announcement, told once to Veil's content script (find.js) before
  // any of the page's scripts runs.
  const announcement = [...crypto.getRandomValues(new Uint8Array(12))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  document.dispatchEvent(new CustomEvent('veil-hook', { detail: `shadow-root ${announcement}` }));
  const attachShadow = Element.prototype.attachShadow;
  const hooked = new Proxy(attachShadow, {
    apply(target, element, args) {
      const root = Reflect.apply(target, element, args);
      element.dispatchEvent(new Event(announcement));
      return root;
    },
  });
  Object.defineProperty(Element.prototype, 'attachShadow', { ...Object.getOwnPropertyDescriptor(Element.prototype, 'attachShadow'), value: hooked });
})();
