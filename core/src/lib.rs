//! Tessera's authenticator core: pure Rust, no FFI types.
//!
//! - [`account`]: the account model (secret, algorithm, digits, period/counter).
//! - [`clock`]: injected time with a drift offset.
//! - [`otp`]: TOTP/HOTP/Steam code generation.
//! - [`format`]: codes formatted for eyes and for screen readers.
//! - [`uri`]: `otpauth://` parsing and writing.
//! - [`migration`]: Google Authenticator `otpauth-migration://` batches.
//! - [`vault`]: the encrypted SQLite store (feature `vault`).
//! - [`import`] / [`export`]: moving accounts in and out of other apps' formats.
//! - [`push`]: push sign-in approvals (privacyIDEA PUSH tokens).

pub mod account;
pub mod clock;
pub mod export;
pub mod format;
pub mod import;
pub mod migration;
pub mod otp;
pub mod push;
pub mod uri;
#[cfg(feature = "vault")]
pub mod vault;

pub use account::{Account, Algorithm, OtpKind, OtpParams, Secret};
pub use clock::Clock;
