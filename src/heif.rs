//! HEIC/HEIF (the iPhone camera's format) and AVIF for the CLI, through the system's libheif.
//! libheif applies the file's own transforms (rotation `irot`, mirroring `imir`, crop `clap`), as
//! a photo viewer shows it; the HEIF standard says those, not EXIF, orient the picture.

use crate::decode::{DecodeError, Limits, Rgb};
use libheif_rs::{ColorSpace, HeifContext, HeifError, HeifErrorCode, LibHeif, RgbChroma};

pub fn decode(bytes: &[u8], limits: Limits) -> Result<Rgb, DecodeError> {
    let library = LibHeif::new();
    let context = HeifContext::read_from_bytes(bytes).map_err(error)?;
    let handle = context.primary_image_handle().map_err(error)?;
    let (width, height) = (handle.width(), handle.height());
    if limits.refuses(width, height) {
        return Err(DecodeError::TooManyPixels { declared: Some((width, height)), limits });
    }
    let image = library.decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None).map_err(error)?;
    let plane = image.planes().interleaved.ok_or_else(|| DecodeError::Corrupt("libheif gave no RGB plane".into()))?;
    let (width, height) = (plane.width as usize, plane.height as usize);
    let mut data = Vec::with_capacity(width * height * 3);
    for row in plane.data.chunks(plane.stride).take(height) {
        data.extend_from_slice(&row[..width * 3]);
    }
    Ok(Rgb { data, width, height })
}

fn error(e: HeifError) -> DecodeError {
    match e.code {
        HeifErrorCode::UnsupportedFeature | HeifErrorCode::UnsupportedFileType => {
            DecodeError::UnsupportedHeif(e.message)
        }
        _ => DecodeError::Corrupt(e.message),
    }
}
