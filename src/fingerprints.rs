//! What is hashed of an image, on each side of a match. A page image is hashed as it is shown and,
//! when it has letterbox or padding bars, once more inside them (`trim`), and when it shows a picture
//! inside UI, text bars or fills (a screenshot, a caption), once more on that picture (`picture`). An
//! image the person protects is hashed whole (with its eight dihedral hashes), in the framings
//! platforms force on a repost (centre crops to 1:1, 4:5 and 9:16), in modest crops (5-10 % off the
//! sides, centred, at a corner or at an edge's middle) and slightly rotated (`rotate`). Those are
//! computed once, when the image is protected, so they cost nothing per page image; PDQ alone misses
//! crops beyond a few percent and rotations beyond a degree or two.

use crate::detail::detail_box;
use crate::hash::Hash256;
use crate::limits::MIN_QUALITY;
use crate::pdq::{fingerprint_luma, luma, Dihedral, Fingerprint, Pixels, PixelsError};
use crate::picture::{picture_box, same_box};
use crate::rotate::rotated_copies;
use crate::trim::{content_box, Crop};

/// A page image as it is matched: its own PDQ; when it has letterbox or padding bars, the PDQ of the
/// content inside them; when it shows a picture inside UI or under a caption (and that is not the
/// same box), the PDQ of that picture; when it shows a sharp picture on a blurred fill (a box unlike
/// both), the PDQ of that picture. Each extra hash costs a PDQ of a part of the image, paid only by
/// images that have such a part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageFingerprint {
    pub full: Fingerprint,
    pub trimmed: Option<Fingerprint>,
    pub picture: Option<Fingerprint>,
    pub detail: Option<Fingerprint>,
}

/// The fingerprints a page image is checked with (see [`PageFingerprint`]), from one luminance pass.
pub fn page_fingerprint(pixels: Pixels<'_>) -> Result<PageFingerprint, PixelsError> {
    let mut lum = luma(pixels)?;
    let (width, height) = (pixels.width, pixels.height);
    let content = content_box(&lum, width, height);
    let new = |found: &Crop, before: &[Option<Crop>]| {
        before.iter().flatten().all(|known| !same_box(*found, *known, width, height))
    };
    let inside = picture_box(&lum, width, height).filter(|found| new(found, &[content]));
    let sharp = detail_box(&lum, width, height).filter(|found| new(found, &[content, inside]));
    let [trimmed, picture, detail] =
        [content, inside, sharp].map(|found| found.map(|f| fingerprint_crop(&lum, width, f)));
    let full = fingerprint_luma(&mut lum, height, width);
    Ok(PageFingerprint { full, trimmed, picture, detail })
}

/// One page hash as the matcher looks it up: the hash, its quality, and its mirror image's hash
/// (free from the same DCT), which is looked up among the protected crops so that a mirrored and
/// cropped copy matches the crop it was cut from (the whole image's mirrors are stored already).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query {
    pub hash: Hash256,
    pub mirror: Option<Hash256>,
    pub quality: u8,
}

impl From<&Fingerprint> for Query {
    fn from(fp: &Fingerprint) -> Query {
        Query { hash: fp.hash(), mirror: Some(fp.dihedral[Dihedral::FlipY as usize]), quality: fp.quality }
    }
}

impl PageFingerprint {
    /// Every hash to look up: the full frame first.
    pub fn queries(&self) -> impl Iterator<Item = Query> + '_ {
        std::iter::once(&self.full)
            .chain(self.trimmed.as_ref())
            .chain(self.picture.as_ref())
            .chain(self.detail.as_ref())
            .map(Query::from)
    }
}

/// Aspect ratios (width:height) that platforms crop uploads to.
const PLATFORM_ASPECTS: [(usize, usize); 3] = [(1, 1), (4, 5), (9, 16)];
/// Linear shares kept by the modest crops (0.95 of each side is 90 % of the area).
const MODEST_CROPS: [f32; 2] = [0.95, 0.9];
/// The deeper modest crop is also anchored at each corner: PDQ misses a crop that removes 10 %
/// mostly from one side nearly as badly as a shifted frame, and reposts rarely crop evenly.
const CORNER_CROP: f32 = 0.9;
/// An aspect crop that keeps nearly the whole frame adds nothing the full hash does not catch.
const MIN_ASPECT_CHANGE: f32 = 0.05;

/// Off-centre crops keep this share of each side at the middle of each edge (the centre and the
/// corners are among the modest crops), and `OFFCENTRE_CORNER` at each corner: with them a crop of
/// 5-10 % split any way between the edges lands within about 2.5 % of a stored one.
const OFFCENTRE_EDGE: f32 = 0.9;
const OFFCENTRE_CORNER: f32 = 0.95;

/// The crops of a `width` x `height` image to fingerprint besides the full frame: the platform
/// framings and modest crops ([`framing_crops`]), then the off-centre ones ([`offcentre_crops`]).
pub fn protected_crops(width: usize, height: usize) -> Vec<Crop> {
    let mut crops = framing_crops(width, height);
    crops.extend(offcentre_crops(width, height));
    crops
}

/// The centre crops to platform aspects, and the modest crops centred and (the deeper one) at
/// each corner.
pub fn framing_crops(width: usize, height: usize) -> Vec<Crop> {
    let centred = |w: usize, h: usize| Crop { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
    let mut crops = Vec::new();
    for (aw, ah) in PLATFORM_ASPECTS {
        // The largest centred box of that aspect inside the image.
        let (w, h) = if width * ah > height * aw { (height * aw / ah, height) } else { (width, width * ah / aw) };
        let change = 1.0 - (w * h) as f32 / (width * height) as f32;
        if change >= MIN_ASPECT_CHANGE && w > 0 && h > 0 {
            crops.push(centred(w, h));
        }
    }
    let scaled = |share: f32| ((width as f32 * share) as usize, (height as f32 * share) as usize);
    for share in MODEST_CROPS {
        let (w, h) = scaled(share);
        if w > 0 && h > 0 {
            crops.push(centred(w, h));
        }
    }
    let (w, h) = scaled(CORNER_CROP);
    if w > 0 && h > 0 {
        for (x, y) in [(0, 0), (width - w, 0), (0, height - h), (width - w, height - h)] {
            crops.push(Crop { x, y, width: w, height: h });
        }
    }
    crops
}

/// Modest crops away from the centre that [`framing_crops`] misses: at each edge's middle, and
/// the shallower one at each corner.
pub fn offcentre_crops(width: usize, height: usize) -> Vec<Crop> {
    let scaled = |share: f32| ((width as f32 * share) as usize, (height as f32 * share) as usize);
    let mut crops = Vec::new();
    let (w, h) = scaled(OFFCENTRE_EDGE);
    if w > 0 && h > 0 {
        let (mx, my) = ((width - w) / 2, (height - h) / 2);
        for (x, y) in [(mx, 0), (mx, height - h), (0, my), (width - w, my)] {
            crops.push(Crop { x, y, width: w, height: h });
        }
    }
    let (w, h) = scaled(OFFCENTRE_CORNER);
    if w > 0 && h > 0 {
        for (x, y) in [(0, 0), (width - w, 0), (0, height - h), (width - w, height - h)] {
            crops.push(Crop { x, y, width: w, height: h });
        }
    }
    crops
}

/// Everything stored to recognise one protected image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectedFingerprints {
    /// The standard PDQ of the whole image and its dihedral hashes: what industry lists exchange.
    pub full: Fingerprint,
    /// The PDQ (as shown, not rotated) of each of [`protected_crops`], then of the image's rotated
    /// copies (`rotate::rotated_copies`), that has enough detail to match.
    pub crops: Vec<Hash256>,
}

/// Fingerprints an image being protected: the full frame, its crops and its rotations, from one
/// luminance pass.
pub fn protect_fingerprints(pixels: Pixels<'_>) -> Result<ProtectedFingerprints, PixelsError> {
    let mut lum = luma(pixels)?;
    let (width, height) = (pixels.width, pixels.height);
    let crops = protected_crops(width, height).into_iter().map(|region| fingerprint_crop(&lum, width, region));
    let rotations =
        rotated_copies(&lum, width, height).into_iter().map(|(mut rotated, w, h)| fingerprint_luma(&mut rotated, h, w));
    // A crop of a flat region (sky, a wall) hashes to noise, which only adds false matches.
    let crops = crops.chain(rotations).filter(|fp| fp.quality >= MIN_QUALITY).map(|fp| fp.hash()).collect();
    let full = fingerprint_luma(&mut lum, height, width);
    Ok(ProtectedFingerprints { full, crops })
}

/// PDQ of the `region` of a luminance image `width` samples wide.
pub fn fingerprint_crop(lum: &[f32], width: usize, region: Crop) -> Fingerprint {
    fingerprint_luma(&mut crop(lum, width, region), region.height, region.width)
}

/// Copies `crop` out of a row-major buffer `width` samples wide (luminance, one sample a pixel).
fn crop<T: Copy>(samples: &[T], width: usize, crop: Crop) -> Vec<T> {
    let mut out = Vec::with_capacity(crop.width * crop.height);
    for y in crop.y..crop.y + crop.height {
        let start = y * width + crop.x;
        out.extend_from_slice(&samples[start..start + crop.width]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdq::{fingerprint, Layout};
    use crate::rotate::ROTATIONS;

    #[test]
    fn page_fingerprint_hashes_the_frame_and_the_content_inside_bars() {
        // Random 4-px blocks in the middle 60 rows of a 100 x 100 frame, black bars above and below.
        let (w, h) = (100, 100);
        let data: Vec<u8> = (0..w * h)
            .flat_map(|k| {
                let (x, y) = (k % w, k / w);
                let v = if (20..80).contains(&y) {
                    ((x / 4 * 31 + y / 4 * 17) as u32).wrapping_mul(2_654_435_761) >> 24
                } else {
                    0
                };
                [v as u8; 3]
            })
            .collect();
        let pixels = Pixels { data: &data, width: w, height: h, layout: Layout::Rgb };
        let page = page_fingerprint(pixels).unwrap();
        assert_eq!(page.full, fingerprint(pixels).unwrap());
        let content = Pixels { data: &data[20 * w * 3..80 * w * 3], width: w, height: 60, layout: Layout::Rgb };
        assert_eq!(page.trimmed, Some(fingerprint(content).unwrap()));
        assert_eq!(page.picture, None, "the picture is the trimmed box: one hash stands for both");
    }

    #[test]
    fn page_fingerprint_hashes_the_picture_under_a_caption() {
        // A white caption bar with two lines of black "words" above random 4-px blocks.
        let (w, h) = (120, 140);
        let data: Vec<u8> = (0..w * h)
            .flat_map(|k| {
                let (x, y) = (k % w, k / w);
                let v = if y >= 40 {
                    ((x / 4 * 31 + y / 4 * 17) as u32).wrapping_mul(2_654_435_761) >> 24
                } else if (10..16).contains(&y) || (24..30).contains(&y) && x % 40 < 30 {
                    0
                } else {
                    255
                };
                [v as u8; 3]
            })
            .collect();
        let page = page_fingerprint(Pixels { data: &data, width: w, height: h, layout: Layout::Rgb }).unwrap();
        let picture = Pixels { data: &data[40 * w * 3..], width: w, height: h - 40, layout: Layout::Rgb };
        assert_eq!(page.picture, Some(fingerprint(picture).unwrap()));
        assert_eq!(page.queries().count(), 2 + page.trimmed.is_some() as usize);
    }

    #[test]
    fn page_fingerprint_hashes_the_picture_on_a_blurred_fill() {
        // Random pixels in a 160 x 120 box, centred on a steep blurred fill (a bilinear ramp the
        // trim takes for picture: it steps by 3 levels a pixel).
        let (w, h) = (200, 150);
        let picture = Crop { x: 20, y: 15, width: 160, height: 120 };
        let data: Vec<u8> = (0..w * h)
            .flat_map(|k| {
                let (x, y) = (k % w, k / w);
                let inside = (20..180).contains(&x) && (15..135).contains(&y);
                let v = if inside {
                    ((x * 7919 + y * 104_729) as u32).wrapping_mul(2_654_435_761) >> 24
                } else {
                    60 + 3 * (((x + y) % 80) as u32).abs_diff(40)
                };
                [v as u8; 3]
            })
            .collect();
        let pixels = Pixels { data: &data, width: w, height: h, layout: Layout::Rgb };
        let page = page_fingerprint(pixels).unwrap();
        let lum = luma(pixels).unwrap();
        assert_eq!(page.trimmed, None);
        let found = detail_box(&lum, w, h).expect("the picture is found");
        assert!(same_box(found, picture, w, h), "{found:?}");
        assert_eq!(page.detail, Some(fingerprint_crop(&lum, w, found)));
        assert_eq!(page.queries().count(), 2 + page.picture.is_some() as usize);
    }

    #[test]
    fn a_query_s_mirror_is_the_hash_of_the_left_right_mirror_image() {
        let (w, h) = (96, 64);
        let data = textured(w, h);
        let mirrored: Vec<u8> = (0..w * h)
            .flat_map(|k| {
                let (x, y) = (k % w, k / w);
                data[(y * w + w - 1 - x) * 3..][..3].to_vec()
            })
            .collect();
        let query =
            Query::from(&fingerprint(Pixels { data: &data, width: w, height: h, layout: Layout::Rgb }).unwrap());
        let of_mirror =
            fingerprint(Pixels { data: &mirrored, width: w, height: h, layout: Layout::Rgb }).unwrap().hash();
        assert!(query.mirror.unwrap().hamming(&of_mirror) <= 8, "{}", query.mirror.unwrap().hamming(&of_mirror));
    }

    #[test]
    fn a_landscape_gets_every_platform_aspect_and_the_modest_crops() {
        let crops = framing_crops(1600, 900);
        assert_eq!(crops.len(), 9);
        assert_eq!(crops[0], Crop { x: 350, y: 0, width: 900, height: 900 });
        assert_eq!(crops[1], Crop { x: 440, y: 0, width: 720, height: 900 });
        assert_eq!((crops[2].width, crops[2].height), (506, 900));
        assert_eq!(crops[3], Crop { x: 40, y: 22, width: 1520, height: 855 });
        assert_eq!(crops[4], Crop { x: 80, y: 45, width: 1440, height: 810 });
        assert_eq!(crops[5], Crop { x: 0, y: 0, width: 1440, height: 810 });
        assert_eq!(crops[8], Crop { x: 160, y: 90, width: 1440, height: 810 });
    }

    #[test]
    fn a_square_image_skips_the_square_crop() {
        let crops = framing_crops(1000, 1000);
        // 4:5 removes 20 %, 9:16 removes 44 %, 1:1 nothing; then the two centred and four corner crops.
        assert_eq!(crops.len(), 8);
        assert!(crops[..2].iter().all(|c| c.height == 1000));
    }

    #[test]
    fn off_centre_crops_sit_at_each_edge_s_middle_and_each_corner() {
        let crops = offcentre_crops(1000, 500);
        assert_eq!(crops.len(), 8);
        assert_eq!(crops[0], Crop { x: 50, y: 0, width: 900, height: 450 });
        assert_eq!(crops[3], Crop { x: 100, y: 25, width: 900, height: 450 });
        assert_eq!(crops[7], Crop { x: 50, y: 25, width: 950, height: 475 });
        assert_eq!(protected_crops(1000, 500).len(), framing_crops(1000, 500).len() + 8);
    }

    /// A detailed test image: random 6-px blocks, so every crop has plenty of PDQ quality.
    fn textured(w: usize, h: usize) -> Vec<u8> {
        let block = |x: usize, y: usize| ((x / 6 * 7919 + y / 6 * 104_729) as u32).wrapping_mul(2_654_435_761) >> 24;
        (0..w * h).flat_map(|k| [block(k % w, k / w) as u8, 128, 60]).collect()
    }

    #[test]
    fn the_main_hash_is_the_standard_pdq_and_each_crop_is_the_pdq_of_that_crop() {
        let (w, h) = (320, 200);
        let data = textured(w, h);
        let pixels = Pixels { data: &data, width: w, height: h, layout: Layout::Rgb };
        let protected = protect_fingerprints(pixels).unwrap();
        assert_eq!(protected.full, fingerprint(pixels).unwrap());
        assert_eq!(protected.crops.len(), protected_crops(w, h).len() + 2 * ROTATIONS.len());
        let square = protected_crops(w, h)[0];
        let square_data: Vec<u8> = (square.y..square.y + square.height)
            .flat_map(|y| data[(y * w + square.x) * 3..(y * w + square.x + square.width) * 3].to_vec())
            .collect();
        let square_pixels =
            Pixels { data: &square_data, width: square.width, height: square.height, layout: Layout::Rgb };
        assert_eq!(protected.crops[0], fingerprint(square_pixels).unwrap().hash());
    }

    #[test]
    fn flat_crops_are_not_stored() {
        let data = vec![90u8; 300 * 200 * 3];
        let protected =
            protect_fingerprints(Pixels { data: &data, width: 300, height: 200, layout: Layout::Rgb }).unwrap();
        assert!(protected.crops.is_empty());
    }

    #[test]
    fn crop_copies_the_box() {
        let samples: Vec<u32> = (0..10 * 8).collect();
        let out = crop(&samples, 10, Crop { x: 2, y: 3, width: 4, height: 2 });
        assert_eq!(out, [32, 33, 34, 35, 42, 43, 44, 45]);
    }
}
