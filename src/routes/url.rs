//! The host (and path) of a page or image URL, read the way browsers read it. This is the
//! security-relevant part of routing: a look-alike (`evilx.com`, `x.com.evil.net`,
//! `https://x.com@evil.net/`) must never borrow a platform's name.

/// The host and path of an http(s) URL.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ParsedUrl {
    pub host: String,
    pub path: String,
}

/// The host of an `http:` or `https:` URL: lowercase, without userinfo, port or trailing dot.
/// `None` for other schemes, IP-v6 literals, bad ports and hosts with characters no host has.
///
/// It follows browsers (the WHATWG URL standard) where a difference could be used to spoof:
/// tabs and newlines are dropped, `\` ends the host like `/`, the last `@` ends the userinfo,
/// percent-escapes in the host are decoded, and full-width letters and dots are folded to ASCII
/// as IDNA does. Other Unicode is lowercased but not IDNA-mapped (browsers hand us punycode).
pub fn host_of(url: &str) -> Option<String> {
    parse(url).map(|p| p.host)
}

pub(crate) fn parse(url: &str) -> Option<ParsedUrl> {
    let url: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let (scheme, rest) = url.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    // Browsers accept any run of slashes and backslashes after a special scheme.
    let rest = rest.trim_start_matches(['/', '\\']);
    let authority_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let path = tail[..path_end].replace('\\', "/");
    let path = if path.is_empty() { "/".to_string() } else { path };

    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return None;
    }
    let host = match host_port.split_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return None,
        None => host_port,
    };
    let host = normalise_host(host)?;
    Some(ParsedUrl { host, path })
}

/// `host` is `domain` or one of its subdomains (a whole-label suffix, never a string suffix).
pub(crate) fn is_within(host: &str, domain: &str) -> bool {
    match host.strip_suffix(domain) {
        Some("") => true,
        Some(rest) => rest.ends_with('.'),
        None => false,
    }
}

/// A registered-looking domain name: at least two labels and a top-level label that is not a
/// number, so IP addresses and `localhost` are never taken for a Mastodon server.
pub(crate) fn is_domain_name(host: &str) -> bool {
    let mut labels = host.rsplit('.');
    let top = labels.next().unwrap_or("");
    labels.next().is_some() && !top.is_empty() && !top.bytes().all(|b| b.is_ascii_digit())
}

/// Percent-decoding, full-width folding, lowercasing, one trailing dot dropped, then validation.
fn normalise_host(raw: &str) -> Option<String> {
    let decoded = String::from_utf8(percent_decode(raw)).ok()?;
    let folded: String = decoded
        .chars()
        .map(|c| match c {
            '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => '.',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let lower = folded.to_lowercase();
    let host = lower.strip_suffix('.').unwrap_or(&lower);
    let forbidden = |c: char| c.is_control() || c.is_whitespace() || " #%/:<>?@[\\]^|".contains(c);
    if host.is_empty() || host.contains(forbidden) || host.split('.').any(str::is_empty) {
        return None;
    }
    Some(host.to_string())
}

fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_extraction() {
        let host = |u: &str| host_of(u);
        assert_eq!(host("https://www.Reddit.COM/r/pics").as_deref(), Some("www.reddit.com"));
        assert_eq!(host("HTTPS://X.COM/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com:443/jack").as_deref(), Some("x.com"));
        assert_eq!(host("http://x.com:/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com./jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://user:pw@x.com:8443/").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com?q=1").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com#frag").as_deref(), Some("x.com"));
        assert_eq!(host("  https://x.com/jack\n").as_deref(), Some("x.com"));
        assert_eq!(host("https:x.com/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https:///x.com/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x%2Ecom/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://ｘ.ｃｏｍ/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x。com/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://BÜCHER.example/").as_deref(), Some("bücher.example"));
        assert_eq!(host("https://xn--bcher-kva.example/").as_deref(), Some("xn--bcher-kva.example"));

        for bad in [
            "x.com/jack",
            "//x.com/jack",
            "ftp://x.com/",
            "javascript:alert(1)//x.com",
            "data:text/html,x.com",
            "https://",
            "https://x.com:abc/",
            "https://[2001:db8::1]/",
            "https://x..com/",
            "https://.x.com/",
            "https://x.com../",
            "https://x%20.com/",
            "https://x%ff.com/",
            "https://x<y.com/",
            "",
        ] {
            assert_eq!(host(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn userinfo_backslash_and_whitespace_follow_browsers() {
        // The host is what comes after the last `@`.
        assert_eq!(host_of("https://x.com@evil.net/jack").as_deref(), Some("evil.net"));
        assert_eq!(host_of("https://x.com:pass@evil.net/jack").as_deref(), Some("evil.net"));
        assert_eq!(host_of("https://evil.net@x.com/jack").as_deref(), Some("x.com"));
        // A backslash ends the host in browsers: this page is on evil.net.
        assert_eq!(host_of("https://evil.net\\@x.com/jack").as_deref(), Some("evil.net"));
        // Tabs and newlines inside a URL are dropped by browsers.
        assert_eq!(host_of("https://x.c\tom/jack").as_deref(), Some("x.com"));
    }

    #[test]
    fn path_is_kept_without_query_or_fragment() {
        let p = parse("https://x.com/a\\b/c?d=/e#/f").unwrap();
        assert_eq!((p.host.as_str(), p.path.as_str()), ("x.com", "/a/b/c"));
        assert_eq!(parse("https://x.com").unwrap().path, "/");
        assert_eq!(parse("https://x.com?q").unwrap().path, "/");
    }

    #[test]
    fn within_is_a_whole_label_suffix() {
        assert!(is_within("x.com", "x.com"));
        assert!(is_within("pbs.x.com", "x.com"));
        assert!(!is_within("evilx.com", "x.com"));
        assert!(!is_within("x.com.evil.net", "x.com"));
        assert!(!is_within("wpcdn.shift8cdn.com", "t8cdn.com"));
    }

    #[test]
    fn domain_names_exclude_addresses_and_single_labels() {
        assert!(is_domain_name("social.example.org"));
        assert!(!is_domain_name("localhost"));
        assert!(!is_domain_name("192.168.1.5"));
    }
}
