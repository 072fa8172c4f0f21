//! The false-alarm corpus: images that are none of the protected photos, of every kind the web is
//! full of (photos, UI screenshots, documentation figures, text, graphics, icons, game art), from
//! the Debian packages `scripts/quality-corpus.sh` unpacks. Each image is decoded, hashed as a page
//! image and dropped at once (tens of thousands of decoded images would not fit in memory); only
//! its class, its name, a small thumbnail for deduplication and its page hashes are kept.

use crate::{files_under, fit_within, parallel_map, thumbnail, HASH_SIDE};
use image::imageops::FilterType;
use image::{Rgb, RgbImage};
use std::path::{Path, PathBuf};

/// What kind of image an unrelated image is, by the package (and folder) it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Photo,
    UiScreenshot,
    DocFigure,
    Text,
    Graphics,
    Icon,
    GameArt,
}

impl Class {
    pub const ALL: [Class; 7] = [
        Class::Photo,
        Class::UiScreenshot,
        Class::DocFigure,
        Class::Text,
        Class::Graphics,
        Class::Icon,
        Class::GameArt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Photo => "photos",
            Class::UiScreenshot => "UI screenshots",
            Class::DocFigure => "documentation figures (plots, diagrams)",
            Class::Text => "text (rendered lines)",
            Class::Graphics => "graphics and illustrations",
            Class::Icon => "icons (>= 64 px)",
            Class::GameArt => "game art",
        }
    }
}

/// The class of every package that feeds the false-alarm corpus (`scripts/quality-corpus.sh`).
/// Packages not named here (the protected photos' own packages) are not part of it.
fn class_of(package: &str) -> Option<Class> {
    Some(match package {
        "ukui-wallpapers" | "lomiri-wallpapers" => Class::Photo,
        "gimp-help-en" | "gnome-user-docs" | "qtbase5-doc-html" | "kdenlive-data" => Class::UiScreenshot,
        "python-sklearn-doc" | "python-skimage-doc" | "inkscape-tutorials" => Class::DocFigure,
        "openclipart-png" | "desktop-base" | "digikam-data" => Class::Graphics,
        "oxygen-icon-theme" => Class::Icon,
        "wesnoth-1.16-data" | "freedroidrpg-data" | "hedgewars-data" | "frozen-bubble-data" | "pingus-data"
        | "flare-game" | "endless-sky-data" | "lincity-ng-data" | "freeciv-data" | "neverball-data"
        | "supertux-data" => Class::GameArt,
        _ => return None,
    })
}

/// Images smaller than this on a side are icons, bullets and sprites too small to stand for a
/// picture on a page (issue 15: icons below 64 px are excluded).
const MIN_SIDE: u32 = 64;
/// How many text images are rendered, from lines of the documentation the corpus already holds.
const TEXT_IMAGES: usize = 1500;

/// One unrelated image, hashed.
pub struct Unrelated<P> {
    pub class: Class,
    pub source: String,
    pub hashes: P,
}

/// What the corpus held and what was kept, per class.
pub struct Summary {
    pub files: usize,
    pub small: usize,
    pub undecodable: usize,
    pub duplicates: usize,
}

fn image_files(root: &Path) -> Vec<(Class, PathBuf)> {
    let mut out = Vec::new();
    let Ok(packages) = std::fs::read_dir(root) else { return out };
    let mut packages: Vec<_> = packages.flatten().map(|e| e.path()).collect();
    packages.sort();
    for package in packages {
        let Some(class) = package.file_name().and_then(|n| n.to_str()).and_then(class_of) else { continue };
        let is_image = |path: &PathBuf| {
            matches!(
                path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
                Some("png" | "jpg" | "jpeg" | "webp" | "gif")
            )
        };
        out.extend(files_under(&package).into_iter().filter(is_image).map(|f| (class, f)));
    }
    out
}

/// The pixels a browser hands the extension for an image file: RGB, with fully transparent pixels
/// black (a canvas reads them as 0,0,0,0 and the hash ignores alpha), pre-scaled to 512 px.
fn page_pixels(bytes: &[u8]) -> Result<Option<RgbImage>, ()> {
    let image = image::load_from_memory(bytes).map_err(|_| ())?;
    if image.width().min(image.height()) < MIN_SIDE {
        return Ok(None);
    }
    let rgba = image.to_rgba8();
    let rgb = RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        Rgb(if p[3] == 0 { [0, 0, 0] } else { [p[0], p[1], p[2]] })
    });
    Ok(Some(fit_within(&rgb, HASH_SIDE, FilterType::Triangle)))
}

/// Text as it is posted as an image (a quote card, a screenshot of a post): lines of real prose
/// from the corpus' own documentation, in an 8x8 bitmap font at 2-4x, on plain or two-tone
/// backgrounds. Deterministic: the same corpus renders the same images.
fn text_images(root: &Path) -> Vec<(String, RgbImage)> {
    let mut lines: Vec<String> = Vec::new();
    let files = files_under(&root.join("python-sklearn-doc"));
    let files = files.iter().filter(|f| f.extension().is_some_and(|e| e == "txt"));
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        lines.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| l.len() >= 20 && l.chars().all(|c| c.is_ascii_graphic() || c == ' '))
                .map(String::from),
        );
    }
    if lines.is_empty() {
        return Vec::new();
    }
    const THEMES: [([u8; 3], [u8; 3]); 6] = [
        ([255, 255, 255], [20, 20, 20]),
        ([21, 32, 43], [230, 233, 236]),
        ([0, 0, 0], [255, 255, 255]),
        ([250, 230, 120], [40, 30, 10]),
        ([60, 90, 200], [255, 255, 255]),
        ([240, 240, 242], [60, 60, 70]),
    ];
    (0..TEXT_IMAGES)
        .map(|k| {
            let (background, ink) = THEMES[k % THEMES.len()];
            let scale = 2 + (k / THEMES.len()) % 3;
            let columns = 24 + (k * 7) % 28;
            let rows = 3 + (k * 5) % 14;
            let (w, h) = ((columns * 8 * scale + 40) as u32, (rows * 12 * scale + 40) as u32);
            let mut image = RgbImage::from_pixel(w, h, Rgb(background));
            if k % 4 == 1 {
                // A header band, as a post or a chat shows the sender above the text.
                crate::fill_rect(&mut image, 0, 0, w, (12 * scale) as u32 + 20, [ink[0] / 2 + 60, 90, 140], 1.0);
            }
            let mut source = lines[(k * 37) % lines.len()].chars().chain(" ".chars()).cycle();
            for row in 0..rows {
                let line: String = (&mut source).take(columns).collect();
                crate::draw_text_scaled(&mut image, 20, (20 + row * 12 * scale) as u32, &line, ink, scale as u32);
            }
            (format!("rendered text #{k}"), image)
        })
        .collect()
}

/// One candidate image: its class, its name, and its thumbnail and hashes (`Ok(None)` when it is
/// too small, `Err` when it does not decode).
type Candidate<P> = (Class, String, Result<Option<(Vec<u8>, P)>, ()>);

/// Every unrelated image, decoded, deduplicated (identical files, then 16x16 thumbnails that differ
/// by less than `max_thumb_diff`, also against the photos already used) and hashed by `hash`.
pub fn corpus<P: Send>(
    root: &Path,
    known_thumbs: &[Vec<u8>],
    max_thumb_diff: f64,
    hash: impl Fn(&RgbImage) -> P + Sync,
) -> (Vec<Unrelated<P>>, Summary) {
    let files = image_files(root);
    let decoded: Vec<Candidate<P>> = parallel_map(&files, |(class, path)| {
        let name = path.strip_prefix(root).unwrap_or(path).display().to_string();
        let result = std::fs::read(path)
            .map_err(|_| ())
            .and_then(|bytes| page_pixels(&bytes))
            .map(|image| image.map(|image| (thumbnail(&image), hash(&image))));
        (*class, name, result)
    });
    let texts = text_images(root);
    let rendered: Vec<Candidate<P>> = parallel_map(&texts, |(name, image)| {
        let image = fit_within(image, HASH_SIDE, FilterType::Triangle);
        (Class::Text, name.clone(), Ok(Some((thumbnail(&image), hash(&image)))))
    });
    let mut summary = Summary { files: files.len() + texts.len(), small: 0, undecodable: 0, duplicates: 0 };
    let mut seen = ThumbIndex::default();
    known_thumbs.iter().for_each(|t| seen.insert(t.clone()));
    let mut kept = Vec::new();
    for (class, source, result) in decoded.into_iter().chain(rendered) {
        match result {
            Err(()) => summary.undecodable += 1,
            Ok(None) => summary.small += 1,
            Ok(Some((thumb, hashes))) => {
                if seen.has_near(&thumb, max_thumb_diff) {
                    summary.duplicates += 1;
                } else {
                    seen.insert(thumb);
                    kept.push(Unrelated { class, source, hashes });
                }
            }
        }
    }
    (kept, summary)
}

/// Thumbnails binned by their mean grey level: two thumbnails whose mean absolute difference is
/// below `d` have means less than `d` apart, so only the neighbouring bins need comparing.
#[derive(Default)]
struct ThumbIndex {
    bins: Vec<Vec<Vec<u8>>>,
}

impl ThumbIndex {
    fn mean(thumb: &[u8]) -> usize {
        thumb.iter().map(|&v| v as usize).sum::<usize>() / thumb.len()
    }

    fn insert(&mut self, thumb: Vec<u8>) {
        if self.bins.is_empty() {
            self.bins = vec![Vec::new(); 256];
        }
        self.bins[Self::mean(&thumb)].push(thumb);
    }

    fn has_near(&self, thumb: &[u8], max_diff: f64) -> bool {
        let mean = Self::mean(thumb);
        let reach = max_diff.ceil() as usize + 1;
        let limit = (max_diff * thumb.len() as f64) as u32;
        let sad =
            |other: &[u8]| other.iter().zip(thumb).map(|(&a, &b)| (a as i32 - b as i32).unsigned_abs()).sum::<u32>();
        (mean.saturating_sub(reach)..=(mean + reach).min(255))
            .filter_map(|b| self.bins.get(b))
            .flatten()
            .any(|other| sad(other) < limit)
    }
}
