//! `otpauth://` parsing; an accepted URI must survive being written and read again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::uri;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((account, _warnings)) = uri::parse_with_warnings(text) {
        let again = uri::parse(&uri::to_uri(&account)).expect("a written URI parses again");
        assert_eq!(again.secret, account.secret);
        assert_eq!(again.params, account.params);
    }
});
