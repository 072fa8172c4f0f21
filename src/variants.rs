//! Extra protected-side crops: the framings platforms force on a repost (centre crops to 1:1, 4:5
//! and 9:16) and a modest 90 % centre crop. Their fingerprints are computed once when an image is
//! protected, so they cost nothing per page image; PDQ alone misses crops beyond a few percent.

use crate::hash::Hash256;
use crate::pdq::{fingerprint, Dihedral, Fingerprint, Pixels, PixelsError};
use crate::trim::{content_box, crop, Crop};

/// Aspect ratios (width:height) that platforms crop uploads to.
const PLATFORM_ASPECTS: [(usize, usize); 3] = [(1, 1), (4, 5), (9, 16)];
/// Linear share kept by the modest centre crop (0.9 x 0.9 = 81 % of the area).
const MODEST_CROP: f32 = 0.9;
/// An aspect crop that keeps nearly the whole frame adds nothing the full hash does not catch.
const MIN_ASPECT_CHANGE: f32 = 0.05;

/// The crops of a `width` x `height` image to fingerprint besides the full frame.
pub fn protected_crops(width: usize, height: usize) -> Vec<Crop> {
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
    let (w, h) = ((width as f32 * MODEST_CROP) as usize, (height as f32 * MODEST_CROP) as usize);
    if w > 0 && h > 0 {
        crops.push(centred(w, h));
    }
    crops
}

/// What protecting an image stores: its fingerprint, and the hashes of its crops (see
/// [`crop_hashes`]), its content without flat borders among them when it has any. Same pixels in, same hashes out: the CLI and the extension share this.
pub fn protect_fingerprints(pixels: Pixels<'_>) -> Result<(Fingerprint, Vec<Hash256>), PixelsError> {
    let full = fingerprint(pixels)?;
    let mut crops = Vec::new();
    // A page copy is trimmed of its borders before matching, and trimming also takes the photo's
    // own flat edges (a sky, a studio wall): the photo trimmed the same way is what that matches.
    let trimmed = content_box(pixels)?;
    for region in protected_crops(pixels.width, pixels.height).into_iter().chain(trimmed) {
        let data = crop(pixels, region);
        let inner = Pixels { data: &data, width: region.width, height: region.height, layout: pixels.layout };
        crops.push(fingerprint(inner)?);
    }
    Ok((full, crop_hashes(&crops)))
}

/// Each crop as it is and mirrored left-right (ThreatExchange's `flipy`, about the vertical axis):
/// platforms crop the picture as posted, and mirrored reposts are common; its other rotations would
/// double the hashes scanned for every page image.
pub fn crop_hashes(crops: &[Fingerprint]) -> Vec<Hash256> {
    crops.iter().flat_map(|c| [c.dihedral[Dihedral::Original as usize], c.dihedral[Dihedral::FlipY as usize]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_landscape_gets_every_platform_aspect_and_a_modest_crop() {
        let crops = protected_crops(1600, 900);
        assert_eq!(crops.len(), 4);
        assert_eq!(crops[0], Crop { x: 350, y: 0, width: 900, height: 900 });
        assert_eq!(crops[1], Crop { x: 440, y: 0, width: 720, height: 900 });
        assert_eq!(crops[2].height, 900);
        assert_eq!(crops[2].width, 506);
        assert_eq!(crops[3], Crop { x: 80, y: 45, width: 1440, height: 810 });
    }

    /// A smooth, asymmetric test picture, RGB (PDQ looks at low frequencies).
    fn texture(w: usize, h: usize) -> Vec<u8> {
        (0..w * h).flat_map(|k| {
            let (x, y) = ((k % w) as f32, (k / w) as f32);
            let v = 128.0 + 60.0 * (x / 13.0).sin() + 50.0 * (y / 17.0).cos() + 0.2 * x;
            [v as u8, (v * 0.5) as u8, (255.0 - v) as u8]
        }).collect()
    }

    #[test]
    fn crop_hashes_hold_each_crop_and_its_left_right_mirror() {
        let (w, h) = (240, 160);
        let image = texture(w, h);
        let (_, hashes) = protect_fingerprints(Pixels { data: &image, width: w, height: h, layout: crate::pdq::Layout::Rgb }).unwrap();
        assert_eq!(hashes.len(), 2 * protected_crops(w, h).len());
        // The 90 % centre crop, mirrored by hand, is nearest its stored mirror among all eight
        // orientations of that crop (not bit-exact: PDQ's box filter is not mirror-symmetric).
        let c = *protected_crops(w, h).last().unwrap();
        let cropped = crop(Pixels { data: &image, width: w, height: h, layout: crate::pdq::Layout::Rgb }, c);
        let mirrored: Vec<u8> = (0..c.width * c.height).flat_map(|k| {
            let (x, y) = (k % c.width, k / c.width);
            let i = (y * c.width + (c.width - 1 - x)) * 3;
            [cropped[i], cropped[i + 1], cropped[i + 2]]
        }).collect();
        let query = fingerprint(Pixels { data: &mirrored, width: c.width, height: c.height, layout: crate::pdq::Layout::Rgb }).unwrap().hash();
        let own = fingerprint(Pixels { data: &cropped, width: c.width, height: c.height, layout: crate::pdq::Layout::Rgb }).unwrap();
        let stored_mirror = hashes[hashes.len() - 1];
        assert_eq!(stored_mirror, own.dihedral[Dihedral::FlipY as usize]);
        let nearest = own.dihedral.iter().map(|h| h.hamming(&query)).min().unwrap();
        assert_eq!(stored_mirror.hamming(&query), nearest);
        assert!(nearest <= 31, "distance {nearest}");
    }

    #[test]
    fn a_square_image_skips_the_square_crop() {
        let crops = protected_crops(1000, 1000);
        // 4:5 removes 20 %, 9:16 removes 44 %, 1:1 nothing.
        assert_eq!(crops.len(), 3);
        assert!(crops.iter().all(|c| c.height == 1000 || c.width == 900));
    }
}
