//! The header sniffer sees every page image's first bytes before the browser decodes it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = veil::sniff::sniff(bytes);
});
