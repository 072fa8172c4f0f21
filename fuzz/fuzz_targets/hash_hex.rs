//! PDQ hashes in hex (list files, imports, industry hash lists): a string that parses prints back
//! as the same 64 digits, lowercased.
#![no_main]
use libfuzzer_sys::fuzz_target;
use veil::Hash256;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Ok(hash) = text.parse::<Hash256>() {
        assert_eq!(hash.to_hex(), text.to_ascii_lowercase());
        assert_eq!(hash.to_hex().parse::<Hash256>(), Ok(hash));
    }
});
