//! The thin wasm-bindgen surface the extension calls. It converts JS values and calls the core;
//! nothing here decides anything. Pixels arrive as RGBA (what `getImageData` returns); lists
//! travel as their file text, so the format stays defined in one place (`list.rs`).

use crate::fingerprints::{self, page_fingerprint, protect_fingerprints};
use crate::hash::HashParseError;
use crate::limits;
use crate::list::{Added, Entry, ProtectedList};
use crate::matcher::{MatchConfig, Matcher as CoreMatcher, Verdict};
use crate::pdq::{fingerprint, Fingerprint, Layout, Pixels};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

fn rgba<'a>(data: &'a [u8], width: u32, height: u32) -> Pixels<'a> {
    Pixels { data, width: width as usize, height: height as usize, layout: Layout::Rgba }
}

fn fingerprint_rgba(data: &[u8], width: u32, height: u32) -> Result<Fingerprint, JsError> {
    fingerprint(rgba(data, width, height)).map_err(|e| JsError::new(&e.to_string()))
}

/// One hash a page image is looked up by: `{pdq, quality, mirror}` (see `pageFingerprint`);
/// `mirror`, the hash of its mirror image, is optional.
#[derive(Serialize, Deserialize)]
struct Query {
    pdq: String,
    quality: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mirror: Option<String>,
}

impl Query {
    fn parse(&self) -> Result<fingerprints::Query, HashParseError> {
        let mirror = self.mirror.as_deref().map(str::parse).transpose()?;
        Ok(fingerprints::Query { hash: self.pdq.parse()?, mirror, quality: self.quality })
    }
}

/// What a page image is matched by: `[{pdq, quality, mirror}]`, its full frame first, then its
/// content inside letterbox or padding borders, the picture inside UI or under a caption and the
/// sharp picture on a blurred fill when it has them (`fingerprints::page_fingerprint`).
#[wasm_bindgen(js_name = pageFingerprint)]
pub fn page_fingerprint_js(data: &[u8], width: u32, height: u32) -> Result<JsValue, JsError> {
    let page = page_fingerprint(rgba(data, width, height)).map_err(|e| JsError::new(&e.to_string()))?;
    let queries: Vec<Query> = page
        .queries()
        .map(|q| Query { pdq: q.hash.to_hex(), quality: q.quality, mirror: q.mirror.map(|m| m.to_hex()) })
        .collect();
    to_js(&queries)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

fn parse(text: &str) -> Result<ProtectedList, JsError> {
    ProtectedList::from_json(text).map_err(|e| JsError::new(&e.to_string()))
}

/// `{quality, hashes: {pdq, rot90, rot180, rot270, flipx, flipy, flip_plus1, flip_minus1}}`.
#[wasm_bindgen(js_name = fingerprint)]
pub fn fingerprint_js(data: &[u8], width: u32, height: u32) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Out {
        quality: u8,
        hashes: crate::list::Hashes,
    }
    let fp = fingerprint_rgba(data, width, height)?;
    to_js(&Out { quality: fp.quality, hashes: fp.dihedral.into() })
}

/// The limits every page image must pass (`limits.rs`), so the extension never keeps its own copy:
/// `{minQuality, iconSide, maxBytes, maxPixels, maxSide, headerBytes}`.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out {
        min_quality: u8,
        icon_side: u32,
        max_bytes: u64,
        max_pixels: u64,
        max_side: u32,
        header_bytes: u32,
    }
    to_js(&Out {
        min_quality: limits::MIN_QUALITY,
        icon_side: limits::ICON_SIDE,
        max_bytes: limits::MAX_BYTES,
        max_pixels: limits::MAX_PIXELS,
        max_side: limits::MAX_SIDE,
        header_bytes: limits::HEADER_BYTES,
    })
}

/// The text of an empty list.
#[wasm_bindgen(js_name = listNew)]
pub fn list_new() -> String {
    ProtectedList::new().to_json()
}

/// Validates a list and returns what a person may see of it: `[{id, label, added, quality}]`.
/// Throws a plain-language error for a damaged list.
#[wasm_bindgen(js_name = listSummary)]
pub fn list_summary(text: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        label: Option<&'a str>,
        added: &'a str,
        quality: u8,
    }
    let list = parse(text)?;
    let rows: Vec<Row<'_>> = list
        .entries()
        .iter()
        .map(|e| Row { id: &e.id, label: e.label.as_deref(), added: &e.added, quality: e.quality })
        .collect();
    to_js(&rows)
}

/// Fingerprints an image (with its crops, `fingerprints::protect_fingerprints`) and adds it:
/// `{list, id, alreadyProtected, quality}`.
#[wasm_bindgen(js_name = listAdd)]
pub fn list_add(
    text: &str,
    data: &[u8],
    width: u32,
    height: u32,
    label: Option<String>,
    added: String,
) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out {
        list: String,
        id: String,
        already_protected: bool,
        quality: u8,
    }
    if !crate::list::is_rfc3339_utc(&added) {
        return Err(JsError::new("the time must be UTC RFC 3339, as Date.prototype.toISOString writes it"));
    }
    let mut list = parse(text)?;
    let protected = protect_fingerprints(rgba(data, width, height)).map_err(|e| JsError::new(&e.to_string()))?;
    let fp = protected.full;
    let entry = Entry::protecting(&protected, label, added);
    let (id, already_protected) = match list.add(entry.clone()) {
        Added::New => (entry.id, false),
        Added::AlreadyProtected { id } => (id, true),
    };
    to_js(&Out { list: list.to_json(), id, already_protected, quality: fp.quality })
}

/// The list without entry `id` (unchanged if there is none).
#[wasm_bindgen(js_name = listRemove)]
pub fn list_remove(text: &str, id: &str) -> Result<String, JsError> {
    let mut list = parse(text)?;
    list.remove(id);
    Ok(list.to_json())
}

/// Imports `incoming` into `text`: `{list, added}`. A damaged `incoming` throws and changes nothing.
#[wasm_bindgen(js_name = listMerge)]
pub fn list_merge(text: &str, incoming: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Out {
        list: String,
        added: usize,
    }
    let incoming = parse(incoming)?;
    let mut list = parse(text)?;
    let added = list.merge(incoming);
    to_js(&Out { list: list.to_json(), added })
}

/// The background's matcher over one protected list.
#[wasm_bindgen]
pub struct Matcher {
    inner: CoreMatcher,
}

#[wasm_bindgen]
impl Matcher {
    /// `threshold` and `minQuality` default to `MatchConfig::default()` when undefined.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str, threshold: Option<u32>, min_quality: Option<u8>) -> Result<Matcher, JsError> {
        let defaults = MatchConfig::default();
        let config = MatchConfig {
            threshold: threshold.unwrap_or(defaults.threshold),
            min_quality: min_quality.unwrap_or(defaults.min_quality),
            ..defaults
        };
        Ok(Matcher { inner: CoreMatcher::new(parse(text)?, config) })
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.list().len()
    }

    /// Fingerprints RGBA pixels as a page image and matches them: `{matched, distance, quality,
    /// entryId}` (`distance` and `entryId` are null when the list is empty or nothing matched).
    pub fn check(&self, data: &[u8], width: u32, height: u32) -> Result<JsValue, JsError> {
        let page = page_fingerprint(rgba(data, width, height)).map_err(|e| JsError::new(&e.to_string()))?;
        self.verdict_js(self.inner.check_page(&page), page.full.quality)
    }

    /// Matches what `pageFingerprint` gave (computed elsewhere), as `check` answers.
    #[wasm_bindgen(js_name = checkPage)]
    pub fn check_page(&self, queries: JsValue) -> Result<JsValue, JsError> {
        let queries: Vec<Query> = serde_wasm_bindgen::from_value(queries).map_err(|e| JsError::new(&e.to_string()))?;
        let parsed = queries
            .iter()
            .map(Query::parse)
            .collect::<Result<Vec<_>, HashParseError>>()
            .map_err(|e| JsError::new(&e.to_string()))?;
        let quality = parsed.first().map_or(0, |q| q.quality);
        self.verdict_js(self.inner.check_queries(&parsed), quality)
    }

    /// Matches one PDQ hash (64 hex digits) and its quality, as `check` answers: lets
    /// `make bench-perf` time matching apart from fingerprinting.
    #[wasm_bindgen(js_name = checkHash)]
    pub fn check_hash(&self, pdq: &str, quality: u8) -> Result<JsValue, JsError> {
        let hash = pdq.parse().map_err(|e: HashParseError| JsError::new(&e.to_string()))?;
        self.verdict_js(self.inner.check_hash(&hash, quality), quality)
    }

    fn verdict_js(&self, verdict: Verdict<'_>, quality: u8) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out<'a> {
            matched: bool,
            distance: Option<u32>,
            quality: u8,
            entry_id: Option<&'a str>,
        }
        let entry_id = match &verdict {
            Verdict::Match(n) => Some(n.entry.id.as_str()),
            Verdict::Clear { .. } => None,
        };
        to_js(&Out { matched: verdict.is_match(), distance: verdict.nearest().map(|n| n.distance), quality, entry_id })
    }
}

/// `{format, width, height}` declared by the first bytes of an image, or `undefined`: lets the
/// background refuse bombs and unsupported formats before the browser decodes anything.
#[wasm_bindgen(js_name = imageHeader)]
pub fn image_header(bytes: &[u8]) -> Result<JsValue, JsError> {
    match crate::sniff::sniff(bytes) {
        Some(header) => to_js(&header),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// Whether the options page may fingerprint a file a person picked, by the rule the CLI applies
/// (`integrity::readable`), before the browser decodes it: `{format, width, height}`, or
/// `{refused: 'unknown' | 'unreadable' | 'damaged', format, name}` where `name` is the format as a
/// person knows it ("TIFF", "NEF"). A file cut short or damaged is refused, not decoded.
#[wasm_bindgen(js_name = protectableImage)]
#[expect(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen takes an optional string argument only as Option<String>"
)]
pub fn protectable_image(bytes: &[u8], file_name: Option<String>) -> Result<JsValue, JsError> {
    use crate::integrity::{readable, Refusal};
    #[derive(Serialize)]
    struct Refused {
        refused: &'static str,
        format: Option<crate::sniff::Format>,
        name: Option<&'static str>,
    }
    match readable(bytes, file_name.as_deref()) {
        Ok(header) => to_js(&header),
        Err(Refusal::Unknown) => to_js(&Refused { refused: "unknown", format: None, name: None }),
        Err(Refusal::Unreadable { format, name }) => {
            to_js(&Refused { refused: "unreadable", format: Some(format), name: Some(name) })
        }
        Err(Refusal::Damaged { format, .. }) => {
            to_js(&Refused { refused: "damaged", format: Some(format), name: None })
        }
    }
}

/// Where to report a matched image: the route for the page's platform (or the image host's),
/// `{platform, host, matchedBy, detection, route: {name, reportUrl, ...}}`, or `undefined` when
/// neither is a known platform.
#[wasm_bindgen(js_name = reportRoute)]
#[expect(
    clippy::needless_pass_by_value,
    reason = "wasm-bindgen takes an optional string argument only as Option<String>"
)]
pub fn report_route(page_url: &str, image_url: Option<String>) -> Result<JsValue, JsError> {
    match crate::routes::route_for(page_url, image_url.as_deref()) {
        Some(found) => to_js(&found),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// The usable `Contact:` URIs of a `security.txt` file's text.
#[wasm_bindgen(js_name = securityTxtContacts)]
pub fn security_txt_contacts(text: &str) -> Vec<String> {
    crate::contacts::security_txt_contacts(text)
}

/// The names to ask RDAP about for a host, longest first (none for IP addresses).
#[wasm_bindgen(js_name = rdapDomainCandidates)]
pub fn rdap_domain_candidates(host: &str) -> Vec<String> {
    crate::contacts::domain_candidates(host)
}

/// The RDAP service for a domain from the text of IANA's `dns.json`, or `undefined`.
#[wasm_bindgen(js_name = rdapBase)]
pub fn rdap_base(bootstrap: &str, domain: &str) -> Option<String> {
    serde_json::from_str(bootstrap).ok().and_then(|b| crate::contacts::rdap_base(&b, domain))
}

/// `{registrar, emails, phones}` from the text of an RDAP domain answer (empty when damaged).
#[wasm_bindgen(js_name = rdapRegistrarAbuse)]
pub fn rdap_registrar_abuse(answer: &str) -> Result<JsValue, JsError> {
    let answer = serde_json::from_str(answer).unwrap_or(serde_json::Value::Null);
    to_js(&crate::contacts::rdap_registrar_abuse(&answer))
}
