//! uniffi bindings over `tessera-core`: thin objects, a flat error and foreign traits, exported to
//! Kotlin (`org.tessera.core`) and Swift (`Tessera`).
//!
//! - [`error`]: `TesseraError`, the one flat error.
//! - [`account`]: the `Account` record and its enums.
//! - [`otp`]: single codes, formatting, and `CodeBook` (every code of the list in one call).
//! - [`uri`]: otpauth and migration links.
//! - [`clock`]: the foreign `TimeSource` trait and the `Clock` object.
//! - [`logging`]: the foreign `Logger` trait fed by Rust's `log` records.
//! - [`keys`]: the foreign `KeyProtector` trait (Android Keystore / iOS Keychain).
//! - [`vault`]: the encrypted `Vault` object.
//! - [`import`]: other apps' export files.
//! - [`export`]: exports (Tessera backup, Aegis, otpauth lists, Google migration) and backup checks.
//! - [`push`]: push sign-in approvals over the vault, with the foreign `HttpTransport` trait.
//!
//! Generate the foreign code in library mode from an unstripped build:
//! `cargo run -p uniffi-bindgen -- generate --library target/debug/libtessera.so --language kotlin
//! --out-dir <dir>` (add `--config bindings/uniffi-jvm.toml` for a desktop JVM).

uniffi::setup_scaffolding!();

pub mod account;
pub mod clock;
pub mod error;
pub mod export;
pub mod import;
pub mod keys;
pub mod logging;
pub mod otp;
pub mod push;
pub mod uri;
pub mod vault;

pub use error::TesseraError;

/// The version of the Tessera core library (the crate version, e.g. `0.1.0`).
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Panics on purpose, to check that a Rust panic reaches Kotlin/Swift as an error instead of
/// killing the process (`panic = "unwind"`). Never call it in an app.
#[uniffi::export]
pub fn debug_panic() -> Result<(), TesseraError> {
    panic!("debug_panic called");
}
