// Small DOM helpers for Veil's own pages.

/**
 * The element with this id on a Veil page. Typed loosely on purpose: which control an id names
 * is the page's HTML, which the type checker cannot see.
 * @param {string} id
 * @returns {any}
 */
export const $ = (id) => document.getElementById(id);
