//! Every case of `shared/corpus/otpauth-cases.json` behaves as listed: valid URIs give the expected
//! account (and listed warnings), invalid ones fail with the error matching the listed reason and
//! a message without the secret. Valid accounts also survive a `to_uri` → `parse` round trip.

mod common;

use serde_json::Value;
use tessera_core::account::{OtpKind, ParamError, Secret, SecretError};
use tessera_core::uri::{self, UriError, UriWarning};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The error variant a listed reason stands for.
fn error_matches(reason: &str, err: &UriError) -> bool {
    let r = reason.to_ascii_lowercase();
    match err {
        UriError::MissingSecret => {
            r.contains("secret parameter missing") || r.contains("no secret")
        }
        UriError::Secret(SecretError::Empty) => r.contains("empty secret"),
        UriError::Secret(SecretError::Base32) => r.contains("base32 alphabet"),
        UriError::Secret(SecretError::Base32Length) => {
            r.contains("base32 length") || r.contains("cannot be produced by base32")
        }
        UriError::MissingCounter => r.contains("without counter"),
        UriError::Scheme => r.contains("wrong scheme"),
        UriError::MigrationUri => r.contains("migration"),
        UriError::UnknownType(_) => r.contains("unknown type"),
        UriError::MissingType => r.contains("missing type"),
        UriError::Params(ParamError::Digits(_)) => r.starts_with("digits"),
        UriError::Params(ParamError::Period) => r.starts_with("period"),
        UriError::Number { name, .. } => r.contains(name),
        UriError::Algorithm(_) => r.contains("algorithm") || r.contains("md5"),
        UriError::LabelColons => r.contains("two colons"),
        _ => false,
    }
}

fn secret_param(uri: &str) -> Option<&str> {
    let query = uri.split_once('?')?.1;
    query
        .split('&')
        .find_map(|p| p.strip_prefix("secret="))
        .filter(|s| s.len() >= 8)
}

#[test]
fn every_corpus_case_behaves_as_listed() {
    let Some(doc) = common::corpus_json("otpauth_cases", "otpauth-cases.json") else {
        return;
    };
    let cases = doc["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 60, "the corpus lists 60 cases");
    let (mut valid, mut invalid) = (0, 0);
    for case in cases {
        let text = case["uri"].as_str().unwrap();
        let result = uri::parse_with_warnings(text);
        if case["valid"].as_bool().unwrap() {
            valid += 1;
            let (a, warnings) = result.unwrap_or_else(|e| panic!("{text}: refused: {e}"));
            let want = &case["expected"];
            let type_name = a.params.kind.type_name();
            assert_eq!(type_name, want["type"], "{text}");
            assert_eq!(a.issuer, want["issuer"], "{text}");
            assert_eq!(a.name, want["name"], "{text}");
            // The expected text names the same key, and is what the author wrote, normalized.
            let want_b32 = want["secret_base32"].as_str().unwrap();
            assert_eq!(
                Secret::from_base32(want_b32).as_ref(),
                Ok(&a.secret),
                "{text}"
            );
            assert_eq!(
                uri::secret_text(text).as_deref().map(String::as_str),
                Some(want_b32)
            );
            assert_eq!(hex(a.secret.as_bytes()), want["secret_hex"], "{text}");
            assert_eq!(a.params.algorithm.as_str(), want["algorithm"], "{text}");
            assert_eq!(u64::from(a.params.digits), want["digits"], "{text}");
            match a.params.kind {
                OtpKind::Hotp { counter } => assert_eq!(counter, want["counter"], "{text}"),
                kind => assert_eq!(kind.period().map(u64::from), want["period"].as_u64()),
            }
            // Listed warnings are all reported; issuer_mismatch exactly when listed.
            let codes: Vec<&str> = warnings.iter().map(UriWarning::code).collect();
            let listed: Vec<&str> = case["warnings"]
                .as_array()
                .map(|w| w.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for w in &listed {
                assert!(
                    codes.contains(w),
                    "{text}: warning {w} missing from {codes:?}"
                );
            }
            assert_eq!(
                codes.contains(&"issuer_mismatch"),
                listed.contains(&"issuer_mismatch"),
                "{text}: {codes:?}"
            );
            // Ignored parameters are either kept as metadata or reported as ignored.
            if let Some(ignored) = case["expected_extra"]["ignored_params"].as_array() {
                for p in ignored.iter().filter_map(Value::as_str) {
                    let reported = warnings.iter().any(
                        |w| matches!(w, UriWarning::IgnoredParameter { name, .. } if *name == p),
                    );
                    assert!(
                        a.meta.contains_key(p) || reported,
                        "{text}: {p} neither kept nor reported"
                    );
                }
            }
            let again = uri::to_uri(&a);
            assert_eq!(
                uri::parse(&again).as_ref(),
                Ok(&a),
                "round trip of {text} via {again}"
            );
        } else {
            invalid += 1;
            let reason = case["reason"].as_str().unwrap();
            let err = match result {
                Ok((a, _)) => panic!("{text}: accepted as {a:?}; expected refusal: {reason}"),
                Err(e) => e,
            };
            assert!(
                error_matches(reason, &err),
                "{text}: error {err:?} does not match reason {reason:?}"
            );
            let message = err.to_string();
            assert!(!message.contains('\n') && !message.is_empty());
            if let Some(secret) = secret_param(text) {
                assert!(
                    !message.contains(secret),
                    "{text}: message shows the secret: {message}"
                );
            }
        }
    }
    assert_eq!((valid, invalid), (39, 21));
    println!("otpauth-cases: {valid} valid and {invalid} invalid cases behave as listed");
}

/// Random accounts survive `to_uri` → `parse` unchanged.
#[test]
fn random_accounts_round_trip() {
    use tessera_core::account::{Account, Algorithm, OtpParams};
    let mut rng = common::Rng(0x0e7a_0417);
    let alphabet: Vec<char> = "aZ09 -._~@+&=?/#%é€漢".chars().collect();
    let text = |rng: &mut common::Rng| -> String {
        let n = rng.range(0, 12) as usize;
        let s: String = (0..n)
            .map(|_| alphabet[rng.range(0, alphabet.len() as u64 - 1) as usize])
            .collect();
        s.trim_start().to_string()
    };
    for _ in 0..500 {
        let len = rng.range(1, 64) as usize;
        let secret = Secret::new(rng.bytes(len));
        let mut a = Account::totp(text(&mut rng), text(&mut rng), secret);
        let algorithm =
            [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][rng.range(0, 2) as usize];
        a.params = match rng.range(0, 2) {
            0 => OtpParams {
                kind: OtpKind::Totp {
                    period: rng.range(1, u64::from(u32::MAX)) as u32,
                },
                algorithm,
                digits: rng.range(4, 10) as u8,
            },
            1 => OtpParams {
                kind: OtpKind::Hotp {
                    counter: rng.next_u64(),
                },
                algorithm,
                digits: rng.range(4, 10) as u8,
            },
            _ => OtpParams {
                kind: OtpKind::Steam { period: 30 },
                algorithm: Algorithm::Sha1,
                digits: 5,
            },
        };
        if rng.range(0, 1) == 1 {
            let k = format!("x{}", text(&mut rng));
            a.meta.insert(k, text(&mut rng));
        }
        let written = uri::to_uri(&a);
        assert_eq!(uri::parse(&written).as_ref(), Ok(&a), "{written}");
    }
}
