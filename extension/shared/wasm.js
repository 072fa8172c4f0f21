// Loads Veil's wasm core once per extension context (background, options page).
import init, { limits as wasmLimits } from '../wasm/veil.js';

let ready;
export function wasmReady() {
  ready ??= init();
  return ready;
}

let limits = null;
/**
 * The quality gate and the limits every page image must pass, as the core defines them
 * (src/limits.rs): the extension keeps no copy of its own.
 * @returns {Promise<{minQuality: number, iconSide: number, maxBytes: number, maxPixels: number, maxSide: number, headerBytes: number}>}
 */
export async function coreLimits() {
  await wasmReady();
  limits ??= Object.freeze(wasmLimits());
  return limits;
}
export * from '../wasm/veil.js';
