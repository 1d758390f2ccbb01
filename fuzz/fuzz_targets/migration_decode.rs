//! Google `otpauth-migration://` URIs: one, and several lines combined.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::migration;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = migration::decode(text);
    let lines: Vec<&str> = text.lines().take(64).collect();
    let _ = migration::decode_all(&lines);
});
