// Small statistics and formatting shared by make bench-perf's parts.

const sortNumbers = (xs) => [...xs].sort((a, b) => a - b);

/** Linear interpolation between the closest ranks (as scripts/demo.mjs); NaN for no samples. */
export function quantile(xs, q) {
  if (!xs.length) return NaN;
  const sorted = sortNumbers(xs);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + ((sorted[low + 1] ?? sorted[low]) - sorted[low]) * (at - low);
}
export const median = (xs) => quantile(xs, 0.5);
export const fixed = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const step = (what) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${what}`);
