//! Extra protected-side crops: the framings platforms force on a repost (centre crops to 1:1, 4:5
//! and 9:16) and a modest 90 % centre crop. Their fingerprints are computed once when an image is
//! protected, so they cost nothing per page image; PDQ alone misses crops beyond a few percent.

use crate::trim::Crop;

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

    #[test]
    fn a_square_image_skips_the_square_crop() {
        let crops = protected_crops(1000, 1000);
        // 4:5 removes 20 %, 9:16 removes 44 %, 1:1 nothing.
        assert_eq!(crops.len(), 3);
        assert!(crops.iter().all(|c| c.height == 1000 || c.width == 900));
    }
}
