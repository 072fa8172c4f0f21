// The evidence log's shapes and the report text a person pastes into a platform's form or an
// e-mail (the exports are evidence-export.js). A record holds addresses, times and a distance;
// never the image.

import { t } from './i18n.js';
import { hostOf } from './urls.js';

export const EVIDENCE_FORMAT = 'veil-evidence-log';
export const EVIDENCE_VERSION = 1;

/** Where a report stands; the person moves it along from the evidence page. */
export const STATUSES = Object.freeze(['recorded', 'reported', 'removed', 'refused']);

/** Fields the person may change on a record (everything else is what Veil saw). */
export const EDITABLE = Object.freeze(['status', 'ticket', 'reply']);

/** A new record for a matched image on a page. */
export function newRecord({ pageUrl, frameUrl, imageUrl, distance, route, siteLinks }) {
  const host = hostOf(pageUrl);
  return {
    id: crypto.randomUUID(),
    recordedAt: new Date().toISOString(),
    pageUrl,
    ...(frameUrl && frameUrl !== pageUrl ? { frameUrl } : {}),
    imageUrl,
    site: host,
    distance: distance ?? null,
    platform: route?.route.name ?? null,
    platformId: route?.platform ?? null,
    routeUrl: route?.route.reportUrl ?? null,
    siteLinks: siteLinks ?? [],
    status: 'recorded',
    ticket: '',
    reply: '',
    updatedAt: null,
  };
}

/** `2026-11-28 21:04 UTC`: the same for the person, the platform and a court, whatever the zone. */
export function utcTime(iso) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The report text for the images recorded on one page (one record or several). */
export function reportText(records) {
  const [first] = records;
  return t('reportText', first.pageUrl, records.map((r) => r.imageUrl).join('\n'), utcTime(first.recordedAt));
}
