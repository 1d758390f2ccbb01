//! andOTP backups: plain JSON, encrypted (current) and encrypted (old).
//!
//! Plain: a JSON array of `{secret (Base32, often `=`-padded), issuer, label, digits,
//! type TOTP|HOTP|STEAM, algorithm, period | counter, tags[]}`. Very old exports have no `issuer`
//! (the label then reads "Issuer:Name" and is kept as the name).
//!
//! Encrypted (current, `.json.aes`): `u32 big-endian iterations ‖ salt (12) ‖ nonce (12) ‖
//! AES-256-GCM ciphertext‖tag`, key = PBKDF2-HMAC-SHA1(password, salt, iterations, 256 bits).
//! Encrypted (old): `nonce (12) ‖ ciphertext‖tag`, key = SHA-256(password).
//! Both decrypt to the plain JSON. (andOTP's OpenPGP backups are not supported.)

use serde_json::Value;

use super::common::{self, Collector, int_of, str_of, string_of};
use super::crypto::{self, CryptoError, Pbkdf2Hash};
use super::{ImportError, Input, Parsed};
use crate::account::{Account, OtpKind};

const NAME: &str = "andOTP";
const NONCE: usize = 12;
const SALT: usize = 12;
const TAG: usize = 16;
/// Iteration counts andOTP writes (it picks 140 000–160 000); a wider range is accepted.
const ITERATIONS: std::ops::RangeInclusive<u32> = 1_000..=crypto::MAX_PBKDF2_ITERATIONS;

/// Plain: a JSON array of objects with `secret`, `type` and `label`. Encrypted: binary data
/// that starts with a plausible iteration count, or a file name hinting at andOTP.
pub fn sniff(input: &Input<'_>) -> bool {
    if let Some(v) = common::sniff_json(input) {
        return v.as_array().is_some_and(|a| {
            a.first().is_some_and(|e| {
                e.get("secret").is_some() && e.get("type").is_some() && e.get("label").is_some()
            })
        });
    }
    if common::is_text(input) || input.bytes.len() < NONCE + TAG + 2 {
        return false;
    }
    let name = input.file_name.unwrap_or_default().to_ascii_lowercase();
    name.contains("andotp") || name.ends_with(".json.aes") || new_format_header(input.bytes)
}

fn new_format_header(b: &[u8]) -> bool {
    b.len() >= 4 + SALT + NONCE + TAG
        && ITERATIONS.contains(&u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Parses a plain or encrypted andOTP backup.
pub fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    let trimmed = common::text(input).map(str::trim_start);
    if trimmed.is_some_and(|t| t.starts_with('[')) {
        let v = common::parse_json(input, NAME)?;
        return parse_entries(&v);
    }
    let password = password.ok_or(ImportError::PasswordRequired)?;
    let plain = decrypt(input.bytes, password)?;
    let v: Value = serde_json::from_slice(&plain)
        .map_err(|_| common::malformed(NAME, "decrypted backup is not JSON"))?;
    parse_entries(&v)
}

/// Tries the current format (when the header allows it), then the old one.
fn decrypt(b: &[u8], password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    if b.len() < NONCE + TAG {
        return Err(common::malformed(NAME, "file too short"));
    }
    let fail = |e: CryptoError| match e {
        CryptoError::Auth => None,
        CryptoError::Params(d) => Some(common::malformed(NAME, d)),
    };
    if new_format_header(b) {
        let iterations = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        let salt = &b[4..4 + SALT];
        let nonce = &b[4 + SALT..4 + SALT + NONCE];
        let key = crypto::pbkdf2(Pbkdf2Hash::Sha1, password.as_bytes(), salt, iterations)
            .map_err(|e| fail(e).unwrap_or(ImportError::WrongPassword))?;
        match crypto::aes256gcm_open(&key[..], nonce, &b[4 + SALT + NONCE..], b"") {
            Ok(p) => return Ok(p),
            Err(e) => {
                if let Some(err) = fail(e) {
                    return Err(err);
                }
            }
        }
    }
    let key = crypto::sha256(password.as_bytes());
    crypto::aes256gcm_open(&key[..], &b[..NONCE], &b[NONCE..], b"")
        .map_err(|e| fail(e).unwrap_or(ImportError::WrongPassword))
}

fn parse_entries(v: &Value) -> Result<Parsed, ImportError> {
    let entries = v
        .as_array()
        .ok_or_else(|| common::malformed(NAME, "not a list of entries"))?;
    let mut out = Collector::new(NAME);
    out.push_entries(entries, "issuer", "label", entry)?;
    Ok(out.finish())
}

fn entry(e: &Value) -> Result<Account, String> {
    let secret = common::secret_from_base32(str_of(e, "secret").unwrap_or_default())?;
    let algorithm = common::algorithm(str_of(e, "algorithm").unwrap_or("SHA1"))?;
    let digits = common::digits(int_of(e, "digits").unwrap_or(6))?;
    let period = || common::period(int_of(e, "period").unwrap_or(30));
    let kind = match str_of(e, "type")
        .unwrap_or("TOTP")
        .to_ascii_uppercase()
        .as_str()
    {
        "TOTP" => OtpKind::Totp { period: period()? },
        "STEAM" => OtpKind::Steam { period: period()? },
        "HOTP" => OtpKind::Hotp {
            counter: common::counter(int_of(e, "counter").unwrap_or(0))?,
        },
        other => return Err(format!("unsupported type {}", common::printable(other, 16))),
    };
    let mut label = string_of(e, "label");
    let mut issuer = string_of(e, "issuer");
    if issuer.is_empty() && e.get("issuer").is_none() {
        // Old backups have no issuer field: the label reads "Issuer - Name" (the name part
        // often "Issuer:account" itself) or just "Issuer:account".
        if let Some((i, n)) = label.split_once(" - ") {
            (issuer, label) = (i.trim().to_owned(), n.trim().to_owned());
        } else if let Some((i, _)) = label.split_once(':') {
            issuer = i.trim().to_owned();
        }
    }
    let mut a = common::account(&issuer, &label, secret, kind, algorithm, digits)?;
    if let Some(tags) = e.get("tags").and_then(Value::as_array) {
        for t in tags.iter().filter_map(Value::as_str) {
            if !t.trim().is_empty() && !a.groups.iter().any(|g| g == t) {
                a.groups.push(t.trim().to_owned());
            }
        }
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn plain_entries_and_skips() {
        let doc = br#"[{"secret":"JBSWY3DPEHPK3PXP====","issuer":"I","label":"n","digits":6,"type":"TOTP","algorithm":"SHA1","period":30,"tags":["a","a"]},
          {"secret":"JBSWY3DP","label":"Old:name","digits":6,"type":"HOTP","counter":3},
          {"secret":"JBSWY3DP","issuer":"I","label":"z","digits":6,"type":"TOTP","period":0},
          {"secret":"not base32!","issuer":"I","label":"b","digits":6,"type":"TOTP"},
          {"secret":"JBSWY3DP","issuer":"I","label":"big","digits":99,"type":"TOTP"}]"#;
        assert!(sniff(&input(doc)));
        let p = parse(&input(doc), None).unwrap();
        assert_eq!(p.accounts.len(), 2);
        assert_eq!(p.accounts[0].groups, vec!["a".to_string()]);
        assert_eq!(p.accounts[1].issuer, "Old");
        assert_eq!(p.accounts[1].name, "Old:name");
        assert_eq!(p.skipped.len(), 3);
    }

    #[test]
    fn encrypted_hostile_inputs() {
        assert!(matches!(
            parse(&input(&[0x80; 40]), None),
            Err(ImportError::PasswordRequired)
        ));
        // Truncated: shorter than nonce + tag.
        assert!(parse(&input(&[0x80; 10]), Some("pw")).is_err());
        // A huge iteration count must not be run.
        let mut b = vec![0xFF, 0xFF, 0xFF, 0xFF];
        b.extend([7u8; 60]);
        assert!(matches!(
            parse(&input(&b), Some("pw")),
            Err(ImportError::WrongPassword)
        ));
        // Plausible header, wrong password.
        let mut b = 20_000u32.to_be_bytes().to_vec();
        b.extend([7u8; 60]);
        assert!(sniff(&input(&b)));
        assert!(matches!(
            parse(&input(&b), Some("pw")),
            Err(ImportError::WrongPassword)
        ));
    }

    const PLAIN: &[u8] = br#"[{"secret":"JBSWY3DPEHPK3PXP","issuer":"I","label":"n","digits":6,"type":"TOTP","algorithm":"SHA1","period":30}]"#;

    #[test]
    fn encrypted_current_and_old_round_trip() {
        let salt = [5u8; SALT];
        let nonce = [6u8; NONCE];
        let key = crypto::pbkdf2(Pbkdf2Hash::Sha1, b"pw", &salt, 2_000).unwrap();
        let mut current = 2_000u32.to_be_bytes().to_vec();
        current.extend(salt);
        current.extend(nonce);
        current.extend(crypto::aes256gcm_seal_for_tests(
            &key[..],
            &nonce,
            PLAIN,
            b"",
        ));
        let mut old = nonce.to_vec();
        old.extend(crypto::aes256gcm_seal_for_tests(
            &crypto::sha256(b"pw")[..],
            &nonce,
            PLAIN,
            b"",
        ));
        for file in [current, old] {
            let p = parse(&input(&file), Some("pw")).unwrap();
            assert_eq!(p.accounts.len(), 1);
            assert!(matches!(
                parse(&input(&file), Some("nope")),
                Err(ImportError::WrongPassword)
            ));
        }
    }
}
