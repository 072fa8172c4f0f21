// hide.js: the mark that lets a cleared element paint (hide.css hides every candidate without it),
// and Veil's own inline rule for elements whose page style would beat the hiding rules.
'use strict';

const OK = 'data-veil-ok';
const revealedByVeil = new WeakSet();

function reveal(element) {
  revealedByVeil.add(element);
  unguard(element);
  element.setAttribute(OK, '');
}

function conceal(element) {
  revealedByVeil.delete(element);
  element.removeAttribute(OK);
  guard(element);
}

/** Only Veil may mark an image cleared: a mark the page set itself is removed before a paint. */
function undoForgedMark(element) {
  if (element.hasAttribute(OK) && !revealedByVeil.has(element)) element.removeAttribute(OK);
}

// The page's own inline `!important` beats Veil's manifest rules, which Chromium injects at
// author level; the user-level copy reaches a new frame only after a round trip to the
// background. Until Veil reveals such an element, its own inline rule holds it hidden
// (re-asserted whenever the page rewrites the style), and the page's value comes back after.
const guarded = new WeakMap(); // element -> the page's inline visibility {value, priority}

function overridesHiding(style) {
  const visibility = style.getPropertyPriority('visibility') === 'important' && style.getPropertyValue('visibility') !== 'hidden';
  const background = style.getPropertyPriority('background-image') === 'important' && style.backgroundImage.includes('url(');
  return visibility || background;
}

function guard(element) {
  const style = element.style;
  if (!style || revealedByVeil.has(element) || !element.matches(CANDIDATES) || !overridesHiding(style)) return;
  const value = style.getPropertyValue('visibility');
  const priority = style.getPropertyPriority('visibility');
  if (value === 'hidden' && priority === 'important') return; // already held (no mutation loop)
  guarded.set(element, { value, priority });
  style.setProperty('visibility', 'hidden', 'important');
}

const FORCED_STYLE = '[style*="important" i]';
function guardSubtree(node) {
  if (node.matches(FORCED_STYLE)) guard(node);
  for (const element of node.querySelectorAll(FORCED_STYLE)) guard(element);
}

function unguard(element) {
  const original = guarded.get(element);
  if (!original) return;
  guarded.delete(element);
  if (original.value) element.style.setProperty('visibility', original.value, original.priority);
  else element.style.removeProperty('visibility');
}
