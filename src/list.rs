//! The protected list: fingerprints only, never pixels. Its file format (versioned JSON) is
//! documented in `docs/list-format.md`; every load is validated and every error names the place.

use crate::fingerprints::ProtectedFingerprints;
use crate::hash::Hash256;
use crate::pdq::{Dihedral, Fingerprint};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

pub const FORMAT: &str = "veil-protected-list";
pub const VERSION: u32 = 1;
/// Labels are for the person's own memory ("beach, 2019"), not for essays.
pub const MAX_LABEL_CHARS: usize = 200;
/// Veil stores a couple of dozen crops and rotations per image (`fingerprints`, 21 at most today);
/// the bound keeps a hostile file from slowing every match.
pub const MAX_CROPS: usize = 32;

/// The eight dihedral PDQ hashes, named as in ThreatExchange's tools. `pdq` is the hash of the image
/// as it is; the others are of its rotations and mirrors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hashes {
    pub pdq: Hash256,
    pub rot90: Hash256,
    pub rot180: Hash256,
    pub rot270: Hash256,
    pub flipx: Hash256,
    pub flipy: Hash256,
    pub flip_plus1: Hash256,
    pub flip_minus1: Hash256,
}

impl Hashes {
    /// In [`Dihedral::ALL`] order.
    pub fn to_array(&self) -> [Hash256; 8] {
        [self.pdq, self.rot90, self.rot180, self.rot270, self.flipx, self.flipy, self.flip_plus1, self.flip_minus1]
    }
}

impl From<[Hash256; 8]> for Hashes {
    fn from(h: [Hash256; 8]) -> Self {
        let [pdq, rot90, rot180, rot270, flipx, flipy, flip_plus1, flip_minus1] = h;
        Hashes { pdq, rot90, rot180, rot270, flipx, flipy, flip_plus1, flip_minus1 }
    }
}

/// One protected image, as fingerprints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Random, so that it says nothing about the image.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// When it was protected, RFC 3339 in UTC (`2026-11-28T17:45:00Z`).
    pub added: String,
    /// PDQ quality, 0-100.
    pub quality: u8,
    pub hashes: Hashes,
    /// PDQ of crops of the image (platform aspects, centre crops), so that cropped reposts match.
    /// Optional: lists written before crops existed, or by tools that only know PDQ, have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crops: Vec<Hash256>,
}

impl Entry {
    /// A new entry with a fresh random id, from the whole image's fingerprint only.
    pub fn new(fingerprint: &Fingerprint, label: Option<String>, added: String) -> Entry {
        Entry {
            id: random_id(),
            label: label.map(|l| l.trim().chars().take(MAX_LABEL_CHARS).collect()).filter(|l: &String| !l.is_empty()),
            added,
            quality: fingerprint.quality,
            hashes: fingerprint.dihedral.into(),
            crops: Vec::new(),
        }
    }

    /// A new entry with a fresh random id, with the crops' hashes as well (see
    /// [`crate::fingerprints::protect_fingerprints`]).
    pub fn protecting(image: &ProtectedFingerprints, label: Option<String>, added: String) -> Entry {
        Entry { crops: image.crops.clone(), ..Entry::new(&image.full, label, added) }
    }

    pub fn hash(&self, d: Dihedral) -> Hash256 {
        self.hashes.to_array()[d as usize]
    }
}

fn random_id() -> String {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).expect("the platform's random source is available");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtectedList {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListError {
    /// Not JSON, or JSON of the wrong shape; the message names line and column.
    Syntax(String),
    NotAList,
    UnsupportedVersion(u32),
    BadEntry {
        index: usize,
        why: String,
    },
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(why) => write!(f, "the list file is damaged: {why}"),
            Self::NotAList => write!(f, "this is not a Veil protected list (its \"format\" is not \"{FORMAT}\")"),
            Self::UnsupportedVersion(v) => {
                write!(f, "this list is format version {v}; this Veil reads version {VERSION}. Update Veil to open it")
            }
            Self::BadEntry { index, why } => write!(f, "entry {} of the list: {why}", index + 1),
        }
    }
}

impl std::error::Error for ListError {}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    format: String,
    version: u32,
    entries: Vec<Entry>,
}

/// What [`ProtectedList::add`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    New,
    /// The same image (identical fingerprint) is already protected; the list is unchanged.
    AlreadyProtected {
        id: String,
    },
}

impl ProtectedList {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn add(&mut self, entry: Entry) -> Added {
        if let Some(same) = self.entries.iter().find(|e| e.hashes == entry.hashes) {
            return Added::AlreadyProtected { id: same.id.clone() };
        }
        self.entries.push(entry);
        Added::New
    }

    /// Adds every entry of `other` not already protected (same fingerprint), keeping this list's
    /// entries as they are; a clashing id gets a fresh one. Returns how many were added.
    pub fn merge(&mut self, other: ProtectedList) -> usize {
        let mut added = 0;
        for mut entry in other.entries {
            if self.entries.iter().any(|e| e.id == entry.id) {
                entry.id = random_id();
            }
            if self.add(entry) == Added::New {
                added += 1;
            }
        }
        added
    }

    /// Removes the entry with this id; false if there is none.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.id != id);
        self.entries.len() != before
    }

    pub fn to_json(&self) -> String {
        let file = ListFile { format: FORMAT.into(), version: VERSION, entries: self.entries.clone() };
        serde_json::to_string_pretty(&file).expect("a list always serialises")
    }

    /// Parses and validates a list file. Nothing partial is ever returned.
    pub fn from_json(text: &str) -> Result<Self, ListError> {
        let header: Header = serde_json::from_str(text).map_err(|e| {
            if e.is_data() {
                ListError::NotAList
            } else {
                ListError::Syntax(e.to_string())
            }
        })?;
        if header.format != FORMAT {
            return Err(ListError::NotAList);
        }
        if header.version != VERSION {
            return Err(ListError::UnsupportedVersion(header.version));
        }
        let file: ListFile = serde_json::from_str(text).map_err(|e| ListError::Syntax(e.to_string()))?;
        let mut ids = HashSet::new();
        for (index, entry) in file.entries.iter().enumerate() {
            let bad = |why: String| ListError::BadEntry { index, why };
            if entry.id.is_empty() || entry.id.len() > 64 {
                return Err(bad("its id must be 1 to 64 characters".into()));
            }
            if !ids.insert(entry.id.as_str()) {
                return Err(bad(format!("the id \"{}\" is used twice", entry.id)));
            }
            if entry.quality > 100 {
                return Err(bad(format!("quality is 0-100, not {}", entry.quality)));
            }
            if !is_rfc3339_utc(&entry.added) {
                return Err(bad(format!(
                    "\"added\" must be a UTC time like 2026-11-28T17:45:00Z, not \"{}\"",
                    entry.added
                )));
            }
            if entry.label.as_ref().is_some_and(|l| l.chars().count() > MAX_LABEL_CHARS) {
                return Err(bad(format!("the label is over {MAX_LABEL_CHARS} characters")));
            }
            if entry.crops.len() > MAX_CROPS {
                return Err(bad(format!("it has {} crop hashes; at most {MAX_CROPS} are allowed", entry.crops.len())));
            }
        }
        Ok(ProtectedList { entries: file.entries })
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z`.
pub fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let fixed = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !fixed || b[b.len() - 1] != b'Z' {
        return false;
    }
    match &b[19..b.len() - 1] {
        [] => true,
        [b'.', rest @ ..] => !rest.is_empty() && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// RFC 3339 UTC for a Unix time in seconds (the civil-from-days algorithm), for the CLI.
pub fn rfc3339_utc(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let secs = unix_seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up fingerprint whose bits come from splitmix64, distinct for each seed.
    fn fingerprint(seed: u64) -> Fingerprint {
        let mut state = seed;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let z = (state ^ (state >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let dihedral = std::array::from_fn(|_| {
            let mut h = Hash256::default();
            for limb in 0..4 {
                let bits = next();
                (0..64).filter(|b| bits >> b & 1 == 1).for_each(|b| h.set_bit(limb * 64 + b));
            }
            h
        });
        Fingerprint { quality: 100, dihedral }
    }

    fn sample_list() -> ProtectedList {
        let mut list = ProtectedList::new();
        list.add(Entry::new(&fingerprint(1), Some("  beach  ".into()), "2026-11-28T17:45:00Z".into()));
        let with_crops = ProtectedFingerprints { full: fingerprint(2), crops: fingerprint(3).dihedral[..5].to_vec() };
        list.add(Entry::protecting(&with_crops, None, "2026-11-28T17:46:00.250Z".into()));
        list
    }

    #[test]
    fn round_trips_losslessly() {
        let list = sample_list();
        let text = list.to_json();
        let back = ProtectedList::from_json(&text).unwrap();
        assert_eq!(back, list);
        assert_eq!(back.to_json(), text);
        assert_eq!(back.entries()[0].label.as_deref(), Some("beach"));
        assert!(text.contains("\"format\": \"veil-protected-list\""));
        assert_eq!(back.entries()[1].crops.len(), 5);
    }

    #[test]
    fn entries_without_crops_load_and_are_written_without_the_field() {
        // A list as Veil wrote it before crops existed.
        let mut value: serde_json::Value = serde_json::from_str(&sample_list().to_json()).unwrap();
        value["entries"][1].as_object_mut().unwrap().remove("crops");
        let list = ProtectedList::from_json(&value.to_string()).unwrap();
        assert!(list.entries().iter().all(|e| e.crops.is_empty()));
        assert!(!list.to_json().contains("crops"));
    }

    #[test]
    fn merging_adds_only_new_images() {
        let mut list = sample_list();
        let mut other = ProtectedList::new();
        other.add(list.entries()[0].clone());
        let mut clash = Entry::new(&fingerprint(3), None, "2026-11-28T17:50:00Z".into());
        clash.id = list.entries()[1].id.clone();
        other.add(clash);
        assert_eq!(list.merge(other), 1);
        assert_eq!(list.len(), 3);
        let ids: HashSet<&str> = list.entries().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn ids_are_random_and_distinct() {
        let list = sample_list();
        let ids: Vec<&str> = list.entries().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids[0].len(), 16);
        assert_ne!(ids[0], ids[1]);
    }

    #[test]
    fn protecting_the_same_image_twice_keeps_one_entry() {
        let mut list = sample_list();
        let first_id = list.entries()[0].id.clone();
        let again = list.add(Entry::new(&fingerprint(1), None, "2026-11-29T00:00:00Z".into()));
        assert_eq!(again, Added::AlreadyProtected { id: first_id.clone() });
        assert_eq!(list.len(), 2);
        assert!(list.remove(&first_id));
        assert!(!list.remove(&first_id));
        assert_eq!(list.len(), 1);
    }

    fn error_for(edit: impl Fn(&mut serde_json::Value)) -> ListError {
        let mut value: serde_json::Value = serde_json::from_str(&sample_list().to_json()).unwrap();
        edit(&mut value);
        ProtectedList::from_json(&value.to_string()).unwrap_err()
    }

    #[test]
    fn damaged_lists_are_refused_with_clear_errors() {
        let e = error_for(|v| v["entries"][1]["hashes"]["rot90"] = "abc".into());
        assert!(matches!(&e, ListError::Syntax(m) if m.contains("64 hex digits")), "{e}");
        let e = error_for(|v| v["entries"][0]["hashes"]["pdq"] = "z".repeat(64).into());
        assert!(e.to_string().contains("not a hex digit"), "{e}");
        let e = error_for(|v| v["version"] = 7.into());
        assert_eq!(e, ListError::UnsupportedVersion(7));
        assert!(e.to_string().contains("Update Veil"));
        let e = error_for(|v| v["format"] = "something-else".into());
        assert_eq!(e, ListError::NotAList);
        let e = error_for(|v| v["entries"][1]["id"] = v["entries"][0]["id"].clone());
        assert!(matches!(&e, ListError::BadEntry { index: 1, why } if why.contains("twice")), "{e}");
        let e = error_for(|v| v["entries"][0]["added"] = "yesterday".into());
        assert!(e.to_string().starts_with("entry 1 of the list"), "{e}");
        let e = error_for(|v| v["entries"][0]["quality"] = 101.into());
        assert!(matches!(e, ListError::BadEntry { index: 0, .. }));
        let e = error_for(|v| v["entries"][1]["crops"][2] = "abc".into());
        assert!(matches!(&e, ListError::Syntax(m) if m.contains("64 hex digits")), "{e}");
        let e = error_for(|v| v["entries"][1]["crops"] = vec![v["entries"][1]["hashes"]["pdq"].clone(); 33].into());
        assert!(matches!(&e, ListError::BadEntry { index: 1, why } if why.contains("at most 32")), "{e}");
        let e = error_for(|v| v["entries"][0]["image"] = "data:image/png;base64,AAAA".into());
        assert!(e.to_string().contains("unknown field"), "{e}");
        let e = error_for(|v| {
            v["entries"][0].as_object_mut().unwrap().remove("hashes");
        });
        assert!(e.to_string().contains("missing field `hashes`"), "{e}");
    }

    #[test]
    fn non_lists_are_recognised() {
        assert!(matches!(ProtectedList::from_json("{\"format\""), Err(ListError::Syntax(_))));
        assert_eq!(ProtectedList::from_json("[1,2,3]"), Err(ListError::NotAList));
        assert_eq!(ProtectedList::from_json("{}"), Err(ListError::NotAList));
        assert!(matches!(ProtectedList::from_json(""), Err(ListError::Syntax(_))));
    }

    #[test]
    fn rfc3339_formatting_and_checking_agree() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_795_887_900), "2026-11-28T17:45:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert!(is_rfc3339_utc(&rfc3339_utc(1_795_887_900)));
        assert!(is_rfc3339_utc("2026-11-28T17:45:00.123Z"));
        for bad in ["2026-11-28", "2026-11-28T17:45:00", "2026-11-28T17:45:00.Z", "2026-11-28T17:45:00+01:00"] {
            assert!(!is_rfc3339_utc(bad), "{bad}");
        }
    }
}
