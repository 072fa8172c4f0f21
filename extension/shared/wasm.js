// Loads Veil's wasm core once per extension context (background, options page).
import init from '../wasm/veil.js';

let ready;
export function wasmReady() {
  ready ??= init();
  return ready;
}
export * from '../wasm/veil.js';
