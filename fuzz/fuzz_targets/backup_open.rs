//! Tessera backups: header parsing, decryption and the payload decoder.
//!
//! Argon2 only runs when the file asks for tiny parameters (otherwise every run would spend a
//! second in the KDF); larger ones go through `open_with_key` with a fixed key instead, which
//! exercises the same authentication and decoding paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::export::backup::{self, Envelope, payload};

fuzz_target!(|data: &[u8]| {
    let _ = payload::decode(data);
    let Ok(envelope) = backup::parse(data) else {
        return;
    };
    match envelope {
        Envelope::Encrypted(sealed) if sealed.kdf.m_cost_kib <= 64 && sealed.kdf.t_cost <= 2 => {
            let _ = Envelope::Encrypted(sealed).open(Some("fuzz"));
        }
        Envelope::Encrypted(sealed) => {
            let _ = sealed.open_with_key(&[0x42; 32]);
        }
        plain => {
            let _ = plain.open(None);
        }
    }
});
