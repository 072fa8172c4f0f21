//! Prototypes of issue 15's additions, measured here before they move into the core.

use veil::trim::Crop;

/// A step (0-255 luminance) below this between neighbouring pixels is flat: a UI bar, a caption's
/// background, JPEG noise on them, or a blurred fill.
const FLAT_STEP: f32 = 2.0;
/// A line with at least this share of flat steps is UI, text on a bar, or fill, not picture: text
/// is sharp strokes on a flat ground, a photo is texture nearly everywhere.
const UI_FLAT_SHARE: f32 = 0.75;
/// A run of UI lines shorter than this share of the side is part of the picture (a smooth band).
const MIN_BAR_SHARE: f32 = 0.015;
/// The picture must keep at least this share of each side, and lose at least `MIN_CUT_SHARE`.
const MIN_KEEP_SHARE: f32 = 0.3;
const MIN_CUT_SHARE: f32 = 0.03;

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

/// The longest run of picture lines among `ui` (true = UI line), ignoring UI runs too short to be
/// a bar; `None` when no line is picture.
fn longest_picture_run(ui: &[bool]) -> Option<(usize, usize)> {
    let min_bar = ((ui.len() as f32 * MIN_BAR_SHARE).ceil() as usize).max(2);
    // Short UI runs count as picture.
    let mut picture: Vec<bool> = ui.iter().map(|&u| !u).collect();
    let mut at = 0;
    while at < ui.len() {
        if ui[at] {
            let end = (at..ui.len()).find(|&k| !ui[k]).unwrap_or(ui.len());
            if end - at < min_bar && at > 0 && end < ui.len() {
                picture[at..end].iter_mut().for_each(|p| *p = true);
            }
            at = end;
        } else {
            at += 1;
        }
    }
    let mut best: Option<(usize, usize)> = None;
    let mut at = 0;
    while at < picture.len() {
        if picture[at] {
            let end = (at..picture.len()).find(|&k| !picture[k]).unwrap_or(picture.len());
            if best.map_or(true, |(s, e)| end - at > e - s) {
                best = Some((at, end));
            }
            at = end;
        } else {
            at += 1;
        }
    }
    best
}

/// The picture inside a screenshot, or under or over a caption: the largest band of rows, then of
/// columns within it, that are picture rather than UI bars, text lines or fill.
pub fn picture_box(lum: &[f32], width: usize, height: usize) -> Option<Crop> {
    let (w, h) = (width, height);
    if w < 16 || h < 16 {
        return None;
    }
    let at = |x: usize, y: usize| lum[y * w + x];
    let rows_ui = |x0: usize, x1: usize| -> Vec<bool> {
        (0..h).map(|y| flat_share((x0 + 1..x1).map(|x| (at(x, y) - at(x - 1, y)).abs())) >= UI_FLAT_SHARE).collect()
    };
    let cols_ui = |y0: usize, y1: usize| -> Vec<bool> {
        (0..w).map(|x| flat_share((y0 + 1..y1).map(|y| (at(x, y) - at(x, y - 1)).abs())) >= UI_FLAT_SHARE).collect()
    };
    let (y0, y1) = longest_picture_run(&rows_ui(0, w))?;
    let (x0, x1) = longest_picture_run(&cols_ui(y0, y1))?;
    let (y0, y1) = if x1 - x0 < w { longest_picture_run(&rows_ui(x0, x1))? } else { (y0, y1) };
    let (cw, ch) = (x1 - x0, y1 - y0);
    let keeps = cw as f32 >= MIN_KEEP_SHARE * w as f32 && ch as f32 >= MIN_KEEP_SHARE * h as f32;
    let cuts = (w - cw) as f32 >= MIN_CUT_SHARE * w as f32 || (h - ch) as f32 >= MIN_CUT_SHARE * h as f32;
    (keeps && cuts).then_some(Crop { x: x0, y: y0, width: cw, height: ch })
}

/// Two boxes this close (each edge within this share of the side) hash alike: one is enough.
pub fn same_box(a: Crop, b: Crop, width: usize, height: usize) -> bool {
    let near = |p: usize, q: usize, side: usize| p.abs_diff(q) as f32 <= 0.02 * side as f32;
    near(a.x, b.x, width)
        && near(a.y, b.y, height)
        && near(a.x + a.width, b.x + b.width, width)
        && near(a.y + a.height, b.y + b.height, height)
}

/// `lum` (w x h) rotated by `degrees` about its centre, bilinear, cropped to the largest centred
/// rectangle of the same aspect that holds no corner: what a slightly rotated repost shows once it
/// is cropped back to a clean frame.
pub fn rotated_inscribed(lum: &[f32], w: usize, h: usize, degrees: f32) -> (Vec<f32>, usize, usize) {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (sin, cos) = (sin.abs(), cos.abs());
    // Largest centred w' x h' (same aspect) inside the rotated frame: both half-extents fit.
    let scale = 1.0 / (cos + sin * (w.max(h) as f32 / w.min(h) as f32));
    let (ow, oh) = (((w as f32 * scale) as usize).max(1), ((h as f32 * scale) as usize).max(1));
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = Vec::with_capacity(ow * oh);
    for y in 0..oh {
        for x in 0..ow {
            let (dx, dy) = (x as f32 + 0.5 - ow as f32 / 2.0, y as f32 + 0.5 - oh as f32 / 2.0);
            let sx = (c * dx + s * dy + cx - 0.5).clamp(0.0, (w - 1) as f32);
            let sy = (-s * dx + c * dy + cy - 0.5).clamp(0.0, (h - 1) as f32);
            let (x0, y0) = (sx as usize, sy as usize);
            let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            let p = |x: usize, y: usize| lum[y * w + x];
            let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
            let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
            out.push(top * (1.0 - fy) + bottom * fy);
        }
    }
    (out, ow, oh)
}

/// `lum` rotated by `degrees` on the same canvas, the uncovered corners filled with black: what an
/// editor's "rotate" leaves when the canvas is kept.
pub fn rotated_same_canvas(lum: &[f32], w: usize, h: usize, degrees: f32) -> Vec<f32> {
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let sx = c * dx + s * dy + cx - 0.5;
            let sy = -s * dx + c * dy + cy - 0.5;
            if sx < 0.0 || sy < 0.0 || sx > (w - 1) as f32 || sy > (h - 1) as f32 {
                out.push(0.0);
                continue;
            }
            let (x0, y0) = (sx as usize, sy as usize);
            let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            let p = |x: usize, y: usize| lum[y * w + x];
            let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
            let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
            out.push(top * (1.0 - fy) + bottom * fy);
        }
    }
    out
}

/// Off-centre crops the stored ones miss: keeping `share` of each side, at the middle of each edge
/// (the corners and the centre are stored already), and 95 % crops at each corner.
pub fn offcentre_crops(width: usize, height: usize) -> Vec<Crop> {
    let mut crops = Vec::new();
    let (w, h) = ((width as f32 * 0.9) as usize, (height as f32 * 0.9) as usize);
    let (mx, my) = ((width - w) / 2, (height - h) / 2);
    for (x, y) in [(mx, 0), (mx, height - h), (0, my), (width - w, my)] {
        crops.push(Crop { x, y, width: w, height: h });
    }
    let (w, h) = ((width as f32 * 0.95) as usize, (height as f32 * 0.95) as usize);
    for (x, y) in [(0, 0), (width - w, 0), (0, height - h), (width - w, height - h)] {
        crops.push(Crop { x, y, width: w, height: h });
    }
    crops
}
