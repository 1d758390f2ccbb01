//! 2FAS backups (`.2fas`, JSON), schema versions 1–4, plain and encrypted.
//!
//! `{"services": [...], "groups": [{id, name}], "schemaVersion": 1..4, ...}`. A service is
//! `{name, secret (Base32), otp: {account, issuer, label, digits, period, algorithm, counter,
//! tokenType TOTP|HOTP|STEAM, link}, groupId}`. Schema 1 carries no digits/period/algorithm
//! (everything is TOTP SHA1/6/30); schema 2 adds them but no `tokenType` (everything is TOTP).
//! The service `name` is the display name the user sees in 2FAS (it may differ from
//! `otp.issuer`, e.g. "Binance" vs "Binance.com") and becomes the issuer; `otp.account` the name.
//!
//! Encrypted: `services` is empty and `servicesEncrypted` is
//! `b64(ciphertext‖tag) ":" b64(salt) ":" b64(iv)`, key = PBKDF2-HMAC-SHA256(password, salt,
//! 10 000, 32 bytes), AES-256-GCM; the plaintext is the JSON array of services.

use std::collections::HashMap;

use serde_json::Value;

use super::common::{self, Collector, int_of, str_of};
use super::crypto::{self, CryptoError, Pbkdf2Hash};
use super::{ImportError, Input, Parsed};
use crate::account::{Account, OtpKind};

const NAME: &str = "2FAS";
const PBKDF2_ITERATIONS: u32 = 10_000;

/// True for a JSON object with `schemaVersion` and `services` (or `servicesEncrypted`).
pub fn sniff(input: &Input<'_>) -> bool {
    common::sniff_json(input).is_some_and(|v| {
        v.get("schemaVersion").is_some()
            && (v.get("services").is_some_and(Value::is_array)
                || v.get("servicesEncrypted").is_some_and(Value::is_string))
    })
}

/// Parses a plain or encrypted 2FAS backup.
pub fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let root = common::parse_json(input, NAME)?;
    let schema = int_of(&root, "schemaVersion").unwrap_or(1);
    if !(1..=4).contains(&schema) {
        return Err(ImportError::Unsupported {
            format: NAME,
            detail: format!("schema version {schema}"),
        });
    }
    let decrypted;
    let services = match str_of(&root, "servicesEncrypted").filter(|s| !s.is_empty()) {
        Some(enc) => {
            let password = password.ok_or(ImportError::PasswordRequired)?;
            let plain = decrypt(enc, password)?;
            decrypted = serde_json::from_slice::<Value>(&plain)
                .map_err(|_| common::malformed(NAME, "decrypted services are not JSON"))?;
            decrypted
                .as_array()
                .ok_or_else(|| common::malformed(NAME, "decrypted services are not a list"))?
        }
        None => root
            .get("services")
            .and_then(Value::as_array)
            .ok_or_else(|| common::malformed(NAME, "no services list"))?,
    };
    let groups = common::names_by_id(&root, "groups", "id", "name");
    let mut out = Collector::new(NAME);
    out.check_count(services.len())?;
    for (i, s) in services.iter().enumerate() {
        let otp = s.get("otp").unwrap_or(&Value::Null);
        let label = common::label(
            str_of(s, "name").unwrap_or_default(),
            str_of(otp, "account").unwrap_or_default(),
            i,
        );
        out.push(label, service(s, otp, schema, &groups));
    }
    Ok(out.finish())
}

fn decrypt(enc: &str, password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let parts: Vec<&str> = enc.split(':').collect();
    let [ct, salt, iv] = parts[..] else {
        return Err(common::malformed(
            NAME,
            "servicesEncrypted is not ciphertext:salt:iv",
        ));
    };
    let b64 = |s: &str, what: &str| {
        data_encoding::BASE64
            .decode(s.trim().as_bytes())
            .map_err(|_| common::malformed(NAME, format!("{what} is not Base64")))
    };
    let (ct, salt, iv) = (b64(ct, "ciphertext")?, b64(salt, "salt")?, b64(iv, "IV")?);
    let key = crypto::pbkdf2(
        Pbkdf2Hash::Sha256,
        password.as_bytes(),
        &salt,
        PBKDF2_ITERATIONS,
    )
    .map_err(|_| common::malformed(NAME, "key derivation failed"))?;
    crypto::aes256gcm_open(&key[..], &iv, &ct, b"").map_err(|e| match e {
        CryptoError::Auth => ImportError::WrongPassword,
        CryptoError::Params(d) => common::malformed(NAME, d),
    })
}

fn service(
    s: &Value,
    otp: &Value,
    schema: i64,
    groups: &HashMap<&str, &str>,
) -> Result<Account, String> {
    let secret = common::secret_from_base32(str_of(s, "secret").unwrap_or_default())?;
    let token_type = if schema >= 3 {
        str_of(otp, "tokenType").unwrap_or("TOTP")
    } else {
        "TOTP"
    };
    let (algorithm, digits, period) = if schema >= 2 {
        (
            common::algorithm(str_of(otp, "algorithm").unwrap_or("SHA1"))?,
            common::digits(int_of(otp, "digits").unwrap_or(6))?,
            int_of(otp, "period").unwrap_or(30),
        )
    } else {
        (crate::account::Algorithm::Sha1, 6, 30)
    };
    let kind = match token_type.to_ascii_uppercase().as_str() {
        "TOTP" => OtpKind::Totp {
            period: common::period(period)?,
        },
        "STEAM" => OtpKind::Steam {
            period: common::period(period)?,
        },
        "HOTP" => OtpKind::Hotp {
            counter: common::counter(int_of(otp, "counter").unwrap_or(0))?,
        },
        other => {
            return Err(format!(
                "unsupported token type {}",
                common::printable(other, 16)
            ));
        }
    };
    let issuer = str_of(s, "name")
        .filter(|n| !n.trim().is_empty())
        .or_else(|| str_of(otp, "issuer"))
        .unwrap_or_default();
    let mut a = common::account(
        issuer,
        str_of(otp, "account").unwrap_or_default(),
        secret,
        kind,
        algorithm,
        digits,
    )?;
    if let Some(g) = str_of(s, "groupId").and_then(|id| groups.get(id)) {
        a.groups.push((*g).to_owned());
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn schema_rules_and_bad_entries() {
        let doc = r#"{"schemaVersion":4,"groups":[{"id":"g","name":"Work"}],"services":[
          {"name":"Svc","secret":"JBSWY3DPEHPK3PXP","groupId":"g","otp":{"account":"me","issuer":"Svc.com","digits":8,"period":60,"algorithm":"SHA512","tokenType":"TOTP"}},
          {"name":"H","secret":"JBSWY3DPEHPK3PXP","otp":{"tokenType":"HOTP","counter":9}},
          {"name":"S","secret":"JBSWY3DPEHPK3PXP","otp":{"tokenType":"STEAM","digits":5}},
          {"name":"Z","secret":"JBSWY3DPEHPK3PXP","otp":{"tokenType":"TOTP","period":0}},
          {"name":"A","secret":"JBSWY3DPEHPK3PXP","otp":{"algorithm":"SHA384"}},
          {"name":"B","secret":"Secret1One","otp":{}},
          {"name":"T","secret":"JBSWY3DPEHPK3PXP","otp":{"tokenType":"MOTP"}}
        ]}"#;
        assert!(sniff(&input(doc)));
        let p = parse(&input(doc), None).unwrap();
        assert_eq!(p.accounts.len(), 3);
        let a = &p.accounts[0];
        assert_eq!((a.issuer.as_str(), a.name.as_str()), ("Svc", "me"));
        assert_eq!(a.params.kind, OtpKind::Totp { period: 60 });
        assert_eq!(a.groups, vec!["Work".to_string()]);
        assert_eq!(p.accounts[1].params.kind, OtpKind::Hotp { counter: 9 });
        assert_eq!(p.accounts[2].params.kind, OtpKind::Steam { period: 30 });
        assert_eq!(p.skipped.len(), 4);
        assert!(p.skipped.iter().all(|s| !s.reason.contains("Secret1One")));
    }

    #[test]
    fn schema_2_has_no_token_type() {
        let doc = r#"{"schemaVersion":2,"services":[{"name":"X","secret":"JBSWY3DP","otp":{"counter":4,"digits":7}}]}"#;
        let p = parse(&input(doc), None).unwrap();
        assert_eq!(p.accounts[0].params.kind, OtpKind::Totp { period: 30 });
        assert_eq!(p.accounts[0].params.digits, 7);
    }

    #[test]
    fn encrypted_errors() {
        let enc = r#"{"schemaVersion":4,"services":[],"servicesEncrypted":"AAAAAAAAAAAAAAAAAAAAAAAA:AAAA:AAAAAAAAAAAAAAAA"}"#;
        assert!(matches!(
            parse(&input(enc), None),
            Err(ImportError::PasswordRequired)
        ));
        assert!(matches!(
            parse(&input(enc), Some("x")),
            Err(ImportError::WrongPassword)
        ));
        let broken = r#"{"schemaVersion":4,"services":[],"servicesEncrypted":"only-one-part"}"#;
        assert!(matches!(
            parse(&input(broken), Some("x")),
            Err(ImportError::Malformed { .. })
        ));
        let v9 = r#"{"schemaVersion":9,"services":[]}"#;
        assert!(matches!(
            parse(&input(v9), None),
            Err(ImportError::Unsupported { .. })
        ));
    }

    #[test]
    fn encrypted_round_trip() {
        let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
        let salt = [9u8; 256];
        let iv = [4u8; 12];
        let services = br#"[{"name":"S","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"me","tokenType":"TOTP"}}]"#;
        let key = crypto::pbkdf2(Pbkdf2Hash::Sha256, b"pw", &salt, PBKDF2_ITERATIONS).unwrap();
        let ct = crypto::aes256gcm_seal_for_tests(&key[..], &iv, services, b"");
        let doc = format!(
            r#"{{"schemaVersion":4,"services":[],"servicesEncrypted":"{}:{}:{}"}}"#,
            b64(&ct),
            b64(&salt),
            b64(&iv)
        );
        let p = parse(&input(&doc), Some("pw")).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].name, "me");
        assert!(matches!(
            parse(&input(&doc), Some("pW")),
            Err(ImportError::WrongPassword)
        ));
    }
}
