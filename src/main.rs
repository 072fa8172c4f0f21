//! `veil`: the command-line face of Veil's core. Output lines follow ThreatExchange's PDQ tools so
//! that they can be compared with, or fed into, industry hash lists.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use veil::decode::{decode_file, Limits, Rgb};
use veil::limits::MIN_QUALITY;
use veil::list::{rfc3339_utc, Added, Entry, ProtectedList};
use veil::{
    fingerprint, page_fingerprint, protect_fingerprints, Hash256, Layout, MatchConfig, Matcher, Pixels, Verdict,
};

const USAGE: &str = "\
veil: PDQ fingerprints for protecting your own images

usage:
  veil hash [--dihedral] FILE...
      <pdq hex>,<quality>,<path> per file (full resolution, no pre-scaling);
      with --dihedral: <pdq>,<rot90>,<rot180>,<rot270>,<flipx>,<flipy>,<flip+1>,<flip-1>,<quality>,<path>
  veil protect FILE... -o LIST.json [--label TEXT]
      adds the files' fingerprints (and their crops') to LIST.json (created if missing); the images
      are not stored
  veil match LIST.json FILE... [--threshold N] [--min-quality Q]
      <path>,match|clear,<distance>,<entry id or -> per file (defaults: threshold 63, quality 50;
      a file with flat borders is also matched by its content inside them)
  veil bench [--runs N] [--list LIST.json] FILE...
      median time to fingerprint each file's decoded pixels, as JSON lines; with --list, also the
      median time to match that fingerprint against the list (match_ms)

Reads JPEG, PNG, WebP, GIF, BMP, HEIC/HEIF and AVIF. A file cut short or damaged, a format Veil
does not read (TIFF, camera RAW, PSD, JPEG XL, SVG: the error says how to convert it) or any other
unreadable file gets a one-line error on stderr naming the file; nothing is stored for it, the
others are still processed and the exit status is 1.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("hash") => hash(&args[1..]),
        Some("protect") => protect(&args[1..]),
        Some("match") => match_files(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(Usage("expected a command: hash, protect, match or bench".into())),
    };
    match result {
        Ok(Outcome::AllGood) => ExitCode::SUCCESS,
        Ok(Outcome::SomeFilesFailed) => ExitCode::from(1),
        Err(Usage(why)) => {
            eprintln!("veil: {why}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

enum Outcome {
    AllGood,
    SomeFilesFailed,
}

/// A mistake in the command line itself (not in a file it names).
struct Usage(String);

/// Splits `args` into flags with values, boolean switches and plain operands.
struct Parsed {
    operands: Vec<String>,
    values: Vec<(String, String)>,
    switches: Vec<String>,
}

fn parse(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Parsed, Usage> {
    let mut parsed = Parsed { operands: vec![], values: vec![], switches: vec![] };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if with_value.contains(&arg.as_str()) {
            let value = rest.next().ok_or_else(|| Usage(format!("{arg} needs a value")))?;
            parsed.values.push((arg.clone(), value.clone()));
        } else if switches.contains(&arg.as_str()) {
            parsed.switches.push(arg.clone());
        } else if arg.starts_with('-') && arg.len() > 1 {
            return Err(Usage(format!("unknown option {arg}")));
        } else {
            parsed.operands.push(arg.clone());
        }
    }
    Ok(parsed)
}

impl Parsed {
    fn value(&self, flag: &str) -> Option<&str> {
        self.values.iter().rev().find(|(f, _)| f == flag).map(|(_, v)| v.as_str())
    }

    fn number<T: std::str::FromStr>(&self, flag: &str, default: T) -> Result<T, Usage> {
        self.value(flag)
            .map_or(Ok(default), |v| v.parse().map_err(|_| Usage(format!("{flag} takes a whole number, not {v:?}"))))
    }

    fn files(&self) -> Result<&[String], Usage> {
        if self.operands.is_empty() {
            Err(Usage("no files named".into()))
        } else {
            Ok(&self.operands)
        }
    }
}

fn pixels_of(rgb: &Rgb) -> Pixels<'_> {
    Pixels { data: &rgb.data, width: rgb.width, height: rgb.height, layout: Layout::Rgb }
}

fn decode(path: &str) -> Result<Rgb, String> {
    decode_file(Path::new(path), Limits::default()).map_err(|e| format!("veil: {path}: {e}"))
}

const DECODED: &str = "a decoded image's buffer matches its size";

/// Runs `each` on every file's decoded pixels; a file that fails is reported and skipped.
fn for_each_image(files: &[String], mut each: impl FnMut(&str, Pixels<'_>)) -> Outcome {
    let mut failed = false;
    for path in files {
        match decode(path) {
            Ok(rgb) => each(path, pixels_of(&rgb)),
            Err(message) => {
                eprintln!("{message}");
                failed = true;
            }
        }
    }
    if failed {
        Outcome::SomeFilesFailed
    } else {
        Outcome::AllGood
    }
}

fn hash(args: &[String]) -> Result<Outcome, Usage> {
    let parsed = parse(args, &[], &["--dihedral"])?;
    let dihedral = !parsed.switches.is_empty();
    let stdout = std::io::stdout();
    Ok(for_each_image(parsed.files()?, |path, pixels| {
        let fp = fingerprint(pixels).expect(DECODED);
        let hashes: Vec<String> =
            if dihedral { fp.dihedral.iter().map(Hash256::to_hex).collect() } else { vec![fp.hash().to_hex()] };
        let _ = writeln!(stdout.lock(), "{},{},{path}", hashes.join(","), fp.quality);
    }))
}

fn protect(args: &[String]) -> Result<Outcome, Usage> {
    let parsed = parse(args, &["-o", "--label"], &[])?;
    let files = parsed.files()?;
    let out = PathBuf::from(parsed.value("-o").ok_or_else(|| Usage("protect needs -o LIST.json".into()))?);
    let mut list = match std::fs::read_to_string(&out) {
        Ok(text) => match ProtectedList::from_json(&text) {
            Ok(list) => list,
            Err(e) => {
                // Never overwrite a list we could not read: it may be the person's only copy.
                eprintln!("veil: {}: {e}; left unchanged", out.display());
                return Ok(Outcome::SomeFilesFailed);
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => ProtectedList::new(),
        Err(e) => {
            eprintln!("veil: {}: {e}", out.display());
            return Ok(Outcome::SomeFilesFailed);
        }
    };
    let now = rfc3339_utc(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()));
    let label = parsed.value("--label").map(str::to_owned);
    let outcome = for_each_image(files, |path, pixels| {
        let protected = protect_fingerprints(pixels).expect(DECODED);
        let fp = protected.full;
        if fp.quality < MIN_QUALITY {
            eprintln!(
                "veil: {path}: quality {} is low (little detail); copies may be missed or unrelated images hidden",
                fp.quality
            );
        }
        if let Added::AlreadyProtected { id } = list.add(Entry::protecting(&protected, label.clone(), now.clone())) {
            eprintln!("veil: {path}: already protected as entry {id}");
        }
    });
    if let Err(e) = write_atomically(&out, &list.to_json()) {
        eprintln!("veil: {}: cannot write the list: {e}", out.display());
        return Ok(Outcome::SomeFilesFailed);
    }
    Ok(outcome)
}

/// Writes beside the target and renames over it, so a crash never leaves half a list.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}

fn read_list(path: &str) -> Result<ProtectedList, String> {
    std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| ProtectedList::from_json(&text).map_err(|e| e.to_string()))
}

fn match_files(args: &[String]) -> Result<Outcome, Usage> {
    let parsed = parse(args, &["--threshold", "--min-quality"], &[])?;
    let (list_path, files) = parsed.files()?.split_first().expect("files() is never empty");
    if files.is_empty() {
        return Err(Usage("match needs a list and at least one file".into()));
    }
    let defaults = MatchConfig::default();
    let config = MatchConfig {
        threshold: parsed.number("--threshold", defaults.threshold)?,
        min_quality: parsed.number("--min-quality", defaults.min_quality)?,
        ..defaults
    };
    let list = match read_list(list_path) {
        Ok(list) => list,
        Err(e) => {
            eprintln!("veil: {list_path}: {e}");
            return Ok(Outcome::SomeFilesFailed);
        }
    };
    let matcher = Matcher::new(list, config);
    let stdout = std::io::stdout();
    Ok(for_each_image(files, |path, pixels| {
        let verdict = matcher.check_page(&page_fingerprint(pixels).expect(DECODED));
        let (word, id) = match &verdict {
            Verdict::Match(n) => ("match", n.entry.id.as_str()),
            Verdict::Clear { .. } => ("clear", "-"),
        };
        let distance = verdict.nearest().map_or("-".to_string(), |n| n.distance.to_string());
        let _ = writeln!(stdout.lock(), "{path},{word},{distance},{id}");
    }))
}

/// Times PDQ alone (decoding excluded) so the figure compares with the wasm build on the same pixels;
/// with `--list`, also matching alone, so the list's size can be seen apart from hashing.
fn bench(args: &[String]) -> Result<Outcome, Usage> {
    // One match against a short list takes well under a microsecond: each sample times this many.
    const MATCHES_PER_SAMPLE: usize = 100;
    let parsed = parse(args, &["--runs", "--list"], &[])?;
    let runs: usize = parsed.number("--runs", 31)?;
    if runs == 0 {
        return Err(Usage("--runs must be at least 1".into()));
    }
    let matcher = match parsed.value("--list").map(read_list).transpose() {
        Ok(list) => list.map(|list| Matcher::new(list, MatchConfig::default())),
        Err(e) => {
            eprintln!("veil: {}: {e}", parsed.value("--list").unwrap_or_default());
            return Ok(Outcome::SomeFilesFailed);
        }
    };
    let median_ms = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[runs / 2]
    };
    let mut failed = false;
    for path in parsed.files()? {
        let rgb = match decode(path) {
            Ok(rgb) => rgb,
            Err(message) => {
                eprintln!("{message}");
                failed = true;
                continue;
            }
        };
        // RGBA, as the browser hands pixels over.
        let rgba: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        let pixels = Pixels { data: &rgba, width: rgb.width, height: rgb.height, layout: Layout::Rgba };
        let fingerprint_ms = median_ms(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(fingerprint(std::hint::black_box(pixels)).expect("valid pixels"));
                    start.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        );
        let matching = matcher.as_ref().map(|matcher| {
            let fp = fingerprint(pixels).expect("valid pixels");
            let match_ms = median_ms(
                (0..runs)
                    .map(|_| {
                        let start = Instant::now();
                        for _ in 0..MATCHES_PER_SAMPLE {
                            std::hint::black_box(matcher.check(std::hint::black_box(&fp)));
                        }
                        start.elapsed().as_secs_f64() * 1e3 / MATCHES_PER_SAMPLE as f64
                    })
                    .collect(),
            );
            format!(",\"entries\":{},\"match_ms\":{match_ms:.6}", matcher.list().len())
        });
        println!(
            "{{\"file\":{:?},\"width\":{},\"height\":{},\"runs\":{runs},\"median_ms\":{fingerprint_ms:.4}{}}}",
            path,
            rgb.width,
            rgb.height,
            matching.unwrap_or_default()
        );
    }
    Ok(if failed { Outcome::SomeFilesFailed } else { Outcome::AllGood })
}
