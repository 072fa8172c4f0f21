//! Reads an image's format and declared size from its first bytes, so that a decompression bomb
//! (a small file that claims 50,000 x 50,000 pixels) is refused before anything decodes it.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Webp,
    Bmp,
    Avif,
    /// HEIC/HEIF (HEVC in the ISO base media format): the iPhone camera's default.
    Heif,
    /// Vector: no pixel size to check, and decoding it runs a document.
    Svg,
    // Formats a person may well pick that Veil does not read: sniffed so that the refusal can
    // name them and say how to convert them (`integrity::readable`).
    Tiff,
    /// A camera's RAW file (most are TIFF inside; `raw_name` says which).
    Raw,
    /// A Photoshop document.
    Psd,
    JpegXl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Header {
    pub format: Format,
    /// `None` where the format has no pixel size (SVG) or the header does not say it.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 2).map(|s| u32::from(u16::from_be_bytes([s[0], s[1]])))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 2).map(|s| u32::from(u16::from_le_bytes([s[0], s[1]])))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 3).map(|s| u32::from_le_bytes([s[0], s[1], s[2], 0]))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn sized(format: Format, size: Option<(u32, u32)>) -> Header {
    Header { format, width: size.map(|s| s.0), height: size.map(|s| s.1) }
}

/// The format and size the bytes declare, or `None` for anything else.
pub fn sniff(b: &[u8]) -> Option<Header> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        let size = (b.get(12..16) == Some(b"IHDR")).then(|| be32(b, 16).zip(be32(b, 20))).flatten();
        return Some(sized(Format::Png, size));
    }
    if b.starts_with(b"\xff\xd8") {
        return Some(sized(Format::Jpeg, jpeg_size(b)));
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(sized(Format::Gif, le16(b, 6).zip(le16(b, 8))));
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        return Some(sized(Format::Webp, webp_size(b)));
    }
    if b.starts_with(b"BM") {
        let size = le32(b, 18).zip(le32(b, 22)).map(|(w, h)| (w, (h as i32).unsigned_abs()));
        return Some(sized(Format::Bmp, size));
    }
    if b.get(4..8) == Some(b"ftyp") {
        if let Some(format) = isobmff_format(b) {
            return Some(sized(format, isobmff_size(b)));
        }
    }
    if looks_like_svg(b) {
        return Some(sizeless(Format::Svg));
    }
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Some(sizeless(if raw_name(b, None).is_some() { Format::Raw } else { Format::Tiff }));
    }
    let other_raw = [&b"IIRO"[..], b"IIRS", b"MMOR", b"IIU\0", b"FUJIFILMCCD-RAW"];
    if other_raw.iter().any(|magic| b.starts_with(magic)) {
        return Some(sizeless(Format::Raw));
    }
    if b.starts_with(b"8BPS") {
        return Some(sizeless(Format::Psd));
    }
    if b.starts_with(b"\xff\x0a") || b.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n") {
        return Some(sizeless(Format::JpegXl));
    }
    None
}

fn sizeless(format: Format) -> Header {
    Header { format, width: None, height: None }
}

/// AVIF, HEIF or a Canon CR3 (a RAW file in the same container), from the `ftyp` box's brands.
fn isobmff_format(b: &[u8]) -> Option<Format> {
    let end = (be32(b, 0)? as usize).clamp(16, 256).min(b.len());
    let brands: Vec<&[u8]> =
        b.get(8..end)?.chunks_exact(4).enumerate().filter(|(i, _)| *i != 1).map(|(_, c)| c).collect();
    let has = |names: &[&[u8]]| brands.iter().any(|brand| names.contains(brand));
    if has(&[b"crx "]) {
        Some(Format::Raw)
    } else if has(&[b"avif", b"avis"]) {
        Some(Format::Avif)
    } else if has(&[b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"]) {
        Some(Format::Heif)
    } else {
        None
    }
}

/// The RAW format a file is, by its bytes where they say it (Canon, Olympus, Panasonic, Fujifilm,
/// DNG's version tag) and otherwise by a RAW file name's extension; `None` for anything else.
pub fn raw_name(b: &[u8], file_name: Option<&str>) -> Option<&'static str> {
    let by_bytes = if b.starts_with(b"II*\0") && b.get(8..10) == Some(b"CR") {
        Some("CR2")
    } else if b.get(4..8) == Some(b"ftyp") && isobmff_format(b) == Some(Format::Raw) {
        Some("CR3")
    } else if b.starts_with(b"IIRO") || b.starts_with(b"IIRS") || b.starts_with(b"MMOR") {
        Some("ORF")
    } else if b.starts_with(b"IIU\0") {
        Some("RW2")
    } else if b.starts_with(b"FUJIFILMCCD-RAW") {
        Some("RAF")
    } else if tiff_has_tag(b, 0xc612) {
        Some("DNG")
    } else {
        None
    };
    const BY_EXTENSION: [&str; 16] = [
        "NEF", "NRW", "ARW", "SRF", "SR2", "DNG", "CR2", "PEF", "SRW", "3FR", "ERF", "KDC", "DCR", "MOS", "MEF", "IIQ",
    ];
    let extension = file_name.and_then(|name| name.rsplit_once('.')).map(|(_, ext)| ext.to_ascii_uppercase());
    by_bytes.or_else(|| {
        let tiff = b.starts_with(b"II*\0") || b.starts_with(b"MM\0*");
        BY_EXTENSION.iter().copied().find(|known| tiff && extension.as_deref() == Some(*known))
    })
}

/// Whether a TIFF's first directory holds `tag`.
fn tiff_has_tag(b: &[u8], tag: u32) -> bool {
    type Read = fn(&[u8], usize) -> Option<u32>;
    let (u16_at, u32_at): (Read, Read) = if b.starts_with(b"II*\0") {
        (le16, le32)
    } else if b.starts_with(b"MM\0*") {
        (be16, be32)
    } else {
        return false;
    };
    let Some(ifd) = u32_at(b, 4) else { return false };
    let ifd = ifd as usize;
    let count = u16_at(b, ifd).unwrap_or(0) as usize;
    (0..count).any(|i| u16_at(b, ifd.saturating_add(2 + 12 * i)) == Some(tag))
}

/// Walks the JPEG markers up to the first start-of-frame.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        while *b.get(at)? != 0xff {
            at += 1;
        }
        while *b.get(at)? == 0xff {
            at += 1;
        }
        let marker = *b.get(at)?;
        at += 1;
        // Markers without a length: restart markers, TEM, start/end of image.
        if matches!(marker, 0xd0..=0xd9 | 0x01) {
            continue;
        }
        let length = be16(b, at)? as usize;
        let is_frame = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_frame {
            return Some((be16(b, at + 5)?, be16(b, at + 3)?));
        }
        at += length.max(2);
    }
}

fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => Some((le16(b, 26)? & 0x3fff, le16(b, 28)? & 0x3fff)),
        b"VP8L" => {
            let bits = le32(b, 21)?;
            Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

/// The largest `ispe` (image spatial extent) property in the first 64 KiB (AVIF and HEIF).
fn isobmff_size(b: &[u8]) -> Option<(u32, u32)> {
    let window = &b[..b.len().min(64 << 10)];
    window
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"ispe")
        .filter_map(|(at, _)| be32(b, at + 8).zip(be32(b, at + 12)))
        .max_by_key(|&(w, h)| u64::from(w) * u64::from(h))
}

fn looks_like_svg(b: &[u8]) -> bool {
    let head = &b[..b.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!DOCTYPE svg"))
        && text.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/pdq/images/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn reads_png_and_jpeg_sizes_from_real_files() {
        let png = sniff(&fixture("pen-and-coaster.png")).unwrap();
        assert_eq!(png.format, Format::Png);
        assert!(png.width.unwrap() > 0 && png.height.unwrap() > 0);
        let jpeg = sniff(&fixture("bridge-1-original.jpg")).unwrap();
        assert_eq!((jpeg.format, jpeg.width, jpeg.height), (Format::Jpeg, Some(1600), Some(1004)));
    }

    #[test]
    fn a_bomb_header_declares_its_size() {
        let bomb = include_bytes!("../tests/data/huge-header.png");
        assert_eq!(sniff(bomb), Some(Header { format: Format::Png, width: Some(50_000), height: Some(50_000) }));
    }

    #[test]
    fn gif_bmp_webp_avif_and_svg_headers() {
        let gif = b"GIF89a\x10\x27\x20\x4e\x00\x00\x00";
        assert_eq!(sniff(gif).unwrap().width, Some(10_000));
        assert_eq!(sniff(gif).unwrap().height, Some(20_000));

        let mut bmp = b"BM".to_vec();
        bmp.resize(18, 0);
        bmp.extend(640u32.to_le_bytes());
        bmp.extend((-480i32).to_le_bytes());
        assert_eq!(sniff(&bmp).map(|h| (h.width, h.height)), Some((Some(640), Some(480))));

        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend([0x3f, 0x9c, 0x00, 0x1f, 0x4e, 0x00]); // 40000 x 20000
        assert_eq!(sniff(&webp).map(|h| (h.width, h.height)), Some((Some(40_000), Some(20_000))));

        let mut avif = b"\0\0\0\x1cftypavif".to_vec();
        avif.extend(b"\0\0\0\0mif1miaf\0\0\0\x14ispe\0\0\0\0");
        avif.extend(3000u32.to_be_bytes());
        avif.extend(2000u32.to_be_bytes());
        assert_eq!(sniff(&avif).map(|h| (h.format, h.width, h.height)), Some((Format::Avif, Some(3000), Some(2000))));

        let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        heic.extend(b"\0\0\0\x14ispe\0\0\0\0");
        heic.extend(4032u32.to_be_bytes());
        heic.extend(3024u32.to_be_bytes());
        assert_eq!(sniff(&heic).map(|h| (h.format, h.width, h.height)), Some((Format::Heif, Some(4032), Some(3024))));
        // AVIF with a generic major brand is still AVIF.
        assert_eq!(sniff(b"\0\0\0\x18ftypmif1\0\0\0\0mif1avif").map(|h| h.format), Some(Format::Avif));

        let svg = sniff(b"\xef\xbb\xbf  <?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        assert_eq!(svg.map(|h| h.format), Some(Format::Svg));
    }

    #[test]
    fn truncated_and_unknown_bytes_never_panic() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"<html>not an image</html>"), None);
        let jpeg = fixture("wee.jpg");
        for cut in [2, 3, 4, 10, 100, 500] {
            let h = sniff(&jpeg[..cut]).unwrap();
            assert_eq!(h.format, Format::Jpeg);
            assert_eq!(h.width, None, "cut at {cut}");
        }
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n").unwrap().width, None);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8L").unwrap().width, None);
    }
}
