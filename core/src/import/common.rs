//! Helpers every importer shares: input limits, lenient secret decoding, parameter checks and the
//! collector that turns per-entry results into [`Parsed`] (accounts or skipped-with-reason).
//!
//! Two families live here. The first half (the JSON export importers: Aegis, 2FAS, andOTP, ...)
//! checks parameters into per-entry reasons and gathers entries with [`Collector`]. The app-data
//! importers (FreeOTP, Authy, Steam, Duo, app databases, ...) build accounts with
//! `unchecked_account`, read secrets with the bounded `secret_from_*` decoders (strict Base32) and
//! let `push_entry` validate them. Where the two differ (lenient vs strict Base32, an entry limit
//! that errors vs one that skips) the difference is deliberate and documented on each function.
//!
//! Reasons and labels never contain secrets.

use serde_json::Value;

use super::{ImportError, Input, Parsed, Skipped};
use crate::account::{Account, Algorithm, OtpKind, OtpParams, Secret, SecretError};

/// Largest input file any importer reads (export files are a few hundred KiB even with icons).
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;
/// Most entries one file may carry; more is treated as a hostile file.
pub const MAX_ENTRIES: usize = 10_000;
/// Longest secret accepted, in characters of its text form (real ones are under 200).
pub const MAX_SECRET_CHARS: usize = 1024;
/// Longest decoded secret the app-data importers accept, in bytes (real secrets are 10–64 bytes).
pub(crate) const MAX_SECRET_BYTES: usize = 1024;
/// Longest issuer or name the app-data importers accept, in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 1024;

/// Rejects inputs above [`MAX_INPUT_BYTES`].
pub fn check_size(input: &Input<'_>, format: &'static str) -> Result<(), ImportError> {
    if input.bytes.len() > MAX_INPUT_BYTES {
        return Err(malformed(
            format,
            format!("file larger than {} MiB", MAX_INPUT_BYTES >> 20),
        ));
    }
    Ok(())
}

/// The input's bytes, refused (as [`check_size`] does) when larger than [`MAX_INPUT_BYTES`].
pub(crate) fn bounded<'a>(
    input: &Input<'a>,
    format: &'static str,
) -> Result<&'a [u8], ImportError> {
    check_size(input, format)?;
    Ok(input.bytes)
}

/// Shorthand for [`ImportError::Malformed`].
pub fn malformed(format: &'static str, detail: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        format,
        detail: detail.into(),
    }
}

/// The input as UTF-8 text (a leading byte-order mark removed), or `None`.
pub fn text<'a>(input: &Input<'a>) -> Option<&'a str> {
    let bytes = input
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(input.bytes);
    std::str::from_utf8(bytes).ok()
}

/// The input as UTF-8 text (see [`text`]) for a parser: too large or not UTF-8 is `Malformed`.
pub(crate) fn require_text<'a>(
    input: &Input<'a>,
    format: &'static str,
) -> Result<&'a str, ImportError> {
    check_size(input, format)?;
    text(input).ok_or_else(|| malformed(format, "file is not UTF-8 text"))
}

/// For sniffers of JSON files: bytes within [`MAX_INPUT_BYTES`] that start (after white space)
/// with `open` (`b"{"` or `b"["`) and contain every marker (e.g. `b"\"otpGenerator\""`).
pub(crate) fn looks_like_json_with(bytes: &[u8], open: &[u8], markers: &[&[u8]]) -> bool {
    bytes.len() <= MAX_INPUT_BYTES
        && bytes.trim_ascii_start().starts_with(open)
        && markers.iter().all(|m| contains(bytes, m))
}

/// True when `haystack` contains `needle` (a byte search for sniffers).
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// True for UTF-8 text without control characters other than tab, CR and LF.
pub fn is_text(input: &Input<'_>) -> bool {
    text(input).is_some_and(|t| {
        !t.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    })
}

/// Parses the input as JSON (serde_json limits nesting to 128 levels), for sniffers: `None` on
/// anything that is not a JSON document or is too large.
pub fn sniff_json(input: &Input<'_>) -> Option<Value> {
    if input.bytes.len() > MAX_INPUT_BYTES {
        return None;
    }
    let t = text(input)?.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    serde_json::from_str(t).ok()
}

/// Parses the input as JSON for a parser, with a `Malformed` error naming the format.
pub fn parse_json(input: &Input<'_>, format: &'static str) -> Result<Value, ImportError> {
    check_size(input, format)?;
    let t = text(input).ok_or_else(|| malformed(format, "not UTF-8 text"))?;
    serde_json::from_str(t).map_err(|e| {
        // serde_json's messages hold only positions and categories, never input text.
        malformed(format, format!("invalid JSON ({})", e.classify_name()))
    })
}

/// Parses JSON text found inside a file (e.g. an XML preference value), with a `Malformed` error
/// naming the format. serde_json bounds nesting at 128 levels and its messages hold only
/// positions and categories, never input text.
pub(crate) fn parse_json_str(text: &str, format: &'static str) -> Result<Value, ImportError> {
    serde_json::from_str(text).map_err(|e| malformed(format, format!("invalid JSON: {e}")))
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

/// A string field (`None` when absent, null or not a string).
pub fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A string field or "" (absent/null count as empty).
pub fn string_of(v: &Value, key: &str) -> String {
    str_of(v, key).unwrap_or_default().to_owned()
}

/// An integer field given as a JSON number or a numeric string (some apps write `"30"`).
pub fn int_of(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_u64().map(|_| i64::MAX)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An integer field like [`int_of`], except that an integral float (`30.0`) counts and a number
/// beyond `i64` is `None` rather than `i64::MAX` (the app-data importers then use their default).
pub(crate) fn lenient_int_of(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The `id_key` → `name_key` string pairs of the objects in the list at `list_key` (group or
/// category tables); objects missing either are left out, and no list is an empty map.
pub(crate) fn names_by_id<'a>(
    v: &'a Value,
    list_key: &str,
    id_key: &str,
    name_key: &str,
) -> std::collections::HashMap<&'a str, &'a str> {
    v.get(list_key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|g| Some((str_of(g, id_key)?, str_of(g, name_key)?)))
                .collect()
        })
        .unwrap_or_default()
}

/// A boolean field given as JSON bool, 0/1 or "true"/"false".
pub fn bool_of(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
        Some(Value::String(s)) => matches!(s.trim(), "true" | "1" | "TRUE" | "True"),
        _ => false,
    }
}

/// Base32 as the apps write it: case-insensitive, spaces/dashes/`=` ignored, and — like Aegis and
/// Google Authenticator — non-zero unused trailing bits accepted (e.g. a 7-character secret whose
/// last letter is not a multiple of 8). Impossible lengths and foreign characters are errors.
pub fn secret_from_base32(text: &str) -> Result<Secret, String> {
    if text.chars().count() > MAX_SECRET_CHARS {
        return Err("the secret is implausibly long".into());
    }
    match Secret::from_base32(text) {
        Ok(s) => Ok(s),
        Err(SecretError::Base32) => {
            // Retry ignoring trailing bits; still fails on characters outside the alphabet.
            let clean: zeroize::Zeroizing<String> = zeroize::Zeroizing::new(
                text.chars()
                    .filter(|c| !matches!(c, ' ' | '\t' | '-' | '='))
                    .map(|c| c.to_ascii_uppercase())
                    .collect(),
            );
            lenient_base32()
                .decode(clean.as_bytes())
                .map(Secret::new)
                .map_err(|_| SecretError::Base32.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Strict Base32 (as [`Secret::from_base32`]: trailing bits must be zero), bounded: what the
/// app-data importers accept, unlike the lenient [`secret_from_base32`].
pub(crate) fn strict_secret_from_base32(text: &str) -> Result<Secret, String> {
    if text.len() > MAX_SECRET_BYTES * 2 {
        return Err(format!(
            "the secret is longer than {MAX_SECRET_BYTES} bytes"
        ));
    }
    Secret::from_base32(text).map_err(|e| e.to_string())
}

/// A secret from raw bytes, bounded by [`MAX_SECRET_BYTES`].
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
pub(crate) fn secret_from_signed_bytes(v: Option<&Value>) -> Result<Secret, String> {
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

fn lenient_base32() -> data_encoding::Encoding {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.check_trailing_bits = false;
    // The specification is a constant, valid RFC 4648 alphabet; `encoding` cannot fail on it.
    spec.encoding()
        .unwrap_or_else(|_| data_encoding::BASE32_NOPAD.clone())
}

/// An algorithm name (any spelling [`Algorithm`] accepts; empty means SHA-1).
pub fn algorithm(name: &str) -> Result<Algorithm, String> {
    if name.trim().is_empty() {
        return Ok(Algorithm::Sha1);
    }
    name.parse()
        .map_err(|_| format!("unsupported algorithm {}", printable(name, 16)))
}

/// Digits from a file value, range-checked later by [`OtpParams::validate`].
pub fn digits(v: i64) -> Result<u8, String> {
    u8::try_from(v).map_err(|_| format!("unsupported number of digits ({v})"))
}

/// A period in seconds from a file value (zero is rejected by validation).
pub fn period(v: i64) -> Result<u32, String> {
    u32::try_from(v).map_err(|_| format!("unsupported period ({v} s)"))
}

/// An HOTP counter from a file value.
pub fn counter(v: i64) -> Result<u64, String> {
    u64::try_from(v).map_err(|_| format!("negative HOTP counter ({v})"))
}

/// Digits for the app-data importers: absent is `default`; out of range becomes an invalid 0,
/// which [`push_entry`]'s validation then reports.
pub(crate) fn digits_or(n: Option<i64>, default: u8) -> u8 {
    match n {
        None => default,
        Some(n) => u8::try_from(n).unwrap_or(0),
    }
}

/// A period in seconds for the app-data importers: absent is `default`; out of range becomes an
/// invalid 0.
pub(crate) fn period_or(n: Option<i64>, default: u32) -> u32 {
    match n {
        None => default,
        Some(n) => u32::try_from(n).unwrap_or(0),
    }
}

/// An HOTP counter for the app-data importers: absent is 0, negative is refused.
pub(crate) fn counter_or_zero(n: Option<i64>) -> Result<u64, String> {
    match n {
        None => Ok(0),
        Some(n) => u64::try_from(n).map_err(|_| "the HOTP counter is negative".to_string()),
    }
}

/// A label or issuer checked for length ([`MAX_TEXT_CHARS`]); control characters are dropped.
pub(crate) fn clean_text(s: &str) -> Result<String, String> {
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("a name longer than {MAX_TEXT_CHARS} characters"));
    }
    Ok(s.chars().filter(|c| !c.is_control()).collect())
}

/// An account with these parameters and empty metadata, its issuer and name checked by
/// [`clean_text`] (in that order); its parameters are not yet validated ([`push_entry`] does it).
pub(crate) fn unchecked_account(
    issuer: &str,
    name: &str,
    secret: Secret,
    params: OtpParams,
) -> Result<Account, String> {
    let (issuer, name) = (clean_text(issuer)?, clean_text(name)?);
    Ok(Account {
        params,
        ..Account::totp(issuer, name, secret)
    })
}

/// Adds `entry` to `parsed` when it is valid and within [`MAX_ENTRIES`], or records why not.
/// Unlike [`Collector`], entries past the limit are skipped with a reason, not an error.
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

/// Adds the account of an `otpauth://` or `steam://` URI ([`crate::uri::parse`]) with
/// [`push_entry`], labelled by the account; a URI that does not parse is skipped under `label`.
pub(crate) fn push_uri_entry(parsed: &mut Parsed, label: String, uri: &str) {
    match crate::uri::parse(uri) {
        Ok(account) => {
            let l = account.label();
            push_entry(parsed, &l, Ok(account));
        }
        Err(e) => parsed.skipped.push(Skipped {
            label,
            reason: e.to_string(),
        }),
    }
}

/// Builds an account and checks it can produce codes.
pub fn account(
    issuer: &str,
    name: &str,
    secret: Secret,
    kind: OtpKind,
    algorithm: Algorithm,
    digits: u8,
) -> Result<Account, String> {
    let mut a = Account::totp(issuer.trim(), name.trim(), secret);
    a.params = OtpParams {
        kind,
        algorithm,
        digits,
    };
    a.validate().map_err(|e| e.to_string())?;
    Ok(a)
}

/// At most `max` characters of a file-provided string, for messages (never used for secrets).
pub fn printable(s: &str, max: usize) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(max).collect();
    if s.chars().count() > max {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// A label for an entry in the report: "Issuer (name)", or its position when both are empty.
pub fn label(issuer: &str, name: &str, index: usize) -> String {
    let (i, n) = (issuer.trim(), name.trim());
    let l = match (i.is_empty(), n.is_empty()) {
        (false, false) => format!("{i} ({n})"),
        (false, true) => i.to_owned(),
        (true, false) => n.to_owned(),
        (true, true) => return format!("entry #{}", index + 1),
    };
    l.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// Parses an `otpauth://` or `steam://` URI from a file ([`crate::uri::parse`]); the error text
/// names the problem, never the secret.
pub fn uri_account(text: &str) -> Result<Account, String> {
    if text.len() > 64 * 1024 {
        return Err("the otpauth URI is implausibly long".into());
    }
    crate::uri::parse(text).map_err(|e| e.to_string())
}

/// The non-empty lines of a text file that are not `#` comments, trimmed.
pub fn content_lines(t: &str) -> impl Iterator<Item = &str> {
    t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Accumulates accounts and skipped entries, enforcing [`MAX_ENTRIES`].
#[derive(Debug)]
pub struct Collector {
    format: &'static str,
    parsed: Parsed,
}

impl Collector {
    /// An empty collector for a format (the name goes into errors).
    pub fn new(format: &'static str) -> Self {
        Collector {
            format,
            parsed: Parsed::default(),
        }
    }

    /// Fails when a file declares more entries than any real export has.
    pub fn check_count(&self, n: usize) -> Result<(), ImportError> {
        if n > MAX_ENTRIES {
            return Err(malformed(
                self.format,
                format!("{n} entries (at most {MAX_ENTRIES} are accepted)"),
            ));
        }
        Ok(())
    }

    /// Checks `entries.len()` against [`MAX_ENTRIES`], then records `account(entry)` for each
    /// entry of a JSON list, labelled by its `issuer_key` and `name_key` fields (see [`label`]).
    pub(crate) fn push_entries(
        &mut self,
        entries: &[Value],
        issuer_key: &str,
        name_key: &str,
        account: impl Fn(&Value) -> Result<Account, String>,
    ) -> Result<(), ImportError> {
        self.check_count(entries.len())?;
        for (i, e) in entries.iter().enumerate() {
            let label = label(
                str_of(e, issuer_key).unwrap_or_default(),
                str_of(e, name_key).unwrap_or_default(),
                i,
            );
            self.push(label, account(e));
        }
        Ok(())
    }

    /// Records one entry's outcome.
    pub fn push(&mut self, label: String, result: Result<Account, String>) {
        match result {
            Ok(a) => self.parsed.accounts.push(a),
            Err(reason) => self.parsed.skipped.push(Skipped { label, reason }),
        }
    }

    /// Adds a note for the user.
    pub fn warn(&mut self, w: impl Into<String>) {
        let w = w.into();
        if !self.parsed.warnings.contains(&w) {
            self.parsed.warnings.push(w);
        }
    }

    /// Entries seen so far (accounts + skipped).
    pub fn len(&self) -> usize {
        self.parsed.accounts.len() + self.parsed.skipped.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes in another parser's result (e.g. an otpauth list inside a container).
    pub fn extend(&mut self, other: Parsed) -> Result<(), ImportError> {
        self.check_count(self.len() + other.accounts.len() + other.skipped.len())?;
        self.parsed.accounts.extend(other.accounts);
        self.parsed.skipped.extend(other.skipped);
        for w in other.warnings {
            self.warn(w);
        }
        Ok(())
    }

    /// The result.
    pub fn finish(self) -> Parsed {
        self.parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_trailing_bits_are_accepted_but_bad_lengths_are_not() {
        // "JEKEKRR": 7 characters, non-zero unused bits (2FAS/Proton test data).
        assert_eq!(secret_from_base32("JEKEKRR").unwrap().len(), 4);
        assert_eq!(secret_from_base32("jekekrr").unwrap().len(), 4);
        assert!(secret_from_base32("JDJDBDBDDBDBBXBXB").is_err()); // 17 chars
        assert!(secret_from_base32("Secret1One").is_err()); // '1'
        assert!(secret_from_base32("").is_err());
        let long = "A".repeat(MAX_SECRET_CHARS + 8);
        assert!(secret_from_base32(&long).is_err());
    }

    #[test]
    fn reasons_never_echo_secrets() {
        let e = secret_from_base32("SUPERSECRET1").unwrap_err();
        assert!(!e.contains("SUPERSECRET"), "{e}");
    }

    #[test]
    fn numbers_from_strings_and_limits() {
        let v: Value = serde_json::json!({"a": "30", "b": 7, "c": -1, "d": 1e30});
        assert_eq!(int_of(&v, "a"), Some(30));
        assert_eq!(int_of(&v, "b"), Some(7));
        assert!(period(int_of(&v, "c").unwrap()).is_err());
        assert_eq!(int_of(&v, "d"), None);
        assert!(digits(300).is_err());
    }

    #[test]
    fn collector_caps_entries() {
        let c = Collector::new("X");
        assert!(c.check_count(MAX_ENTRIES).is_ok());
        assert!(c.check_count(MAX_ENTRIES + 1).is_err());
    }
}
