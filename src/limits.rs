//! The limits a page image must pass, defined once here: the extension reads them from the wasm
//! (`limits()`), so the background, the options page and the content script apply the same numbers.

/// PDQ quality (0-100) below which a hash is mostly noise (a flat, tiny or featureless image): a
/// page image below it is never called a match, and a protected crop below it is not stored.
/// Meta's published gate.
pub const MIN_QUALITY: u8 = 50;
/// An image under this many pixels on both sides is an icon or a spacer, not a photo worth hiding.
pub const ICON_SIDE: u32 = 32;
/// The largest page image Veil downloads and reads, in bytes (32 MiB).
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;
/// The most pixels a page image may declare before it is decoded (a decompression bomb is refused).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The longest side a page image may declare before it is decoded.
pub const MAX_SIDE: u32 = 20_000;
/// How many leading bytes are read first to find an image's format and declared size (256 KiB). A
/// JPEG's size can sit after large metadata, so an image whose size is not found in them is read whole.
pub const HEADER_BYTES: u32 = 256 * 1024;
