//! Aegis vault exports (`aegis-export-*.json`), plain and encrypted.
//!
//! Layout (Aegis `docs/vault.md`): `{"version": 1, "header": {"slots", "params"}, "db": …}`.
//! Plain: `slots`/`params` are null and `db` is an object. Encrypted: `db` is Base64 of
//! AES-256-GCM ciphertext under a random master key; each password slot (type 1) holds that key
//! wrapped with AES-256-GCM under scrypt(password, salt, n, r, p). Biometric slots (type 2) live
//! in the Android keystore and cannot be used off the phone.
//!
//! `db` content versions: 1 (no groups), 2 (per-entry `group` name), 3 (`groups` list of
//! `{uuid, name}` and per-entry `groups` of uuids, plus `note` and `favorite`).

use std::collections::HashMap;

use serde_json::Value;

use super::common::{self, Collector, int_of, str_of, string_of};
use super::crypto::{self, CryptoError};
use super::{ImportError, Input, Parsed};
use crate::account::{Account, OtpKind};

const NAME: &str = "Aegis";

/// True for a JSON object with Aegis's `header` and `db` members.
pub fn sniff(input: &Input<'_>) -> bool {
    common::sniff_json(input).is_some_and(|v| {
        v.get("header").is_some_and(Value::is_object)
            && v.get("db").is_some()
            && v.get("version").is_some()
    })
}

/// Parses a plain or encrypted Aegis export.
pub fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let root = common::parse_json(input, NAME)?;
    let header = root
        .get("header")
        .filter(|h| h.is_object())
        .ok_or_else(|| common::malformed(NAME, "no header"))?;
    match root.get("db") {
        Some(db @ Value::Object(_)) => parse_db(db),
        Some(Value::String(b64)) => {
            let password = password.ok_or(ImportError::PasswordRequired)?;
            let plain = decrypt(header, b64, password)?;
            let db: Value = serde_json::from_slice(&plain)
                .map_err(|_| common::malformed(NAME, "decrypted database is not JSON"))?;
            parse_db(&db)
        }
        _ => Err(common::malformed(NAME, "no database")),
    }
}

fn hex(v: &Value, key: &str, what: &str) -> Result<Vec<u8>, ImportError> {
    let s = str_of(v, key).ok_or_else(|| common::malformed(NAME, format!("{what} missing")))?;
    if s.len() > 1024 {
        return Err(common::malformed(NAME, format!("{what} too long")));
    }
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.as_bytes())
        .map_err(|_| common::malformed(NAME, format!("{what} is not hex")))
}

fn crypto_err(e: CryptoError) -> ImportError {
    match e {
        CryptoError::Auth => ImportError::WrongPassword,
        CryptoError::Params(d) => common::malformed(NAME, d),
    }
}

/// Unwraps the master key with the first password slot the password opens, then decrypts `db`.
fn decrypt(
    header: &Value,
    db_b64: &str,
    password: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or_else(|| common::malformed(NAME, "encrypted database without key slots"))?;
    if slots.len() > 64 {
        return Err(common::malformed(NAME, "too many key slots"));
    }
    let password_slots: Vec<&Value> = slots
        .iter()
        .filter(|s| int_of(s, "type") == Some(1))
        .collect();
    if password_slots.is_empty() {
        return Err(ImportError::Unsupported {
            format: NAME,
            detail: "the vault has no password slot (biometric-only vaults cannot be exported)"
                .into(),
        });
    }
    let mut master = None;
    for slot in password_slots {
        let salt = hex(slot, "salt", "slot salt")?;
        let n = int_of(slot, "n").unwrap_or(0);
        let r = int_of(slot, "r").unwrap_or(0);
        let p = int_of(slot, "p").unwrap_or(0);
        let (Ok(n), Ok(r), Ok(p)) = (u64::try_from(n), u32::try_from(r), u32::try_from(p)) else {
            return Err(common::malformed(NAME, "invalid scrypt parameters"));
        };
        let kek = crypto::scrypt(password.as_bytes(), &salt, n, r, p).map_err(crypto_err)?;
        let params = slot
            .get("key_params")
            .ok_or_else(|| common::malformed(NAME, "slot without key_params"))?;
        let mut wrapped = hex(slot, "key", "slot key")?;
        wrapped.extend(hex(params, "tag", "slot tag")?);
        let nonce = hex(params, "nonce", "slot nonce")?;
        match crypto::aes256gcm_open(&kek[..], &nonce, &wrapped, b"") {
            Ok(key) => {
                master = Some(key);
                break;
            }
            Err(CryptoError::Auth) => continue,
            Err(e) => return Err(crypto_err(e)),
        }
    }
    let master = master.ok_or(ImportError::WrongPassword)?;
    let params = header
        .get("params")
        .ok_or_else(|| common::malformed(NAME, "no header params"))?;
    let nonce = hex(params, "nonce", "database nonce")?;
    let mut ct = data_encoding::BASE64
        .decode(db_b64.trim().as_bytes())
        .map_err(|_| common::malformed(NAME, "database is not Base64"))?;
    ct.extend(hex(params, "tag", "database tag")?);
    crypto::aes256gcm_open(&master, &nonce, &ct, b"").map_err(|e| match e {
        // The key opened a slot, so a failure here is corruption, not a wrong password.
        CryptoError::Auth => common::malformed(NAME, "database does not match its tag"),
        CryptoError::Params(d) => common::malformed(NAME, d),
    })
}

/// Reads the decrypted database object.
fn parse_db(db: &Value) -> Result<Parsed, ImportError> {
    let entries = db
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| common::malformed(NAME, "database has no entries list"))?;
    let groups = common::names_by_id(db, "groups", "uuid", "name");
    let mut out = Collector::new(NAME);
    out.push_entries(entries, "issuer", "name", |e| entry(e, &groups))?;
    if entries
        .iter()
        .any(|e| e.get("icon").is_some_and(|i| !i.is_null()))
    {
        out.warn("Aegis icons are not imported");
    }
    Ok(out.finish())
}

fn entry(e: &Value, groups: &HashMap<&str, &str>) -> Result<Account, String> {
    let ty = str_of(e, "type").unwrap_or_default();
    if !matches!(ty, "totp" | "hotp" | "steam") {
        return Err(format!("unsupported type {}", common::printable(ty, 16)));
    }
    let info = e.get("info").ok_or("entry has no info")?;
    let secret = common::secret_from_base32(str_of(info, "secret").unwrap_or_default())?;
    let algorithm = common::algorithm(str_of(info, "algo").unwrap_or("SHA1"))?;
    let digits = common::digits(int_of(info, "digits").unwrap_or(6))?;
    let period = || common::period(int_of(info, "period").unwrap_or(30));
    let kind = match ty {
        "totp" => OtpKind::Totp { period: period()? },
        "steam" => OtpKind::Steam { period: period()? },
        "hotp" => OtpKind::Hotp {
            counter: common::counter(int_of(info, "counter").unwrap_or(0))?,
        },
        other => return Err(format!("unsupported type {}", common::printable(other, 16))),
    };
    let mut a = common::account(
        &string_of(e, "issuer"),
        &string_of(e, "name"),
        secret,
        kind,
        algorithm,
        digits,
    )?;
    a.note = string_of(e, "note");
    a.favorite = common::bool_of(e, "favorite");
    // v3: uuids into the groups list; v2: the group's name directly.
    if let Some(ids) = e.get("groups").and_then(Value::as_array) {
        for id in ids.iter().filter_map(Value::as_str) {
            if let Some(name) = groups.get(id) {
                push_group(&mut a, name);
            }
        }
    }
    if let Some(name) = str_of(e, "group") {
        push_group(&mut a, name);
    }
    Ok(a)
}

fn push_group(a: &mut Account, name: &str) {
    let name = name.trim();
    if !name.is_empty() && !a.groups.iter().any(|g| g == name) {
        a.groups.push(name.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    const PLAIN: &str = r#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,
      "entries":[
        {"type":"totp","name":"a","issuer":"I","note":"n","favorite":true,"groups":["g1"],
         "info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA256","digits":8,"period":60}},
        {"type":"hotp","name":"b","issuer":"J","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"counter":7}},
        {"type":"totp","name":"zero","issuer":"K","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"period":0}},
        {"type":"totp","name":"digits","issuer":"K","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":0,"period":30}},
        {"type":"totp","name":"bad","issuer":"K","info":{"secret":"NOT*BASE32","algo":"SHA1","digits":6,"period":30}},
        {"type":"motp","name":"m","issuer":"K","info":{"secret":"abcd","algo":"MD5","digits":6,"period":10}}
      ],"groups":[{"uuid":"g1","name":"Work"}]}}"#;

    #[test]
    fn plain_v3_with_groups_and_skips() {
        assert!(sniff(&input(PLAIN)));
        let p = parse(&input(PLAIN), None).unwrap();
        assert_eq!(p.accounts.len(), 2);
        let a = &p.accounts[0];
        assert_eq!((a.issuer.as_str(), a.name.as_str()), ("I", "a"));
        assert_eq!(a.params.kind, OtpKind::Totp { period: 60 });
        assert_eq!(a.params.digits, 8);
        assert_eq!(a.groups, vec!["Work".to_string()]);
        assert!(a.favorite);
        assert_eq!(a.note, "n");
        assert_eq!(p.accounts[1].params.kind, OtpKind::Hotp { counter: 7 });
        let reasons: Vec<&str> = p.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(p.skipped.len(), 4, "{reasons:?}");
        assert!(reasons[0].contains("period"));
        assert!(reasons[1].contains("digits"));
        assert!(reasons[2].contains("Base32"));
        assert!(reasons[3].contains("unsupported type"));
        assert!(p.skipped.iter().all(|s| !s.reason.contains("NOT*BASE32")));
    }

    #[test]
    fn hostile_inputs_error_without_panicking() {
        for bad in [
            "",
            "{",
            r#"{"version":1,"header":{},"db":5}"#,
            r#"{"version":1,"header":{},"db":{"entries":7}}"#,
            r#"{"version":1,"header":{"slots":[]},"db":"AAAA"}"#,
            r#"{"version":1,"header":{"slots":[{"type":1,"salt":"00","n":1099511627776,"r":8,"p":1}]},"db":"AAAA"}"#,
            r#"{"version":1,"header":{"slots":[{"type":1,"salt":"zz","n":16,"r":8,"p":1}]},"db":"AAAA"}"#,
        ] {
            assert!(parse(&input(bad), Some("pw")).is_err(), "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&input(&deep), None).is_err());
    }

    #[test]
    fn encrypted_needs_password() {
        let enc = r#"{"version":1,"header":{"slots":[],"params":{}},"db":"AAAA"}"#;
        assert!(matches!(
            parse(&input(enc), None),
            Err(ImportError::PasswordRequired)
        ));
    }

    #[test]
    fn huge_entry_count_is_refused() {
        let one = r#"{"type":"totp","name":"a","issuer":"I","info":{"secret":"JBSWY3DP","digits":6,"period":30}}"#;
        let many = vec![one; common::MAX_ENTRIES + 1].join(",");
        let doc = format!(
            r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":1,"entries":[{many}]}}}}"#
        );
        assert!(matches!(
            parse(&input(&doc), None),
            Err(ImportError::Malformed { .. })
        ));
    }

    /// Builds an encrypted vault the way Aegis does (small scrypt cost to keep the test fast).
    fn encrypted_vault(passwords: &[&str], db: &str) -> String {
        use data_encoding::HEXLOWER;
        let master = [7u8; 32];
        let mut slots = Vec::new();
        for (i, pw) in passwords.iter().enumerate() {
            let salt = [i as u8 + 1; 32];
            let kek = crypto::scrypt(pw.as_bytes(), &salt, 1024, 8, 1).unwrap();
            let nonce = [i as u8 + 9; 12];
            let wrapped = crypto::aes256gcm_seal_for_tests(&kek[..], &nonce, &master, b"");
            let (key, tag) = wrapped.split_at(32);
            slots.push(format!(
                r#"{{"type":1,"uuid":"u{i}","key":"{}","key_params":{{"nonce":"{}","tag":"{}"}},"n":1024,"r":8,"p":1,"salt":"{}","repaired":true}}"#,
                HEXLOWER.encode(key),
                HEXLOWER.encode(&nonce),
                HEXLOWER.encode(tag),
                HEXLOWER.encode(&salt)
            ));
        }
        slots.push(
            r#"{"type":2,"uuid":"bio","key":"00","key_params":{"nonce":"00","tag":"00"}}"#.into(),
        );
        let nonce = [3u8; 12];
        let sealed = crypto::aes256gcm_seal_for_tests(&master, &nonce, db.as_bytes(), b"");
        let (ct, tag) = sealed.split_at(sealed.len() - 16);
        format!(
            r#"{{"version":1,"header":{{"slots":[{}],"params":{{"nonce":"{}","tag":"{}"}}}},"db":"{}"}}"#,
            slots.join(","),
            HEXLOWER.encode(&nonce),
            HEXLOWER.encode(tag),
            data_encoding::BASE64.encode(ct)
        )
    }

    const DB: &str = r#"{"version":3,"entries":[{"type":"totp","name":"a","issuer":"I","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"period":30}}],"groups":[]}"#;

    #[test]
    fn encrypted_round_trip_any_password_slot() {
        let vault = encrypted_vault(&["first", "backup"], DB);
        assert!(sniff(&input(&vault)));
        for pw in ["first", "backup"] {
            let p = parse(&input(&vault), Some(pw)).unwrap();
            assert_eq!(p.accounts.len(), 1);
            assert_eq!(p.accounts[0].secret.to_base32(), "JBSWY3DPEHPK3PXP");
        }
        assert!(matches!(
            parse(&input(&vault), Some("wrong")),
            Err(ImportError::WrongPassword)
        ));
    }

    #[test]
    fn tampered_or_truncated_encrypted_vaults() {
        let vault = encrypted_vault(&["pw"], DB);
        // Flip the database tag: the slot opens, the database does not -> corruption, not a
        // wrong password.
        let v: Value = serde_json::from_str(&vault).unwrap();
        let tag = v["header"]["params"]["tag"].as_str().unwrap().to_owned();
        let flipped = format!(
            "{}{}",
            if tag.starts_with('0') { "1" } else { "0" },
            &tag[1..]
        );
        let bad = vault.replace(&tag, &flipped);
        assert!(matches!(
            parse(&input(&bad), Some("pw")),
            Err(ImportError::Malformed { .. })
        ));
        let cut = &vault[..vault.len() / 2];
        assert!(parse(&input(cut), Some("pw")).is_err());
        let bio_only = r#"{"version":1,"header":{"slots":[{"type":2}],"params":{}},"db":"AAAA"}"#;
        assert!(matches!(
            parse(&input(bio_only), Some("pw")),
            Err(ImportError::Unsupported { .. })
        ));
    }
}
