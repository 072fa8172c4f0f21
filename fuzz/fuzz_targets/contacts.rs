//! security.txt and RDAP answers come from any server the person asks about.
#![no_main]
use libfuzzer_sys::fuzz_target;
use veil::contacts::{domain_candidates, rdap_base, rdap_registrar_abuse, security_txt_contacts};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let _ = security_txt_contacts(text);
    let _ = domain_candidates(text);
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = rdap_registrar_abuse(&json);
        let _ = rdap_base(&json, "pics-share.com");
    }
    let _ = veil::routes::route_for(text, Some(text));
});
