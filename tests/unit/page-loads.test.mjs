// While a page loads, how many checks of images not known to be on screen may start (the
// background's page-loads.js, as built): the first screen's allowance per page that starts loading,
// and no limit once every page has loaded.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT } from './browser-apis.mjs';

const { laterCheckMayStart, notePageLoading, whenPagesLoaded } = await import(join(BUILT, 'background/page-loads.js'));

test('a loading page allows its first checks, the rest wait for its load', () => {
  const loaded = [];
  whenPagesLoaded(() => loaded.push('all'));
  assert.equal(laterCheckMayStart(), true, 'no page loading');
  notePageLoading('tab 1 page', true);
  let started = 0;
  while (laterCheckMayStart()) started++;
  assert.equal(started, 16, 'the allowance of one loading page');
  notePageLoading('tab 2 page', true);
  notePageLoading('tab 2 page', true); // the same document again (a reconnected port): no more allowance
  started = 0;
  while (laterCheckMayStart()) started++;
  assert.equal(started, 16, 'a second page loading adds its own');
  notePageLoading('tab 2 page', false);
  assert.deepEqual(loaded, [], 'one page still loading');
  assert.equal(laterCheckMayStart(), false);
  notePageLoading('tab 1 page', false);
  assert.deepEqual(loaded, ['all']);
  assert.equal(laterCheckMayStart(), true, 'no page loading: every check starts');
});
