//! Stratum (formerly Authenticator Pro) backups: plain JSON, encrypted, and legacy encrypted.
//!
//! Plain: `{"Authenticators": [{Type, Issuer, Username, Secret, Algorithm, Digits, Period,
//! Counter, Pin}], "Categories": [{Id, Name}], "AuthenticatorCategories": [{CategoryId,
//! AuthenticatorSecret}]}`. Type 1 = HOTP, 2 = TOTP, 3 = mOTP, 4 = Steam, 5 = Yandex;
//! Algorithm 0/1/2 = SHA1/SHA256/SHA512. Categories become groups.
//!
//! Encrypted: `"AUTHENTICATORPRO" ‖ salt (16) ‖ IV (12) ‖ AES-256-GCM ciphertext‖tag`, key =
//! Argon2id(password, salt, t = 3, m = 64 MiB, p = 4). Legacy: `"AuthenticatorPro" ‖ salt (20) ‖
//! IV (16) ‖ AES-256-CBC/PKCS#7`, key = PBKDF2-HMAC-SHA1(password, salt, 64 000). Both decrypt to
//! the plain JSON. (The app's internal database is [`super::stratum_db`].)

use std::collections::HashMap;

use serde_json::Value;

use super::common::{self, Collector, int_of, str_of};
use super::crypto::{self, CryptoError, Pbkdf2Hash};
use super::{ImportError, Input, Parsed};
use crate::account::{Account, Algorithm, OtpKind, STEAM_DIGITS};

const NAME: &str = "Stratum";
const MAGIC: &[u8] = b"AUTHENTICATORPRO";
const LEGACY_MAGIC: &[u8] = b"AuthenticatorPro";

/// The binary magics, or JSON with an `Authenticators` list.
pub fn sniff(input: &Input<'_>) -> bool {
    if input.bytes.starts_with(MAGIC) || input.bytes.starts_with(LEGACY_MAGIC) {
        return true;
    }
    common::sniff_json(input).is_some_and(|v| v.get("Authenticators").is_some_and(Value::is_array))
}

/// Parses a plain, encrypted or legacy-encrypted Stratum backup.
pub fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    let b = input.bytes;
    let (plain, legacy) = if let Some(rest) = b.strip_prefix(MAGIC) {
        let password = password.ok_or(ImportError::PasswordRequired)?;
        (decrypt(rest, password)?, false)
    } else if let Some(rest) = b.strip_prefix(LEGACY_MAGIC) {
        let password = password.ok_or(ImportError::PasswordRequired)?;
        (decrypt_legacy(rest, password)?, true)
    } else {
        return backup(&common::parse_json(input, NAME)?);
    };
    match serde_json::from_slice::<Value>(&plain) {
        Ok(v) => backup(&v),
        // CBC has no MAC: a wrong password can still leave valid-looking padding.
        Err(_) if legacy => Err(ImportError::WrongPassword),
        Err(_) => Err(common::malformed(NAME, "decrypted backup is not JSON")),
    }
}

fn decrypt(rest: &[u8], password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    if rest.len() < 16 + 12 + 16 {
        return Err(common::malformed(NAME, "file too short"));
    }
    let (salt, rest) = rest.split_at(16);
    let (iv, ct) = rest.split_at(12);
    let key = crypto::argon2id(password.as_bytes(), salt, 64 * 1024, 3, 4)
        .map_err(|_| common::malformed(NAME, "key derivation failed"))?;
    crypto::aes256gcm_open(&key[..], iv, ct, b"").map_err(|e| match e {
        CryptoError::Auth => ImportError::WrongPassword,
        CryptoError::Params(d) => common::malformed(NAME, d),
    })
}

fn decrypt_legacy(rest: &[u8], password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    if rest.len() < 20 + 16 + 16 {
        return Err(common::malformed(NAME, "file too short"));
    }
    let (salt, rest) = rest.split_at(20);
    let (iv, ct) = rest.split_at(16);
    let key = crypto::pbkdf2(Pbkdf2Hash::Sha1, password.as_bytes(), salt, 64_000)
        .map_err(|_| common::malformed(NAME, "key derivation failed"))?;
    crypto::aes256cbc_decrypt(&key[..], iv, ct).map_err(|e| match e {
        CryptoError::Auth => ImportError::WrongPassword,
        CryptoError::Params(d) => common::malformed(NAME, d),
    })
}

fn backup(v: &Value) -> Result<Parsed, ImportError> {
    let auths = v
        .get("Authenticators")
        .and_then(Value::as_array)
        .ok_or_else(|| common::malformed(NAME, "no Authenticators list"))?;
    let names = common::names_by_id(v, "Categories", "Id", "Name");
    let mut groups: HashMap<&str, Vec<&str>> = HashMap::new();
    for link in v
        .get("AuthenticatorCategories")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(common::MAX_ENTRIES * 8)
    {
        if let (Some(secret), Some(name)) = (
            str_of(link, "AuthenticatorSecret"),
            str_of(link, "CategoryId").and_then(|id| names.get(id)),
        ) {
            groups.entry(secret).or_default().push(name);
        }
    }
    let mut out = Collector::new(NAME);
    out.check_count(auths.len())?;
    for (i, a) in auths.iter().enumerate() {
        let fields = Fields {
            kind: int_of(a, "Type").unwrap_or(2),
            issuer: str_of(a, "Issuer").unwrap_or_default(),
            username: str_of(a, "Username").unwrap_or_default(),
            secret: str_of(a, "Secret").unwrap_or_default(),
            algorithm: int_of(a, "Algorithm").unwrap_or(0),
            digits: int_of(a, "Digits").unwrap_or(6),
            period: int_of(a, "Period").unwrap_or(30),
            counter: int_of(a, "Counter").unwrap_or(0),
        };
        let result = account(&fields).map(|mut acc| {
            for g in groups.get(fields.secret).into_iter().flatten() {
                if !acc.groups.iter().any(|x| x == g) {
                    acc.groups.push((*g).to_owned());
                }
            }
            acc
        });
        out.push(common::label(fields.issuer, fields.username, i), result);
    }
    Ok(out.finish())
}

/// One authenticator's fields, as the JSON backup and the internal database both store them.
pub(crate) struct Fields<'a> {
    pub kind: i64,
    pub issuer: &'a str,
    pub username: &'a str,
    pub secret: &'a str,
    pub algorithm: i64,
    pub digits: i64,
    pub period: i64,
    pub counter: i64,
}

/// Builds an account from Stratum's numeric type and algorithm codes.
pub(crate) fn account(f: &Fields<'_>) -> Result<Account, String> {
    let algorithm = match f.algorithm {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        2 => Algorithm::Sha512,
        n => return Err(format!("unsupported algorithm code {n}")),
    };
    let secret = common::secret_from_base32(f.secret)?;
    let (kind, digits) = match f.kind {
        1 => (
            OtpKind::Hotp {
                counter: common::counter(f.counter)?,
            },
            common::digits(f.digits)?,
        ),
        2 => (
            OtpKind::Totp {
                period: common::period(f.period)?,
            },
            common::digits(f.digits)?,
        ),
        4 => (
            OtpKind::Steam {
                period: common::period(f.period)?,
            },
            STEAM_DIGITS,
        ),
        3 => return Err("mOTP accounts are not supported".into()),
        5 => return Err("Yandex accounts are not supported".into()),
        n => return Err(format!("unsupported type code {n}")),
    };
    common::account(f.issuer, f.username, secret, kind, algorithm, digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn plain_types_categories_and_skips() {
        let t = br#"{"Authenticators":[
          {"Type":2,"Issuer":"I","Username":"u","Secret":"JBSWY3DPEHPK3PXP","Algorithm":1,"Digits":8,"Period":60,"Counter":0},
          {"Type":1,"Issuer":"H","Username":"u","Secret":"JBSWY3DPEHPK3PXP","Algorithm":0,"Digits":6,"Period":30,"Counter":4},
          {"Type":4,"Issuer":"S","Username":"u","Secret":"JBSWY3DPEHPK3PXP","Algorithm":0,"Digits":5,"Period":30},
          {"Type":3,"Issuer":"M","Username":"u","Secret":"abcd","Algorithm":0,"Digits":6,"Period":10},
          {"Type":2,"Issuer":"Z","Username":"u","Secret":"JBSWY3DP","Algorithm":0,"Digits":6,"Period":0},
          {"Type":2,"Issuer":"A","Username":"u","Secret":"JBSWY3DP","Algorithm":9,"Digits":6,"Period":30}],
          "Categories":[{"Id":"c1","Name":"Work"}],
          "AuthenticatorCategories":[{"CategoryId":"c1","AuthenticatorSecret":"JBSWY3DPEHPK3PXP"}]}"#;
        assert!(sniff(&input(t)));
        let p = parse(&input(t), None).unwrap();
        assert_eq!(p.accounts.len(), 3);
        assert_eq!(p.accounts[0].groups, vec!["Work".to_string()]);
        assert_eq!(p.accounts[1].params.kind, OtpKind::Hotp { counter: 4 });
        assert_eq!(p.accounts[2].params.kind, OtpKind::Steam { period: 30 });
        assert_eq!(p.skipped.len(), 3);
    }

    #[test]
    fn encrypted_truncated_and_wrong_password() {
        let mut short = MAGIC.to_vec();
        short.extend([1u8; 10]);
        assert!(matches!(
            parse(&input(&short), None),
            Err(ImportError::PasswordRequired)
        ));
        assert!(matches!(
            parse(&input(&short), Some("pw")),
            Err(ImportError::Malformed { .. })
        ));
        let mut legacy = LEGACY_MAGIC.to_vec();
        legacy.extend([1u8; 20 + 16 + 32]);
        assert!(matches!(
            parse(&input(&legacy), Some("pw")),
            Err(ImportError::WrongPassword)
        ));
    }
}
