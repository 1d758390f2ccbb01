//! Authy's internal Android preferences (`com.authy.storage.tokens.authenticator.xml`, needs
//! root): a JSON array of third-party tokens under `com.authy.storage.tokens.authenticator.key`.
//! Each token has `originalName` (`Issuer:name`), `originalIssuer`, `digits`, and either
//! `decryptedSecret` (Base32) or `encryptedSecret` + `salt`: AES-256-CBC, zero IV, PKCS#7, key =
//! PBKDF2-HMAC-SHA1(backup password, salt as UTF-8, 1000 iterations, 32 bytes), plaintext = the
//! Base32 secret. Authy keeps no algorithm or period: SHA-1 and 30 s.

use super::common::{self, contains, lenient_int_of, push_entry, unchecked_account};
use super::crypto::{self, Pbkdf2Hash};
use super::{Format, ImportError, Input, Parsed, android_prefs};
use crate::account::{OtpKind, OtpParams, Secret};

const NAME: &str = "Authy";
const TOKENS_KEY: &str = "com.authy.storage.tokens.authenticator.key";
const PBKDF2_ITERATIONS: u32 = 1000;

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "authy",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    android_prefs::looks_like(input.bytes) && contains(input.bytes, TOKENS_KEY.as_bytes())
}

/// Decrypts one token secret; `None` when the password (or the data) is wrong.
fn decrypt(password: &str, salt: &str, encrypted: &str) -> Option<Secret> {
    let ct = data_encoding::BASE64
        .decode(encrypted.trim().as_bytes())
        .ok()
        .filter(|c| c.len() <= common::MAX_SECRET_BYTES * 2)?;
    let key = crypto::pbkdf2(
        Pbkdf2Hash::Sha1,
        password.as_bytes(),
        salt.as_bytes(),
        PBKDF2_ITERATIONS,
    )
    .ok()?;
    let plain = crypto::aes256cbc_zero_iv_decrypt(&key, &ct)?;
    let text = std::str::from_utf8(&plain).ok()?;
    Secret::from_base32(text).ok()
}

fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let prefs = android_prefs::strings(common::require_text(input, NAME)?, NAME)?;
    let json = prefs
        .iter()
        .find(|(k, _)| k == TOKENS_KEY)
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| common::malformed(NAME, "no authenticator tokens in the file"))?;
    let v = common::parse_json_str(json, NAME)?;
    let tokens = v
        .as_array()
        .ok_or_else(|| common::malformed(NAME, "the token list is not an array"))?;
    let encrypted = tokens
        .iter()
        .filter(|t| t.get("encryptedSecret").is_some())
        .count();
    if encrypted > 0 && password.is_none() {
        return Err(ImportError::PasswordRequired);
    }
    let mut parsed = Parsed::default();
    let mut decrypted = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        let original = common::str_of(t, "originalName").unwrap_or_default();
        let label = match (original, common::str_of(t, "name").unwrap_or_default()) {
            ("", "") => format!("token {}", i + 1),
            ("", n) => n.to_string(),
            (o, _) => o.to_string(),
        };
        let entry = (|| {
            let secret = match (t.get("decryptedSecret").and_then(|s| s.as_str()), password) {
                (Some(s), _) => common::strict_secret_from_base32(s)?,
                (None, Some(pw)) => {
                    let s = decrypt(
                        pw,
                        common::str_of(t, "salt").unwrap_or_default(),
                        common::str_of(t, "encryptedSecret").unwrap_or_default(),
                    )
                    .ok_or_else(|| "the secret could not be decrypted".to_string())?;
                    decrypted += 1;
                    s
                }
                (None, None) => return Err("no secret".to_string()),
            };
            let (prefix, name) = match original.split_once(':') {
                Some((p, n)) => (p.trim(), n.trim()),
                None if !original.is_empty() => ("", original.trim()),
                None => ("", common::str_of(t, "name").unwrap_or_default().trim()),
            };
            let issuer = match common::str_of(t, "originalIssuer")
                .unwrap_or_default()
                .trim()
            {
                "" => prefix,
                i => i,
            };
            let params = OtpParams {
                kind: OtpKind::Totp { period: 30 },
                digits: common::digits_or(lenient_int_of(t, "digits"), 6),
                ..OtpParams::default()
            };
            unchecked_account(issuer, name, secret, params)
        })();
        push_entry(&mut parsed, &label, entry);
    }
    if encrypted > 0 && decrypted == 0 {
        return Err(ImportError::WrongPassword);
    }
    if prefs
        .iter()
        .any(|(k, _)| k.starts_with("com.authy.storage.tokens.authy"))
    {
        parsed
            .warnings
            .push("Authy's own (Authy-protected) tokens are not imported".into());
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{assert_password_errors, check_file, input, read};

    #[test]
    fn corpus_files() {
        check_file(&FORMAT, "authy/authy_plain.xml");
        check_file(&FORMAT, "authy/authy_encrypted.xml");
    }

    #[test]
    fn password_errors() {
        let Some(bytes) = read("authy/authy_encrypted.xml") else {
            return;
        };
        assert_password_errors(parse, &input(&bytes), &["nottest"]);
    }

    #[test]
    fn hostile_inputs() {
        let wrap = |json: &str| {
            format!(
                "<map><string name=\"{TOKENS_KEY}\">{}</string></map>",
                json.replace('"', "&quot;")
            )
        };
        let run = |s: String| parse(&input(s.as_bytes()), Some("pw"));
        assert!(run(wrap("{}")).is_err());
        assert!(run(wrap("[{")).is_err());
        let p = run(wrap(r#"[{"decryptedSecret":"A1","originalName":"X:y"},{"decryptedSecret":"JBSWY3DPEHPK3PXP","digits":99}]"#)).unwrap();
        assert_eq!(p.skipped.len(), 2);
        // Encrypted secret with a bad length: the only encrypted token fails -> wrong password.
        assert!(matches!(
            run(wrap(r#"[{"encryptedSecret":"AAAA","salt":"s"}]"#)),
            Err(ImportError::WrongPassword)
        ));
    }
}
