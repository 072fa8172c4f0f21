//! The `veil` command on real files: output formats, lists, and clear errors on hostile input.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdq")
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn veil(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veil")).args(args).output().expect("veil runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("veil-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn expected_row(name: &str) -> Vec<String> {
    let csv = std::fs::read_to_string(fixtures().join("expected-exact.csv")).unwrap();
    let line = csv.lines().find(|l| l.starts_with(&format!("{name},"))).expect("fixture row");
    line.split(',').map(str::to_owned).collect()
}

#[test]
fn hash_prints_the_threatexchange_line() {
    let png = fixtures().join("exact/aaa-orig.png");
    let out = veil(&[&"hash", &png]);
    assert!(out.status.success(), "{}", stderr(&out));
    let want = expected_row("aaa-orig");
    assert_eq!(stdout(&out), format!("{},{},{}\n", want[2], want[1], png.display()));
}

#[test]
fn hash_dihedral_prints_all_eight_in_reference_order() {
    let png = fixtures().join("exact/bridge-5-flipx.png");
    let out = veil(&[&"hash", &"--dihedral", &png]);
    assert!(out.status.success());
    let want = expected_row("bridge-5-flipx");
    assert_eq!(stdout(&out), format!("{},{},{}\n", want[2..].join(","), want[1], png.display()));
}

#[test]
fn bad_files_get_one_line_errors_and_the_rest_still_print() {
    let good = fixtures().join("exact/wee.png");
    let missing = data("no-such-file.png");
    let out =
        veil(&[&"hash", &data("huge-header.png"), &good, &data("truncated.jpg"), &data("not-an-image.png"), &missing]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).lines().count(), 1, "the good file still prints");
    assert!(stdout(&out).ends_with(&format!(",{}\n", good.display())));
    let errors: Vec<String> = stderr(&out).lines().map(str::to_owned).collect();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(errors[0].contains("huge-header.png") && errors[0].contains("not checked"), "{}", errors[0]);
    assert!(errors[1].contains("truncated.jpg") && errors[1].contains("damaged or truncated"), "{}", errors[1]);
    assert!(errors[2].contains("not-an-image.png") && errors[2].contains("not an image"), "{}", errors[2]);
    assert!(errors[3].contains("no-such-file.png") && errors[3].contains("cannot read"), "{}", errors[3]);
}

#[test]
fn protect_then_match_finds_edited_copies_and_clears_others() {
    let dir = temp_dir("protect");
    let list = dir.join("list.json");
    let exact = fixtures().join("exact");
    let out = veil(&[&"protect", &exact.join("bridge-1-original.png"), &"-o", &list, &"--label", &"bridge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&list).unwrap();
    assert!(text.contains("\"label\": \"bridge\"") && !text.contains("bridge-1-original"), "no file names stored");

    // Protecting the same image again changes nothing.
    let again = veil(&[&"protect", &exact.join("bridge-1-original.png"), &"-o", &list]);
    assert!(stderr(&again).contains("already protected"));
    assert_eq!(veil::ProtectedList::from_json(&std::fs::read_to_string(&list).unwrap()).unwrap().len(), 1);

    let copies = ["bridge-5-flipx", "bridge-3-rotate-180", "shrink-a-lot", "blur-a-lot", "sharpen-a-lot"];
    let others = ["pen-and-coaster", "q0122", "c"];
    let files: Vec<PathBuf> = copies.iter().chain(&others).map(|n| exact.join(format!("{n}.png"))).collect();
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"match", &list];
    args.extend(files.iter().map(|f| -> &dyn AsRef<std::ffi::OsStr> { f }));
    let out = veil(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let id = &veil::ProtectedList::from_json(&text).unwrap().entries()[0].id.clone();
    for (line, file) in stdout(&out).lines().zip(&files) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(Path::new(f[0]), file.as_path());
        let name = file.file_stem().unwrap().to_str().unwrap();
        let threshold = veil::MatchConfig::default().threshold;
        if copies.contains(&name) {
            assert_eq!((f[1], f[3]), ("match", id.as_str()), "{line}");
            assert!(f[2].parse::<u32>().unwrap() <= threshold, "{line}");
        } else {
            assert_eq!((f[1], f[3]), ("clear", "-"), "{line}");
            assert!(f[2].parse::<u32>().unwrap() > threshold, "{line}");
        }
    }
}

#[test]
fn letterboxed_and_platform_cropped_copies_match() {
    let dir = temp_dir("reposts");
    let list = dir.join("list.json");
    let original = fixtures().join("exact/bridge-1-original.png");
    assert!(veil(&[&"protect", &original, &"-o", &list]).status.success());
    assert!(std::fs::read_to_string(&list).unwrap().contains("\"crops\""), "the list holds the crops' hashes");
    let photo = image::open(&original).unwrap().to_rgb8();
    let (w, h) = photo.dimensions();
    // Black bars to a square, as a platform letterboxes a landscape photo.
    let mut letterboxed = image::RgbImage::new(w, w);
    image::imageops::overlay(&mut letterboxed, &photo, 0, i64::from((w - h) / 2));
    letterboxed.save(dir.join("letterboxed.png")).unwrap();
    // The centre cropped to 4:5, as a feed crops it.
    let crop_w = h * 4 / 5;
    image::imageops::crop_imm(&photo, (w - crop_w) / 2, 0, crop_w, h)
        .to_image()
        .save(dir.join("cropped-4x5.png"))
        .unwrap();
    let out = veil(&[&"match", &list, &dir.join("letterboxed.png"), &dir.join("cropped-4x5.png")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().filter(|line| line.contains(",match,")).count(), 2, "{}", stdout(&out));
}

#[test]
fn match_honours_threshold_and_refuses_damaged_lists() {
    let dir = temp_dir("match");
    let list = dir.join("list.json");
    let exact = fixtures().join("exact");
    assert!(veil(&[&"protect", &exact.join("bridge-1-original.png"), &"-o", &list]).status.success());
    let out = veil(&[&"match", &list, &exact.join("sharpen-a-lot.png"), &"--threshold", &"0"]);
    assert!(stdout(&out).contains(",clear,"), "{}", stdout(&out));

    let damaged = dir.join("damaged.json");
    let text = std::fs::read_to_string(&list).unwrap();
    std::fs::write(&damaged, &text[..text.len() / 2]).unwrap();
    let out = veil(&[&"match", &damaged, &exact.join("wee.png")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("damaged"), "{}", stderr(&out));

    // protect must not overwrite a list it cannot read.
    let out = veil(&[&"protect", &exact.join("wee.png"), &"-o", &damaged]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("left unchanged"));
    assert_eq!(std::fs::read_to_string(&damaged).unwrap(), text[..text.len() / 2]);
}

#[test]
fn usage_mistakes_exit_2() {
    assert_eq!(veil(&[&"frobnicate"]).status.code(), Some(2));
    assert_eq!(veil(&[&"hash"]).status.code(), Some(2));
    assert_eq!(veil(&[&"protect", &"a.png"]).status.code(), Some(2));
    assert_eq!(veil(&[&"match", &"list.json", &"a.png", &"--threshold", &"many"]).status.code(), Some(2));
    let help = veil(&[&"--help"]);
    assert!(help.status.success() && stdout(&help).contains("veil protect"));
}

#[test]
fn bench_with_a_list_reports_matching_apart_from_hashing() {
    let dir = temp_dir("bench");
    let list = dir.join("list.json");
    let exact = fixtures().join("exact");
    assert!(veil(&[&"protect", &exact.join("bridge-1-original.png"), &"-o", &list]).status.success());
    let out = veil(&[&"bench", &"--runs", &"3", &"--list", &list, &exact.join("wee.png")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let row: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(row["entries"], 1);
    assert!(row["median_ms"].as_f64().unwrap() > 0.0 && row["match_ms"].as_f64().unwrap() > 0.0, "{row}");

    let out = veil(&[&"bench", &"--list", &dir.join("missing.json"), &exact.join("wee.png")]);
    assert_eq!(out.status.code(), Some(1));
}

/// `photo.jpg` re-encoded as PNG, lossless WebP and GIF, each whole and cut at several points.
fn whole_and_cut_copies(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let photo = image::open(data("photo.jpg")).unwrap();
    let mut wholes = vec![data("photo.jpg"), data("photo-rotated.heic")];
    for format in ["png", "webp", "gif"] {
        let path = dir.join(format!("photo.{format}"));
        photo.save(&path).unwrap();
        wholes.push(path);
    }
    let mut cuts = vec![];
    for whole in &wholes {
        let bytes = std::fs::read(whole).unwrap();
        let ext = whole.extension().unwrap().to_str().unwrap();
        for (name, keep) in [("10", bytes.len() / 10), ("50", bytes.len() / 2), ("80", bytes.len() * 4 / 5)]
            .into_iter()
            .chain([("95", bytes.len() * 95 / 100), ("last-byte", bytes.len() - 2)])
        {
            let cut = dir.join(format!("cut-{name}-of-{}.{ext}", whole.file_stem().unwrap().to_str().unwrap()));
            std::fs::write(&cut, &bytes[..keep]).unwrap();
            cuts.push(cut);
        }
    }
    (wholes, cuts)
}

#[test]
fn cut_files_are_refused_by_name_nothing_is_stored_for_them_and_the_rest_are_protected() {
    let dir = temp_dir("cuts");
    let (wholes, cuts) = whole_and_cut_copies(&dir);
    let list = dir.join("list.json");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"protect", &"-o", &list];
    args.extend(cuts.iter().map(|f| -> &dyn AsRef<std::ffi::OsStr> { f }));
    args.push(&wholes[0]);
    let out = veil(&args);
    assert_eq!(out.status.code(), Some(1), "a refused file makes the exit status 1");
    let errors = stderr(&out);
    let errors: Vec<&str> = errors.lines().collect();
    assert_eq!(errors.len(), cuts.len(), "{errors:?}");
    for (line, cut) in errors.iter().zip(&cuts) {
        assert!(line.contains(&*cut.to_string_lossy()) && line.contains("damaged or truncated"), "{line}");
    }
    // Only the whole file is stored.
    let entries = veil::ProtectedList::from_json(&std::fs::read_to_string(&list).unwrap()).unwrap().len();
    assert_eq!(entries, 1);

    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"hash"];
    args.extend(cuts.iter().chain(&wholes).map(|f| -> &dyn AsRef<std::ffi::OsStr> { f }));
    let out = veil(&args);
    assert_eq!(out.status.code(), Some(1), "hash refuses them too");
    assert_eq!(stdout(&out).lines().count(), wholes.len(), "and reads every whole copy");
}

fn hamming(a: &str, b: &str) -> u32 {
    let (a, b): (veil::Hash256, veil::Hash256) = (a.parse().unwrap(), b.parse().unwrap());
    a.hamming(&b)
}

#[test]
fn heic_is_read_turned_upright_with_the_fingerprint_of_the_same_photo_as_jpeg() {
    let files = [data("photo.jpg"), data("photo-rotated.heic"), data("photo-transposed.heic")];
    let out = veil(&[&"hash", &files[0], &files[1], &files[2]]);
    assert!(out.status.success(), "{}", stderr(&out));
    let hashes: Vec<String> = stdout(&out).lines().map(|line| line[..64].to_owned()).collect();
    for (hash, file) in hashes.iter().zip(&files).skip(1) {
        let bits = hamming(&hashes[0], hash);
        assert!(bits <= 8, "{}: {bits} bits from the JPEG", file.display());
    }
    // Read without its rotation, the same pixels would be far from the JPEG: the test can tell.
    let dihedral = stdout(&veil(&[&"hash", &"--dihedral", &files[0]])).split(',').nth(1).unwrap().to_owned();
    assert!(hamming(&hashes[0], &dihedral) > 64);
}

#[test]
fn formats_veil_cannot_read_are_named_with_how_to_convert_them() {
    let dir = temp_dir("formats");
    let tiff = b"II*\0\x08\0\0\0\0\0".as_slice();
    let files = [
        ("scan.tif", tiff, "a TIFF image", "save it as JPEG or PNG"),
        ("DSC_0042.NEF", tiff, "a camera RAW file (NEF)", "export it as JPEG"),
        ("IMG_0001.CR2", b"II*\0\x10\0\0\0CR\x02\0".as_slice(), "a camera RAW file (CR2)", "export it as JPEG"),
        ("poster.psd", b"8BPS\0\x01\0\0".as_slice(), "a PSD image", "save it as JPEG or PNG"),
        ("new.jxl", b"\xff\x0a\xfa\x7f".as_slice(), "a JPEG XL image", "save it as JPEG or PNG"),
    ];
    for (name, bytes, what, how) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = veil(&[&"protect", &path, &"-o", &dir.join("list.json")]);
        assert_eq!(out.status.code(), Some(1));
        let error = stderr(&out);
        assert!(error.contains(name) && error.contains(what) && error.contains(how), "{error}");
    }
}
