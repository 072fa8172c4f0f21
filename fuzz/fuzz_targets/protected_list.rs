//! Damaged or hostile list files (imports): refused with an error, or read; a list that is read
//! writes back to text that reads again to the same list.
#![no_main]
use libfuzzer_sys::fuzz_target;
use veil::ProtectedList;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Ok(list) = ProtectedList::from_json(text) {
        let again = ProtectedList::from_json(&list.to_json()).expect("a list Veil wrote reads back");
        assert_eq!(again.to_json(), list.to_json());
    }
});
