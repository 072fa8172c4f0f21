//! Hostile image bytes through the CLI's whole path: limits, decode, EXIF orientation, PDQ.
//! Small limits keep each run cheap; the property is "an error or a fingerprint, never a crash".
#![no_main]
use libfuzzer_sys::fuzz_target;
use veil::decode::{decode_bytes, Limits};
use veil::pdq::{fingerprint, Layout, Pixels};

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits { max_bytes: 1 << 20, max_side: 2048, max_pixels: 1 << 20 };
    if let Ok(rgb) = decode_bytes(bytes, limits) {
        assert!(rgb.width * rgb.height <= 1 << 20);
        let pixels = Pixels { data: &rgb.data, width: rgb.width, height: rgb.height, layout: Layout::Rgb };
        if let Ok(fp) = fingerprint(pixels) {
            assert!(fp.quality <= 100);
        }
    }
});
