// What a page itself can see of Veil: when each image got its verdict. Cleared: Veil marks it
// data-veil-ok. Hidden: Veil puts its panel (a div) right after it. Loaded before any image exists,
// so no verdict is missed. Used by the demo feed (scripts/demo.mjs) and make bench-perf's feeds.
// window.verdicts: image id -> {at: performance.now(), hidden}; window.onVerdict(image, hidden),
// if the page sets it, hears of each one.
window.verdicts = {};
new MutationObserver((changes) => {
  const record = (image, hidden) => {
    if (window.verdicts[image.id]) return;
    window.verdicts[image.id] = { at: performance.now(), hidden };
    window.onVerdict?.(image, hidden);
  };
  for (const change of changes) {
    if (change.type === 'attributes') {
      if (change.target.hasAttribute('data-veil-ok')) record(change.target, false);
      continue;
    }
    for (const node of change.addedNodes) {
      const before = node.previousElementSibling;
      if (node.localName === 'div' && before?.localName === 'img') record(before, true);
    }
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-veil-ok'] });
