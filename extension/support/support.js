// Where to get help, by country: services that remove or block images, helplines and the places
// to report to the police. The list is services.json (names and addresses are the services' own);
// what each is for is in _locales; country names and weekdays come from the browser (Intl), in
// the person's language. Each entry's source, check date and certainty are in services.json.

import { t, localize } from '../shared/i18n.js';
import { $ } from '../shared/dom.js';
import { ANYWHERE, defaultCountry, servicesFor } from './choose.js';

const language = chrome.i18n.getUILanguage();
const { countries, services } = await fetch(chrome.runtime.getURL('support/services.json')).then((r) => r.json());
localize();

const element = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

// ISO weekday (1 = Monday): 1 January 2024 was a Monday.
const weekday = (day) => new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, day));
const clock = (hhmm) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1, h, m));
};

function days([first, last]) {
  if (first === 1 && last === 7) return t('supportEveryDay');
  return first === last ? weekday(first) : t('supportDays', weekday(first), weekday(last));
}

/** "Open: Monday to Friday 10:00–16:00", with chat times after; null when not known. */
function hoursText(service) {
  if (service.hours === 'always') return t('supportAlwaysOpen');
  if (!service.hours) return null;
  const slots = (by) => service.hours.filter((h) => (h.by ?? 'phone') === by).map((h) => `${days(h.days)} ${clock(h.from)}–${clock(h.to)}`).join('; ');
  const lines = [t('supportHours', slots('phone'))];
  if (service.hours.some((h) => h.by === 'chat')) lines.push(t('supportHoursChat', slots('chat')));
  if (service.closedOnHolidays) lines.push(t('supportClosedOnHolidays'));
  return lines.join(' ');
}

function card(service) {
  const heading = element('h2', {}, service.url ? element('a', { href: service.url, target: '_blank', rel: 'noreferrer', textContent: service.name }) : service.name);
  const item = element('li', { className: 'record' }, heading, element('p', { className: 'for', textContent: `${t(service.who)} ${t(service.images)}` }), element('p', { textContent: t(service.about) }));
  item.dataset.service = service.id;
  const hours = hoursText(service);
  if (hours) item.append(element('p', { className: 'hours', textContent: hours }));
  if (service.phone) {
    item.append(element('p', {}, `${t('supportPhone')} `, element('a', { href: `tel:${service.phone.replace(/[^\d+]/g, '')}`, textContent: service.phone })));
  }
  return item;
}

/** The hint above the list: choose a country; or hours are local; or this country has no service of its own. */
function hint(country, listed) {
  if (country === ANYWHERE) return t('supportChooseCountry');
  return listed.some((s) => !s.countries.includes(ANYWHERE)) ? t('supportHoursLocal') : t('supportNoLocalService');
}

function render(country) {
  const listed = servicesFor(country, services);
  $('services').replaceChildren(...listed.map(card));
  $('country-hint').textContent = hint(country, listed);
}

// Countries by their name in the person's language; the browser's languages choose one, and the
// person can change it.
const regionName = new Intl.DisplayNames([language], { type: 'region' });
const named = countries.map((code) => [code, regionName.of(code)]).sort((a, b) => a[1].localeCompare(b[1], language));
$('country').append(...named.map(([code, name]) => element('option', { value: code, textContent: name })));
$('country').value = defaultCountry([...navigator.languages, language], countries);
$('country').addEventListener('change', () => render($('country').value));
render($('country').value);
document.body.dataset.ready = 'true';
