//! Page-side trimming of letterbox and padding borders before hashing.
//!
//! PDQ hashes the whole frame, so a repost padded with bars (black, white, or the blurred-fill
//! style platforms use for off-ratio images) hashes far from the original: Thorn measured 1.3 %
//! recall at 20 % padding. Such bars carry almost no detail: a uniform bar has no gradient at all
//! and a heavily blurred fill has only tiny ones. So we peel lines off each edge while they stay
//! flat, and keep the trim only where the picture starts with a clear edge: a photo's own smooth
//! margin (a sky fading into a scene) is part of the picture, and trimming it would only hash a
//! different image.

/// Mean absolute luminance step (0..255 scale) along a line below which it counts as fill.
/// JPEG ringing on a black bar stays under 1; blurred fills measured around 0.5-1.5 at <= 512 px.
const FILL_GRADIENT: f32 = 2.5;
/// Mean absolute luminance difference between the last fill line and the first content line
/// above which the content starts with an edge (a bar's border), not a gradual fade.
const EDGE_STEP: f32 = 6.0;
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

impl Crop {
    /// This box of a `width` x `height` image, if it is worth a hash of its own: it keeps at least
    /// `min_keep_share` of each side and cuts at least `min_cut_share` of one (`picture`, `detail`).
    pub(crate) fn worth_cutting(
        self,
        width: usize,
        height: usize,
        min_keep_share: f32,
        min_cut_share: f32,
    ) -> Option<Crop> {
        let (w, h, cw, ch) = (width as f32, height as f32, self.width as f32, self.height as f32);
        let keeps = cw >= min_keep_share * w && ch >= min_keep_share * h;
        let cuts = w - cw >= min_cut_share * w || h - ch >= min_cut_share * h;
        (keeps && cuts).then_some(self)
    }
}

/// The content box of a luminance image (`width` x `height`, row-major) with fill borders
/// removed, or `None` when no border worth removing was found (the caller then hashes the image as
/// it is). Works on luminance because PDQ does: the same buffer then feeds both hashes.
pub fn content_box(lum: &[f32], width: usize, height: usize) -> Option<Crop> {
    let (w, h) = (width, height);
    if w < 8 || h < 8 {
        return None;
    }
    let at = |x: usize, y: usize| lum[y * w + x];
    let mean = |n: usize, f: &dyn Fn(usize) -> f32| (0..n).map(f).sum::<f32>() / n as f32;
    // Row y over columns x0..x1: is it flat, and how far is it from row y2 (one step outwards)?
    let row_flat = |y: usize, x0: usize, x1: usize| {
        mean(x1 - x0 - 1, &|i| (at(x0 + i + 1, y) - at(x0 + i, y)).abs()) < FILL_GRADIENT
    };
    let row_step =
        |y: usize, y2: usize, x0: usize, x1: usize| mean(x1 - x0, &|i| (at(x0 + i, y) - at(x0 + i, y2)).abs());
    let col_flat = |x: usize, y0: usize, y1: usize| {
        mean(y1 - y0 - 1, &|i| (at(x, y0 + i + 1) - at(x, y0 + i)).abs()) < FILL_GRADIENT
    };
    let col_step =
        |x: usize, x2: usize, y0: usize, y1: usize| mean(y1 - y0, &|i| (at(x, y0 + i) - at(x2, y0 + i)).abs());
    let top = peel(h, |n| row_flat(n, 0, w), |n| row_step(n, n - 1, 0, w));
    let bottom = h - peel(h - top, |n| row_flat(h - 1 - n, 0, w), |n| row_step(h - 1 - n, h - n, 0, w));
    let left = peel(w, |n| col_flat(n, top, bottom), |n| col_step(n, n - 1, top, bottom));
    let right = w - peel(w - left, |n| col_flat(w - 1 - n, top, bottom), |n| col_step(w - 1 - n, w - n, top, bottom));
    let (cw, ch) = (right - left, bottom - top);
    let trimmed_w = (w - cw) as f32 / w as f32;
    let trimmed_h = (h - ch) as f32 / h as f32;
    let worth_it = trimmed_w >= MIN_TRIM_SHARE || trimmed_h >= MIN_TRIM_SHARE;
    let keeps_content = cw as f32 >= MIN_KEEP_SHARE * w as f32 && ch as f32 >= MIN_KEEP_SHARE * h as f32;
    (worth_it && keeps_content).then_some(Crop { x: left, y: top, width: cw, height: ch })
}

/// How many of `lines` lines to peel off one edge: line `n` (counted from the edge) is fill while
/// `is_fill(n)` and no edge separates it from line `n - 1` (`step(n)`, its difference from it).
/// The peel stands only if it ends at such an edge.
fn peel(lines: usize, is_fill: impl Fn(usize) -> bool, step: impl Fn(usize) -> f32) -> usize {
    let mut n = 0;
    while n + 2 < lines && is_fill(n) && (n == 0 || step(n) < EDGE_STEP) {
        n += 1;
    }
    if n > 0 && step(n) < EDGE_STEP {
        0
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdq::{luma, Layout, Pixels};

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
    fn pad(
        inner: &[u8],
        (iw, ih): (usize, usize),
        (ow, oh): (usize, usize),
        (ox, oy): (usize, usize),
        fill: impl Fn(usize, usize) -> [u8; 3],
    ) -> Vec<u8> {
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
        content_box(&luma(Pixels { data, width: w, height: h, layout: Layout::Rgb }).unwrap(), w, h)
    }

    #[test]
    fn a_photo_without_borders_is_left_alone() {
        assert_eq!(boxed(&photo(120, 90), 120, 90), None);
    }

    #[test]
    fn black_letterbox_bars_are_removed_exactly() {
        let img = pad(&photo(100, 60), (100, 60), (100, 100), (0, 20), |_, _| [0, 0, 0]);
        assert_eq!(boxed(&img, 100, 100), Some(Crop { x: 0, y: 20, width: 100, height: 60 }));
    }

    #[test]
    fn white_padding_on_all_sides_is_removed() {
        let img = pad(&photo(80, 60), (80, 60), (120, 90), (20, 15), |_, _| [255, 255, 255]);
        assert_eq!(boxed(&img, 120, 90), Some(Crop { x: 20, y: 15, width: 80, height: 60 }));
    }

    #[test]
    fn a_smooth_blurred_fill_is_removed() {
        // A slow gradient stands in for a blurred, enlarged copy of the image behind it.
        let img = pad(&photo(60, 100), (60, 100), (120, 100), (30, 0), |x, y| {
            let v = (60 + x / 2 + y / 3) as u8;
            [v, v, v / 2]
        });
        assert_eq!(boxed(&img, 120, 100), Some(Crop { x: 30, y: 0, width: 60, height: 100 }));
    }

    #[test]
    fn a_flat_image_is_not_trimmed_to_a_sliver() {
        let img = pad(&photo(10, 10), (10, 10), (100, 100), (45, 45), |_, _| [0, 0, 0]);
        assert_eq!(boxed(&img, 100, 100), None);
    }

    /// A photo whose top 30 rows are a smooth sky that fades into the textured scene below.
    fn photo_under_sky(w: usize, h: usize) -> Vec<u8> {
        let scene = photo(w, h);
        (0..w * h)
            .flat_map(|k| {
                let (x, y) = (k % w, k / w);
                let sky = [150 + (x / 20) as u8, 180, 230];
                let fade = (y as f32 / 30.0).min(1.0);
                let p = &scene[k * 3..k * 3 + 3];
                std::array::from_fn::<u8, 3, _>(|c| (sky[c] as f32 * (1.0 - fade) + p[c] as f32 * fade) as u8)
            })
            .collect()
    }

    #[test]
    fn a_photo_s_own_smooth_sky_is_not_trimmed() {
        assert_eq!(boxed(&photo_under_sky(120, 90), 120, 90), None);
    }

    #[test]
    fn bars_are_trimmed_up_to_the_picture_even_where_it_starts_with_sky() {
        let img = pad(&photo_under_sky(100, 60), (100, 60), (100, 100), (0, 20), |_, _| [0, 0, 0]);
        assert_eq!(boxed(&img, 100, 100), Some(Crop { x: 0, y: 20, width: 100, height: 60 }));
    }
}
