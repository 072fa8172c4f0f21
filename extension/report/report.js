// Veil's report page, opened by Report: the ready report text, and either
// - for a platform where the person connected an account: sending the report to its moderators
//   now (one more click), beside the platform's own route; or
// - for a site with no known route: the contacts Veil can find, asked only now that the person
//   has clicked Report: the site's own report links, its security.txt (RFC 9116), its registrar's
//   abuse desk (RDAP) and its CDN. Each answer is read by the core (contacts.rs), which drops
//   redacted placeholder addresses.

import { PAGE_REQUEST } from '../protocol.js';
import { ask } from '../shared/ask.js';
import { reportText } from '../shared/evidence.js';
import { hostOf } from '../shared/urls.js';
import { t, localize } from '../shared/i18n.js';
import { directSender } from '../shared/report-apis.js';
import { readEvidence } from '../shared/store.js';
import { rdapBase, rdapDomainCandidates, rdapRegistrarAbuse, reportRoute, securityTxtContacts, wasmReady } from '../shared/wasm.js';
import { $ } from '../shared/dom.js';

const RDAP_BOOTSTRAP = 'https://data.iana.org/rdap/dns.json';
// Cloudflare's abuse form has a category for non-consensual intimate imagery.
const CLOUDFLARE_ABUSE = 'https://abuse.cloudflare.com/';
const LOOKUP_TIMEOUT_MS = 10_000;

localize();
await wasmReady();

const id = new URLSearchParams(location.search).get('record');
// Reports are made while Veil is unlocked; a page reopened after a restart may find it locked.
const record = await readEvidence().then((log) => log.find((r) => r.id === id), () => null);

/** A GET (or HEAD) that sends no cookies and gives up after a while; null when it fails. */
async function lookup(url, init = {}) {
  try {
    return await fetch(url, { credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS), ...init });
  } catch {
    return null;
  }
}

function isCloudflare(response) {
  return response?.headers.has('cf-ray') || /cloudflare/i.test(response?.headers.get('server') ?? '');
}

function addContact(kind, href, text, note) {
  const item = document.createElement('li');
  const label = Object.assign(document.createElement('strong'), { textContent: `${t(kind)}: ` });
  const link = Object.assign(document.createElement('a'), { href, textContent: text, rel: 'noreferrer' });
  if (!href.startsWith('mailto:')) link.target = '_blank';
  item.dataset.kind = kind;
  item.append(label, link);
  if (note) item.append(Object.assign(document.createElement('div'), { className: 'lead', textContent: note }));
  $('contacts').append(item);
}

/** A `mailto:` link with the subject and the report text filled in. */
function mailto(address, host, text) {
  const params = new URLSearchParams({ subject: t('mailSubject', host), body: text });
  return `${address.split('?')[0]}?${params.toString().replaceAll('+', '%20')}`;
}

async function securityTxt(origin) {
  const response = await lookup(`${origin}/.well-known/security.txt`);
  const plain = response?.ok && /^text\/plain/i.test(response.headers.get('content-type') ?? '');
  return { contacts: plain ? securityTxtContacts(await response.text()) : [], cloudflare: isCloudflare(response) };
}

async function registrarAbuse(host) {
  const candidates = rdapDomainCandidates(host);
  if (candidates.length === 0) return null;
  const bootstrap = await lookup(RDAP_BOOTSTRAP);
  if (!bootstrap?.ok) return null;
  const registry = await bootstrap.text();
  for (const domain of candidates) {
    const base = rdapBase(registry, domain);
    if (!base) continue;
    const answer = await lookup(`${base}domain/${domain}`, { headers: { accept: 'application/rdap+json' } });
    if (answer?.ok) return { domain, ...rdapRegistrarAbuse(await answer.text()) };
  }
  return null;
}

async function findContacts(text) {
  $('contacts-section').hidden = false;
  const host = record.site;
  $('lookup-status').textContent = t('lookingUp', host);
  for (const link of record.siteLinks ?? []) addContact('contactSiteLink', link, link);

  const imageHost = hostOf(record.imageUrl);
  const [site, image, registrar] = await Promise.all([
    securityTxt(new URL(record.pageUrl).origin),
    imageHost && imageHost !== host ? lookup(record.imageUrl, { method: 'HEAD' }) : null,
    registrarAbuse(host),
  ]);
  for (const contact of site.contacts) {
    addContact('contactSecurityTxt', contact.startsWith('mailto:') ? mailto(contact, host, text) : contact, contact.replace(/^mailto:/, ''));
  }
  if (registrar) {
    const note = t('registrarNote', registrar.registrar ?? '?', registrar.domain);
    for (const email of registrar.emails) addContact('contactRegistrar', mailto(email, host, text), email.replace(/^mailto:/, ''), note);
    for (const phone of registrar.phones) addContact('contactRegistrarPhone', phone, phone.replace(/^tel:/, ''), note);
  }
  if (site.cloudflare || isCloudflare(image)) addContact('contactCloudflare', CLOUDFLARE_ABUSE, CLOUDFLARE_ABUSE, t('cloudflareNote'));

  const found = $('contacts').children.length;
  $('lookup-status').textContent = found ? t('contactsFound', String(found)) : t('contactsNone', host);
}

/** A known platform: its route, and sending directly when an account is connected. */
async function offerPlatform(text) {
  $('lead').textContent = t('reportPageLeadPlatform', record.platform);
  $('route-section').hidden = false;
  $('route-link').href = record.routeUrl;
  $('route-notes').textContent = reportRoute(record.pageUrl, record.imageUrl)?.route.notes ?? '';
  const sender = await directSender(record.platformId);
  if (!sender) return;
  $('direct-section').hidden = false;
  $('direct-explain').textContent = t('directExplain', record.platform, sender.account);
  const button = $('send-direct');
  button.textContent = t('sendDirect', record.platform);
  button.addEventListener('click', async () => {
    button.disabled = true;
    $('direct-status').textContent = t('sending');
    try {
      const id = await sender.send(record.pageUrl, text);
      await ask(PAGE_REQUEST.evidenceUpdate, { id: record.id, changes: { status: 'reported', ticket: id } });
      $('direct-status').textContent = t('sentDirect', record.platform, id);
    } catch (error) {
      button.disabled = false;
      $('direct-status').textContent = t('sendFailed', error.message);
    }
  });
}

if (!record) {
  $('lead').textContent = t('reportRecordMissing');
} else {
  const text = reportText([record]);
  $('lead').textContent = t('reportPageLead', record.site);
  $('report-text').value = text;
  $('copy').addEventListener('click', async () => {
    await navigator.clipboard.writeText(text);
    $('status').textContent = t('reportTextCopied');
  });
  $('mark-reported').addEventListener('click', async () => {
    await ask(PAGE_REQUEST.evidenceUpdate, { id: record.id, changes: { status: 'reported' } });
    $('status').textContent = t('markedReported');
  });
  if (record.routeUrl) await offerPlatform(text);
  else await findContacts(text);
}
document.body.dataset.ready = 'true';
