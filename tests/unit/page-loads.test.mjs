// While a page loads, how many checks of images not known to be on screen may start (the
// background's page-loads.js, as built): the first screen's allowance, given back by an image its
// frame then says is on screen, and no limit once every page has loaded.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT } from './browser-apis.mjs';

const { checkSeenOnScreen, laterCheckMayStart, notePageLoading, whenPagesLoaded } = await import(join(BUILT, 'background/page-loads.js'));

test('a loading page allows its first checks; one then seen on screen gives its place back', () => {
  const loaded = [];
  whenPagesLoaded(() => loaded.push('all'));
  notePageLoading('tab 1 page', true);
  const started = [];
  for (let i = 0; laterCheckMayStart(`https://a.example/${i}.jpg`); i++) started.push(i);
  assert.equal(started.length, 16, 'the allowance of one loading page');
  checkSeenOnScreen('https://a.example/elsewhere.jpg');
  assert.equal(laterCheckMayStart('https://a.example/next.jpg'), false, 'only a check started on the allowance gives a place back');
  checkSeenOnScreen('https://a.example/3.jpg');
  checkSeenOnScreen('https://a.example/3.jpg');
  assert.equal(laterCheckMayStart('https://a.example/next.jpg'), true, 'its place, once');
  assert.equal(laterCheckMayStart('https://a.example/after.jpg'), false);
  notePageLoading('tab 1 page', false);
  assert.deepEqual(loaded, ['all']);
  assert.equal(laterCheckMayStart('https://a.example/after.jpg'), true, 'no page loading: every check starts');
});
