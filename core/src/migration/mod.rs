//! Google Authenticator's export: `otpauth-migration://offline?data=…`, a percent-encoded Base64
//! protobuf `MigrationPayload` holding up to a QR code's worth of accounts.
//!
//! - [`decode`] reads one URI (version 1 and 2, with `unique_id`, which is kept in
//!   `Account::meta["unique_id"]`); accounts Tessera cannot use (MD5, unknown types) are listed in
//!   [`MigrationBatch::skipped`] with the reason, the rest still import.
//! - [`decode_all`] reads the QR codes of one or more exports, checks the parts of a multi-code
//!   export belong together and reports the missing ones.
//! - [`encode`] writes accounts as batches that each fit a QR code ([`URI_BYTE_BUDGET`]).
//!
//! Names: when `issuer` is set and the name starts with `"{issuer}:"`, the prefix is removed
//! (Google writes `Example:alice@google.com` with issuer `Example`); otherwise the name is kept
//! as written.

mod encode;
mod proto;

pub use encode::{EncodedMigration, URI_BYTE_BUDGET, encode};

use std::collections::{BTreeMap, BTreeSet};

use prost::Message;
use zeroize::Zeroizing;

use crate::account::{Account, Algorithm, DEFAULT_PERIOD, OtpKind, OtpParams, Secret};
use crate::uri::percent;

/// The longest migration URI accepted (bytes). A QR code holds at most 2,953 bytes, so anything
/// longer is not a real export; the limit bounds the memory decoding can use.
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Why a migration URI could not be read. Never contains secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    /// Not `otpauth-migration://`.
    #[error(
        "not a Google Authenticator migration link (expected otpauth-migration://offline?data=…)"
    )]
    Scheme,
    /// No `data` parameter.
    #[error("the migration link has no data parameter")]
    MissingData,
    /// Longer than [`MAX_URI_BYTES`].
    #[error("the migration link is {0} bytes long, more than any QR code holds")]
    TooLong(usize),
    /// `data` is not percent-encoded Base64.
    #[error("the migration data is not valid Base64")]
    Base64,
    /// The bytes are not a migration payload.
    #[error("the migration data is not a Google Authenticator export (bad protobuf)")]
    Protobuf,
    /// A payload without any account.
    #[error("the migration data contains no accounts")]
    NoAccounts,
    /// `batch_size`/`batch_index` that make no sense (index outside the size).
    #[error("QR code {index} of an export of {size} is impossible")]
    BadBatch {
        /// The batch index as written (0-based).
        index: i32,
        /// The batch size as written.
        size: i32,
    },
    /// Two different payloads claim the same place in one export.
    #[error("two different QR codes claim to be code {position} of {size} of the same export")]
    ConflictingBatch {
        /// 1-based position.
        position: i32,
        /// The export's number of codes.
        size: i32,
    },
    /// Parts of a multi-code export are missing.
    #[error("QR codes {} of {size} are missing from export {batch_id}; scan them too", list(.missing))]
    MissingBatches {
        /// 1-based positions of the missing codes.
        missing: Vec<i32>,
        /// The export's number of codes.
        size: i32,
        /// The export's batch id.
        batch_id: i32,
    },
    /// No URIs given to [`decode_all`].
    #[error("no migration links given")]
    Empty,
}

fn list(positions: &[i32]) -> String {
    let parts: Vec<String> = positions.iter().map(i32::to_string).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The accounts of one migration QR code (or of several combined by [`decode_all`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBatch {
    /// The accounts Tessera can use, in payload order.
    pub accounts: Vec<Account>,
    /// Accounts left out: (label, reason). Never contains secrets.
    pub skipped: Vec<(String, String)>,
    /// Payload format version (1 or 2; 0 when absent, which some third-party encoders do).
    pub version: i32,
    /// Number of QR codes in the export (for a combination: the number of distinct codes read).
    pub batch_size: i32,
    /// This code's 0-based position (0 for a combination).
    pub batch_index: i32,
    /// The export's id (0 when absent, as in version 2; for a combination: the first code's).
    pub batch_id: i32,
}

/// Decodes one `otpauth-migration://offline?data=…` URI.
pub fn decode(uri: &str) -> Result<MigrationBatch, MigrationError> {
    let payload = decode_payload(uri)?;
    Ok(convert(&payload))
}

/// Decodes the QR codes of one or more exports and combines their accounts, in order of
/// (export, position). Repeated scans of the same code are ignored. Every multi-code export must
/// be complete: missing positions give [`MigrationError::MissingBatches`].
pub fn decode_all(uris: &[&str]) -> Result<MigrationBatch, MigrationError> {
    if uris.is_empty() {
        return Err(MigrationError::Empty);
    }
    // (batch_id, batch_size) -> position -> payload; single-code exports each stand alone.
    let mut exports: BTreeMap<(i32, i32), BTreeMap<i32, proto::MigrationPayload>> = BTreeMap::new();
    let mut singles: Vec<proto::MigrationPayload> = Vec::new();
    let mut order: Vec<(i32, i32)> = Vec::new();
    let mut first_id = None;
    let mut version = 0;
    for uri in uris {
        let payload = decode_payload(uri)?;
        first_id.get_or_insert(payload.batch_id);
        version = version.max(payload.version);
        if payload.batch_size <= 1 {
            if !singles.contains(&payload) {
                singles.push(payload);
            }
            continue;
        }
        let key = (payload.batch_id, payload.batch_size);
        if !order.contains(&key) {
            order.push(key);
        }
        let parts = exports.entry(key).or_default();
        match parts.get(&payload.batch_index) {
            Some(existing) if *existing != payload => {
                return Err(MigrationError::ConflictingBatch {
                    position: payload.batch_index + 1,
                    size: payload.batch_size,
                });
            }
            Some(_) => {}
            None => {
                parts.insert(payload.batch_index, payload);
            }
        }
    }
    let mut combined = MigrationBatch {
        accounts: Vec::new(),
        skipped: Vec::new(),
        version,
        batch_size: 0,
        batch_index: 0,
        batch_id: first_id.unwrap_or(0),
    };
    for key in order {
        let (batch_id, size) = key;
        let parts = exports.remove(&key).unwrap_or_default();
        let present: BTreeSet<i32> = parts.keys().copied().collect();
        let missing: Vec<i32> = (0..size)
            .filter(|i| !present.contains(i))
            .map(|i| i + 1)
            .collect();
        if !missing.is_empty() {
            return Err(MigrationError::MissingBatches {
                missing,
                size,
                batch_id,
            });
        }
        for payload in parts.values() {
            append(&mut combined, convert(payload));
        }
    }
    for payload in &singles {
        append(&mut combined, convert(payload));
    }
    Ok(combined)
}

fn append(into: &mut MigrationBatch, batch: MigrationBatch) {
    into.batch_size += 1;
    into.accounts.extend(batch.accounts);
    into.skipped.extend(batch.skipped);
}

/// URI → checked protobuf payload.
fn decode_payload(uri: &str) -> Result<proto::MigrationPayload, MigrationError> {
    let uri = uri.trim();
    if uri.len() > MAX_URI_BYTES {
        return Err(MigrationError::TooLong(uri.len()));
    }
    let (scheme, rest) = uri.split_once("://").ok_or(MigrationError::Scheme)?;
    if !scheme.eq_ignore_ascii_case("otpauth-migration") {
        return Err(MigrationError::Scheme);
    }
    let query = rest.split_once('#').map_or(rest, |(r, _)| r);
    let query = query.split_once('?').map_or("", |(_, q)| q);
    let raw = query
        .split('&')
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == "data").then_some(value)
        })
        .ok_or(MigrationError::MissingData)?;
    // Percent-decoding only: a literal `+` is Base64, not a space.
    let text = percent::decode(raw, false).map_err(|_| MigrationError::Base64)?;
    let bytes = base64_lenient(&text)?;
    let payload =
        proto::MigrationPayload::decode(bytes.as_slice()).map_err(|_| MigrationError::Protobuf)?;
    if payload.otp_parameters.is_empty() {
        return Err(MigrationError::NoAccounts);
    }
    if payload.batch_size > 1 && !(0..payload.batch_size).contains(&payload.batch_index) {
        return Err(MigrationError::BadBatch {
            index: payload.batch_index,
            size: payload.batch_size,
        });
    }
    Ok(payload)
}

/// Standard or URL-safe Base64, padding optional; a space (a `+` mangled by form decoding on the
/// way) counts as `+`. The decoded bytes hold secrets, so they are zeroized.
fn base64_lenient(text: &str) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    let mut clean = Zeroizing::new(Vec::with_capacity(text.len()));
    for b in text.bytes() {
        match b {
            b'=' | b'\n' | b'\r' => {}
            b' ' | b'-' => clean.push(b'+'),
            b'_' => clean.push(b'/'),
            b => clean.push(b),
        }
    }
    data_encoding::BASE64_NOPAD
        .decode(&clean)
        .map(Zeroizing::new)
        .map_err(|_| MigrationError::Base64)
}

/// Payload → accounts, skipping (with a reason) what Tessera cannot use.
fn convert(payload: &proto::MigrationPayload) -> MigrationBatch {
    let mut accounts = Vec::with_capacity(payload.otp_parameters.len());
    let mut skipped = Vec::new();
    for p in &payload.otp_parameters {
        match account_from(p) {
            Ok(a) => accounts.push(a),
            Err(reason) => skipped.push((label_of(p), reason.to_string())),
        }
    }
    MigrationBatch {
        accounts,
        skipped,
        version: payload.version,
        batch_size: payload.batch_size,
        batch_index: payload.batch_index,
        batch_id: payload.batch_id,
    }
}

fn label_of(p: &proto::OtpParameters) -> String {
    match (p.issuer.is_empty(), p.name.is_empty()) {
        (_, false) => p.name.clone(),
        (false, true) => p.issuer.clone(),
        (true, true) => "(unnamed account)".to_string(),
    }
}

fn account_from(p: &proto::OtpParameters) -> Result<Account, &'static str> {
    use proto::{algorithm, digits, otp_type};
    if p.secret.is_empty() {
        return Err("the secret is empty");
    }
    let algorithm = match p.algorithm {
        algorithm::UNSPECIFIED | algorithm::SHA1 => Algorithm::Sha1,
        algorithm::SHA256 => Algorithm::Sha256,
        algorithm::SHA512 => Algorithm::Sha512,
        algorithm::MD5 => return Err("MD5 is not a supported OTP algorithm"),
        _ => return Err("unknown algorithm value"),
    };
    let digits = match p.digits {
        digits::UNSPECIFIED | digits::SIX => 6,
        digits::EIGHT => 8,
        _ => return Err("unknown digit count value"),
    };
    let kind = match p.otp_type {
        otp_type::UNSPECIFIED | otp_type::TOTP => OtpKind::Totp {
            period: DEFAULT_PERIOD,
        },
        otp_type::HOTP => OtpKind::Hotp {
            counter: u64::try_from(p.counter).map_err(|_| "negative HOTP counter")?,
        },
        _ => return Err("unknown OTP type value"),
    };
    let name = match p.name.strip_prefix(p.issuer.as_str()) {
        Some(rest) if !p.issuer.is_empty() && rest.starts_with(':') => rest[1..].trim_start(),
        _ => p.name.as_str(),
    };
    let mut account = Account::totp(
        p.issuer.clone(),
        name.to_string(),
        Secret::new(p.secret.clone()),
    );
    account.params = OtpParams {
        kind,
        algorithm,
        digits,
    };
    if !p.unique_id.is_empty() {
        account
            .meta
            .insert("unique_id".to_string(), p.unique_id.clone());
    }
    account
        .validate()
        .map_err(|_| "parameters cannot produce codes")?;
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    // dim13/otpauth's sample: one TOTP, no version or batch fields (ISC-licensed data).
    const DIM13: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

    #[test]
    fn decodes_a_minimal_payload() {
        let b = decode(DIM13).unwrap();
        assert_eq!(b.accounts.len(), 1);
        let a = &b.accounts[0];
        assert_eq!(
            (a.issuer.as_str(), a.name.as_str()),
            ("Example", "alice@google.com")
        );
        assert_eq!(a.secret.to_base32(), "JBSWY3DPEHPK3PXP");
        assert_eq!(a.params, OtpParams::default());
        assert_eq!((b.version, b.batch_size), (0, 0));
    }

    #[test]
    fn refuses_broken_links_without_panicking() {
        for (uri, want) in [
            ("otpauth://totp/x?secret=AA", MigrationError::Scheme),
            (
                "otpauth-migration://offline?datafail=AA",
                MigrationError::MissingData,
            ),
            (
                "otpauth-migration://offline?data=%%%",
                MigrationError::Base64,
            ),
            (
                "otpauth-migration://offline?data=!!!!",
                MigrationError::Base64,
            ),
            (
                "otpauth-migration://offline?data=",
                MigrationError::NoAccounts,
            ),
        ] {
            assert_eq!(decode(uri), Err(want), "{uri}");
        }
        let long = format!(
            "otpauth-migration://offline?data={}",
            "A".repeat(MAX_URI_BYTES)
        );
        assert!(matches!(decode(&long), Err(MigrationError::TooLong(_))));
    }

    #[test]
    fn missing_list_reads_well() {
        assert_eq!(list(&[2]), "2");
        assert_eq!(list(&[1, 2, 3]), "1, 2 and 3");
    }
}
