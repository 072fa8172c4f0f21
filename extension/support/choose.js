// Which services the support page shows: the country the browser's languages point to (a region
// in the locale, or the one a language is most spoken in), or "anywhere", and the services for it.

export const ANYWHERE = '*';

/** The first of `languages` (BCP 47 tags) whose region is one of `countries`, or ANYWHERE. */
export function defaultCountry(languages, countries) {
  for (const tag of languages) {
    let region;
    try {
      region = new Intl.Locale(tag).maximize().region;
    } catch {
      continue; // not a language tag
    }
    if (countries.includes(region)) return region;
  }
  return ANYWHERE;
}

/** The services for `country`: the country's own first, then the ones open to anyone anywhere. */
export function servicesFor(country, services) {
  const local = country === ANYWHERE ? [] : services.filter((s) => s.countries.includes(country));
  return [...local, ...services.filter((s) => s.countries.includes(ANYWHERE))];
}
