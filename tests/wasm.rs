//! The same conformance, compiled to wasm32 and run in headless Chromium by
//! wasm-bindgen-test-runner (`make test-wasm`): the wasm the extension ships hashes bit for bit
//! as Meta's reference does. It goes through the exported JS surface, as the extension does.
#![cfg(target_arch = "wasm32")]

mod common;

use serde::Deserialize;
use veil::wasm::{fingerprint_js, limits, list_add, list_new, list_summary, Matcher};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Deserialize)]
struct Js {
    quality: u8,
    hashes: veil::list::Hashes,
}

fn rgba_png(png: &[u8]) -> (Vec<u8>, u32, u32) {
    let (data, width, height, layout) = common::decode_png(png);
    assert_eq!(layout, veil::Layout::Rgb);
    let rgba = data.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    (rgba, width as u32, height as u32)
}

fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue) -> T {
    serde_wasm_bindgen::from_value(value).expect("the surface returns the documented shape")
}

#[wasm_bindgen_test]
fn exact_fixtures_are_bit_exact_in_wasm() {
    let mismatches = common::exact_mismatches(|png| {
        let (rgba, width, height) = rgba_png(png);
        let out: Js = from_js(fingerprint_js(&rgba, width, height).unwrap());
        (out.quality, out.hashes.to_array().iter().map(|h| h.to_hex()).collect())
    });
    assert!(mismatches.is_empty(), "{} fixtures differ in wasm:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[wasm_bindgen_test]
fn protect_and_match_through_the_js_surface() {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Added {
        list: String,
        id: String,
        already_protected: bool,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Checked {
        matched: bool,
        distance: Option<u32>,
        entry_id: Option<String>,
    }
    let png = |name: &str| common::EXACT_PNGS.iter().find(|(n, _)| *n == name).unwrap().1;
    let (rgba, w, h) = rgba_png(png("bridge-1-original"));
    let added: Added =
        from_js(list_add(&list_new(), &rgba, w, h, Some("bridge".into()), "2026-11-28T18:00:00.000Z".into()).unwrap());
    assert!(!added.already_protected);
    let rows: Vec<serde_json::Value> = from_js(list_summary(&added.list).unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["label"], "bridge");
    assert!(rows[0].get("hashes").is_none(), "the summary shows no fingerprints");

    let matcher = Matcher::new(&added.list, None, None).unwrap();
    let (rgba, w, h) = rgba_png(png("bridge-4-rotate-270"));
    let hit: Checked = from_js(matcher.check(&rgba, w, h).unwrap());
    assert!(hit.matched);
    assert_eq!(hit.entry_id.as_deref(), Some(added.id.as_str()));
    let (rgba, w, h) = rgba_png(png("pen-and-coaster"));
    let miss: Checked = from_js(matcher.check(&rgba, w, h).unwrap());
    assert!(!miss.matched && miss.entry_id.is_none() && miss.distance.unwrap() > 31);

    let fp: Js = from_js(fingerprint_js(&rgba, w, h).unwrap());
    let by_hash: Checked = from_js(matcher.check_hash(&fp.hashes.pdq.to_hex(), fp.quality).unwrap());
    assert_eq!((by_hash.matched, by_hash.distance), (miss.matched, miss.distance), "checkHash agrees with check");
    assert!(matcher.check_hash("not a hash", 100).is_err());

    assert!(matcher.check(&rgba[..10], w, h).is_err(), "a short buffer is refused, not read past");
    assert!(Matcher::new("{\"format\":\"veil-protected-list\",\"version\":9,\"entries\":[]}", None, None).is_err());
}

#[wasm_bindgen_test]
fn limits_come_as_one_object_of_plain_numbers() {
    let got: serde_json::Value = from_js(limits().unwrap());
    let want = serde_json::json!({
        "minQuality": 50,
        "iconSide": 32,
        "maxBytes": 33_554_432,
        "maxPixels": 50_000_000,
        "maxSide": 20_000,
        "headerBytes": 262_144,
    });
    assert_eq!(got, want);
}
