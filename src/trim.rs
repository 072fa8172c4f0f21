//! Page-side trimming of letterbox and padding borders before hashing.
//!
//! PDQ hashes the whole frame, so a repost padded with bars (black, white, or the blurred-fill
//! style platforms use for off-ratio images) hashes far from the original: Thorn measured 1.3 %
//! recall at 20 % padding. Such bars carry almost no detail: a uniform bar has no gradient at all
//! and a heavily blurred fill has only tiny ones, while photo content next to them does. So we peel
//! rows and columns off each edge while their mean gradient stays below a small bound.

use crate::pdq::{luma, Pixels, PixelsError};

/// Mean absolute luminance step (0..255 scale) below which a border line counts as fill.
/// JPEG ringing on a black bar stays under 1; blurred fills measured around 0.5-1.5 at <= 512 px.
const FILL_GRADIENT: f32 = 1.6;
/// Trims smaller than this share of a side are noise (a 1-px frame), not a letterbox.
const MIN_TRIM_SHARE: f32 = 0.02;
/// Content must keep at least this share of each dimension, or the "border" was the picture
/// (a flat sky, a plain graphic) and trimming would only hash a sliver.
const MIN_KEEP_SHARE: f32 = 0.3;

/// The region left after trimming, in pixels of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crop {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
}

/// The content box of an image with fill borders removed, or `None` when no border worth
/// removing was found (the caller then hashes the image as it is).
pub fn content_box(pixels: Pixels<'_>) -> Result<Option<Crop>, PixelsError> {
    let lum = luma(pixels)?;
    let (w, h) = (pixels.width, pixels.height);
    if w < 8 || h < 8 {
        return Ok(None);
    }
    let at = |x: usize, y: usize| lum[y * w + x];
    // Mean step along row y (columns x0..x1), and along column x (rows y0..y1).
    let row_flat = |y: usize, x0: usize, x1: usize| {
        let sum: f32 = (x0..x1 - 1).map(|x| (at(x + 1, y) - at(x, y)).abs()).sum();
        sum / ((x1 - x0 - 1) as f32) < FILL_GRADIENT
    };
    let col_flat = |x: usize, y0: usize, y1: usize| {
        let sum: f32 = (y0..y1 - 1).map(|y| (at(x, y + 1) - at(x, y)).abs()).sum();
        sum / ((y1 - y0 - 1) as f32) < FILL_GRADIENT
    };
    let (mut top, mut bottom) = (0, h);
    while bottom - top > 2 && row_flat(top, 0, w) {
        top += 1;
    }
    while bottom - top > 2 && row_flat(bottom - 1, 0, w) {
        bottom -= 1;
    }
    let (mut left, mut right) = (0, w);
    while right - left > 2 && col_flat(left, top, bottom) {
        left += 1;
    }
    while right - left > 2 && col_flat(right - 1, top, bottom) {
        right -= 1;
    }
    let (cw, ch) = (right - left, bottom - top);
    let trimmed_w = (w - cw) as f32 / w as f32;
    let trimmed_h = (h - ch) as f32 / h as f32;
    let worth_it = trimmed_w >= MIN_TRIM_SHARE || trimmed_h >= MIN_TRIM_SHARE;
    let keeps_content = cw as f32 >= MIN_KEEP_SHARE * w as f32 && ch as f32 >= MIN_KEEP_SHARE * h as f32;
    Ok((worth_it && keeps_content).then_some(Crop { x: left, y: top, width: cw, height: ch }))
}

/// Copies `crop` out of `pixels` (same layout).
pub fn crop(pixels: Pixels<'_>, crop: Crop) -> Vec<u8> {
    let channels = pixels.data.len() / (pixels.width * pixels.height);
    let mut out = Vec::with_capacity(crop.width * crop.height * channels);
    for y in crop.y..crop.y + crop.height {
        let start = (y * pixels.width + crop.x) * channels;
        out.extend_from_slice(&pixels.data[start..start + crop.width * channels]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdq::Layout;

    /// A deterministic textured "photo": no row or column is flat.
    fn photo(w: usize, h: usize) -> Vec<u8> {
        let mut state = 12345u32;
        let mut out = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                state = state.wrapping_mul(1664525).wrapping_add(1013904223);
                let noise = (state >> 27) as usize;
                let v = ((x * 7 + y * 13) % 200 + noise) as u8;
                out.extend_from_slice(&[v, v / 2, 255 - v]);
            }
        }
        out
    }

    /// Pads `inner` (iw x ih) into an ow x oh canvas at (ox, oy), fill from `fill(x, y)`.
    fn pad(inner: &[u8], iw: usize, ih: usize, ow: usize, oh: usize, ox: usize, oy: usize,
           fill: impl Fn(usize, usize) -> [u8; 3]) -> Vec<u8> {
        let mut out = Vec::with_capacity(ow * oh * 3);
        for y in 0..oh {
            for x in 0..ow {
                if (ox..ox + iw).contains(&x) && (oy..oy + ih).contains(&y) {
                    let i = ((y - oy) * iw + (x - ox)) * 3;
                    out.extend_from_slice(&inner[i..i + 3]);
                } else {
                    out.extend_from_slice(&fill(x, y));
                }
            }
        }
        out
    }

    fn boxed(data: &[u8], w: usize, h: usize) -> Option<Crop> {
        content_box(Pixels { data, width: w, height: h, layout: Layout::Rgb }).unwrap()
    }

    #[test]
    fn a_photo_without_borders_is_left_alone() {
        assert_eq!(boxed(&photo(120, 90), 120, 90), None);
    }

    #[test]
    fn black_letterbox_bars_are_removed_exactly() {
        let img = pad(&photo(100, 60), 100, 60, 100, 100, 0, 20, |_, _| [0, 0, 0]);
        assert_eq!(boxed(&img, 100, 100), Some(Crop { x: 0, y: 20, width: 100, height: 60 }));
    }

    #[test]
    fn white_padding_on_all_sides_is_removed() {
        let img = pad(&photo(80, 60), 80, 60, 120, 90, 20, 15, |_, _| [255, 255, 255]);
        assert_eq!(boxed(&img, 120, 90), Some(Crop { x: 20, y: 15, width: 80, height: 60 }));
    }

    #[test]
    fn a_smooth_blurred_fill_is_removed() {
        // A slow gradient stands in for a blurred, enlarged copy of the image behind it.
        let img = pad(&photo(60, 100), 60, 100, 120, 100, 30, 0, |x, y| {
            let v = (60 + x / 2 + y / 3) as u8;
            [v, v, v / 2]
        });
        assert_eq!(boxed(&img, 120, 100), Some(Crop { x: 30, y: 0, width: 60, height: 100 }));
    }

    #[test]
    fn a_flat_image_is_not_trimmed_to_a_sliver() {
        let img = pad(&photo(10, 10), 10, 10, 100, 100, 45, 45, |_, _| [128, 128, 128]);
        assert_eq!(boxed(&img, 100, 100), None);
    }

    #[test]
    fn crop_copies_the_box() {
        let img = photo(10, 8);
        let px = Pixels { data: &img, width: 10, height: 8, layout: Layout::Rgb };
        let out = crop(px, Crop { x: 2, y: 3, width: 4, height: 2 });
        assert_eq!(out.len(), 4 * 2 * 3);
        assert_eq!(&out[..3], &img[(3 * 10 + 2) * 3..(3 * 10 + 2) * 3 + 3]);
        assert_eq!(&out[12..15], &img[(4 * 10 + 2) * 3..(4 * 10 + 2) * 3 + 3]);
    }
}
