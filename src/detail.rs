//! Page side: the sharp picture on a blurred fill.
//!
//! Platforms (Instagram, TikTok, Stories) place an off-ratio picture on a blurred, enlarged copy of
//! itself. That fill is not uniform, and its smooth gradients step by several levels a pixel, so
//! border trimming (`trim`, which wants near-flat lines) and the UI finder (`picture`, which wants
//! exactly flat ones) miss it. What sets the picture apart is fine detail: a blur leaves a surface
//! that is locally linear, whose second differences are nearly zero, while a photo's are large
//! almost everywhere. So every line (row, column) gets its mean absolute second difference, and the
//! picture is the rectangle of the lines with a fair share of the image's detail, centred as platforms
//! centre it.

use crate::trim::Crop;

/// A line with less than this share of the image's reference detail (`REFERENCE_QUANTILE`) is
/// fill. A blurred fill measured below 0.05 of it at <= 512 px, a photo's own smooth sky 0.1-0.3.
const FILL_SHARE: f32 = 0.2;
/// The reference detail is this quantile of the lines' detail: the picture's, even when it covers
/// only a third of the lines (a landscape photo on a 9:16 story).
const REFERENCE_QUANTILE: f32 = 0.85;
/// Below this reference detail (0-255 luminance per pixel) the whole image is smooth: a gradient, a
/// blurred photo, nothing sharp to find inside it.
const MIN_REFERENCE: f32 = 1.0;
/// What is cut must be at least this share of one side, half of it on each edge (less is a frame
/// line, which PDQ shrugs off, or a photo's own soft edge; 10 % padding cuts 9 %), and the picture
/// must keep at least `MIN_KEEP_SHARE` of each.
const MIN_CUT_SHARE: f32 = 0.06;
const MIN_KEEP_SHARE: f32 = 0.3;
/// Images smaller than this on a side have too few lines to tell fill from picture.
const MIN_SIDE: usize = 16;

/// Each line's detail: the mean absolute second difference of luminance at its pixels, across and
/// along the line, of a `width` x `height` image. Rows first, then columns.
fn line_detail(lum: &[f32], width: usize, height: usize) -> (Vec<f32>, Vec<f32>) {
    let (w, h) = (width, height);
    let mut rows = vec![0.0f32; h];
    let mut columns = vec![0.0f32; w];
    // One row's details at a time, in plain slices so that the loops vectorise: this runs on every
    // page image, beside a PDQ.
    let mut line = vec![0.0f32; w - 2];
    for y in 1..h - 1 {
        let (above, here, below) = (&lum[(y - 1) * w..y * w], &lum[y * w..(y + 1) * w], &lum[(y + 1) * w..(y + 2) * w]);
        for (k, d) in line.iter_mut().enumerate() {
            let middle = 2.0 * here[k + 1];
            *d = (here[k] - middle + here[k + 2]).abs() + (above[k + 1] - middle + below[k + 1]).abs();
        }
        columns[1..w - 1].iter_mut().zip(&line).for_each(|(c, d)| *c += d);
        rows[y] = sum(&line) / (w - 2) as f32;
    }
    columns.iter_mut().for_each(|c| *c /= (h - 2) as f32);
    // The outermost lines have no second difference of their own: they take their neighbour's.
    rows[0] = rows[1];
    rows[h - 1] = rows[h - 2];
    columns[0] = columns[1];
    columns[w - 1] = columns[w - 2];
    (rows, columns)
}

/// The sum of `values`, in eight lanes so that it vectorises.
fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = values.chunks_exact(8);
    let rest: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        lanes.iter_mut().zip(chunk).for_each(|(l, v)| *l += v);
    }
    lanes.iter().sum::<f32>() + rest
}

/// The `q` quantile of `values` (not empty).
fn quantile(values: &[f32], q: f32) -> f32 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    sorted[((sorted.len() - 1) as f32 * q).round() as usize]
}

/// The lines kept of `detail` (first, one past the last): those between the first and the last
/// whose detail reaches `threshold`, widened to be centred, or `None` when none reaches it.
/// Platforms centre the picture on its fill, while a picture's own smooth edge (a sky, a plain
/// floor) can read as fill on one side: so the smaller of the two cuts is taken for both.
fn centred_span(detail: &[f32], threshold: f32) -> Option<(usize, usize)> {
    let first = detail.iter().position(|&d| d >= threshold)?;
    let last = detail.iter().rposition(|&d| d >= threshold)?;
    let cut = first.min(detail.len() - 1 - last);
    Some((cut, detail.len() - cut))
}

/// The sharp picture on a blurred or flat fill in a luminance image (`width` x `height`,
/// row-major): the centred rectangle around the rows and columns with at least [`FILL_SHARE`] of
/// the image's reference detail (see [`centred_span`]). `None` when nothing worth cutting off was
/// found.
pub fn detail_box(lum: &[f32], width: usize, height: usize) -> Option<Crop> {
    let (w, h) = (width, height);
    if w < MIN_SIDE || h < MIN_SIDE {
        return None;
    }
    let (rows, columns) = line_detail(lum, w, h);
    let reference = quantile(&rows, REFERENCE_QUANTILE).max(quantile(&columns, REFERENCE_QUANTILE));
    if reference < MIN_REFERENCE {
        return None;
    }
    let (y0, y1) = centred_span(&rows, FILL_SHARE * reference)?;
    let (x0, x1) = centred_span(&columns, FILL_SHARE * reference)?;
    Crop { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }.worth_cutting(w, h, MIN_KEEP_SHARE, MIN_CUT_SHARE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random pixels: fine detail on every line, as a photo has.
    fn texture(x: usize, y: usize) -> f32 {
        ((x * 7919 + y * 104_729) as u32).wrapping_mul(2_654_435_761).wrapping_shr(24) as f32
    }

    /// Whether `found` is `picture` within a pixel on every edge: the fill line touching the
    /// picture steps into it, so it may read as detail.
    fn within_a_pixel(found: Option<Crop>, picture: Crop) -> bool {
        let Some(found) = found else { return false };
        let near = |a: usize, b: usize| a.abs_diff(b) <= 1;
        near(found.x, picture.x)
            && near(found.y, picture.y)
            && near(found.x + found.width, picture.x + picture.width)
            && near(found.y + found.height, picture.y + picture.height)
    }

    /// A blurred, enlarged copy of a picture as platforms make it: a 4 x 4 grid of random greys
    /// spread bilinearly over the whole `w` x `h` frame.
    fn blurred_fill(x: usize, y: usize, w: usize, h: usize) -> f32 {
        let grid = |i: usize, j: usize| 40.0 + (texture(i, j) * 0.7);
        let (gx, gy) = (x as f32 / w as f32 * 3.0, y as f32 / h as f32 * 3.0);
        let (i, j) = (gx.floor() as usize, gy.floor() as usize);
        let (fx, fy) = (gx - i as f32, gy - j as f32);
        let top = grid(i, j) * (1.0 - fx) + grid(i + 1, j) * fx;
        let bottom = grid(i, j + 1) * (1.0 - fx) + grid(i + 1, j + 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// A `w` x `h` luminance image: `picture` textured, on a blurred fill.
    fn on_blurred_fill(w: usize, h: usize, picture: Crop) -> Vec<f32> {
        (0..w * h)
            .map(|k| {
                let (x, y) = (k % w, k / w);
                let inside = (picture.x..picture.x + picture.width).contains(&x)
                    && (picture.y..picture.y + picture.height).contains(&y);
                if inside {
                    texture(x, y)
                } else {
                    blurred_fill(x, y, w, h)
                }
            })
            .collect()
    }

    #[test]
    fn a_picture_padded_with_a_blurred_copy_is_found() {
        // 20 % padding: a tenth of each side on every edge.
        let picture = Crop { x: 20, y: 15, width: 200, height: 150 };
        let found = detail_box(&on_blurred_fill(240, 180, picture), 240, 180);
        assert!(within_a_pixel(found, picture), "{found:?}");
    }

    #[test]
    fn a_landscape_on_a_tall_blurred_story_is_found() {
        let picture = Crop { x: 0, y: 110, width: 180, height: 100 };
        let found = detail_box(&on_blurred_fill(180, 320, picture), 180, 320);
        assert!(within_a_pixel(found, picture), "{found:?}");
    }

    #[test]
    fn a_picture_s_smooth_edge_on_one_side_is_kept_as_the_other_side_s_cut() {
        // The top 30 rows of the picture are a flat sky: they read as fill, the bottom cut does not.
        let picture = Crop { x: 20, y: 20, width: 200, height: 160 };
        let mut lum = on_blurred_fill(240, 200, picture);
        lum[20 * 240..50 * 240].iter_mut().enumerate().for_each(|(k, v)| {
            if (20..220).contains(&(k % 240)) {
                *v = 200.0;
            }
        });
        let found = detail_box(&lum, 240, 200);
        assert!(within_a_pixel(found, picture), "{found:?}");
    }

    #[test]
    fn a_photo_filling_the_frame_is_left_alone() {
        let all = Crop { x: 0, y: 0, width: 160, height: 120 };
        assert_eq!(detail_box(&on_blurred_fill(160, 120, all), 160, 120), None);
    }

    #[test]
    fn a_smooth_image_has_no_sharp_picture() {
        let none = Crop { x: 0, y: 0, width: 0, height: 0 };
        assert_eq!(detail_box(&on_blurred_fill(160, 120, none), 160, 120), None);
    }

    #[test]
    fn a_sliver_of_detail_is_not_taken_for_the_picture() {
        let sliver = Crop { x: 70, y: 0, width: 20, height: 120 };
        assert_eq!(detail_box(&on_blurred_fill(160, 120, sliver), 160, 120), None);
    }

    #[test]
    fn a_thin_blurred_frame_is_not_worth_a_hash() {
        // Two pixels of fill on each side of 200: a 2 % cut, below MIN_CUT_SHARE.
        let picture = Crop { x: 2, y: 2, width: 196, height: 146 };
        assert_eq!(detail_box(&on_blurred_fill(200, 150, picture), 200, 150), None);
    }
}
