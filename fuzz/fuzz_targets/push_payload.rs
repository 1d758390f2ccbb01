//! Push input from the network or a QR code: a sign-in request payload (FCM/APNs data or a poll
//! reply entry) and an `otpauth://pipush/` enrollment link. Neither may panic or allocate without
//! bound; an accepted payload keeps its fields within the parser's limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::push::{EnrollmentUri, parse_push_payload};

fuzz_target!(|data: &[u8]| {
    if let Ok(payload) = parse_push_payload(data) {
        // Every field comes from the input, so none can be longer than it.
        assert!(payload.nonce.len() <= data.len());
        assert!(payload.question.len() <= data.len());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = EnrollmentUri::parse(text);
    }
});
