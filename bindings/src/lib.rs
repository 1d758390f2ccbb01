//! uniffi bindings over `tessera-core`: thin objects, a flat error and foreign traits, exported to
//! Kotlin (`org.tessera.core`) and Swift (`Tessera`).
//!
//! Generate the foreign code in library mode from an unstripped build:
//! `cargo run -p uniffi-bindgen -- generate --library target/debug/libtessera.so --language kotlin
//! --out-dir <dir>` (add `--config bindings/uniffi-jvm.toml` for a desktop JVM).

uniffi::setup_scaffolding!();

/// The version of the Tessera core library (the crate version, e.g. `0.1.0`).
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
