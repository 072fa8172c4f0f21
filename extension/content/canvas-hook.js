// Chromium only, in the page's own world, before the page's scripts: tells Veil's content script
// which image a canvas is about to show, so the canvas is held before the frame that paints it
// (Firefox decides a canvas source's bytes at the network instead). Drawing is synchronous and
// changes nothing: each (canvas, image address) pair is announced once, on the canvas element,
// under a name made up for this page, carrying only the address the page itself drew. Each hook
// is a Proxy of the browser's own function, so the page sees the same function (source native,
// name and length).
(() => {
  // The browser's own classes, taken before the page's scripts run.
  const { HTMLImageElement, HTMLCanvasElement, SVGImageElement, CustomEvent, URL } = globalThis;
  // This page's name for the announcement, told once to Veil's content script (find.js) before
  // any of the page's scripts runs.
  const announcement = [...crypto.getRandomValues(new Uint8Array(12))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  document.dispatchEvent(new CustomEvent('veil-hook', { detail: `canvas-image ${announcement}` }));
  const drawn = new WeakMap(); // canvas -> addresses drawn into it, passed on when it is drawn itself

  function addressOf(source) {
    if (source instanceof HTMLImageElement) return source.currentSrc || source.src;
    if (source instanceof SVGImageElement) return source.href.baseVal ? new URL(source.href.baseVal, document.baseURI).href : '';
    return '';
  }

  function announce(canvas, source) {
    if (!(canvas instanceof HTMLCanvasElement)) return;
    const addresses = source instanceof HTMLCanvasElement ? [...drawn.get(source) ?? []] : [addressOf(source)];
    if (!drawn.has(canvas)) drawn.set(canvas, new Set());
    const known = drawn.get(canvas);
    for (const address of addresses) {
      if (!address || known.has(address)) continue;
      known.add(address);
      canvas.dispatchEvent(new CustomEvent(announcement, { detail: address }));
    }
  }

  function hook(prototype, name, canvasOf, sourceOf) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (!descriptor) return;
    const hooked = new Proxy(descriptor.value, {
      apply(target, context, args) {
        try {
          announce(canvasOf(context), sourceOf(args));
        } catch {
          // Never in the page's way: an odd call is drawn as the browser would.
        }
        return Reflect.apply(target, context, args);
      },
    });
    Object.defineProperty(prototype, name, { ...descriptor, value: hooked });
  }

  const firstArgument = (args) => args[0];
  // texImage2D / texSubImage2D take the source last, after the numbers.
  const lastArgument = (args) => args.at(-1);
  const canvasOfContext = (context) => context?.canvas;
  hook(CanvasRenderingContext2D.prototype, 'drawImage', canvasOfContext, firstArgument);
  hook(CanvasRenderingContext2D.prototype, 'createPattern', canvasOfContext, firstArgument);
  for (const gl of [globalThis.WebGLRenderingContext, globalThis.WebGL2RenderingContext]) {
    if (!gl) continue;
    hook(gl.prototype, 'texImage2D', canvasOfContext, lastArgument);
    hook(gl.prototype, 'texSubImage2D', canvasOfContext, lastArgument);
  }
})();
