//! Proton Authenticator exports, plain and password-protected.
//!
//! Plain: `{"version": 1, "entries": [{"id", "content": {"uri", "entry_type": "Totp"|"Steam",
//! "name"}, "note"}]}`; Steam entries use `steam://SECRET`.
//! Encrypted: `{"version": 1, "salt": b64(16 bytes), "content": b64(nonce 12 ‖ AES-256-GCM
//! ciphertext‖tag)}`, key = Argon2id(password, salt, m = 19 456 KiB, t = 2, p = 1), associated
//! data `proton.authenticator.export.v1` (proton-pass-common's exporter); the plaintext is the
//! plain export.

use serde_json::Value;

use super::common::{self, Collector, str_of};
use super::crypto::{self, CryptoError};
use super::{ImportError, Input, Parsed};

const NAME: &str = "Proton Authenticator";
const AAD: &[u8] = b"proton.authenticator.export.v1";
const ARGON2_MEMORY_KIB: u32 = 19_456;
const ARGON2_PASSES: u32 = 2;

/// `{"version", "entries"}` with `content.uri` entries, or `{"version", "salt", "content"}`.
pub fn sniff(input: &Input<'_>) -> bool {
    common::sniff_json(input).is_some_and(|v| {
        v.get("version").is_some()
            && (v.get("entries").and_then(Value::as_array).is_some_and(|e| {
                e.first()
                    .is_none_or(|e| e.pointer("/content/uri").is_some())
            }) || (v.get("salt").is_some_and(Value::is_string)
                && v.get("content").is_some_and(Value::is_string)))
    })
}

/// Parses a plain or encrypted Proton Authenticator export.
pub fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let v = common::parse_json(input, NAME)?;
    if let (Some(salt), Some(content)) = (str_of(&v, "salt"), str_of(&v, "content")) {
        let password = password.ok_or(ImportError::PasswordRequired)?;
        let plain = decrypt(salt, content, password)?;
        let inner: Value = serde_json::from_slice(&plain)
            .map_err(|_| common::malformed(NAME, "decrypted export is not JSON"))?;
        return entries(&inner);
    }
    entries(&v)
}

fn decrypt(
    salt: &str,
    content: &str,
    password: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let b64 = |s: &str, what: &str| {
        data_encoding::BASE64
            .decode(s.trim().as_bytes())
            .map_err(|_| common::malformed(NAME, format!("{what} is not Base64")))
    };
    let (salt, content) = (b64(salt, "salt")?, b64(content, "content")?);
    if content.len() < 12 + 16 {
        return Err(common::malformed(NAME, "encrypted content too short"));
    }
    let key = crypto::argon2id(
        password.as_bytes(),
        &salt,
        ARGON2_MEMORY_KIB,
        ARGON2_PASSES,
        1,
    )
    .map_err(|_| common::malformed(NAME, "invalid salt"))?;
    crypto::aes256gcm_open(&key[..], &content[..12], &content[12..], AAD).map_err(|e| match e {
        CryptoError::Auth => ImportError::WrongPassword,
        CryptoError::Params(d) => common::malformed(NAME, d),
    })
}

fn entries(v: &Value) -> Result<Parsed, ImportError> {
    let entries = v
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| common::malformed(NAME, "no entries list"))?;
    let mut out = Collector::new(NAME);
    out.check_count(entries.len())?;
    for (i, e) in entries.iter().enumerate() {
        let content = e.get("content").unwrap_or(&Value::Null);
        let name = str_of(content, "name").unwrap_or_default();
        let result =
            common::uri_account(str_of(content, "uri").unwrap_or_default()).map(|mut a| {
                if a.name.is_empty() {
                    a.name = name.trim().to_owned();
                }
                a.note = str_of(e, "note").unwrap_or_default().to_owned();
                a
            });
        let label = match &result {
            Ok(a) => common::label(&a.issuer, &a.name, i),
            Err(_) => common::label("", name, i),
        };
        out.push(label, result);
    }
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn plain_entries() {
        let t = r#"{"version":1,"entries":[
          {"id":"1","content":{"uri":"otpauth://totp/I:n?secret=JBSWY3DPEHPK3PXP&issuer=I","entry_type":"Totp","name":"n"},"note":"hi"},
          {"id":"2","content":{"uri":"steam://JBSWY3DPEHPK3PXP","entry_type":"Steam","name":"game"},"note":null},
          {"id":"3","content":{"uri":"otpauth://totp/x?secret=A1","entry_type":"Totp","name":"bad"}}]}"#;
        assert!(sniff(&input(t)));
        let p = parse(&input(t), None).unwrap();
        assert_eq!(p.accounts.len(), 2);
        assert_eq!(p.accounts[0].note, "hi");
        assert_eq!(p.accounts[1].name, "game");
        assert_eq!(p.skipped.len(), 1);
    }

    #[test]
    fn encrypted_errors() {
        let t = r#"{"version":1,"salt":"AAECAwQFBgcICQoLDA0ODw==","content":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#;
        assert!(sniff(&input(t)));
        assert!(matches!(
            parse(&input(t), None),
            Err(ImportError::PasswordRequired)
        ));
        assert!(matches!(
            parse(&input(t), Some("x")),
            Err(ImportError::WrongPassword)
        ));
        let short = r#"{"version":1,"salt":"AAEC","content":"AAAA"}"#;
        assert!(matches!(
            parse(&input(short), Some("x")),
            Err(ImportError::Malformed { .. })
        ));
    }

    #[test]
    fn encrypted_round_trip() {
        let plain = br#"{"version":1,"entries":[{"id":"1","content":{"uri":"otpauth://totp/I:n?secret=JBSWY3DPEHPK3PXP&issuer=I","entry_type":"Totp","name":"n"},"note":null}]}"#;
        let salt = [1u8; 16];
        let nonce = [2u8; 12];
        let key = crypto::argon2id(b"pw", &salt, ARGON2_MEMORY_KIB, ARGON2_PASSES, 1).unwrap();
        let mut content = nonce.to_vec();
        content.extend(crypto::aes256gcm_seal_for_tests(
            &key[..],
            &nonce,
            plain,
            AAD,
        ));
        let doc = format!(
            r#"{{"version":1,"salt":"{}","content":"{}"}}"#,
            data_encoding::BASE64.encode(&salt),
            data_encoding::BASE64.encode(&content)
        );
        let p = parse(&input(&doc), Some("pw")).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert!(matches!(
            parse(&input(&doc), Some("px")),
            Err(ImportError::WrongPassword)
        ));
    }
}
