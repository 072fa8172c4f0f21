//! Abuse contacts for sites that are not a known platform. When a match turns up on a site with no
//! reporting route, the person needs somebody to write to: the site's security contact
//! (`/.well-known/security.txt`, RFC 9116) and the abuse contact of the domain's registrar (RDAP,
//! RFC 9083, found through IANA's bootstrap registry, RFC 9224). The extension fetches those files
//! when the person asks; this module only reads them. Registries redact personal data with
//! placeholder addresses ("REDACTED FOR PRIVACY", web forms posing as e-mail): those are dropped,
//! so nobody is told to write to an address that goes nowhere.

use serde::Serialize;
use serde_json::Value;

/// The most labels tried when looking a host's domain up: `a.b.c.example.co.uk` needs four.
const MAX_DOMAIN_CANDIDATES: usize = 4;

/// What RDAP says about a domain's registrar and how to reach its abuse desk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrarAbuse {
    pub registrar: Option<String>,
    /// `mailto:` addresses, placeholders removed.
    pub emails: Vec<String>,
    /// `tel:` numbers as the registry wrote them.
    pub phones: Vec<String>,
}

impl RegistrarAbuse {
    pub fn is_empty(&self) -> bool {
        self.emails.is_empty() && self.phones.is_empty()
    }
}

/// The `Contact:` values of a security.txt file that a person can use: `mailto:` and `https:`
/// URIs (RFC 9116 §2.5.3), in file order, without duplicates or placeholders. Anything that is not
/// a security.txt (an HTML error page served with status 200, say) yields nothing.
pub fn security_txt_contacts(text: &str) -> Vec<String> {
    let mut contacts: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some((field, value)) = line.split_once(':') else {
            continue;
        };
        if !field.trim().eq_ignore_ascii_case("contact") {
            continue;
        }
        let value = value.trim();
        let usable = match value.split_once(':') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mailto") => is_real_email(rest),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => rest.starts_with("//") && rest.len() > 3,
            _ => false,
        };
        if usable && !value.contains(char::is_whitespace) && !contacts.iter().any(|c| c == value) {
            contacts.push(value.to_string());
        }
    }
    contacts
}

/// The names to ask RDAP about for `host`, longest first: registries answer for registered
/// domains only, and without the public-suffix list the registered one is the first that answers.
/// The bare top-level domain is never asked.
pub fn domain_candidates(host: &str) -> Vec<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Vec::new();
    }
    (0..labels.len() - 1).map(|skip| labels[skip..].join(".")).take(MAX_DOMAIN_CANDIDATES).collect()
}

/// The RDAP service for `domain` from IANA's bootstrap file (`dns.json`): the entry with the
/// longest matching label suffix; its first `https` URL, with a trailing slash.
pub fn rdap_base(bootstrap: &Value, domain: &str) -> Option<String> {
    let domain = domain.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for service in bootstrap.get("services")?.as_array()? {
        let (Some(suffixes), Some(urls)) =
            (service.get(0).and_then(Value::as_array), service.get(1).and_then(Value::as_array))
        else {
            continue;
        };
        let Some(url) = urls.iter().filter_map(Value::as_str).find(|u| u.starts_with("https://")) else {
            continue;
        };
        for suffix in suffixes.iter().filter_map(Value::as_str) {
            let suffix = suffix.to_ascii_lowercase();
            let matches = domain == suffix || domain.ends_with(&format!(".{suffix}"));
            if matches && best.is_none_or(|(len, _)| suffix.len() > len) {
                best = Some((suffix.len(), url));
            }
        }
    }
    best.map(|(_, url)| if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

/// The registrar and its abuse contact from an RDAP domain answer. Abuse contacts sit in an
/// entity with the role `abuse`, usually inside the `registrar` entity (ICANN's RDAP profile),
/// sometimes at the top level.
pub fn rdap_registrar_abuse(answer: &Value) -> RegistrarAbuse {
    let mut found = RegistrarAbuse::default();
    let entities = |v: &Value| v.get("entities").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut abuse_entities = Vec::new();
    for entity in entities(answer) {
        if has_role(&entity, "registrar") {
            found.registrar = found.registrar.or_else(|| vcard_values(&entity, "fn").into_iter().next());
            abuse_entities.extend(entities(&entity).into_iter().filter(|e| has_role(e, "abuse")));
        } else if has_role(&entity, "abuse") {
            abuse_entities.push(entity);
        }
    }
    for entity in &abuse_entities {
        for email in vcard_values(entity, "email") {
            let address = email.trim().trim_start_matches("mailto:");
            let uri = format!("mailto:{address}");
            if is_real_email(address) && !found.emails.contains(&uri) {
                found.emails.push(uri);
            }
        }
        for tel in vcard_values(entity, "tel") {
            let tel = tel.trim().to_string();
            if tel.chars().filter(char::is_ascii_digit).count() >= 6 && !found.phones.contains(&tel) {
                found.phones.push(tel);
            }
        }
    }
    found
}

fn has_role(entity: &Value, role: &str) -> bool {
    entity.get("roles").and_then(Value::as_array).is_some_and(|roles| roles.iter().any(|r| r.as_str() == Some(role)))
}

/// Text values of one jCard property (RFC 7095): `["vcard", [[name, params, type, value], …]]`.
fn vcard_values(entity: &Value, property: &str) -> Vec<String> {
    let Some(items) = entity.get("vcardArray").and_then(|v| v.get(1)).and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|item| item.get(0).and_then(Value::as_str) == Some(property))
        .filter_map(|item| item.get(3).and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// A syntactically plain address that is not one of the placeholders registries and privacy
/// services put where a real address was.
pub fn is_real_email(address: &str) -> bool {
    let address = address.split('?').next().unwrap_or("").trim();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c));
    if !plain(local) || !plain(domain) || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return false;
    }
    const PLACEHOLDERS: [&str; 10] = [
        "redacted",
        "privacy",
        "withheld",
        "notdisclosed",
        "not.disclosed",
        "gdpr",
        "placeholder",
        "pleasequery",
        "contactprivacy",
        "whoisguard",
    ];
    let lower = address.to_ascii_lowercase();
    let reserved =
        ["example.com", "example.org", "example.net", "invalid"].iter().any(|d| domain.eq_ignore_ascii_case(d));
    !reserved && !PLACEHOLDERS.iter().any(|p| lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn security_txt_keeps_usable_contacts_in_order() {
        let text = "# Our security policy\r\nContact: mailto:security@pics.example\r\n\
                    contact: https://pics.example/report\nContact: tel:+1-201-555-0123\n\
                    Contact: mailto:security@pics.example\nExpires: 2027-01-01T00:00:00Z\n\
                    Contact: http://insecure.example/form\nPolicy: https://pics.example/policy\n";
        assert_eq!(security_txt_contacts(text), ["mailto:security@pics.example", "https://pics.example/report"]);
    }

    #[test]
    fn an_html_page_is_not_a_security_txt() {
        let html = "<!doctype html><html><body><p>Contact: us at our page</p></body></html>";
        assert!(security_txt_contacts(html).is_empty());
        assert!(security_txt_contacts("Contact: mailto:REDACTED@privacy.example").is_empty());
    }

    #[test]
    fn domain_candidates_go_from_the_host_down_without_the_tld() {
        assert_eq!(
            domain_candidates("img.cdn.pics.co.uk"),
            ["img.cdn.pics.co.uk", "cdn.pics.co.uk", "pics.co.uk", "co.uk"]
        );
        assert_eq!(domain_candidates("Example.NET."), ["example.net"]);
        assert_eq!(domain_candidates("a.b.c.d.e.f"), ["a.b.c.d.e.f", "b.c.d.e.f", "c.d.e.f", "d.e.f"]);
        assert!(domain_candidates("localhost").is_empty());
        assert!(domain_candidates("127.0.0.1").is_empty());
        assert!(domain_candidates("a..b").is_empty());
    }

    #[test]
    fn the_bootstrap_picks_the_longest_suffix_and_an_https_url() {
        let bootstrap = json!({
            "version": "1.0",
            "services": [
                [["com", "net"], ["http://rdap.verisign.example/com/v1/", "https://rdap.verisign.example/com/v1/"]],
                [["uk"], ["https://rdap.nominet.example/uk"]],
                [["co.uk"], ["https://rdap.co-uk.example/"]],
                [["org"], ["http://insecure-only.example/"]],
            ]
        });
        assert_eq!(rdap_base(&bootstrap, "pics.com").as_deref(), Some("https://rdap.verisign.example/com/v1/"));
        assert_eq!(rdap_base(&bootstrap, "pics.co.uk").as_deref(), Some("https://rdap.co-uk.example/"));
        assert_eq!(rdap_base(&bootstrap, "pics.org.uk").as_deref(), Some("https://rdap.nominet.example/uk/"));
        assert_eq!(rdap_base(&bootstrap, "pics.org"), None);
        assert_eq!(rdap_base(&bootstrap, "notcom"), None);
        assert_eq!(rdap_base(&json!({"services": "broken"}), "pics.com"), None);
    }

    /// The shape ICANN's gTLD RDAP profile gives (as Verisign answers for .com), registrant redacted.
    fn gtld_answer() -> Value {
        json!({
            "objectClassName": "domain",
            "ldhName": "PICS-SHARE.COM",
            "entities": [
                {
                    "objectClassName": "entity",
                    "roles": ["registrar"],
                    "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example Registrar, LLC"]]],
                    "entities": [{
                        "objectClassName": "entity",
                        "roles": ["abuse"],
                        "vcardArray": ["vcard", [
                            ["version", {}, "text", "4.0"],
                            ["fn", {}, "text", ""],
                            ["tel", {"type": "voice"}, "uri", "tel:+1.4805058800"],
                            ["email", {}, "text", "abuse@registrar.test"]
                        ]]
                    }]
                },
                {
                    "objectClassName": "entity",
                    "roles": ["registrant"],
                    "vcardArray": ["vcard", [["fn", {}, "text", "REDACTED FOR PRIVACY"],
                        ["email", {}, "text", "Please query the RDDS service of the Registrar of Record"]]]
                }
            ]
        })
    }

    #[test]
    fn rdap_gives_the_registrar_and_its_abuse_desk_not_the_registrant() {
        let found = rdap_registrar_abuse(&gtld_answer());
        assert_eq!(found.registrar.as_deref(), Some("Example Registrar, LLC"));
        assert_eq!(found.emails, ["mailto:abuse@registrar.test"]);
        assert_eq!(found.phones, ["tel:+1.4805058800"]);
    }

    #[test]
    fn rdap_placeholders_and_damaged_answers_give_nothing() {
        let redacted = json!({"entities": [{"roles": ["abuse"], "vcardArray": ["vcard", [
            ["email", {}, "text", "redacted@redacted.invalid"], ["email", {}, "text", "abuse@contactprivacy.test"],
            ["tel", {}, "text", "REDACTED"]]]}]});
        assert!(rdap_registrar_abuse(&redacted).is_empty());
        assert!(rdap_registrar_abuse(&json!({"entities": "nope"})).is_empty());
        assert!(rdap_registrar_abuse(&json!([1, 2, 3])).is_empty());
        let top_level = json!({"entities": [{"roles": ["abuse"], "vcardArray": ["vcard", [["email", {}, "text", "mailto:Abuse@Host.test"]]]}]});
        assert_eq!(rdap_registrar_abuse(&top_level).emails, ["mailto:Abuse@Host.test"]);
    }

    #[test]
    fn placeholder_addresses_are_not_real() {
        for fake in [
            "REDACTED FOR PRIVACY",
            "redacted@example.com",
            "gdpr-masked@registry.test",
            "https://form.test",
            "not-disclosed@x",
            "a@b",
            "@registrar.test",
            "abuse@",
            "abuse@.test",
            "a b@c.test",
        ] {
            assert!(!is_real_email(fake), "{fake}");
        }
        for real in ["abuse@registrar.test", "report+ncii@pics-share.co.uk", "abuse@registrar.test?subject=x"] {
            assert!(is_real_email(real), "{real}");
        }
    }
}
