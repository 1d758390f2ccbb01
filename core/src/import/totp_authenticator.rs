//! TOTP Authenticator (`com.authenticator.authservice2`): its backup `.bin` file and its internal
//! preferences (`STATIC_TOTP_CODES_LIST`).
//!
//! The backup is Base64 text of AES-256-CBC (zero IV, PKCS#7) with key = SHA-256 of the password
//! (no KDF); the plaintext is a JSON object whose first key is a JSON array (as a string) of
//! entries `{base: 16|32|64, key, name, issuer, digits, period, …}`. The app lower-cases names.
//!
//! Digits and period: like Aegis (and `expected.json`), entries import as SHA-1 / 6 digits / 30 s;
//! when an entry's `digits` or `period` field says otherwise the import carries a warning so the
//! user can check the codes.

use super::common::{self, contains, lenient_int_of, push_entry, unchecked_account};
use super::crypto;
use super::{Format, ImportError, Input, Parsed, android_prefs};
use crate::account::OtpParams;

const NAME: &str = "TOTP Authenticator";
const LIST_KEY: &str = "STATIC_TOTP_CODES_LIST";

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "totp-authenticator",
    name: NAME,
    sniff,
    parse,
};

/// The internal preferences file, or a `.bin` whose content is all Base64 of whole AES blocks.
fn sniff(input: &Input<'_>) -> bool {
    let b = input.bytes;
    if android_prefs::looks_like(b) {
        return contains(b, LIST_KEY.as_bytes());
    }
    let is_bin = input
        .file_name
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".bin"));
    let t = b.trim_ascii();
    is_bin
        && t.len() >= 44
        && t.len() <= common::MAX_INPUT_BYTES
        && t.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+/=\r\n".contains(c))
        && decode_base64(t).is_some_and(|d| d.len().is_multiple_of(16))
}

fn decode_base64(t: &[u8]) -> Option<Vec<u8>> {
    let clean: Vec<u8> = t
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    data_encoding::BASE64.decode(&clean).ok()
}

fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let bytes = common::bounded(input, NAME)?;
    if android_prefs::looks_like(bytes) {
        let prefs = android_prefs::strings(common::require_text(input, NAME)?, NAME)?;
        let list = prefs
            .iter()
            .find(|(k, _)| k == LIST_KEY)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| common::malformed(NAME, "no account list in the file"))?;
        return entries(&common::parse_json_str(list, NAME)?);
    }
    let ct = decode_base64(bytes.trim_ascii())
        .ok_or_else(|| common::malformed(NAME, "the backup is not Base64"))?;
    let password = password.ok_or(ImportError::PasswordRequired)?;
    let key = crypto::sha256(password.as_bytes());
    let plain = crypto::aes256cbc_zero_iv_decrypt(&key, &ct).ok_or(ImportError::WrongPassword)?;
    // Padding can pass by chance with a wrong key; the plaintext must then also be the JSON object.
    let outer: serde_json::Value = std::str::from_utf8(&plain)
        .ok()
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or(ImportError::WrongPassword)?;
    let list = outer
        .as_object()
        .and_then(|o| o.keys().next())
        .ok_or_else(|| common::malformed(NAME, "the backup holds no account list"))?;
    entries(&common::parse_json_str(list, NAME)?)
}

fn entries(list: &serde_json::Value) -> Result<Parsed, ImportError> {
    let list = list
        .as_array()
        .ok_or_else(|| common::malformed(NAME, "the account list is not an array"))?;
    let mut parsed = Parsed::default();
    for (i, e) in list.iter().enumerate() {
        let issuer = common::str_of(e, "issuer").unwrap_or_default();
        let name = common::str_of(e, "name").unwrap_or_default();
        let label = match (issuer, name) {
            ("", "") => format!("account {}", i + 1),
            ("", n) => n.to_string(),
            (i, "") => i.to_string(),
            (i, n) => format!("{i} ({n})"),
        };
        let entry = (|| {
            let key = common::str_of(e, "key").unwrap_or_default();
            let secret = match lenient_int_of(e, "base") {
                Some(16) => common::secret_from_hex(key)?,
                Some(32) | None => common::strict_secret_from_base32(key)?,
                Some(64) => common::secret_from_base64(key)?,
                Some(_) => return Err("unknown secret encoding".to_string()),
            };
            let digits = lenient_int_of(e, "digits");
            let period = lenient_int_of(e, "period");
            if digits.is_some_and(|d| d != 6) || period.is_some_and(|p| p != 30) {
                parsed.warnings.push(format!(
                    "{label}: the file lists {} digits and a {} s period; imported as 6 digits / 30 s \
                     like other importers of this app: check its codes",
                    digits.unwrap_or(6),
                    period.unwrap_or(30)
                ));
            }
            unchecked_account(issuer, name, secret, OtpParams::default())
        })();
        push_entry(&mut parsed, &label, entry);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{self, assert_password_errors, check_file, read};

    #[test]
    fn corpus_files() {
        let p = check_file(&FORMAT, "totp-authenticator/totp_authenticator.bin");
        check_file(
            &FORMAT,
            "totp-authenticator/totp_authenticator_internal.xml",
        );
        if let Some(p) = p {
            assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        }
    }

    #[test]
    fn password_errors() {
        let Some(bytes) = read("totp-authenticator/totp_authenticator.bin") else {
            return;
        };
        let input = Input {
            bytes: &bytes,
            file_name: Some("x.bin"),
        };
        assert_password_errors(parse, &input, &["Testtest2"]);
        let cut = &bytes[..bytes.len() - 8];
        assert!(parse(&test_support::input(cut), Some("Testtest1")).is_err());
    }

    #[test]
    fn bad_entries() {
        let list = serde_json::json!([
            {"base": 16, "key": "zz", "name": "a"},
            {"base": 7, "key": "00", "name": "b"},
            {"base": 64, "key": "SGVsbG8hIQ==", "name": "c", "issuer": "I"}
        ]);
        let p = entries(&list).unwrap();
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.accounts[0].secret.as_bytes(), b"Hello!!");
    }
}
