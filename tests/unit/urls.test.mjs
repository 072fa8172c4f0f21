// Reading hosts out of addresses, and the session rules' exact-address condition.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BUILT } from './browser-apis.mjs';

let urls, rules;
before(async () => {
  urls = await import(join(BUILT, 'shared/urls.js'));
  rules = await import(join(BUILT, 'background/session-rules.js'));
});

test('hosts: web pages only for webHostOf; nothing for what is not an address', () => {
  assert.equal(urls.hostOf('https://User:pw@Sub.Example.COM:8443/a?b#c'), 'sub.example.com');
  assert.equal(urls.hostOf('not a url'), '');
  assert.equal(urls.webHostOf('https://example.com/x'), 'example.com');
  assert.equal(urls.webHostOf('chrome://extensions'), '');
  assert.equal(urls.webHostOf('moz-extension://abc/options.html'), '');
  assert.equal(urls.webHostOf(''), '');
});

test('a rule matches one address exactly, its wildcard characters taken literally', () => {
  assert.deepEqual(rules.exactly('https://cdn.example/a.jpg?w=1'), { urlFilter: '|https://cdn.example/a.jpg?w=1|' });
  const { regexFilter } = rules.exactly('https://cdn.example/a*b^c|d.jpg');
  const pattern = new RegExp(regexFilter);
  assert.ok(pattern.test('https://cdn.example/a*b^c|d.jpg'));
  assert.ok(!pattern.test('https://cdn.example/aXXb^c|d.jpg'));
  assert.ok(!pattern.test('https://cdn.example/a*b^c|d.jpg.evil'));
  assert.notEqual(rules.nextRuleId(), rules.nextRuleId());
});
