// How many decoding workers a machine gets (pipeline/pool.js): one a core, leaving the page one,
// and no more than MAX_WORKERS (each holds its own wasm and a decoded image).

const MAX_WORKERS = 4;

/** @param {number | undefined} cores  `navigator.hardwareConcurrency` (absent in some browsers: 2 assumed) */
export const workersFor = (cores) => Math.max(1, Math.min(MAX_WORKERS, (cores || 2) - 1));
