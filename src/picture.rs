//! Page side: the picture inside a screenshot, or under or over a caption.
//!
//! A re-shared photo often arrives inside something else: a screenshot of an app (a header, side
//! gutters, a caption and buttons below), or a meme-style caption bar above it. PDQ of the whole
//! frame is then far from the photo's, and border trimming (`trim`) stops at the first line of text.
//! What tells the picture apart is texture: a photo has detail nearly everywhere along a line,
//! while a UI bar or a line of text on a flat ground is exactly flat but for a few sharp strokes. So lines (rows, then columns within the rows kept) are classed as picture
//! or not, and the longest run of picture lines is the picture.

use crate::trim::Crop;

/// A step (0-255 luminance) below this between neighbouring pixels is flat: a UI bar, the ground
/// behind a caption, JPEG noise on them. Low, because a photo's smooth gradients (a sky, a studio
/// backdrop) still step by a little nearly everywhere, while UI is drawn in exactly flat colours.
const FLAT_STEP: f32 = 0.5;
/// A line with at least this share of flat steps is UI or text on a bar, not picture.
const UI_FLAT_SHARE: f32 = 0.9;
/// A run of non-picture lines shorter than this share of the side (and than 3 lines) is part of
/// the picture (a smooth band inside it), not a bar. Small, because the gap between a screenshot's
/// picture and the caption below it is often only 1-1.5 % of the side once JPEG ringing has eaten
/// into it, and a caption line counts as picture.
const MIN_BAR_SHARE: f32 = 0.01;
/// Neighbouring lines whose pixels differ by less than this on average (0-255 luminance) continue
/// each other: a flat band inside the picture (a clear sky, a plain ground) grows out of the
/// picture's edge, while a UI bar or the ground behind a caption starts with a jump from it.
const CONTINUE_DIFF: f32 = 3.0;
/// JPEG's block side: its ringing reaches this far from an edge.
const JPEG_BLOCK: isize = 8;
/// The picture must keep at least this share of each side, and what is cut must be at least
/// `MIN_CUT_SHARE` of one side (less is a frame line, which PDQ shrugs off).
const MIN_KEEP_SHARE: f32 = 0.3;
const MIN_CUT_SHARE: f32 = 0.03;
/// Images smaller than this on a side have too few lines to tell bars from picture.
const MIN_SIDE: usize = 16;

/// The share of `steps` that are flat (1 when there are none).
fn flat_share(steps: impl Iterator<Item = f32>) -> f32 {
    let (mut flat, mut n) = (0usize, 0usize);
    for s in steps {
        n += 1;
        flat += (s < FLAT_STEP) as usize;
    }
    if n == 0 {
        1.0
    } else {
        flat as f32 / n as f32
    }
}

/// The longest run of picture lines, given which lines are bars (`true`), where bars too short to
/// be one (see [`MIN_BAR_SHARE`]) inside the picture count as picture, grown over the flat lines
/// that continue it into more picture lines (`diff(a, b)`: how much lines `a` and `b` differ on
/// average; they continue each other below [`CONTINUE_DIFF`]), less the bar's ringing at its ends;
/// `None` when no line is.
fn longest_picture_run(bar: &[bool], diff: impl Fn(usize, usize) -> f32) -> Option<(usize, usize)> {
    let continuous = |a: usize, b: usize| diff(a, b) < CONTINUE_DIFF;
    let min_bar = ((bar.len() as f32 * MIN_BAR_SHARE).ceil() as usize).max(3);
    let runs = |of: &[bool], value: bool| {
        let mut out = Vec::new();
        let mut at = 0;
        while at < of.len() {
            let end = (at..of.len()).find(|&k| of[k] != of[at]).unwrap_or(of.len());
            if of[at] == value {
                out.push((at, end));
            }
            at = end;
        }
        out
    };
    let mut picture: Vec<bool> = bar.iter().map(|&b| !b).collect();
    for (start, end) in runs(bar, true) {
        if end - start < min_bar && start > 0 && end < bar.len() {
            picture[start..end].iter_mut().for_each(|p| *p = true);
        }
    }
    let (start, end) =
        runs(&picture, true).into_iter().max_by_key(|&(start, end)| (end - start, std::cmp::Reverse(start)))?;
    // Over flat lines only smoothly, and only as far as picture lines beyond them: flat lines at
    // the end of the run (a gutter, the ground under a caption) stay out. Into and out of flat
    // lines, the picture side is judged a JPEG block deep: ringing makes the lines next to a bar
    // picture lines of the bar's colour.
    let grow = |edge: usize, step: isize| {
        let deep = |k: usize, by: isize| (k as isize + by).clamp(0, bar.len() as isize - 1) as usize;
        let (mut last, mut reached) = (edge, edge);
        let mut k = edge as isize + step;
        while (0..bar.len() as isize).contains(&k) {
            let next = k as usize;
            let joined = match (picture[last], picture[next]) {
                (true, true) => true,
                (true, false) => continuous(deep(last, -step * (JPEG_BLOCK - 1)), next),
                (false, true) => continuous(last, deep(next, step * (JPEG_BLOCK - 1))),
                (false, false) => continuous(last, next),
            };
            if !joined {
                break;
            }
            last = next;
            if picture[next] {
                reached = next;
            }
            k += step;
        }
        reached
    };
    // JPEG ringing makes the lines of a bar next to the picture picture lines too: a line at the
    // run's end that is nearer the line outside the run than the next line in is the bar's.
    let (mut start, mut end) = (grow(start, -1), grow(end - 1, 1) + 1);
    let block = JPEG_BLOCK as usize;
    if start > 0 {
        let outside = start - 1;
        let last = (outside + block).min(end - 1);
        while start < last && diff(start, outside) < diff(start, start + 1) {
            start += 1;
        }
    }
    if end < bar.len() {
        let (outside, last) = (end, end.saturating_sub(block).max(start + 1));
        while end > last && diff(end - 1, outside) < diff(end - 1, end - 2) {
            end -= 1;
        }
    }
    Some((start, end))
}

/// The picture inside UI or text bars of a luminance image (`width` x `height`,
/// row-major): the longest run of picture rows, then of picture columns within those rows (and the
/// rows once more within those columns, since gutters make every row look flatter). `None` when
/// nothing worth cutting off was found.
pub fn picture_box(lum: &[f32], width: usize, height: usize) -> Option<Crop> {
    let (w, h) = (width, height);
    if w < MIN_SIDE || h < MIN_SIDE {
        return None;
    }
    let at = |x: usize, y: usize| lum[y * w + x];
    let row_bars = |x0: usize, x1: usize| -> Vec<bool> {
        (0..h).map(|y| flat_share((x0 + 1..x1).map(|x| (at(x, y) - at(x - 1, y)).abs())) >= UI_FLAT_SHARE).collect()
    };
    let column_bars = |y0: usize, y1: usize| -> Vec<bool> {
        (0..w).map(|x| flat_share((y0 + 1..y1).map(|y| (at(x, y) - at(x, y - 1)).abs())) >= UI_FLAT_SHARE).collect()
    };
    let mean_diff = |pairs: &mut dyn Iterator<Item = (f32, f32)>| {
        let (sum, n) = pairs.fold((0.0, 0usize), |(sum, n), (p, q)| (sum + (p - q).abs(), n + 1));
        sum / n.max(1) as f32
    };
    let rows_continue =
        |x0: usize, x1: usize| move |a: usize, b: usize| mean_diff(&mut (x0..x1).map(|x| (at(x, a), at(x, b))));
    let columns_continue =
        |y0: usize, y1: usize| move |a: usize, b: usize| mean_diff(&mut (y0..y1).map(|y| (at(a, y), at(b, y))));
    let (y0, y1) = longest_picture_run(&row_bars(0, w), rows_continue(0, w))?;
    let (x0, x1) = longest_picture_run(&column_bars(y0, y1), columns_continue(y0, y1))?;
    let (y0, y1) = if x1 - x0 < w { longest_picture_run(&row_bars(x0, x1), rows_continue(x0, x1))? } else { (y0, y1) };
    Crop { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }.worth_cutting(w, h, MIN_KEEP_SHARE, MIN_CUT_SHARE)
}

/// Whether two boxes of a `width` x `height` image are the same within 2 % of each side on every
/// edge: one hash then stands for both.
pub fn same_box(a: Crop, b: Crop, width: usize, height: usize) -> bool {
    let near = |p: usize, q: usize, side: usize| p.abs_diff(q) as f32 <= 0.02 * side as f32;
    near(a.x, b.x, width)
        && near(a.y, b.y, height)
        && near(a.x + a.width, b.x + b.width, width)
        && near(a.y + a.height, b.y + b.height, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random 3-px blocks: texture on every line, as a photo has.
    fn texture(x: usize, y: usize) -> f32 {
        ((x / 3 * 7919 + y / 3 * 104_729) as u32).wrapping_mul(2_654_435_761).wrapping_shr(24) as f32
    }

    /// A `w` x `h` luminance image: `picture` (x, y, w, h) textured; outside it a flat grey ground,
    /// with lines of "text" above and below it (dark blocks, 2 rows of every 8, in runs of 18 of
    /// every 24 columns), plain beside it.
    fn screenshot(w: usize, h: usize, picture: Crop) -> Vec<f32> {
        (0..w * h)
            .map(|k| {
                let (x, y) = (k % w, k / w);
                let rows = (picture.y..picture.y + picture.height).contains(&y);
                if rows && (picture.x..picture.x + picture.width).contains(&x) {
                    texture(x, y)
                } else if !rows && y % 8 < 2 && x % 24 < 18 {
                    30.0
                } else {
                    240.0
                }
            })
            .collect()
    }

    #[test]
    fn the_picture_inside_app_chrome_is_found() {
        let picture = Crop { x: 40, y: 30, width: 160, height: 120 };
        assert_eq!(picture_box(&screenshot(240, 220, picture), 240, 220), Some(picture));
    }

    #[test]
    fn the_picture_under_a_caption_bar_is_found() {
        let picture = Crop { x: 0, y: 36, width: 200, height: 150 };
        assert_eq!(picture_box(&screenshot(200, 186, picture), 200, 186), Some(picture));
    }

    #[test]
    fn a_photo_filling_the_frame_is_left_alone() {
        let all = Crop { x: 0, y: 0, width: 120, height: 90 };
        assert_eq!(picture_box(&screenshot(120, 90, all), 120, 90), None);
    }

    #[test]
    fn a_page_of_text_has_no_picture() {
        assert_eq!(picture_box(&screenshot(200, 200, Crop { x: 0, y: 0, width: 0, height: 0 }), 200, 200), None);
    }

    #[test]
    fn a_thin_smooth_band_inside_the_picture_does_not_split_it() {
        let picture = Crop { x: 0, y: 40, width: 200, height: 160 };
        let mut lum = screenshot(200, 200, picture);
        // Two flat rows across the middle of the picture.
        lum[120 * 200..122 * 200].iter_mut().for_each(|v| *v = 128.0);
        assert_eq!(picture_box(&lum, 200, 200), Some(picture));
    }

    #[test]
    fn a_flat_sky_fading_out_of_the_picture_does_not_split_it() {
        let picture = Crop { x: 40, y: 30, width: 160, height: 120 };
        let mut lum = screenshot(240, 220, picture);
        // A flat band across the middle of the picture, with haze fading into it on both sides.
        for y in 60..110 {
            for x in 40..200 {
                lum[y * 240 + x] = if (70..100).contains(&y) { 128.0 } else { 128.0 + texture(x, y) / 64.0 };
            }
        }
        assert_eq!(picture_box(&lum, 240, 220), Some(picture));
    }

    #[test]
    fn jpeg_ringing_next_to_the_picture_stays_out() {
        // The picture ends two lines before a line of text, so that the ringing below it is
        // followed by plain ground.
        let picture = Crop { x: 40, y: 30, width: 160, height: 118 };
        let mut lum = screenshot(240, 220, picture);
        // Two lines of ringing round the picture: the ground's grey, rippling by a few levels.
        for y in 28..150 {
            for x in 38..202 {
                if !(30..148).contains(&y) || !(40..200).contains(&x) {
                    lum[y * 240 + x] = 240.0 - 4.0 * ((x + y) % 3) as f32;
                }
            }
        }
        assert_eq!(picture_box(&lum, 240, 220), Some(picture));
    }

    #[test]
    fn boxes_within_two_percent_are_the_same() {
        let a = Crop { x: 10, y: 10, width: 100, height: 100 };
        assert!(same_box(a, Crop { x: 12, y: 9, width: 99, height: 100 }, 200, 200));
        assert!(!same_box(a, Crop { x: 20, y: 10, width: 90, height: 100 }, 200, 200));
    }
}
