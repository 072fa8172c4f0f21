// Runs in the page's own world, before the page's scripts: tells Veil's content script the moment
// the page opens a shadow root, so images inside it are hidden and checked before they are painted
// (mutation observers do not see a shadow root being attached). It carries no data: the event only
// says "look here". The hook is a Proxy of the browser's own function, so the page sees the same
// function (its source reads as native code, its name and length unchanged).
(() => {
  const attachShadow = Element.prototype.attachShadow;
  const hooked = new Proxy(attachShadow, {
    apply(target, element, args) {
      const root = Reflect.apply(target, element, args);
      element.dispatchEvent(new Event('veil-shadow-root'));
      return root;
    },
  });
  Object.defineProperty(Element.prototype, 'attachShadow', { ...Object.getOwnPropertyDescriptor(Element.prototype, 'attachShadow'), value: hooked });
})();
