//! Protected side: an image slightly rotated, as a re-photographed or straightened repost shows it.
//!
//! PDQ tolerates about a degree of rotation; a repost photographed off a screen, or rotated in an
//! editor, is often a few degrees off. Hashing the protected image rotated by a few degrees, once
//! when it is protected, covers those copies at no cost per page image: each angle both cropped to
//! a clean frame (a re-photograph, a straightened crop) and on its own canvas with the uncovered
//! corners black (an editor's rotate; transparent corners also reach the hash black).

/// The angles (degrees) the protected image is also hashed at.
pub const ROTATIONS: [f32; 2] = [-4.0, 4.0];

/// The protected image's rotated copies, as (samples, width, height): for each of [`ROTATIONS`],
/// [`rotated_inscribed`] then [`rotated_on_canvas`].
pub fn rotated_copies(lum: &[f32], width: usize, height: usize) -> Vec<(Vec<f32>, usize, usize)> {
    ROTATIONS
        .iter()
        .flat_map(|&degrees| {
            [
                rotated_inscribed(lum, width, height, degrees),
                (rotated_on_canvas(lum, width, height, degrees), width, height),
            ]
        })
        .collect()
}

/// Bilinear sample of `lum` (`w` x `h`) at (x, y), clamped to the image.
fn sample(lum: &[f32], w: usize, h: usize, x: f32, y: f32) -> f32 {
    let (x, y) = (x.clamp(0.0, (w - 1) as f32), y.clamp(0.0, (h - 1) as f32));
    let (x0, y0) = (x as usize, y as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x: usize, y: usize| lum[y * w + x];
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// `lum` rotated by `degrees` about its centre on the same canvas, the uncovered corners black.
pub fn rotated_on_canvas(lum: &[f32], width: usize, height: usize, degrees: f32) -> Vec<f32> {
    let (w, h) = (width, height);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let (sx, sy) = (cos * dx + sin * dy + cx - 0.5, -sin * dx + cos * dy + cy - 0.5);
            let inside = sx >= 0.0 && sy >= 0.0 && sx <= (w - 1) as f32 && sy <= (h - 1) as f32;
            out.push(if inside { sample(lum, w, h, sx, sy) } else { 0.0 });
        }
    }
    out
}

/// `lum` (`width` x `height`, row-major) rotated by `degrees` (counter-clockwise) about its
/// centre, bilinear, cropped to the largest centred rectangle of the same aspect that holds no
/// uncovered corner: what a slightly rotated copy shows once cropped back to a clean frame.
/// Returns the samples and their width and height.
pub fn rotated_inscribed(lum: &[f32], width: usize, height: usize, degrees: f32) -> (Vec<f32>, usize, usize) {
    let (w, h) = (width, height);
    let (sin, cos) = degrees.to_radians().sin_cos();
    // A centred w' x h' of the same aspect fits inside the rotated frame when its half-diagonal's
    // projections do: the scale is 1 / (cos + sin * long / short).
    let scale = 1.0 / (cos.abs() + sin.abs() * (w.max(h) as f32 / w.min(h).max(1) as f32));
    let (ow, oh) = (((w as f32 * scale) as usize).max(1), ((h as f32 * scale) as usize).max(1));
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut out = Vec::with_capacity(ow * oh);
    for y in 0..oh {
        for x in 0..ow {
            let (dx, dy) = (x as f32 + 0.5 - ow as f32 / 2.0, y as f32 + 0.5 - oh as f32 / 2.0);
            out.push(sample(lum, w, h, cos * dx + sin * dy + cx - 0.5, -sin * dx + cos * dy + cy - 0.5));
        }
    }
    (out, ow, oh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rotation_keeps_the_image() {
        let lum: Vec<f32> = (0..12 * 8).map(|k| k as f32).collect();
        assert_eq!(rotated_inscribed(&lum, 12, 8, 0.0), (lum.clone(), 12, 8));
    }

    #[test]
    fn the_inscribed_frame_keeps_the_aspect_and_holds_no_corner() {
        let lum = vec![100.0f32; 400 * 300];
        let (out, w, h) = rotated_inscribed(&lum, 400, 300, 4.0);
        // 1 / (cos 4° + sin 4° * 4/3) = 0.915.
        assert_eq!((w, h), (366, 275));
        assert!((w as f32 / h as f32 - 4.0 / 3.0).abs() < 0.01);
        assert!(out.iter().all(|&v| v == 100.0), "every sample comes from inside the image");
    }

    #[test]
    fn on_its_canvas_the_corners_are_black_and_the_centre_kept() {
        let lum = vec![100.0f32; 40 * 30];
        let out = rotated_on_canvas(&lum, 40, 30, 4.0);
        assert_eq!(out.len(), 40 * 30);
        assert_eq!(out[0], 0.0);
        assert_eq!(out[15 * 40 + 20], 100.0);
        assert_eq!(rotated_copies(&lum, 40, 30).len(), 2 * ROTATIONS.len());
    }

    #[test]
    fn a_quarter_turn_maps_rows_to_columns() {
        // 3 x 3, value = x: a quarter turn makes every row constant, 0 at the top and 2 at the bottom.
        let lum: Vec<f32> = (0..9).map(|k| (k % 3) as f32).collect();
        let (out, w, h) = rotated_inscribed(&lum, 3, 3, 90.0);
        assert_eq!((w, h), (3, 3));
        let expected = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0];
        assert!(out.iter().zip(expected).all(|(v, e)| (v - e).abs() < 1e-4), "{out:?}");
    }
}
