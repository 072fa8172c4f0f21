//! Veil's core: PDQ fingerprints, the protected list and matching, with no web types, so that it
//! is tested natively and compiled unchanged into the extension's WebAssembly (`wasm` module).

// The image's path, in order: each module uses only those above it (`limits` holds named constants
// only; `wasm` and the CLI sit on top). See docs/architecture.md.
pub mod limits;
pub mod hash;
pub mod pdq;
pub mod trim;
pub mod picture;
pub mod detail;
pub mod rotate;
pub mod fingerprints;
pub mod list;
pub mod matcher;

// Beside the chain: image headers and whether a file holds its whole picture, report routes,
// abuse contacts.
pub mod contacts;
pub mod integrity;
pub mod routes;
pub mod sniff;

#[cfg(feature = "cli")]
pub mod decode;
#[cfg(feature = "cli")]
mod heif;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use fingerprints::{page_fingerprint, protect_fingerprints, PageFingerprint, ProtectedFingerprints, Query};
pub use hash::Hash256;
pub use list::{Entry, ProtectedList};
pub use matcher::{MatchConfig, Matcher, Verdict};
pub use pdq::{fingerprint, Dihedral, Fingerprint, Layout, Pixels};
