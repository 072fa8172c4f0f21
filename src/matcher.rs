//! Matching one page image's fingerprint against the protected list.
//!
//! Work is put on the protected side: each entry contributes all eight dihedral hashes (and its
//! crops' hashes, when it has them), so a page image is hashed once (its plain PDQ, and its content
//! without borders when it has any) and still matches rotated, mirrored or cropped copies.

use crate::hash::Hash256;
use crate::list::{Entry, ProtectedList};
use crate::pdq::{fingerprint, Dihedral, Fingerprint, Pixels, PixelsError};
use crate::trim::{content_box, crop};

/// When a page image counts as a protected one. The default threshold is the one `make
/// bench-quality` chose for this matcher (page-side trimming, protected-side crops): the largest
/// with measured per-pair FPR <= 1e-4 (bench/quality-report.md). Meta's operating point for plain
/// PDQ is 31; quality >= 50 is Meta's too.
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
        MatchConfig { threshold: 53, min_quality: 50 }
    }
}

/// The closest protected hash to a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nearest<'a> {
    pub entry: &'a Entry,
    pub distance: u32,
    /// What was closest: one of the entry's dihedral hashes (e.g. the page shows it mirrored), or
    /// one of its crops.
    pub matched: MatchedHash,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedHash {
    Whole(Dihedral),
    Crop,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict<'a> {
    Match(Nearest<'a>),
    /// Not a match; the nearest entry if the list has any.
    Clear { nearest: Option<Nearest<'a>>, low_quality: bool },
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

/// A page image as it is matched: its own PDQ and, when it has letterbox or padding bars, the PDQ
/// of the content inside them. The second hash costs one more PDQ, paid only by bordered images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageFingerprint {
    pub full: Fingerprint,
    pub trimmed: Option<Fingerprint>,
}

/// The fingerprints a page image is checked with (see [`PageFingerprint`]).
pub fn page_fingerprint(pixels: Pixels<'_>) -> Result<PageFingerprint, PixelsError> {
    let full = fingerprint(pixels)?;
    let trimmed = match content_box(pixels)? {
        Some(content) => {
            let data = crop(pixels, content);
            let inner = Pixels { data: &data, width: content.width, height: content.height, layout: pixels.layout };
            Some(fingerprint(inner)?)
        }
        None => None,
    };
    Ok(PageFingerprint { full, trimmed })
}

impl PageFingerprint {
    /// Every hash to look up, with its quality.
    pub fn queries(&self) -> impl Iterator<Item = &Fingerprint> {
        std::iter::once(&self.full).chain(self.trimmed.as_ref())
    }
}

/// A protected list laid out for scanning: every hash in one flat array, and whose it is.
pub struct Matcher {
    list: ProtectedList,
    hashes: Vec<Hash256>,
    owners: Vec<(usize, MatchedHash)>,
    config: MatchConfig,
}

impl Matcher {
    pub fn new(list: ProtectedList, config: MatchConfig) -> Matcher {
        let mut hashes = Vec::new();
        let mut owners = Vec::new();
        for (k, entry) in list.entries().iter().enumerate() {
            for (hash, d) in entry.hashes.to_array().into_iter().zip(Dihedral::ALL) {
                hashes.push(hash);
                owners.push((k, MatchedHash::Whole(d)));
            }
            for &hash in &entry.crops {
                hashes.push(hash);
                owners.push((k, MatchedHash::Crop));
            }
        }
        Matcher { list, hashes, owners, config }
    }

    pub fn config(&self) -> MatchConfig {
        self.config
    }

    pub fn list(&self) -> &ProtectedList {
        &self.list
    }

    pub fn check(&self, query: &Fingerprint) -> Verdict<'_> {
        self.check_hash(&query.hash(), query.quality)
    }

    /// A page image matches if its full frame or its trimmed content does; otherwise the verdict
    /// of the full frame is returned (its distance is what callers log).
    pub fn check_page(&self, page: &PageFingerprint) -> Verdict<'_> {
        let queries: Vec<(Hash256, u8)> = page.queries().map(|q| (q.hash(), q.quality)).collect();
        self.check_queries(&queries)
    }

    /// [`check_page`](Self::check_page) on hashes already computed elsewhere (the extension
    /// fingerprints in one place and matches in another): the first query that matches, or the
    /// first query's verdict. An empty slice is a clear verdict with nothing near.
    pub fn check_queries(&self, queries: &[(Hash256, u8)]) -> Verdict<'_> {
        let mut verdicts = queries.iter().map(|(hash, quality)| self.check_hash(hash, *quality));
        let Some(first) = verdicts.next() else { return Verdict::Clear { nearest: None, low_quality: false } };
        if first.is_match() {
            return first;
        }
        verdicts.find(Verdict::is_match).unwrap_or(first)
    }

    pub fn check_hash(&self, query: &Hash256, quality: u8) -> Verdict<'_> {
        let nearest = self
            .hashes
            .iter()
            .enumerate()
            .map(|(k, h)| (k, h.hamming(query)))
            .min_by_key(|&(_, d)| d)
            .map(|(k, distance)| Nearest {
                entry: &self.list.entries()[self.owners[k].0],
                distance,
                matched: self.owners[k].1,
            });
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
        assert_eq!(n.matched, MatchedHash::Whole(Dihedral::Rotate180));
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
                nearest: Some(Nearest { entry: &m.list().entries()[0], distance: 0, matched: MatchedHash::Whole(Dihedral::Original) }),
                low_quality: true
            }
        );
        assert!(m.check_hash(&exact, 50).is_match());
    }

    #[test]
    fn a_crop_hash_matches_and_is_named() {
        let mut list = ProtectedList::new();
        let crop = hash_with_bits(&(0..64).collect::<Vec<_>>());
        list.add(Entry::with_crops(&Fingerprint { quality: 90, dihedral: [hash_with_bits(&[255]); 8] }, vec![crop], None, "2026-11-28T00:00:00Z".into()));
        let m = Matcher::new(list, MatchConfig::default());
        let verdict = m.check_hash(&hash_with_bits(&(0..60).collect::<Vec<_>>()), 90);
        let Verdict::Match(n) = verdict else { panic!("expected a match, got {verdict:?}") };
        assert_eq!((n.distance, n.matched), (4, MatchedHash::Crop));
    }

    #[test]
    fn a_page_matches_by_its_trimmed_content_when_its_frame_does_not() {
        let m = matcher(31);
        let far = Fingerprint { quality: 90, dihedral: [hash_with_bits(&(64..192).collect::<Vec<_>>()); 8] };
        let near = Fingerprint { quality: 90, dihedral: [hash_with_bits(&(0..120).collect::<Vec<_>>()); 8] };
        assert!(!m.check_page(&PageFingerprint { full: far, trimmed: None }).is_match());
        let verdict = m.check_page(&PageFingerprint { full: far, trimmed: Some(near) });
        assert_eq!(verdict.nearest().map(|n| n.distance), Some(8));
        assert!(verdict.is_match());
    }

    #[test]
    fn an_empty_list_clears_everything() {
        let m = Matcher::new(ProtectedList::new(), MatchConfig::default());
        assert_eq!(m.check_hash(&Hash256::default(), 100), Verdict::Clear { nearest: None, low_quality: false });
    }
}
