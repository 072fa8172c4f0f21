//! Whether an image file holds its whole picture, checked from its structure before anything
//! decodes it. Decoders fill what a cut file lacks (grey, black, transparent rows) without a word,
//! and a fingerprint of that is not the person's photo: so the protect side (the CLI and the
//! options page alike) refuses a file whose data ends early, or whose checksums or structure do
//! not add up. Page images are not held to this: what a page paints is checked as it is.

use crate::sniff::{raw_name, sniff, Format, Header};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use std::fmt;

/// What is wrong with a damaged file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    /// The data ends before the picture does (an interrupted download or copy).
    Truncated,
    /// A checksum or a structure that does not add up.
    Corrupt(&'static str),
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::Truncated => f.write_str("its data ends before the picture does (an unfinished download or copy?)"),
            Damage::Corrupt(why) => f.write_str(why),
        }
    }
}

/// Why the protect side will not fingerprint a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not an image format Veil knows.
    Unknown,
    /// A format Veil names but does not read; `name` is what a person knows it as ("TIFF", "NEF").
    Unreadable {
        format: Format,
        name: &'static str,
    },
    Damaged {
        format: Format,
        damage: Damage,
    },
}

/// The header of a file the protect side may decode, or why it must not.
pub fn readable(bytes: &[u8], file_name: Option<&str>) -> Result<Header, Refusal> {
    let header = sniff(bytes).ok_or(Refusal::Unknown)?;
    let unreadable = |format, name| Err(Refusal::Unreadable { format, name });
    match header.format {
        // A RAW file is TIFF inside; its name (or its extension) tells them apart.
        Format::Tiff | Format::Raw => match raw_name(bytes, file_name) {
            Some(name) => unreadable(Format::Raw, name),
            None => unreadable(Format::Tiff, "TIFF"),
        },
        Format::Psd => unreadable(Format::Psd, "PSD"),
        Format::JpegXl => unreadable(Format::JpegXl, "JPEG XL"),
        Format::Svg => unreadable(Format::Svg, "SVG"),
        format => check(bytes, format).map(|()| header).map_err(|damage| Refusal::Damaged { format, damage }),
    }
}

/// Whether `bytes`, sniffed as `format`, hold the whole picture. Formats without a check pass.
pub fn check(bytes: &[u8], format: Format) -> Result<(), Damage> {
    match format {
        Format::Jpeg => jpeg(bytes),
        Format::Png => png(bytes),
        Format::Gif => gif(bytes),
        Format::Webp => webp(bytes),
        Format::Bmp => bmp(bytes),
        Format::Avif | Format::Heif => isobmff(bytes),
        _ => Ok(()),
    }
}

const TRUNCATED: Damage = Damage::Truncated;

fn be16(b: &[u8], at: usize) -> Result<usize, Damage> {
    b.get(at..at + 2).map(|s| usize::from(u16::from_be_bytes([s[0], s[1]]))).ok_or(TRUNCATED)
}

fn be32(b: &[u8], at: usize) -> Result<usize, Damage> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize).ok_or(TRUNCATED)
}

fn le16(b: &[u8], at: usize) -> Result<usize, Damage> {
    b.get(at..at + 2).map(|s| usize::from(u16::from_le_bytes([s[0], s[1]]))).ok_or(TRUNCATED)
}

fn le32(b: &[u8], at: usize) -> Result<usize, Damage> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize).ok_or(TRUNCATED)
}

fn byte(b: &[u8], at: usize) -> Result<u8, Damage> {
    b.get(at).copied().ok_or(TRUNCATED)
}

/// JPEG: every segment and scan in place, up to the end-of-image marker (a progressive JPEG cut
/// after its first scans is a blurred picture with no EOI).
fn jpeg(b: &[u8]) -> Result<(), Damage> {
    let (mut at, mut frame, mut scan) = (2, false, false);
    loop {
        // Fill bytes and stray bytes before a marker are skipped, as decoders do.
        while byte(b, at)? != 0xff {
            at += 1;
        }
        while byte(b, at)? == 0xff {
            at += 1;
        }
        let marker = byte(b, at)?;
        at += 1;
        match marker {
            0xd9 if frame && scan => return Ok(()),
            0xd9 => return Err(Damage::Corrupt("the JPEG ends before any picture data")),
            0xd0..=0xd7 | 0x01 => continue,
            _ => {}
        }
        let length = be16(b, at)?;
        if length < 2 {
            return Err(Damage::Corrupt("a JPEG segment has an impossible length"));
        }
        if b.len() < at + length {
            return Err(TRUNCATED);
        }
        frame |= matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        at += length;
        if marker == 0xda {
            if !frame {
                return Err(Damage::Corrupt("a JPEG scan comes before its frame header"));
            }
            scan = true;
            at = end_of_scan(b, at)?;
        }
    }
}

/// Where a scan's entropy-coded data ends: at the first marker that is neither a stuffed 0xff
/// nor a restart marker.
fn end_of_scan(b: &[u8], mut at: usize) -> Result<usize, Damage> {
    loop {
        at += b.get(at..).and_then(|rest| rest.iter().position(|&v| v == 0xff)).ok_or(TRUNCATED)?;
        match byte(b, at + 1)? {
            0x00 | 0xd0..=0xd7 | 0xff => at += 1,
            _ => return Ok(at),
        }
    }
}

/// PNG: every chunk whole with its CRC, IEND present, and the compressed image data (IDAT)
/// inflating to every row the header declares.
fn png(b: &[u8]) -> Result<(), Damage> {
    let mut at = 8;
    let mut header = None;
    let mut idat = Vec::new();
    loop {
        let length = be32(b, at)?;
        let kind = b.get(at + 4..at + 8).ok_or(TRUNCATED)?;
        let body = b.get(at + 8..at.saturating_add(8).saturating_add(length)).ok_or(TRUNCATED)?;
        let stored = be32(b, at + 8 + length)?;
        if crc32(&b[at + 4..at + 8 + length]) as usize != stored {
            return Err(Damage::Corrupt("a PNG chunk's checksum does not match its data"));
        }
        match kind {
            b"IHDR" if header.is_none() && body.len() == 13 => header = Some(body),
            _ if header.is_none() => return Err(Damage::Corrupt("the PNG does not start with its header")),
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + length;
    }
    let header = header.ok_or(Damage::Corrupt("the PNG has no header"))?;
    let rows = png_image_bytes(header).ok_or(Damage::Corrupt("the PNG header is not valid"))?;
    inflates_to(&idat, rows)
}

/// The CRC-32 PNG chunks carry (ISO 3309), with one 1 KiB table: the wasm stays small.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |c, &b| TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8))
}

/// How many bytes the IDAT stream inflates to: each row of each interlace pass, with its filter byte.
fn png_image_bytes(ihdr: &[u8]) -> Option<u64> {
    let (width, height) = (be32(ihdr, 0).ok()? as u64, be32(ihdr, 4).ok()? as u64);
    let depth = u64::from(ihdr[8]);
    let channels = match ihdr[9] {
        0 | 3 => 1,
        2 => 3,
        4 => 2,
        6 => 4,
        _ => return None,
    };
    let row = |w: u64| if w == 0 { 0 } else { 1 + (w * channels * depth).div_ceil(8) };
    let passes: &[(u64, u64, u64, u64)] = match ihdr[12] {
        0 => &[(0, 0, 1, 1)],
        1 => &[(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)],
        _ => return None,
    };
    let size = |start: u64, step: u64, total: u64| if total > start { (total - start).div_ceil(step) } else { 0 };
    Some(passes.iter().map(|&(x0, y0, dx, dy)| row(size(x0, dx, width)) * size(y0, dy, height)).sum())
}

/// Whether a zlib stream inflates to at least `want` bytes (if it ends sooner, its checksum too).
/// The output goes round a small window: nothing the size of the picture is allocated, and the work
/// stops at the size the header declares, however much more the data would inflate to.
fn inflates_to(stream: &[u8], want: u64) -> Result<(), Damage> {
    const WINDOW: usize = 1 << 15;
    let mut window = vec![0u8; WINDOW];
    let mut state = DecompressorOxide::new();
    let (mut read, mut written, mut total) = (0, 0, 0u64);
    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER | inflate_flags::TINFL_FLAG_COMPUTE_ADLER32;
    loop {
        let (status, used, made) = decompress(&mut state, &stream[read..], &mut window, written, flags);
        read += used;
        total += made as u64;
        written = (written + made) % WINDOW;
        if total >= want {
            return Ok(());
        }
        match status {
            TINFLStatus::Done | TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
                return Err(TRUNCATED)
            }
            TINFLStatus::HasMoreOutput => {}
            TINFLStatus::Adler32Mismatch => return Err(Damage::Corrupt("the PNG's image data fails its checksum")),
            _ => return Err(Damage::Corrupt("the PNG's image data is not valid")),
        }
    }
}

/// GIF: every block whole, up to the trailer or to the end of a complete frame (some encoders
/// leave the trailer out).
fn gif(b: &[u8]) -> Result<(), Damage> {
    let colour_table = |flags: u8| if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 };
    let mut at = 13 + colour_table(byte(b, 10)?);
    let mut frames = 0;
    loop {
        match b.get(at) {
            None if frames > 0 => return Ok(()),
            None => return Err(TRUNCATED),
            Some(0x3b) if frames > 0 => return Ok(()),
            Some(0x21) => at = sub_blocks(b, at + 2)?,
            Some(0x2c) => {
                at += 10 + colour_table(byte(b, at + 9)?);
                at = sub_blocks(b, at + 1)?; // after the LZW minimum code size
                frames += 1;
            }
            // Bytes after a complete frame are ignored, as browsers do.
            Some(_) if frames > 0 => return Ok(()),
            Some(_) => return Err(Damage::Corrupt("the GIF has no picture, or an unknown block before it")),
        }
    }
}

/// The offset just past a chain of GIF sub-blocks starting at `at`.
fn sub_blocks(b: &[u8], mut at: usize) -> Result<usize, Damage> {
    loop {
        let size = usize::from(byte(b, at)?);
        at += 1 + size;
        if size == 0 {
            return Ok(at);
        }
        if at > b.len() {
            return Err(TRUNCATED);
        }
    }
}

/// WebP: the RIFF container whole, and each chunk in it, one of them the picture.
fn webp(b: &[u8]) -> Result<(), Damage> {
    let end = le32(b, 4)?.saturating_add(8);
    if b.len() < end {
        return Err(TRUNCATED);
    }
    let (mut at, mut picture) = (12, false);
    while at + 8 <= end {
        let size = le32(b, at + 4)?;
        let body_end = (at + 8).saturating_add(size);
        if body_end > end {
            return Err(Damage::Corrupt("a WebP chunk runs past the end of its file"));
        }
        picture |= matches!(&b[at..at + 4], b"VP8 " | b"VP8L" | b"ANMF");
        at = body_end.saturating_add(size & 1);
    }
    if picture {
        Ok(())
    } else {
        Err(Damage::Corrupt("the WebP holds no picture"))
    }
}

/// BMP: the pixel array the header describes lies within the file.
fn bmp(b: &[u8]) -> Result<(), Damage> {
    let pixels_at = le32(b, 10)?;
    let info = le32(b, 14)?;
    let (width, height, bits, compression) = if info == 12 {
        (le16(b, 18)?, le16(b, 20)?, le16(b, 24)?, 0)
    } else {
        (le32(b, 18)?, (le32(b, 22)? as u32 as i32).unsigned_abs() as usize, le16(b, 28)?, le32(b, 30)?)
    };
    let size = match compression {
        // Uncompressed and bit fields: rows padded to 4 bytes.
        0 | 3 | 6 => ((width as u64 * bits as u64).div_ceil(32) * 4) * height as u64,
        // Run-length and embedded JPEG/PNG: the header's own figure, when it gives one.
        _ => le32(b, 34)? as u64,
    };
    if (b.len() as u64) < pixels_at as u64 + size {
        return Err(TRUNCATED);
    }
    Ok(())
}

/// HEIF and AVIF: every top-level box whole, and every item's data (iloc) within the file.
fn isobmff(b: &[u8]) -> Result<(), Damage> {
    let mut at = 0;
    let mut meta = None;
    while at < b.len() {
        let (start, end) = box_span(b, at, b.len())?;
        if b.get(at + 4..at + 8) == Some(b"meta") {
            meta = Some((start + 4, end)); // a full box: version and flags first
        }
        at = end;
    }
    let (meta_start, meta_end) = meta.ok_or(Damage::Corrupt("the file has no image metadata (meta box)"))?;
    let mut at = meta_start;
    while at < meta_end {
        let (start, end) = box_span(b, at, meta_end)?;
        if &b[at + 4..at + 8] == b"iloc" {
            return item_data_present(&b[start..end], b.len());
        }
        at = end;
    }
    Err(Damage::Corrupt("the file does not say where its images are (no iloc box)"))
}

/// The span of the box at `at` (its contents start, its end), which must end by `limit`.
fn box_span(b: &[u8], at: usize, limit: usize) -> Result<(usize, usize), Damage> {
    let size = be32(b, at)?;
    let (start, size) = match size {
        0 => (at + 8, limit - at),
        1 => {
            let high = be32(b, at + 8)? as u64;
            let low = be32(b, at + 12)? as u64;
            (at + 16, usize::try_from(high << 32 | low).unwrap_or(usize::MAX))
        }
        size => (at + 8, size),
    };
    let end = at.checked_add(size).ok_or(TRUNCATED)?;
    if size < start - at || end > limit {
        return Err(TRUNCATED);
    }
    Ok((start, end))
}

/// Whether every extent an `iloc` box (its contents) lists for data in this file lies within it.
fn item_data_present(iloc: &[u8], file_len: usize) -> Result<(), Damage> {
    let ends = item_data_ends(iloc).ok_or(Damage::Corrupt("the file's item locations (iloc) are not valid"))?;
    if ends.into_iter().any(|end| end > file_len as u64) {
        return Err(TRUNCATED);
    }
    Ok(())
}

/// Where each extent of data in this file ends, from an `iloc` box's contents; `None` if they do
/// not parse.
fn item_data_ends(iloc: &[u8]) -> Option<Vec<u64>> {
    let mut at = 0;
    let mut read = |size: usize| -> Option<u64> {
        let bytes = iloc.get(at..at + size)?;
        at += size;
        match size {
            0 | 2 | 4 | 8 => Some(bytes.iter().fold(0, |value, &b| value << 8 | u64::from(b))),
            _ => None,
        }
    };
    let version = read(4)? >> 24; // version and flags
    let sizes = read(2)? as usize;
    let (offset_size, length_size, base_size) = (sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15);
    let (index_size, id_size) = (if version >= 1 { sizes & 15 } else { 0 }, if version >= 2 { 4 } else { 2 });
    let mut ends = Vec::new();
    for _ in 0..read(id_size)? {
        read(id_size)?;
        let method = if version >= 1 { read(2)? & 15 } else { 0 };
        read(2)?; // data reference index
        let base = read(base_size)?;
        for _ in 0..read(2)? {
            read(index_size)?;
            let offset = read(offset_size)?;
            let length = read(length_size)?;
            // Method 0 is data in this file; the others point into other items.
            if method == 0 {
                ends.push(base.saturating_add(offset).saturating_add(length));
            }
        }
    }
    Some(ends)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn fixture(name: &str) -> Vec<u8> {
        file(&format!("tests/fixtures/pdq/images/{name}"))
    }

    fn png(width: u32, height: u32, rows: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.write_header().unwrap().write_image_data(rows).unwrap();
        out
    }

    /// Every cut of `whole` (each of the last 64 bytes, and 1 % steps before) that loses more than
    /// its last `spare` bytes is refused as cut short.
    fn every_cut_is_truncated(whole: &[u8], format: Format, spare: usize) {
        assert_eq!(check(whole, format), Ok(()), "the whole file passes");
        let steps = (1..100).map(|percent| whole.len() * percent / 100);
        for cut in steps.chain(whole.len().saturating_sub(64)..whole.len()).filter(|&cut| cut < whole.len() - spare) {
            assert_eq!(check(&whole[..cut], format), Err(Damage::Truncated), "cut at {cut} of {}", whole.len());
        }
    }

    #[test]
    fn whole_files_pass_and_every_cut_is_refused() {
        for name in ["bridge-1-original.jpg", "wee.jpg", "small.jpg"] {
            every_cut_is_truncated(&fixture(name), Format::Jpeg, 0);
        }
        every_cut_is_truncated(&fixture("pen-and-coaster.png"), Format::Png, 0);
        // Its last frame is whole without the trailer byte.
        every_cut_is_truncated(&file("tests/data/photo.gif"), Format::Gif, 1);
        every_cut_is_truncated(&file("tests/data/photo-rotated.heic"), Format::Heif, 0);
    }

    #[test]
    fn a_png_with_too_few_rows_is_cut_short_even_with_every_chunk_whole() {
        // A 4-row image whose header is rewritten to declare 8 rows, its CRC made right again.
        let mut bytes = png(3, 4, &[7; 3 * 4 * 3]);
        bytes[16 + 7] = 8;
        let crc = crc32(&bytes[12..29]).to_be_bytes();
        bytes[29..33].copy_from_slice(&crc);
        assert_eq!(check(&bytes, Format::Png), Err(Damage::Truncated));
    }

    #[test]
    fn a_png_byte_changed_in_transit_fails_its_checksum() {
        let mut bytes = png(8, 8, &[200; 8 * 8 * 3]);
        let idat = bytes.windows(4).position(|w| w == b"IDAT").unwrap();
        bytes[idat + 6] ^= 0x10;
        assert!(matches!(check(&bytes, Format::Png), Err(Damage::Corrupt(_))));
    }

    #[test]
    fn a_jpeg_without_a_scan_or_a_frame_is_damaged() {
        assert!(matches!(check(b"\xff\xd8\xff\xd9", Format::Jpeg), Err(Damage::Corrupt(_))));
        let scan_first = b"\xff\xd8\xff\xda\x00\x02\x12\x34\xff\xd9";
        assert!(matches!(check(scan_first, Format::Jpeg), Err(Damage::Corrupt(_))));
    }

    #[test]
    fn webp_riff_size_and_chunks() {
        let mut webp = b"RIFF\x14\0\0\0WEBPVP8L\x08\0\0\0\x2f\0\0\0\0\0\0\0".to_vec();
        assert_eq!(check(&webp, Format::Webp), Ok(()));
        assert_eq!(check(&webp[..webp.len() - 1], Format::Webp), Err(Damage::Truncated));
        webp[16] = 0x40; // the chunk now claims more than the container holds
        assert!(matches!(check(&webp, Format::Webp), Err(Damage::Corrupt(_))));
    }

    #[test]
    fn a_bmp_whose_pixels_run_past_its_end_is_cut_short() {
        let mut bmp = b"BM".to_vec();
        bmp.resize(54, 0);
        bmp[10] = 54; // pixels at 54
        bmp[14] = 40; // BITMAPINFOHEADER
        bmp[18] = 2; // 2 x 2, 24 bits: two rows of 8 bytes
        bmp[22] = 2;
        bmp[28] = 24;
        bmp.resize(54 + 16, 9);
        assert_eq!(check(&bmp, Format::Bmp), Ok(()));
        assert_eq!(check(&bmp[..60], Format::Bmp), Err(Damage::Truncated));
    }

    #[test]
    fn a_heif_cut_where_its_image_data_starts_is_refused() {
        // The boxes before the image data (mdat) are whole; the items they locate are not there.
        let heic = file("tests/data/photo-transposed.heic");
        let mdat = heic.windows(4).position(|w| w == b"mdat").unwrap() - 4;
        assert_eq!(check(&heic[..mdat], Format::Heif), Err(Damage::Truncated));
    }

    #[test]
    fn formats_veil_does_not_read_are_named() {
        let tiff = b"II*\0\x08\0\0\0\0\0";
        let name = |bytes: &[u8], file: Option<&str>| match readable(bytes, file) {
            Err(Refusal::Unreadable { format, name }) => Some((format, name)),
            _ => None,
        };
        assert_eq!(name(tiff, Some("scan.tif")), Some((Format::Tiff, "TIFF")));
        assert_eq!(name(tiff, Some("DSC_0042.nef")), Some((Format::Raw, "NEF")));
        assert_eq!(name(b"II*\0\x10\0\0\0CR\x02\0", None), Some((Format::Raw, "CR2")));
        let mut dng = b"MM\0*\0\0\0\x08\0\x01\xc6\x12".to_vec();
        dng.resize(30, 0);
        assert_eq!(name(&dng, Some("photo.tif")), Some((Format::Raw, "DNG")));
        assert_eq!(name(b"\0\0\0\x18ftypcrx \0\0\0\x01crx isom", None), Some((Format::Raw, "CR3")));
        assert_eq!(name(b"FUJIFILMCCD-RAW 0201", None), Some((Format::Raw, "RAF")));
        assert_eq!(name(b"8BPS\0\x01", None), Some((Format::Psd, "PSD")));
        assert_eq!(name(b"\xff\x0a\xfa\x7f", None), Some((Format::JpegXl, "JPEG XL")));
        assert_eq!(readable(b"plain text", None), Err(Refusal::Unknown));
    }

    #[test]
    fn heif_and_avif_are_read() {
        let header = readable(&file("tests/data/photo-rotated.heic"), None).unwrap();
        assert_eq!(header.format, Format::Heif);
    }
}
