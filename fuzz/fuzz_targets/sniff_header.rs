//! The header sniffer sees every page image's first bytes before the browser decodes it; the
//! completeness check sees every file a person protects, on the options page and in the CLI.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = veil::sniff::sniff(bytes);
    let _ = veil::integrity::readable(bytes, Some("fuzz.nef"));
});
