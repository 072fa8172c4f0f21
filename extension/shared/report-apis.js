// Sending a report straight to a platform's moderators, where the platform has an open reporting
// API and the person has connected their own account: Bluesky (com.atproto.moderation.createReport
// with the NCII reason, or the deepfake reason when the person says the image is fake) and Mastodon
// (POST /api/v1/reports, category `legal` on servers from 4.2). Nothing here runs on its own: each
// call follows a click. Credentials stay in extension storage until the person disconnects;
// Bluesky's app password is used once to open a session and is never stored.

import { t } from './i18n.js';
import { KEYS } from './settings.js';

// Bluesky's moderation service, which receives reports made through any Bluesky server.
const BLUESKY_MODERATION = 'did:plc:ar7c4by46qjdydhdevvrndac#atproto_labeler';
const BLUESKY_NCII_REASON = 'tools.ozone.report.defs#reasonSexualNCII';
const BLUESKY_DEEPFAKE_REASON = 'tools.ozone.report.defs#reasonSexualDeepfake';
const MASTODON_SCOPES = 'read:search write:reports';
const MASTODON_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';
// Mastodon limits a report's comment to 1,000 characters; Bluesky a reason to 2,000.
const MASTODON_COMMENT_MAX = 1000;
const BLUESKY_REASON_MAX = 2000;
const TIMEOUT_MS = 15_000;

/** A platform's refusal, in its own words, with its error code and HTTP status where it gave them. */
export class ApiError extends Error {
  /** @type {string | undefined} */
  code;
  /** @type {number | undefined} */
  status;
}

/**
 * The accounts the person connected (tokens only; never a password).
 * @typedef {{ service: string, did: string, handle: string, accessJwt: string, refreshJwt: string }} BlueskyAccount
 * @typedef {{ server: string, clientId: string, clientSecret: string, pending?: boolean, accessToken?: string, acct?: string }} MastodonAccount
 * @typedef {{ bluesky?: BlueskyAccount, mastodon?: MastodonAccount }} Accounts
 */

/** @returns {Promise<Accounts>} */
export async function loadAccounts() {
  const { [KEYS.accounts]: accounts = {} } = await chrome.storage.local.get(KEYS.accounts);
  return accounts;
}

async function saveAccount(kind, account) {
  const accounts = await loadAccounts();
  if (account) accounts[kind] = account;
  else delete accounts[kind];
  await chrome.storage.local.set({ [KEYS.accounts]: accounts });
}

/**
 * A JSON call; throws ApiError with the server's own words when it says no.
 * @param {string} url
 * @param {{ method?: string, token?: string, json?: object, form?: Record<string, string>, headers?: Record<string, string> }} [options]
 * @returns {Promise<any>}
 */
async function call(url, { method = 'GET', token, json, form, headers = {} } = {}) {
  /** @type {RequestInit & { headers: Record<string, string> }} */
  const init = { method, credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS), headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (json) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (form) {
    init.body = new URLSearchParams(form);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(`${new URL(url).host}: ${error.message}`);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new ApiError(body.message || body.error_description || body.error || `${response.status} ${response.statusText}`);
    error.code = body.error;
    error.status = response.status;
    throw error;
  }
  return body;
}

/** `https://host` from what a person types (`host`, `https://host/`, `@user@host`). */
export function serverOrigin(typed) {
  const text = typed.trim().replace(/^@?[^@\s/]+@(?=[^@]+$)/, '');
  const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  if (url.protocol !== 'https:') throw new ApiError(t('errHttpsOnly'));
  return url.origin;
}

// ---- Bluesky --------------------------------------------------------------------------------

export async function connectBluesky(service, identifier, appPassword) {
  const origin = serverOrigin(service);
  const session = await call(`${origin}/xrpc/com.atproto.server.createSession`, {
    method: 'POST', json: { identifier: identifier.trim().replace(/^@/, ''), password: appPassword },
  });
  const account = { service: origin, did: session.did, handle: session.handle, accessJwt: session.accessJwt, refreshJwt: session.refreshJwt };
  await saveAccount('bluesky', account);
  return account;
}

export async function disconnectBluesky() {
  const { bluesky } = await loadAccounts();
  await saveAccount('bluesky', null);
  // Ending the session on the server too; the account is forgotten here either way.
  if (bluesky) await call(`${bluesky.service}/xrpc/com.atproto.server.deleteSession`, { method: 'POST', token: bluesky.refreshJwt }).catch(() => {});
}

/** An authenticated Bluesky call, refreshing the short-lived session once if it expired. */
async function blueskyCall(path, options) {
  let { bluesky } = await loadAccounts();
  if (!bluesky) throw new ApiError(t('errNoAccount', 'Bluesky'));
  try {
    return await call(`${bluesky.service}${path}`, { ...options, token: bluesky.accessJwt });
  } catch (error) {
    if (error.code !== 'ExpiredToken' && error.status !== 401) throw error;
    const fresh = await call(`${bluesky.service}/xrpc/com.atproto.server.refreshSession`, { method: 'POST', token: bluesky.refreshJwt });
    bluesky = { ...bluesky, accessJwt: fresh.accessJwt, refreshJwt: fresh.refreshJwt };
    await saveAccount('bluesky', bluesky);
    return call(`${bluesky.service}${path}`, { ...options, token: bluesky.accessJwt });
  }
}

/** What a bsky.app address points at: a post (`{actor, rkey}`) or an account (`{actor}`). */
export function blueskySubjectOf(pageUrl) {
  const match = new URL(pageUrl).pathname.match(/^\/profile\/([^/]+)(?:\/post\/([^/]+))?/);
  return match ? { actor: decodeURIComponent(match[1]), rkey: match[2] } : null;
}

/**
 * Reports the post (or account) at `pageUrl` to Bluesky's moderators as NCII, or as a sexual
 * deepfake when the person says the image is fake; returns the report id.
 */
export async function reportToBluesky(pageUrl, text, { fake = false } = {}) {
  const target = blueskySubjectOf(pageUrl);
  if (!target) throw new ApiError(t('errNotBlueskyPost'));
  const did = target.actor.startsWith('did:')
    ? target.actor
    : (await blueskyCall(`/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(target.actor)}`)).did;
  /** @type {object} */
  let subject = { $type: 'com.atproto.admin.defs#repoRef', did };
  if (target.rkey) {
    const uri = `at://${did}/app.bsky.feed.post/${target.rkey}`;
    const { posts = [] } = await blueskyCall(`/xrpc/app.bsky.feed.getPosts?uris=${encodeURIComponent(uri)}`);
    if (!posts[0]?.cid) throw new ApiError(t('errPostNotFound', 'Bluesky'));
    subject = { $type: 'com.atproto.repo.strongRef', uri, cid: posts[0].cid };
  }
  const report = await blueskyCall('/xrpc/com.atproto.moderation.createReport', {
    method: 'POST',
    headers: { 'atproto-proxy': BLUESKY_MODERATION },
    json: { reasonType: fake ? BLUESKY_DEEPFAKE_REASON : BLUESKY_NCII_REASON, reason: [...text].slice(0, BLUESKY_REASON_MAX).join(''), subject },
  });
  return String(report.id);
}

// ---- Mastodon -------------------------------------------------------------------------------

/** Registers Veil with the person's server and returns the page where they allow it. */
export async function startMastodonConnect(server) {
  const origin = serverOrigin(server);
  const app = await call(`${origin}/api/v1/apps`, {
    method: 'POST', form: { client_name: 'Veil', redirect_uris: MASTODON_REDIRECT, scopes: MASTODON_SCOPES },
  });
  await saveAccount('mastodon', { server: origin, clientId: app.client_id, clientSecret: app.client_secret, pending: true });
  const authorize = new URL('/oauth/authorize', origin);
  authorize.search = new URLSearchParams({ response_type: 'code', client_id: app.client_id, redirect_uri: MASTODON_REDIRECT, scope: MASTODON_SCOPES }).toString();
  return authorize.href;
}

/** Exchanges the code the server showed for a token, and names the account. */
export async function finishMastodonConnect(code) {
  const { mastodon } = await loadAccounts();
  if (!mastodon?.pending) throw new ApiError(t('errStartConnect'));
  const token = await call(`${mastodon.server}/oauth/token`, {
    method: 'POST',
    form: { grant_type: 'authorization_code', code: code.trim(), client_id: mastodon.clientId, client_secret: mastodon.clientSecret, redirect_uri: MASTODON_REDIRECT, scope: MASTODON_SCOPES },
  });
  const me = await call(`${mastodon.server}/api/v1/accounts/verify_credentials`, { token: token.access_token });
  const account = { server: mastodon.server, clientId: mastodon.clientId, clientSecret: mastodon.clientSecret, accessToken: token.access_token, acct: me.acct };
  await saveAccount('mastodon', account);
  return account;
}

export async function disconnectMastodon() {
  const { mastodon } = await loadAccounts();
  await saveAccount('mastodon', null);
  if (mastodon?.accessToken) {
    await call(`${mastodon.server}/oauth/revoke`, {
      method: 'POST', form: { client_id: mastodon.clientId, client_secret: mastodon.clientSecret, token: mastodon.accessToken },
    }).catch(() => {});
  }
}

/**
 * The report category for a server running Mastodon `version`: `legal` (illegal content) exists
 * from 4.2; older servers, and compatible servers that report another version, get `other`.
 */
export function mastodonCategory(version) {
  const [, major, minor] = /^(\d+)\.(\d+)/.exec(version ?? '') ?? [];
  return Number(major) > 4 || (Number(major) === 4 && Number(minor) >= 2) ? 'legal' : 'other';
}

/** The category to use on `server`, from the version it publishes (v2 instance API, else v1). */
export async function mastodonReportCategory(server) {
  for (const path of ['/api/v2/instance', '/api/v1/instance']) {
    const instance = await call(`${server}${path}`).catch(() => null);
    if (instance?.version) return mastodonCategory(instance.version);
  }
  return mastodonCategory(null);
}

/**
 * Reports the post at `pageUrl` from the person's own server (which fetches a remote post first)
 * and forwards it to the poster's server; returns the report id.
 */
export async function reportToMastodon(pageUrl, text) {
  const { mastodon } = await loadAccounts();
  if (!mastodon?.accessToken) throw new ApiError(t('errNoAccount', 'Mastodon'));
  const search = new URL('/api/v2/search', mastodon.server);
  search.search = new URLSearchParams({ q: pageUrl, type: 'statuses', resolve: 'true', limit: '1' }).toString();
  const { statuses = [] } = await call(search.href, { token: mastodon.accessToken });
  const status = statuses[0];
  if (!status) throw new ApiError(t('errPostNotFound', 'Mastodon'));
  const category = await mastodonReportCategory(mastodon.server);
  const report = await call(`${mastodon.server}/api/v1/reports`, {
    method: 'POST',
    token: mastodon.accessToken,
    json: { account_id: status.account.id, status_ids: [status.id], comment: text.slice(0, MASTODON_COMMENT_MAX), forward: true, category },
  });
  return String(report.id);
}

/**
 * The sender for a record's platform when the person has connected an account there;
 * `asksIfFake`: the platform has its own reason for a faked image, so the person may say so.
 */
export async function directSender(platformId) {
  const accounts = await loadAccounts();
  if (platformId === 'bluesky' && accounts.bluesky) return { account: `@${accounts.bluesky.handle}`, send: reportToBluesky, asksIfFake: true };
  if (platformId === 'mastodon' && accounts.mastodon?.accessToken) {
    return { account: `@${accounts.mastodon.acct}@${new URL(accounts.mastodon.server).host}`, send: reportToMastodon };
  }
  return null;
}
