//! PDQ, step by step as Meta's reference (ThreatExchange `pdq/cpp`) computes it, in the same `f32`
//! arithmetic and the same order of operations, so that every hash and quality is bit-exact:
//!
//! 1. luminance `0.299 R + 0.587 G + 0.114 B`;
//! 2. two passes of a Jarosz box filter along rows then columns (a tent filter), then sampling
//!    the 64x64 pixel centres;
//! 3. the image-domain quality metric (0-100) on that 64x64;
//! 4. a 16x16 partial DCT (frequencies 1..16 in each direction);
//! 5. one bit per coefficient: above the median or not.
//!
//! The seven other dihedral hashes (rotations and flips) come from sign flips and a transpose of the
//! same DCT, as in the reference, so hashing once covers every rotation and mirror.

use crate::hash::Hash256;
use std::fmt;
use std::sync::OnceLock;

/// Images smaller than this on either side get the reference's all-zero hash and quality 0.
pub const MIN_HASHABLE_DIM: usize = 5;
const JAROSZ_PASSES: usize = 2;
const DOWNSAMPLED: usize = 64;
const DCT_SIZE: usize = 16;

/// How the caller's bytes are laid out. Alpha is ignored, as by the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Rgb,
    Rgba,
}

impl Layout {
    fn channels(self) -> usize {
        match self {
            Layout::Rgb => 3,
            Layout::Rgba => 4,
        }
    }
}

/// A pixel buffer someone asks us to hash.
#[derive(Clone, Copy, Debug)]
pub struct Pixels<'a> {
    pub data: &'a [u8],
    pub width: usize,
    pub height: usize,
    pub layout: Layout,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixelsError {
    Empty,
    TooLarge,
    LengthMismatch { expected: usize, actual: usize },
}

impl fmt::Display for PixelsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "the image has no pixels"),
            Self::TooLarge => write!(f, "the image's size does not fit in memory"),
            Self::LengthMismatch { expected, actual } => {
                write!(f, "the pixel buffer holds {actual} bytes where its size needs {expected}")
            }
        }
    }
}

impl std::error::Error for PixelsError {}

/// The eight images PDQ hashes at once, in the reference's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dihedral {
    Original,
    Rotate90,
    Rotate180,
    Rotate270,
    FlipX,
    FlipY,
    FlipPlus1,
    FlipMinus1,
}

impl Dihedral {
    pub const ALL: [Dihedral; 8] = [
        Dihedral::Original,
        Dihedral::Rotate90,
        Dihedral::Rotate180,
        Dihedral::Rotate270,
        Dihedral::FlipX,
        Dihedral::FlipY,
        Dihedral::FlipPlus1,
        Dihedral::FlipMinus1,
    ];

    /// Where coefficient `(i, j)` of the original goes, and whether its sign flips.
    /// Mirroring an image negates its odd frequencies; PDQ's row `i` is frequency `i + 1`.
    fn place(self, i: usize, j: usize) -> (usize, usize, bool) {
        let odd = |n: usize| n & 1 == 1;
        match self {
            Dihedral::Original => (i, j, false),
            Dihedral::Rotate90 => (j, i, !odd(j)),
            Dihedral::Rotate180 => (i, j, odd(i + j)),
            Dihedral::Rotate270 => (j, i, !odd(i)),
            Dihedral::FlipX => (i, j, !odd(i)),
            Dihedral::FlipY => (i, j, !odd(j)),
            Dihedral::FlipPlus1 => (j, i, false),
            Dihedral::FlipMinus1 => (j, i, odd(i + j)),
        }
    }
}

/// PDQ's output for one image: its quality and its eight dihedral hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// 0-100; below about 50 the hash is too unreliable to match on (flat or tiny images).
    pub quality: u8,
    /// Indexed like [`Dihedral::ALL`].
    pub dihedral: [Hash256; 8],
}

impl Fingerprint {
    pub fn hash(&self) -> Hash256 {
        self.dihedral[0]
    }
}

type Dct16 = [[f32; DCT_SIZE]; DCT_SIZE];

/// Hashes a pixel buffer at the size given: PDQ's own filter does the downscaling.
pub fn fingerprint(pixels: Pixels<'_>) -> Result<Fingerprint, PixelsError> {
    let mut luma = luma(pixels)?;
    Ok(fingerprint_luma(&mut luma, pixels.height, pixels.width))
}

/// Float luminance, row-major, as the reference's `fillFloatLumaFromRGB`.
pub fn luma(pixels: Pixels<'_>) -> Result<Vec<f32>, PixelsError> {
    const R: f32 = 0.299;
    const G: f32 = 0.587;
    const B: f32 = 0.114;
    let channels = pixels.layout.channels();
    let count = pixels.width.checked_mul(pixels.height).ok_or(PixelsError::TooLarge)?;
    if count == 0 {
        return Err(PixelsError::Empty);
    }
    let expected = count.checked_mul(channels).ok_or(PixelsError::TooLarge)?;
    if pixels.data.len() != expected {
        return Err(PixelsError::LengthMismatch { expected, actual: pixels.data.len() });
    }
    Ok(pixels
        .data
        .chunks_exact(channels)
        .map(|p| R * f32::from(p[0]) + G * f32::from(p[1]) + B * f32::from(p[2]))
        .collect())
}

/// PDQ over a luminance buffer (`rows` x `cols`, row-major), which it uses as scratch space.
pub fn fingerprint_luma(luma: &mut [f32], rows: usize, cols: usize) -> Fingerprint {
    if rows < MIN_HASHABLE_DIM || cols < MIN_HASHABLE_DIM {
        return Fingerprint { quality: 0, dihedral: [Hash256::default(); 8] };
    }
    let mut scratch = vec![0.0f32; luma.len()];
    let window_along_rows = jarosz_window(cols, DOWNSAMPLED);
    let window_along_cols = jarosz_window(rows, DOWNSAMPLED);
    for _ in 0..JAROSZ_PASSES {
        box_along_rows(luma, &mut scratch, cols, window_along_rows);
        box_along_cols(&scratch, luma, rows, cols, window_along_cols);
    }
    let small = decimate(luma, rows, cols);
    let quality = quality(&small);
    let dct = dct64_to_16(&small);
    let dihedral = Dihedral::ALL.map(|d| bits(&transform(&dct, d)));
    Fingerprint { quality, dihedral }
}

/// Half of the input pixels per output pixel, rounded up: two passes then span a full block.
fn jarosz_window(old: usize, new: usize) -> usize {
    old.div_ceil(2 * new)
}

/// One step of the reference's four-phase running-sum box filter (`box1DFloat`).
struct BoxStep {
    add: Option<usize>,
    subtract: Option<usize>,
    /// Where the mean is written, and over how many samples.
    write: Option<(usize, f32)>,
}

/// The reference's window walk for a vector of `len` samples, shared by the row and column passes
/// so that both add and subtract in exactly its order.
fn box_plan(len: usize, window: usize) -> Vec<BoxStep> {
    let half = (window + 2) / 2;
    let mut steps = Vec::with_capacity(len + half);
    let (mut left, mut right, mut out, mut size) = (0, 0, 0, 0usize);
    for _ in 0..half - 1 {
        steps.push(BoxStep { add: Some(right), subtract: None, write: None });
        right += 1;
        size += 1;
    }
    for _ in 0..window + 1 - half {
        size += 1;
        steps.push(BoxStep { add: Some(right), subtract: None, write: Some((out, size as f32)) });
        right += 1;
        out += 1;
    }
    for _ in 0..len.saturating_sub(window) {
        steps.push(BoxStep { add: Some(right), subtract: Some(left), write: Some((out, size as f32)) });
        left += 1;
        right += 1;
        out += 1;
    }
    for _ in 0..half - 1 {
        size -= 1;
        steps.push(BoxStep { add: None, subtract: Some(left), write: Some((out, size as f32)) });
        left += 1;
        out += 1;
    }
    steps
}

fn box_along_rows(input: &[f32], output: &mut [f32], cols: usize, window: usize) {
    let plan = box_plan(cols, window);
    for (row_in, row_out) in input.chunks_exact(cols).zip(output.chunks_exact_mut(cols)) {
        let mut sum = 0.0f32;
        for step in &plan {
            if let Some(r) = step.add {
                sum += row_in[r];
            }
            if let Some(l) = step.subtract {
                sum -= row_in[l];
            }
            if let Some((o, size)) = step.write {
                row_out[o] = sum / size;
            }
        }
    }
}

/// The column pass walks rows and keeps one running sum per column: the same arithmetic per column
/// as the reference's strided walk, in cache order.
fn box_along_cols(input: &[f32], output: &mut [f32], rows: usize, cols: usize, window: usize) {
    let mut sums = vec![0.0f32; cols];
    for step in &box_plan(rows, window) {
        if let Some(r) = step.add {
            let row = &input[r * cols..][..cols];
            sums.iter_mut().zip(row).for_each(|(s, v)| *s += v);
        }
        if let Some(l) = step.subtract {
            let row = &input[l * cols..][..cols];
            sums.iter_mut().zip(row).for_each(|(s, v)| *s -= v);
        }
        if let Some((o, size)) = step.write {
            let row = &mut output[o * cols..][..cols];
            row.iter_mut().zip(&sums).for_each(|(out, s)| *out = s / size);
        }
    }
}

/// Samples the centres of a 64x64 grid.
fn decimate(input: &[f32], rows: usize, cols: usize) -> Vec<[f32; DOWNSAMPLED]> {
    let centre = |k: usize, n: usize| ((k as f64 + 0.5) * n as f64 / DOWNSAMPLED as f64) as usize;
    (0..DOWNSAMPLED)
        .map(|i| {
            let row = &input[centre(i, rows) * cols..];
            std::array::from_fn(|j| row[centre(j, cols)])
        })
        .collect()
}

/// Counts significant gradients in the 64x64: the reference's heuristic, integer truncation included.
fn quality(small: &[[f32; DOWNSAMPLED]]) -> u8 {
    let step = |u: f32, v: f32| (((u - v) * 100.0) / 255.0) as i32;
    let mut gradient_sum: i32 = 0;
    for pair in small.windows(2) {
        for (u, v) in pair[0].iter().zip(&pair[1]) {
            gradient_sum += step(*u, *v).abs();
        }
    }
    for row in small {
        for j in 0..DOWNSAMPLED - 1 {
            gradient_sum += step(row[j], row[j + 1]).abs();
        }
    }
    (gradient_sum / 90).min(100) as u8
}

/// Rows 1..=16 of the 64-point DCT-II matrix, computed as the reference does (f64, then f32).
fn dct_matrix() -> &'static [[f32; DOWNSAMPLED]; DCT_SIZE] {
    static MATRIX: OnceLock<[[f32; DOWNSAMPLED]; DCT_SIZE]> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let scale = f64::from((2.0f64 / DOWNSAMPLED as f64).sqrt() as f32);
        let base = std::f64::consts::PI / 2.0 / DOWNSAMPLED as f64;
        std::array::from_fn(|i| {
            std::array::from_fn(|j| (scale * (base * (i + 1) as f64 * (2 * j + 1) as f64).cos()) as f32)
        })
    })
}

/// `D A Dᵀ`, accumulating in f32 in the reference's order.
fn dct64_to_16(a: &[[f32; DOWNSAMPLED]]) -> Dct16 {
    let d = dct_matrix();
    let t: [[f32; DOWNSAMPLED]; DCT_SIZE] = std::array::from_fn(|i| {
        std::array::from_fn(|j| (0..DOWNSAMPLED).fold(0.0f32, |sum, k| sum + d[i][k] * a[k][j]))
    });
    std::array::from_fn(|i| std::array::from_fn(|j| (0..DOWNSAMPLED).fold(0.0f32, |sum, k| sum + t[i][k] * d[j][k])))
}

fn transform(dct: &Dct16, d: Dihedral) -> Dct16 {
    let mut out = [[0.0f32; DCT_SIZE]; DCT_SIZE];
    for (i, row) in dct.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let (oi, oj, negate) = d.place(i, j);
            out[oi][oj] = if negate { -v } else { v };
        }
    }
    out
}

/// One bit per coefficient: strictly above the median (the 128th smallest, as Torben's method
/// returns for 256 values).
fn bits(dct: &Dct16) -> Hash256 {
    let mut sorted: Vec<f32> = dct.iter().flatten().copied().collect();
    sorted.sort_unstable_by(f32::total_cmp);
    let median = sorted[sorted.len().div_ceil(2) - 1];
    let mut hash = Hash256::default();
    for (k, &v) in dct.iter().flatten().enumerate() {
        if v > median {
            hash.set_bit(k);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: usize, height: usize) -> Vec<u8> {
        (0..height)
            .flat_map(|y| {
                (0..width).flat_map(move |x| [(x * 7 % 256) as u8, (y * 3 % 256) as u8, ((x ^ y) % 256) as u8])
            })
            .collect()
    }

    #[test]
    fn box_plan_matches_the_reference_walk_for_window_7() {
        // The reference's worked example: 16 samples 0..15, window 7.
        let input: Vec<f32> = (0..16).map(|v| v as f32).collect();
        let mut out = vec![0.0; 16];
        box_along_rows(&input, &mut out, 16, 7);
        let sums = [6, 10, 15, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 75, 65, 54];
        let sizes = [4, 5, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 5, 4];
        for k in 0..16 {
            assert_eq!(out[k], sums[k] as f32 / sizes[k] as f32, "sample {k}");
        }
    }

    #[test]
    fn column_pass_equals_row_pass_on_the_transpose() {
        let (rows, cols) = (37, 11);
        let input: Vec<f32> = (0..rows * cols).map(|v| ((v * 7919) % 255) as f32 * 0.37).collect();
        let transposed: Vec<f32> = (0..cols * rows).map(|k| input[(k % rows) * cols + k / rows]).collect();
        let mut by_cols = vec![0.0; rows * cols];
        let mut by_rows = vec![0.0; rows * cols];
        box_along_cols(&input, &mut by_cols, rows, cols, 3);
        box_along_rows(&transposed, &mut by_rows, rows, 3);
        for k in 0..rows * cols {
            assert_eq!(by_cols[k].to_bits(), by_rows[(k % cols) * rows + k / cols].to_bits());
        }
    }

    #[test]
    fn rgba_and_rgb_give_the_same_fingerprint() {
        let rgb = gradient(40, 30);
        let rgba: Vec<u8> = rgb.chunks(3).flat_map(|p| [p[0], p[1], p[2], 77]).collect();
        let a = fingerprint(Pixels { data: &rgb, width: 40, height: 30, layout: Layout::Rgb }).unwrap();
        let b = fingerprint(Pixels { data: &rgba, width: 40, height: 30, layout: Layout::Rgba }).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn tiny_images_get_the_reference_zero_hash() {
        let data = gradient(4, 100);
        let f = fingerprint(Pixels { data: &data, width: 4, height: 100, layout: Layout::Rgb }).unwrap();
        assert_eq!(f.quality, 0);
        assert_eq!(f.hash(), Hash256::default());
    }

    #[test]
    fn wrong_buffer_sizes_are_refused() {
        let data = vec![0u8; 10];
        let err = fingerprint(Pixels { data: &data, width: 2, height: 2, layout: Layout::Rgba }).unwrap_err();
        assert_eq!(err, PixelsError::LengthMismatch { expected: 16, actual: 10 });
        let none = fingerprint(Pixels { data: &[], width: 0, height: 7, layout: Layout::Rgb }).unwrap_err();
        assert_eq!(none, PixelsError::Empty);
        let huge = fingerprint(Pixels { data: &[], width: usize::MAX, height: 3, layout: Layout::Rgb });
        assert_eq!(huge.unwrap_err(), PixelsError::TooLarge);
    }

    #[test]
    fn a_flat_image_has_quality_zero() {
        let data = vec![128u8; 64 * 64 * 3];
        let f = fingerprint(Pixels { data: &data, width: 64, height: 64, layout: Layout::Rgb }).unwrap();
        assert_eq!(f.quality, 0);
    }
}
