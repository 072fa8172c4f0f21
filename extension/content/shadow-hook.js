// Runs in the page's own world, before the page's scripts: tells Veil's content script the moment
// the page opens a shadow root, so images inside it are hidden and checked before they are painted
// (mutation observers do not see a shadow root being attached). It carries no data: the event only
// says "look here".
(() => {
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    this.dispatchEvent(new Event('veil-shadow-root'));
    return root;
  };
})();
