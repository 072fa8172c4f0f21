//! Veil's core: PDQ fingerprints, the protected list and matching, with no web types, so that it
//! is tested natively and compiled unchanged into the extension's WebAssembly (`wasm` module).

pub mod contacts;
pub mod hash;
pub mod integrity;
pub mod list;
pub mod matcher;
pub mod pdq;
pub mod routes;
pub mod sniff;
pub mod trim;
pub mod variants;

#[cfg(feature = "cli")]
pub mod decode;
#[cfg(feature = "cli")]
mod heif;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use hash::Hash256;
pub use list::{Entry, ProtectedList};
pub use matcher::{page_fingerprint, MatchConfig, Matcher, PageFingerprint, Verdict};
pub use pdq::{fingerprint, Dihedral, Fingerprint, Layout, Pixels};
pub use variants::{protect_fingerprints, ProtectedFingerprints};
