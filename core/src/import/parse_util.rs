//! Small helpers the part-B importers share: input bounds, error shorthands, secrets from the
//! shapes other apps store them in, and the "validate or skip" step every entry goes through.

use std::collections::BTreeMap;

use super::{ImportError, Input, Parsed, Skipped};
use crate::account::{Account, OtpParams, Secret};

/// Largest input file any of these parsers reads (export files are kilobytes; screenshots a few MiB).
pub(crate) const MAX_INPUT_BYTES: usize = 32 << 20;
/// Most entries taken from one file; the rest are reported as skipped.
pub(crate) const MAX_ENTRIES: usize = 10_000;
/// Longest secret accepted, in bytes (real secrets are 10–64 bytes).
pub(crate) const MAX_SECRET_BYTES: usize = 1024;
/// Longest issuer or name accepted, in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 1024;

/// `ImportError::Malformed` for `format`.
pub(crate) fn malformed(format: &'static str, detail: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        format,
        detail: detail.into(),
    }
}

/// The input's bytes, refused when larger than [`MAX_INPUT_BYTES`].
pub(crate) fn bounded<'a>(
    input: &Input<'a>,
    format: &'static str,
) -> Result<&'a [u8], ImportError> {
    if input.bytes.len() > MAX_INPUT_BYTES {
        return Err(malformed(
            format,
            format!("file is larger than {} MiB", MAX_INPUT_BYTES >> 20),
        ));
    }
    Ok(input.bytes)
}

/// The input as UTF-8 text (a leading byte-order mark is dropped).
pub(crate) fn text<'a>(input: &Input<'a>, format: &'static str) -> Result<&'a str, ImportError> {
    let bytes = bounded(input, format)?;
    let s = std::str::from_utf8(bytes).map_err(|_| malformed(format, "file is not UTF-8 text"))?;
    Ok(s.strip_prefix('\u{feff}').unwrap_or(s))
}

/// Parses JSON (serde_json bounds nesting at 128 levels, so deep nesting is an error, not a crash).
pub(crate) fn json(text: &str, format: &'static str) -> Result<serde_json::Value, ImportError> {
    serde_json::from_str(text).map_err(|e| malformed(format, format!("invalid JSON: {e}")))
}

/// True when `haystack` contains `needle` (byte search for sniffers).
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A label or issuer checked for length; control characters are dropped.
pub(crate) fn clean_text(s: &str) -> Result<String, String> {
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("a name longer than {MAX_TEXT_CHARS} characters"));
    }
    Ok(s.chars().filter(|c| !c.is_control()).collect())
}

/// A secret from raw bytes, bounded.
pub(crate) fn secret_from_bytes(bytes: Vec<u8>) -> Result<Secret, String> {
    if bytes.is_empty() {
        return Err("the secret is empty".into());
    }
    if bytes.len() > MAX_SECRET_BYTES {
        return Err(format!(
            "the secret is longer than {MAX_SECRET_BYTES} bytes"
        ));
    }
    Ok(Secret::new(bytes))
}

/// A secret from Base32 text, bounded.
pub(crate) fn secret_from_base32(text: &str) -> Result<Secret, String> {
    if text.len() > MAX_SECRET_BYTES * 2 {
        return Err(format!(
            "the secret is longer than {MAX_SECRET_BYTES} bytes"
        ));
    }
    Secret::from_base32(text).map_err(|e| e.to_string())
}

/// A secret from standard Base64 (padding optional), bounded.
pub(crate) fn secret_from_base64(text: &str) -> Result<Secret, String> {
    if text.len() > MAX_SECRET_BYTES * 2 {
        return Err(format!(
            "the secret is longer than {MAX_SECRET_BYTES} bytes"
        ));
    }
    let t = text.trim().trim_end_matches('=');
    let bytes = data_encoding::BASE64_NOPAD
        .decode(t.as_bytes())
        .map_err(|_| "the secret is not valid Base64".to_string())?;
    secret_from_bytes(bytes)
}

/// A secret from hexadecimal text (either case), bounded.
pub(crate) fn secret_from_hex(text: &str) -> Result<Secret, String> {
    if text.len() > MAX_SECRET_BYTES * 2 {
        return Err(format!(
            "the secret is longer than {MAX_SECRET_BYTES} bytes"
        ));
    }
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .map_err(|_| "the secret is not valid hexadecimal".to_string())?;
    secret_from_bytes(bytes)
}

/// A secret from a JSON array of Java (signed) bytes, as FreeOTP stores it.
pub(crate) fn secret_from_signed_bytes(v: Option<&serde_json::Value>) -> Result<Secret, String> {
    let arr = v
        .and_then(|v| v.as_array())
        .ok_or_else(|| "the secret is missing".to_string())?;
    if arr.len() > MAX_SECRET_BYTES {
        return Err(format!(
            "the secret is longer than {MAX_SECRET_BYTES} bytes"
        ));
    }
    let mut bytes = Vec::with_capacity(arr.len());
    for b in arr {
        let n = b
            .as_i64()
            .filter(|n| (-128..=255).contains(n))
            .ok_or_else(|| "the secret is not a byte array".to_string())?;
        bytes.push(n as u8);
    }
    secret_from_bytes(bytes)
}

/// A JSON string field (absent or null → empty).
pub(crate) fn str_field<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key).and_then(|x| x.as_str()).unwrap_or("")
}

/// A JSON integer field that may also be written as a string (`"30"`).
pub(crate) fn int_field(v: &serde_json::Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Builds an account with empty metadata.
pub(crate) fn account(issuer: String, name: String, secret: Secret, params: OtpParams) -> Account {
    Account {
        issuer,
        name,
        secret,
        params,
        meta: BTreeMap::new(),
        groups: Vec::new(),
        note: String::new(),
        favorite: false,
    }
}

/// Adds `entry` to `parsed` when it is valid and within [`MAX_ENTRIES`], or records why not.
pub(crate) fn push_entry(parsed: &mut Parsed, label: &str, entry: Result<Account, String>) {
    let label = if label.chars().count() > 80 {
        let mut s: String = label.chars().take(80).collect();
        s.push('…');
        s
    } else {
        label.to_string()
    };
    let reason = match entry {
        Ok(_) if parsed.accounts.len() >= MAX_ENTRIES => {
            format!("more than {MAX_ENTRIES} entries in one file")
        }
        Ok(account) => match account.validate() {
            Ok(()) => {
                parsed.accounts.push(account);
                return;
            }
            Err(e) => e.to_string(),
        },
        Err(reason) => reason,
    };
    parsed.skipped.push(Skipped { label, reason });
}

/// A u8 digits value from a possibly out-of-range integer (out of range → an invalid 0, which
/// validation then reports).
pub(crate) fn digits(n: Option<i64>, default: u8) -> u8 {
    match n {
        None => default,
        Some(n) => u8::try_from(n).unwrap_or(0),
    }
}

/// A u32 period from a possibly out-of-range integer (out of range → an invalid 0).
pub(crate) fn period(n: Option<i64>, default: u32) -> u32 {
    match n {
        None => default,
        Some(n) => u32::try_from(n).unwrap_or(0),
    }
}

/// A counter; negative values are refused.
pub(crate) fn counter(n: Option<i64>) -> Result<u64, String> {
    match n {
        None => Ok(0),
        Some(n) => u64::try_from(n).map_err(|_| "the HOTP counter is negative".to_string()),
    }
}

/// AES-256-CBC with PKCS#7 padding and an all-zero IV (Authy, TOTP Authenticator). `None` when
/// the length or padding is wrong — with these formats, the sign of a wrong password.
pub(crate) fn aes256_cbc_zero_iv_decrypt(
    key: &[u8; 32],
    ciphertext: &[u8],
) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::Pkcs7};
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
        return None;
    }
    let iv = [0u8; 16];
    cbc::Decryptor::<aes::Aes256>::new(key.into(), &iv.into())
        .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
        .ok()
        .map(zeroize::Zeroizing::new)
}
