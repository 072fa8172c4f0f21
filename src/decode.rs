//! Decoding encoded image files for the CLI (the extension lets the browser decode). Every limit is
//! checked before the pixels are allocated, so a hostile header costs nothing, and a file that is
//! cut short or damaged is refused before it is decoded (`integrity`), as the options page does.

use crate::integrity::{readable, Damage, Refusal};
use crate::sniff::Format;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use std::fmt;
use std::io::{Cursor, Read};
use std::path::Path;

/// What one image may cost. The defaults fit ordinary photos (a 50 MP camera) with room to spare.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_side: u32,
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 64 << 20, max_side: 16_384, max_pixels: 64_000_000 }
    }
}

impl Limits {
    /// Whether an image of this size is over the limits.
    pub fn refuses(&self, width: u32, height: u32) -> bool {
        width > self.max_side || height > self.max_side || u64::from(width) * u64::from(height) > self.max_pixels
    }
}

/// An image decoded to 8-bit RGB, EXIF orientation applied.
pub struct Rgb {
    pub data: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

#[derive(Debug)]
pub enum DecodeError {
    Io(std::io::Error),
    FileTooLarge {
        bytes: u64,
        max: u64,
    },
    UnknownFormat,
    /// A format Veil names and does not read (TIFF, camera RAW, PSD, JPEG XL, SVG).
    Unreadable {
        format: Format,
        name: &'static str,
    },
    /// libheif cannot decode this HEIF (an image kind or codec it lacks).
    UnsupportedHeif(String),
    TooManyPixels {
        declared: Option<(u32, u32)>,
        limits: Limits,
    },
    /// Cut short, or its structure does not add up: found before decoding.
    Damaged(Damage),
    /// The decoder's own complaint.
    Corrupt(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read the file: {e}"),
            Self::FileTooLarge { bytes, max } => {
                write!(f, "the file is {bytes} bytes; images over {max} bytes are not checked")
            }
            Self::UnknownFormat => {
                write!(f, "not an image Veil can read (JPEG, PNG, WebP, GIF, BMP, HEIC/HEIF or AVIF)")
            }
            Self::Unreadable { format, name } => f.write_str(&how_to_convert(*format, name)),
            Self::UnsupportedHeif(why) => {
                write!(f, "a HEIF image Veil cannot decode ({why}); export it as JPEG and protect that")
            }
            Self::TooManyPixels { declared, limits } => {
                if let Some((width, height)) = declared {
                    write!(f, "the image is {width}x{height} pixels; ")?;
                }
                write!(
                    f,
                    "images over {} megapixels or {} pixels on a side are not checked (not decoded)",
                    limits.max_pixels / 1_000_000,
                    limits.max_side
                )
            }
            Self::Damaged(damage) => write!(f, "the image is damaged or truncated: {damage}; it was not fingerprinted"),
            Self::Corrupt(why) => write!(f, "the image is damaged or truncated: {why}"),
        }
    }
}

/// What the person is told about a format Veil does not read: what it is and how to convert it.
fn how_to_convert(format: Format, name: &str) -> String {
    match format {
        Format::Raw => format!(
            "a camera RAW file ({name}), which Veil cannot read: export it as JPEG from your camera's app \
             or photo editor, then protect the JPEG"
        ),
        Format::Svg => "a drawing (SVG), which Veil cannot read: export it as PNG, then protect the PNG".into(),
        _ => format!(
            "a {name} image, which Veil cannot read: save it as JPEG or PNG (any photo app or image editor \
             can), then protect that copy"
        ),
    }
}

impl std::error::Error for DecodeError {}

impl From<ImageError> for DecodeError {
    fn from(e: ImageError) -> Self {
        match e {
            ImageError::Unsupported(_) => DecodeError::UnknownFormat,
            ImageError::IoError(io) => DecodeError::Io(io),
            // Decoder messages may span lines; a per-file error must stay on one.
            other => DecodeError::Corrupt(other.to_string().split_whitespace().collect::<Vec<_>>().join(" ")),
        }
    }
}

pub fn decode_file(path: &Path, limits: Limits) -> Result<Rgb, DecodeError> {
    let file = std::fs::File::open(path).map_err(DecodeError::Io)?;
    let declared = file.metadata().map_err(DecodeError::Io)?.len();
    if declared > limits.max_bytes {
        return Err(DecodeError::FileTooLarge { bytes: declared, max: limits.max_bytes });
    }
    // Read at most one byte past the limit: a file that grows while we read is still capped.
    let mut bytes = Vec::with_capacity(declared as usize);
    file.take(limits.max_bytes + 1).read_to_end(&mut bytes).map_err(DecodeError::Io)?;
    decode_named(&bytes, path.file_name().and_then(|name| name.to_str()), limits)
}

pub fn decode_bytes(bytes: &[u8], limits: Limits) -> Result<Rgb, DecodeError> {
    decode_named(bytes, None, limits)
}

/// `file_name` names a RAW format its bytes do not (a NEF is a TIFF inside).
fn decode_named(bytes: &[u8], file_name: Option<&str>, limits: Limits) -> Result<Rgb, DecodeError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(DecodeError::FileTooLarge { bytes: bytes.len() as u64, max: limits.max_bytes });
    }
    // A declared size over the limits is refused first: the completeness check inflates a PNG's
    // data up to the size its header declares.
    if let Some(header) = crate::sniff::sniff(bytes) {
        if let (Some(width), Some(height)) = (header.width, header.height) {
            if limits.refuses(width, height) {
                return Err(DecodeError::TooManyPixels { declared: Some((width, height)), limits });
            }
        }
    }
    let header = readable(bytes, file_name).map_err(|refusal| match refusal {
        Refusal::Unknown => DecodeError::UnknownFormat,
        Refusal::Unreadable { format, name } => DecodeError::Unreadable { format, name },
        Refusal::Damaged { damage, .. } => DecodeError::Damaged(damage),
    })?;
    if matches!(header.format, Format::Heif | Format::Avif) {
        return crate::heif::decode(bytes, limits);
    }
    let format = match header.format {
        Format::Png => ImageFormat::Png,
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Gif => ImageFormat::Gif,
        Format::Webp => ImageFormat::WebP,
        Format::Bmp => ImageFormat::Bmp,
        _ => return Err(DecodeError::UnknownFormat),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    // Room for the RGBA image plus the decoder's own buffers.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(decoder_limits);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        // The decoder refused to allocate for the size its header declares.
        ImageError::Limits(_) => DecodeError::TooManyPixels { declared: None, limits },
        other => other.into(),
    })?;
    let (width, height) = decoder.dimensions();
    if limits.refuses(width, height) {
        return Err(DecodeError::TooManyPixels { declared: Some((width, height)), limits });
    }
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    let rgb = image.into_rgb8();
    let (width, height) = (rgb.width() as usize, rgb.height() as usize);
    Ok(Rgb { data: rgb.into_raw(), width, height })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, pixels: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header().unwrap().write_image_data(pixels).unwrap();
        out
    }

    #[test]
    fn decodes_a_png_to_rgb() {
        let pixels: Vec<u8> = (0..6 * 4 * 3).map(|v| v as u8).collect();
        let rgb = decode_bytes(&png(6, 4, &pixels), Limits::default()).unwrap();
        assert_eq!((rgb.width, rgb.height), (6, 4));
        assert_eq!(rgb.data, pixels);
    }

    /// A GIF of `frames` 1x1 frames, each placed at (`frame_w`-1, 0) with a declared size of
    /// `frame_w` x 1 but one pixel of data, on a `screen_w` x `screen_h` logical screen.
    fn gif(screen_w: u16, screen_h: u16, frame_w: u16, frames: usize) -> Vec<u8> {
        let mut out = b"GIF89a".to_vec();
        out.extend(screen_w.to_le_bytes());
        out.extend(screen_h.to_le_bytes());
        out.extend([0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]); // 2-colour global table
        for _ in 0..frames {
            out.push(0x2c);
            out.extend([0, 0, 0, 0]);
            out.extend(frame_w.to_le_bytes());
            out.extend(1u16.to_le_bytes());
            out.extend([0, 2, 2, 0x44, 0x01, 0]); // LZW: clear, pixel 0, end
        }
        out.push(0x3b);
        out
    }

    #[test]
    fn a_gif_with_a_huge_logical_screen_is_refused_before_decoding() {
        let err = decode_bytes(&gif(65_535, 65_535, 1, 1), Limits::default()).err().unwrap();
        assert!(matches!(err, DecodeError::TooManyPixels { .. }), "{err}");
        assert!(err.to_string().contains("not checked"), "{err}");
    }

    #[test]
    fn an_animated_gif_bomb_costs_one_frame() {
        // 200,000 frames: only the first is decoded, on its 8 x 8 screen.
        let rgb = decode_bytes(&gif(8, 8, 1, 200_000), Limits::default()).unwrap();
        assert_eq!((rgb.width, rgb.height), (8, 8));
        assert_eq!(rgb.data.len(), 8 * 8 * 3);
    }

    #[test]
    fn a_gif_frame_larger_than_its_screen_is_an_error_not_an_allocation() {
        // It declares 65,535 pixels of data and carries one: refused as damaged.
        let err = decode_bytes(&gif(8, 8, 65_535, 1), Limits::default()).err().unwrap();
        assert!(matches!(err, DecodeError::Corrupt(_)), "{err}");
    }

    #[test]
    fn a_50k_by_50k_header_is_refused_before_decoding() {
        let err = decode_bytes(include_bytes!("../tests/data/huge-header.png"), Limits::default()).err().unwrap();
        assert!(matches!(err, DecodeError::TooManyPixels { .. }), "{err}");
        assert!(err.to_string().contains("not checked"), "{err}");
    }

    #[test]
    fn too_many_pixels_within_the_side_limit_is_refused() {
        let limits = Limits { max_pixels: 1_000_000, ..Limits::default() };
        let err = decode_bytes(&png(1001, 1000, &[0u8; 1001 * 1000 * 3]), limits).err().unwrap();
        assert!(err.to_string().starts_with("the image is 1001x1000 pixels"), "{err}");
    }

    #[test]
    fn truncated_and_garbage_files_get_clear_errors() {
        let whole = png(20, 20, &[9u8; 20 * 20 * 3]);
        let err = decode_bytes(&whole[..whole.len() / 2], Limits::default()).err().unwrap();
        assert!(matches!(err, DecodeError::Damaged(Damage::Truncated)), "{err}");
        let err = decode_bytes(b"this is not an image at all", Limits::default()).err().unwrap();
        assert!(matches!(err, DecodeError::UnknownFormat), "{err}");
    }

    #[test]
    fn byte_limit_is_enforced() {
        let whole = png(20, 20, &[9u8; 20 * 20 * 3]);
        let limits = Limits { max_bytes: 10, ..Limits::default() };
        let err = decode_bytes(&whole, limits).err().unwrap();
        assert!(matches!(err, DecodeError::FileTooLarge { max: 10, .. }), "{err}");
    }
}
