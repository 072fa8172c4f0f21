//! Matching one page image's fingerprint against the protected list.
//!
//! Work is put on the protected side: each entry contributes all eight dihedral hashes and the
//! hashes of its crops, so a page image is hashed once (twice when it has borders to trim) and
//! still matches rotated, mirrored or platform-cropped copies.

use crate::fingerprints::PageFingerprint;
use crate::hash::Hash256;
use crate::limits::MIN_QUALITY;
use crate::list::{Entry, ProtectedList};
use crate::pdq::{Dihedral, Fingerprint};

/// When a page image counts as a protected one. The default threshold, 63 of 256 bits, is
/// measured (`make bench-quality`, bench/quality-report.md) with trimming and crops as
/// `page_fingerprint` and `protect_fingerprints` compute them: no unrelated pair of 1.49 million
/// came within 71 bits, and 63 keeps a margin below that. Meta's published 31 is set for
/// billions of comparisons a day; with a person's short list it gives up recall on edited
/// reposts (crops, blurred padding, stickers, logos) and measured no fewer false positives.
/// The quality gate is [`MIN_QUALITY`], Meta's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchConfig {
    /// Largest Hamming distance that counts as the same image.
    pub threshold: u32,
    /// Page images below this quality (flat, tiny, featureless) are never called a match: their
    /// hashes are mostly noise and would hide unrelated images.
    pub min_quality: u8,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig { threshold: 63, min_quality: MIN_QUALITY }
    }
}

/// The closest protected hash to a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nearest<'a> {
    pub entry: &'a Entry,
    pub distance: u32,
    /// Which of the entry's dihedral hashes was closest (e.g. the page shows it mirrored);
    /// `Original` when a crop was closest.
    pub transform: Dihedral,
    /// Which of the entry's crops was closest (index into `entry.crops`), if one was.
    pub crop: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict<'a> {
    Match(Nearest<'a>),
    /// Not a match; the nearest entry if the list has any.
    Clear {
        nearest: Option<Nearest<'a>>,
        low_quality: bool,
    },
}

impl Verdict<'_> {
    pub fn is_match(&self) -> bool {
        matches!(self, Verdict::Match(_))
    }

    pub fn nearest(&self) -> Option<&Nearest<'_>> {
        match self {
            Verdict::Match(n) => Some(n),
            Verdict::Clear { nearest, .. } => nearest.as_ref(),
        }
    }
}

/// Where a hash in the matcher's flat array comes from.
#[derive(Clone, Copy)]
struct Source {
    entry: usize,
    transform: Dihedral,
    crop: Option<usize>,
}

/// A protected list laid out for scanning: every hash in one flat array.
pub struct Matcher {
    list: ProtectedList,
    hashes: Vec<Hash256>,
    sources: Vec<Source>,
    config: MatchConfig,
}

impl Matcher {
    pub fn new(list: ProtectedList, config: MatchConfig) -> Matcher {
        let (hashes, sources) = list
            .entries()
            .iter()
            .enumerate()
            .flat_map(|(entry, e)| {
                let whole = Dihedral::ALL.map(|transform| (e.hash(transform), Source { entry, transform, crop: None }));
                let crops = e
                    .crops
                    .iter()
                    .enumerate()
                    .map(move |(k, &h)| (h, Source { entry, transform: Dihedral::Original, crop: Some(k) }));
                whole.into_iter().chain(crops)
            })
            .unzip();
        Matcher { list, hashes, sources, config }
    }

    pub fn list(&self) -> &ProtectedList {
        &self.list
    }

    pub fn check(&self, query: &Fingerprint) -> Verdict<'_> {
        self.check_hash(&query.hash(), query.quality)
    }

    /// A page image matches if its full frame or its trimmed content does. The verdict is the
    /// closer of the two: a match before a clear, then the smaller distance, the full frame on a tie.
    pub fn check_page(&self, page: &PageFingerprint) -> Verdict<'_> {
        let queries: Vec<(Hash256, u8)> = page.queries().map(|q| (q.hash(), q.quality)).collect();
        self.check_queries(&queries)
    }

    /// [`check_page`](Self::check_page) on hashes computed elsewhere (the extension fingerprints
    /// in one place and matches in another). An empty slice is clear, with nothing near.
    pub fn check_queries(&self, queries: &[(Hash256, u8)]) -> Verdict<'_> {
        queries
            .iter()
            .map(|(hash, quality)| self.check_hash(hash, *quality))
            .min_by_key(|v| (!v.is_match(), v.nearest().map_or(u32::MAX, |n| n.distance)))
            .unwrap_or(Verdict::Clear { nearest: None, low_quality: false })
    }

    pub fn check_hash(&self, query: &Hash256, quality: u8) -> Verdict<'_> {
        let nearest = self.hashes.iter().enumerate().map(|(k, h)| (k, h.hamming(query))).min_by_key(|&(_, d)| d).map(
            |(k, distance)| {
                let source = self.sources[k];
                Nearest {
                    entry: &self.list.entries()[source.entry],
                    distance,
                    transform: source.transform,
                    crop: source.crop,
                }
            },
        );
        let low_quality = quality < self.config.min_quality;
        match nearest {
            Some(n) if n.distance <= self.config.threshold && !low_quality => Verdict::Match(n),
            _ => Verdict::Clear { nearest, low_quality },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash_with_bits(bits: &[usize]) -> Hash256 {
        let mut h = Hash256::default();
        bits.iter().for_each(|&k| h.set_bit(k));
        h
    }

    fn entry_with(dihedral: [Hash256; 8]) -> Entry {
        Entry::new(&Fingerprint { quality: 90, dihedral }, None, "2026-11-28T00:00:00Z".into())
    }

    fn matcher(threshold: u32) -> Matcher {
        let mut list = ProtectedList::new();
        // Entry 0: everything at bits 0..128; entry 1: its rot180 is bits 128..256.
        list.add(entry_with([hash_with_bits(&(0..128).collect::<Vec<_>>()); 8]));
        let mut second = [hash_with_bits(&[255]); 8];
        second[2] = hash_with_bits(&(128..256).collect::<Vec<_>>());
        list.add(entry_with(second));
        Matcher::new(list, MatchConfig { threshold, min_quality: 50 })
    }

    #[test]
    fn matches_within_threshold_and_names_the_transform() {
        let m = matcher(31);
        let near_rot180 = hash_with_bits(&(128 + 31..256).collect::<Vec<_>>());
        let verdict = m.check_hash(&near_rot180, 100);
        let Verdict::Match(n) = verdict else { panic!("expected a match, got {verdict:?}") };
        assert_eq!(n.distance, 31);
        assert_eq!(n.transform, Dihedral::Rotate180);
        assert_eq!(n.entry.id, m.list().entries()[1].id);
    }

    #[test]
    fn one_bit_past_the_threshold_is_clear() {
        let m = matcher(31);
        let far = hash_with_bits(&(128 + 32..256).collect::<Vec<_>>());
        let verdict = m.check_hash(&far, 100);
        assert!(!verdict.is_match());
        assert_eq!(verdict.nearest().unwrap().distance, 32);
        assert!(matcher(32).check_hash(&far, 100).is_match());
    }

    #[test]
    fn low_quality_queries_never_match() {
        let m = matcher(31);
        let exact = m.list().entries()[0].hashes.pdq;
        assert_eq!(
            m.check_hash(&exact, 49),
            Verdict::Clear {
                nearest: Some(Nearest {
                    entry: &m.list().entries()[0],
                    distance: 0,
                    transform: Dihedral::Original,
                    crop: None
                }),
                low_quality: true
            }
        );
        assert!(m.check_hash(&exact, 50).is_match());
    }

    #[test]
    fn an_empty_list_clears_everything() {
        let m = Matcher::new(ProtectedList::new(), MatchConfig::default());
        assert_eq!(m.check_hash(&Hash256::default(), 100), Verdict::Clear { nearest: None, low_quality: false });
    }

    #[test]
    fn a_crop_hash_matches_and_is_named() {
        let mut list = ProtectedList::new();
        let mut entry = entry_with([hash_with_bits(&[0]); 8]);
        entry.crops = vec![hash_with_bits(&[1]), hash_with_bits(&(100..200).collect::<Vec<_>>())];
        list.add(entry);
        let m = Matcher::new(list, MatchConfig::default());
        let near_second_crop = hash_with_bits(&(110..200).collect::<Vec<_>>());
        let Verdict::Match(n) = m.check_hash(&near_second_crop, 100) else { panic!("expected a match") };
        assert_eq!((n.distance, n.crop, n.transform), (10, Some(1), Dihedral::Original));
    }

    #[test]
    fn a_page_matches_through_its_trimmed_content() {
        let m = matcher(31);
        let fp = |bits: &[usize], quality| Fingerprint { quality, dihedral: [hash_with_bits(bits); 8] };
        let far: Vec<usize> = (0..256).step_by(2).collect();
        let near: Vec<usize> = (0..120).collect();
        let page = PageFingerprint { full: fp(&far, 100), trimmed: Some(fp(&near, 100)) };
        assert_eq!(m.check_page(&page).nearest().unwrap().distance, 8);
        assert!(m.check_page(&page).is_match());
        // A low-quality trimmed hash never decides a match.
        let page = PageFingerprint { full: fp(&far, 100), trimmed: Some(fp(&near, 10)) };
        assert!(!m.check_page(&page).is_match());
        assert!(!m.check_page(&PageFingerprint { trimmed: None, ..page }).is_match());
    }

    #[test]
    fn hashes_computed_elsewhere_are_checked_as_a_page() {
        let m = matcher(31);
        assert_eq!(m.check_queries(&[]), Verdict::Clear { nearest: None, low_quality: false });
        let far = hash_with_bits(&(64..192).collect::<Vec<_>>());
        let near = m.list().entries()[0].hashes.pdq;
        assert!(!m.check_queries(&[(far, 90)]).is_match());
        assert_eq!(m.check_queries(&[(far, 90), (near, 90)]).nearest().map(|n| n.distance), Some(0));
    }
}
