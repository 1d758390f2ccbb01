//! Ente Auth exports, plain and encrypted.
//!
//! Plain: text, one `otpauth://` URI per line, each with a `codeDisplay` parameter holding JSON
//! (`pinned`, `trashed`, `tags`, `note`, ...). Ente's quirks (lower-case algorithm, `issuer` with
//! no value, a `:account` label, literal `null`s) are handled by [`crate::uri::parse`]; here
//! `codeDisplay` becomes the note, groups (tags) and favourite (pinned). Entries in Ente's trash
//! are exported by Ente and imported here too, with a warning.
//!
//! Encrypted: `{"version": 1, "kdfParams": {"memLimit" (bytes), "opsLimit", "salt"},
//! "encryptedData", "encryptionNonce"}` (Base64). Key = Argon2id v1.3 (libsodium
//! `crypto_pwhash`: memory memLimit/1024 KiB, opsLimit passes, 1 lane, 32 bytes); the data is a
//! libsodium `crypto_secretstream_xchacha20poly1305` stream whose header is `encryptionNonce`,
//! the whole plaintext in one chunk.

use serde_json::Value;

use super::common::{self, Collector, int_of, str_of};
use super::crypto::{self, CryptoError};
use super::{ImportError, Input, Parsed};
use crate::account::Account;

const NAME: &str = "Ente Auth";
/// Longest `codeDisplay` JSON read (real ones are ~200 bytes).
const MAX_CODE_DISPLAY: usize = 16 * 1024;

/// Ente's encrypted JSON, or a URI list whose lines carry `codeDisplay`.
pub fn sniff(input: &Input<'_>) -> bool {
    if let Some(v) = common::sniff_json(input) {
        return v.get("kdfParams").is_some() && v.get("encryptedData").is_some();
    }
    common::is_text(input)
        && common::text(input).is_some_and(|t| {
            common::content_lines(t).next().is_some_and(|l| {
                l.get(..10)
                    .is_some_and(|p| p.eq_ignore_ascii_case("otpauth://"))
            }) && t.contains("codeDisplay=")
        })
}

/// Parses a plain or encrypted Ente Auth export.
pub fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    let t = common::text(input).ok_or_else(|| common::malformed(NAME, "not UTF-8 text"))?;
    if t.trim_start().starts_with('{') {
        let v = common::parse_json(input, NAME)?;
        let password = password.ok_or(ImportError::PasswordRequired)?;
        let plain = decrypt(&v, password)?;
        let text = std::str::from_utf8(&plain)
            .map_err(|_| common::malformed(NAME, "decrypted export is not text"))?;
        return plain_text(text);
    }
    plain_text(t)
}

fn decrypt(v: &Value, password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let kdf = v
        .get("kdfParams")
        .ok_or_else(|| common::malformed(NAME, "no kdfParams"))?;
    let b64 = |s: Option<&str>, what: &str| {
        let s = s.ok_or_else(|| common::malformed(NAME, format!("{what} missing")))?;
        data_encoding::BASE64
            .decode(s.trim().as_bytes())
            .map_err(|_| common::malformed(NAME, format!("{what} is not Base64")))
    };
    let salt = b64(str_of(kdf, "salt"), "salt")?;
    let data = b64(str_of(v, "encryptedData"), "encryptedData")?;
    let header = b64(str_of(v, "encryptionNonce"), "encryptionNonce")?;
    let mem_bytes = int_of(kdf, "memLimit").unwrap_or(-1);
    let ops = int_of(kdf, "opsLimit").unwrap_or(-1);
    let (Ok(mem_bytes), Ok(ops)) = (u64::try_from(mem_bytes), u32::try_from(ops)) else {
        return Err(common::malformed(NAME, "invalid kdfParams"));
    };
    let mem_kib = u32::try_from(mem_bytes / 1024)
        .map_err(|_| common::malformed(NAME, "Argon2 memory above 1 GiB"))?;
    let params = |e: CryptoError| match e {
        CryptoError::Auth => ImportError::WrongPassword,
        CryptoError::Params(d) => common::malformed(NAME, d),
    };
    let key = crypto::argon2id(password.as_bytes(), &salt, mem_kib, ops, 1).map_err(params)?;
    crypto::secretstream_open(&key[..], &header, &data, data.len()).map_err(params)
}

fn plain_text(t: &str) -> Result<Parsed, ImportError> {
    let parsed = super::otpauth_list::parse_lines(t, NAME)?;
    let mut out = Collector::new(NAME);
    let mut trashed = 0;
    let mut with_display = Parsed {
        skipped: parsed.skipped,
        warnings: parsed.warnings,
        ..Parsed::default()
    };
    for mut a in parsed.accounts {
        if apply_code_display(&mut a) {
            trashed += 1;
        }
        with_display.accounts.push(a);
    }
    out.extend(with_display)?;
    if trashed > 0 {
        out.warn(format!(
            "{trashed} account(s) were in Ente's trash; they were imported too"
        ));
    }
    Ok(out.finish())
}

/// Moves `codeDisplay` into the account's note, groups and favourite; true when trashed.
fn apply_code_display(a: &mut Account) -> bool {
    let Some(cd) = a.meta.remove("codeDisplay") else {
        return false;
    };
    if cd.len() > MAX_CODE_DISPLAY {
        return false;
    }
    let Ok(v) = serde_json::from_str::<Value>(&cd) else {
        return false;
    };
    if let Some(note) = str_of(&v, "note").filter(|n| !n.is_empty()) {
        a.note = note.to_owned();
    }
    a.favorite = common::bool_of(&v, "pinned");
    for tag in v
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let tag = tag.trim();
        if !tag.is_empty() && !a.groups.iter().any(|g| g == tag) {
            a.groups.push(tag.to_owned());
        }
    }
    common::bool_of(&v, "trashed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn code_display_maps_to_note_tags_and_pin() {
        let t = "otpauth://totp/I:n?secret=JBSWY3DPEHPK3PXP&issuer=I&codeDisplay=%7B%22pinned%22%3Atrue%2C%22trashed%22%3Atrue%2C%22tags%22%3A%5B%22w%22%5D%2C%22note%22%3A%22hi%22%7D\n\
                 otpauth://hotp/J:m?secret=JBSWY3DPEHPK3PXP&issuer=J&codeDisplay=%7B%7D\n\
                 otpauth://totp/K:z?secret=NOTBASE32!&codeDisplay=%7B%7D\n";
        assert!(sniff(&input(t)));
        let p = parse(&input(t), None).unwrap();
        assert_eq!(p.accounts.len(), 1);
        let a = &p.accounts[0];
        assert_eq!(a.note, "hi");
        assert_eq!(a.groups, vec!["w".to_string()]);
        assert!(a.favorite);
        assert!(!a.meta.contains_key("codeDisplay"));
        assert_eq!(p.skipped.len(), 2); // HOTP without counter, bad secret
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn encrypted_hostile_params() {
        let base = |mem: &str, ops: &str| {
            format!(
                r#"{{"version":1,"kdfParams":{{"memLimit":{mem},"opsLimit":{ops},"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}},"encryptedData":"AAAAAAAAAAAAAAAAAAAAAAAA","encryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}"#
            )
        };
        let ok = base("8192", "1");
        assert!(sniff(&input(&ok)));
        assert!(matches!(
            parse(&input(&ok), None),
            Err(ImportError::PasswordRequired)
        ));
        assert!(matches!(
            parse(&input(&ok), Some("pw")),
            Err(ImportError::WrongPassword)
        ));
        for (m, o) in [
            ("17179869184", "1"),
            ("8192", "100000"),
            ("-1", "1"),
            ("8192", "-3"),
        ] {
            assert!(
                matches!(
                    parse(&input(&base(m, o)), Some("pw")),
                    Err(ImportError::Malformed { .. })
                ),
                "{m} {o}"
            );
        }
    }
}
