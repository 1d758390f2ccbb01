//! Every registered import format, on arbitrary bytes: detection, then each parser directly
//! (without a password, so a hostile file cannot make a run spend minutes in a KDF; the
//! decryption paths of Tessera backups are covered by `backup_open`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::import::{self, FORMATS, Input};

fuzz_target!(|data: &[u8]| {
    let input = Input {
        bytes: data,
        file_name: None,
    };
    let _ = import::parse(&input, None, None);
    for format in FORMATS {
        let _ = (format.sniff)(&input);
        if let Ok(parsed) = (format.parse)(&input, None) {
            // Whatever a parser returns must be usable: valid parameters, a non-empty secret.
            for account in &parsed.accounts {
                assert!(
                    account.validate().is_ok(),
                    "{} returned an account that cannot produce codes",
                    format.id
                );
            }
        }
    }
});
