//! Matching one page image's fingerprint against the protected list.
//!
//! Work is put on the protected side: each entry contributes all eight dihedral hashes and the
//! hashes of its crops and rotations, so a page image is hashed once (a few times when it has
//! borders to trim or shows a picture inside UI) and still matches rotated, mirrored, cropped or
//! platform-framed copies. A page hash's mirror is looked up among the crops too, so a mirrored
//! and cropped copy matches.

use crate::fingerprints::{PageFingerprint, Query};
use crate::hash::Hash256;
use crate::limits::MIN_QUALITY;
use crate::list::{Entry, ProtectedList};
use crate::pdq::{Dihedral, Fingerprint};

/// When a page image counts as a protected one. The default threshold, 63 of 256 bits, is
/// measured (`make bench-quality`, bench/quality-report.md) with everything `page_fingerprint` and
/// `protect_fingerprints` compute: against 100 protected photos, none of more than 14,000
/// unrelated images (photos, UI screenshots, documentation figures, text, graphics, icons, game
/// art) fired. Meta's published 31 is set for billions of comparisons a day; with a person's short
/// list it gives up recall on edited reposts (crops, blurred padding, stickers, logos).
/// The quality gate is [`MIN_QUALITY`], Meta's; below it, down to `low_quality_floor`, a page hash
/// still matches within the stricter `low_quality_threshold` (see [`LOW_QUALITY_FLOOR`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchConfig {
    /// Largest Hamming distance that counts as the same image.
    pub threshold: u32,
    /// Page hashes below this quality (flat, tiny, featureless) count only within
    /// `low_quality_threshold`: their hashes are mostly noise and at the loose threshold would hide
    /// unrelated images.
    pub min_quality: u8,
    /// Page hashes below this quality never count.
    pub low_quality_floor: u8,
    /// Largest distance at which a page hash of quality `low_quality_floor..min_quality` counts.
    pub low_quality_threshold: u32,
}

/// A copy made flatter (contrast lowered, gamma) can fall below the quality gate while its hash is
/// still the picture's, within a few bits; a flat unrelated image's hash is noise that only a loose
/// threshold lets through. So below the gate, down to this quality, a hash counts within Meta's
/// strict [`LOW_QUALITY_THRESHOLD`].
pub const LOW_QUALITY_FLOOR: u8 = 20;
pub const LOW_QUALITY_THRESHOLD: u32 = 31;

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            threshold: 63,
            min_quality: MIN_QUALITY,
            low_quality_floor: LOW_QUALITY_FLOOR,
            low_quality_threshold: LOW_QUALITY_THRESHOLD,
        }
    }
}

/// The closest protected hash to a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nearest<'a> {
    pub entry: &'a Entry,
    pub distance: u32,
    /// Which of the entry's dihedral hashes was closest (e.g. the page shows it mirrored); for a
    /// crop, `FlipY` (the left-right mirror) when the page's mirror was closest to it, else `Original`.
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
        self.check_query(&Query::from(query))
    }

    /// A page image matches if any of its hashes does (see [`PageFingerprint`]). The verdict is
    /// the closest of them: a match before a clear, then the smaller distance, the full frame on a tie.
    pub fn check_page(&self, page: &PageFingerprint) -> Verdict<'_> {
        let queries: Vec<Query> = page.queries().collect();
        self.check_queries(&queries)
    }

    /// [`check_page`](Self::check_page) on hashes computed elsewhere (the extension fingerprints
    /// in one place and matches in another). An empty slice is clear, with nothing near.
    pub fn check_queries(&self, queries: &[Query]) -> Verdict<'_> {
        queries
            .iter()
            .map(|q| self.check_query(q))
            .min_by_key(|v| (!v.is_match(), v.nearest().map_or(u32::MAX, |n| n.distance)))
            .unwrap_or(Verdict::Clear { nearest: None, low_quality: false })
    }

    /// One hash, without its mirror: the whole images' dihedral hashes and the crops as stored.
    pub fn check_hash(&self, hash: &Hash256, quality: u8) -> Verdict<'_> {
        self.check_query(&Query { hash: *hash, mirror: None, quality })
    }

    pub fn check_query(&self, query: &Query) -> Verdict<'_> {
        // The distance to stored hash `k`, and whether the page's mirror was the closer.
        let distance = |k: usize, h: &Hash256| {
            let shown = h.hamming(&query.hash);
            match query.mirror.filter(|_| self.sources[k].crop.is_some()).map(|m| h.hamming(&m)) {
                Some(mirrored) if mirrored < shown => (mirrored, Dihedral::FlipY),
                _ => (shown, Dihedral::Original),
            }
        };
        let nearest =
            self.hashes.iter().enumerate().map(|(k, h)| (k, distance(k, h))).min_by_key(|&(_, (d, _))| d).map(
                |(k, (distance, mirrored))| {
                    let source = self.sources[k];
                    Nearest {
                        entry: &self.list.entries()[source.entry],
                        distance,
                        transform: if source.crop.is_some() { mirrored } else { source.transform },
                        crop: source.crop,
                    }
                },
            );
        let config = &self.config;
        let low_quality = query.quality < config.min_quality;
        let limit = if low_quality { config.low_quality_threshold.min(config.threshold) } else { config.threshold };
        match nearest {
            Some(n) if n.distance <= limit && query.quality >= config.low_quality_floor.min(config.min_quality) => {
                Verdict::Match(n)
            }
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
        Matcher::new(list, MatchConfig { threshold, ..MatchConfig::default() })
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
    fn low_quality_queries_match_only_within_the_strict_threshold() {
        let m = matcher(63);
        let exact = m.list().entries()[0].hashes.pdq;
        assert!(m.check_hash(&exact, 50).is_match());
        assert!(m.check_hash(&exact, LOW_QUALITY_FLOOR).is_match(), "a flattened copy still matches");
        let near = hash_with_bits(&(LOW_QUALITY_THRESHOLD as usize..128).collect::<Vec<_>>());
        assert!(m.check_hash(&near, 49).is_match());
        let loose = hash_with_bits(&(LOW_QUALITY_THRESHOLD as usize + 1..128).collect::<Vec<_>>());
        assert!(m.check_hash(&loose, 50).is_match());
        assert_eq!(
            m.check_hash(&loose, 49),
            Verdict::Clear {
                nearest: Some(Nearest {
                    entry: &m.list().entries()[0],
                    distance: LOW_QUALITY_THRESHOLD + 1,
                    transform: Dihedral::Original,
                    crop: None
                }),
                low_quality: true
            }
        );
        assert!(!m.check_hash(&exact, LOW_QUALITY_FLOOR - 1).is_match(), "below the floor, never");
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
    fn a_page_s_mirror_is_looked_up_among_the_crops_only() {
        let mut list = ProtectedList::new();
        let mut entry = entry_with([hash_with_bits(&(0..128).collect::<Vec<_>>()); 8]);
        entry.crops = vec![hash_with_bits(&(128..200).collect::<Vec<_>>())];
        list.add(entry);
        let m = Matcher::new(list, MatchConfig { threshold: 31, ..MatchConfig::default() });
        let far = hash_with_bits(&(200..256).collect::<Vec<_>>());
        let mirror_of_crop = hash_with_bits(&(130..200).collect::<Vec<_>>());
        let Verdict::Match(n) = m.check_query(&Query { hash: far, mirror: Some(mirror_of_crop), quality: 90 }) else {
            panic!("expected a match")
        };
        assert_eq!((n.distance, n.crop, n.transform), (2, Some(0), Dihedral::FlipY));
        // The whole image's mirrors are stored: a page mirror is not compared with them.
        let mirror_of_whole = hash_with_bits(&(0..128).collect::<Vec<_>>());
        assert!(!m.check_query(&Query { hash: far, mirror: Some(mirror_of_whole), quality: 90 }).is_match());
    }

    #[test]
    fn a_page_matches_through_its_trimmed_content() {
        let m = matcher(31);
        let fp = |bits: &[usize], quality| Fingerprint { quality, dihedral: [hash_with_bits(bits); 8] };
        let far: Vec<usize> = (0..256).step_by(2).collect();
        let near: Vec<usize> = (0..120).collect();
        let page = PageFingerprint { full: fp(&far, 100), trimmed: Some(fp(&near, 100)), picture: None, detail: None };
        assert_eq!(m.check_page(&page).nearest().unwrap().distance, 8);
        assert!(m.check_page(&page).is_match());
        // A trimmed hash below the quality floor never decides a match.
        let page = PageFingerprint { full: fp(&far, 100), trimmed: Some(fp(&near, 10)), picture: None, detail: None };
        assert!(!m.check_page(&page).is_match());
        assert!(!m.check_page(&PageFingerprint { trimmed: None, ..page }).is_match());
        // Nor does the picture found inside UI, but at full quality it matches like the rest.
        let page = PageFingerprint { full: fp(&far, 100), trimmed: None, picture: Some(fp(&near, 10)), detail: None };
        assert!(!m.check_page(&page).is_match());
        assert!(m.check_page(&PageFingerprint { picture: Some(fp(&near, 90)), ..page }).is_match());
    }

    #[test]
    fn hashes_computed_elsewhere_are_checked_as_a_page() {
        let m = matcher(31);
        assert_eq!(m.check_queries(&[]), Verdict::Clear { nearest: None, low_quality: false });
        let far = hash_with_bits(&(64..192).collect::<Vec<_>>());
        let near = m.list().entries()[0].hashes.pdq;
        let query = |hash| Query { hash, mirror: None, quality: 90 };
        assert!(!m.check_queries(&[query(far)]).is_match());
        assert_eq!(m.check_queries(&[query(far), query(near)]).nearest().map(|n| n.distance), Some(0));
    }
}
