// Where to get help, by country: services that remove or block images, and helplines. Names and
// addresses are the services' own; what each is for is in _locales. Checked 2026-11-28 against
// each service's own site (see docs/routes.md).

import { t, localize } from '../shared/i18n.js';
import { $ } from '../shared/dom.js';

// Names are the services' own and are not translated.
const SERVICES = [
  { name: 'StopNCII.org', url: 'https://stopncii.org/', countries: ['*'], about: 'serviceStopNcii' },
  { name: 'Take It Down (NCMEC)', url: 'https://takeitdown.ncmec.org/', countries: ['*'], about: 'serviceTakeItDown' },
  { name: 'Revenge Porn Helpline', url: 'https://revengepornhelpline.org.uk/', phone: '0345 6000 459', countries: ['GB'], about: 'serviceRph' },
  { name: 'Report Harmful Content', url: 'https://reportharmfulcontent.com/', countries: ['GB'], about: 'serviceRhc' },
  { name: 'Cyber Civil Rights Initiative', url: 'https://cybercivilrights.org/ccri-safety-center/', countries: ['US'], about: 'serviceCcri' },
  { name: 'eSafety Commissioner', url: 'https://www.esafety.gov.au/report/image-based-abuse', countries: ['AU'], about: 'serviceEsafety' },
];

localize();

function render(country) {
  const shown = SERVICES.filter((s) => s.countries.includes('*') || country === '*' || s.countries.includes(country));
  $('services').replaceChildren(...shown.map((service) => {
    const item = document.createElement('li');
    item.className = 'record';
    const heading = document.createElement('h2');
    heading.append(Object.assign(document.createElement('a'), { href: service.url, target: '_blank', rel: 'noreferrer', textContent: service.name }));
    item.append(heading, Object.assign(document.createElement('p'), { textContent: t(service.about) }));
    if (service.phone) {
      const phone = document.createElement('p');
      phone.append(`${t('supportPhone')} `, Object.assign(document.createElement('a'), { href: `tel:${service.phone.replaceAll(' ', '')}`, textContent: service.phone }));
      item.append(phone);
    }
    return item;
  }));
}

// The browser's language says where the person probably is; they can change it.
const region = new Intl.Locale(navigator.language).maximize().region;
$('country').value = [...$('country').options].some((o) => o.value === region) ? region : '*';
$('country').addEventListener('change', () => render($('country').value));
render($('country').value);
document.body.dataset.ready = 'true';
