// The one place JavaScript reads a host out of an address (the core's routes parse their own).

/** The host name of `url`, or '' when it is not an absolute URL. */
export function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** The host of a web page, or '' for browser and extension pages (which have no site to switch). */
export function webHostOf(url) {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? hostname : '';
  } catch {
    return '';
  }
}
