//! The PDQ conformance fixtures (`tests/fixtures/pdq`, Meta's reference images and hashes, BSD licence),
//! compiled in so that the same checks run natively and inside the wasm build in Chromium.

use veil::Layout;

macro_rules! exact_pngs {
    ($($name:literal)*) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdq/exact/", $name, ".png")))),*]
    };
}

/// Every lossless PNG of `exact/`, by name.
pub const EXACT_PNGS: &[(&str, &[u8])] = exact_pngs!(
    "aaa-orig" "blur-a-little" "blur-a-lot" "bridge-1-original-fullres" "bridge-1-original"
    "bridge-2-rotate-90" "bridge-3-rotate-180" "bridge-4-rotate-270" "bridge-5-flipx" "bridge-6-flipy"
    "bridge-7-flip-plus-1" "bridge-8-flip-minus-1" "c" "high-contrast" "high-saturation"
    "pen-and-coaster" "q0003" "q0004" "q0122" "q0291" "q0746" "q1050" "q2821" "sharpen-a-little"
    "sharpen-a-lot" "shrink-a-little" "shrink-a-lot" "small" "square-128x128" "square-256x256"
    "square-512x512" "wee"
);

pub const EXPECTED_EXACT_CSV: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdq/expected-exact.csv"));

/// One row of `expected-exact.csv`: name, quality, then the 8 hashes in the reference's order.
pub struct ExpectedExact {
    pub name: String,
    pub quality: u8,
    pub dihedral: Vec<String>,
}

pub fn expected_exact() -> Vec<ExpectedExact> {
    EXPECTED_EXACT_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.trim().split(',').collect();
            assert_eq!(fields.len(), 10, "malformed fixture row {line}");
            ExpectedExact {
                name: fields[0].to_string(),
                quality: fields[1].parse().expect("quality"),
                dihedral: fields[2..].iter().map(|&s| s.to_owned()).collect(),
            }
        })
        .collect()
}

/// Decodes a fixture PNG to RGB(A) bytes with the `png` crate (lossless, so the same everywhere).
pub fn decode_png(bytes: &[u8]) -> (Vec<u8>, usize, usize, Layout) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("fixture PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("fixture size")];
    let info = reader.next_frame(&mut buf).expect("fixture PNG data");
    buf.truncate(info.buffer_size());
    let layout = match info.color_type {
        png::ColorType::Rgb => Layout::Rgb,
        png::ColorType::Rgba => Layout::Rgba,
        other => panic!("fixture colour type {other:?} not expected"),
    };
    (buf, info.width as usize, info.height as usize, layout)
}

/// Checks every exact fixture with `hash` (the code under test) and returns the mismatches.
pub fn exact_mismatches(hash: impl Fn(&[u8]) -> (u8, Vec<String>)) -> Vec<String> {
    let expected = expected_exact();
    assert_eq!(expected.len(), EXACT_PNGS.len(), "every fixture row has its PNG compiled in");
    expected
        .iter()
        .filter_map(|row| {
            let (_, png) = EXACT_PNGS.iter().find(|(n, _)| *n == row.name).expect("PNG for every row");
            let (quality, dihedral) = hash(png);
            (quality != row.quality || dihedral != row.dihedral).then(|| {
                format!(
                    "{}: quality {quality} (want {}), hashes {dihedral:?} (want {:?})",
                    row.name, row.quality, row.dihedral
                )
            })
        })
        .collect()
}
