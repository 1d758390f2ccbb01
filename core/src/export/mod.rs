//! Exporting accounts: Tessera's own backup, Aegis vaults, otpauth lists and Google migration
//! batches — and checking a backup against the accounts it should hold.
//!
//! - [`backup`]: Tessera's own lossless backup (Argon2id + AES-256-GCM, or plain JSON);
//!   opened again by [`backup::open`] and the `tessera` import format.
//! - [`aegis`]: an Aegis vault file (plain, or encrypted with a scrypt password slot).
//! - [`uris`]: one `otpauth://` URI per line.
//! - [`google`]: Google Authenticator `otpauth-migration://` batches, also as QR codes.
//! - [`qr`]: QR codes as PNG images and as Unicode half blocks for a terminal.
//! - [`verify`]: what differs between a backup and a set of accounts.
//!
//! Every exporter returns [`Exported`]: the file's bytes (zeroized on drop, since most formats
//! carry secrets) and warnings naming what the format could not carry. Exporters never fail
//! silently on an account: what a format cannot hold at all is a warning, never a dropped line.

pub mod aegis;
pub mod backup;
pub mod google;
pub mod qr;
pub mod uris;
pub mod verify;

mod aead;
mod losses;

use std::fmt;

use zeroize::Zeroizing;

use crate::account::Account;

pub use losses::Losses;

/// An export: the file's bytes and what the format could not carry.
pub struct Exported {
    /// The file content. Zeroized on drop: plain formats hold the secrets in clear.
    pub bytes: Zeroizing<Vec<u8>>,
    /// Notes for the user about data the format cannot carry (never secrets).
    pub warnings: Vec<String>,
}

impl fmt::Debug for Exported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exported")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Why an export could not be written. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Key-derivation parameters outside what Tessera (or the target app) accepts.
    #[error("invalid key-derivation parameters: {0}")]
    KdfParams(String),
    /// The system random generator or a cipher failed.
    #[error("encryption failed")]
    Crypto,
    /// An account the format cannot represent at all (named by label, never by secret).
    #[error("cannot export {label}: {reason}")]
    Unrepresentable {
        /// The account's label.
        label: String,
        /// Why.
        reason: String,
    },
    /// The format cannot be written empty or the encoder failed.
    #[error("{0}")]
    Encode(String),
}

/// The export formats of `tessera export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Tessera's own backup (lossless).
    Tessera,
    /// An Aegis vault file.
    Aegis,
    /// One otpauth URI per line.
    Uris,
    /// Google Authenticator migration URIs, one batch per line.
    GoogleMigration,
}

impl ExportFormat {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Tessera,
        ExportFormat::Aegis,
        ExportFormat::Uris,
        ExportFormat::GoogleMigration,
    ];

    /// The `--format` identifier.
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Tessera => "tessera",
            ExportFormat::Aegis => "aegis",
            ExportFormat::Uris => "uris",
            ExportFormat::GoogleMigration => "google-migration",
        }
    }

    /// The format with this identifier (case-insensitive).
    pub fn from_id(id: &str) -> Option<ExportFormat> {
        Self::ALL
            .into_iter()
            .find(|f| f.id().eq_ignore_ascii_case(id))
    }

    /// Whether the format can be encrypted with a password.
    pub fn supports_password(self) -> bool {
        matches!(self, ExportFormat::Tessera | ExportFormat::Aegis)
    }
}

/// Exports `accounts` in `format`, encrypted with `password` when one is given (only
/// [`ExportFormat::supports_password`] formats accept one; the others are always plain).
/// Uses the default (strong) key-derivation parameters of each format.
pub fn export(
    accounts: &[Account],
    format: ExportFormat,
    password: Option<&str>,
) -> Result<Exported, ExportError> {
    match (format, password) {
        (ExportFormat::Tessera, Some(pw)) => {
            backup::write(accounts, Some((pw, backup::KdfParams::DEFAULT)))
        }
        (ExportFormat::Tessera, None) => backup::write(accounts, None),
        (ExportFormat::Aegis, Some(pw)) => {
            aegis::write(accounts, Some((pw, aegis::ScryptParams::AEGIS_DEFAULT)))
        }
        (ExportFormat::Aegis, None) => aegis::write(accounts, None),
        (ExportFormat::Uris, None) => Ok(uris::write(accounts)),
        (ExportFormat::GoogleMigration, None) => Ok(google::write(accounts)),
        (f, Some(_)) => Err(ExportError::Encode(format!(
            "the {} format cannot be encrypted",
            f.id()
        ))),
    }
}

/// `len` bytes from the system's secure random generator.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], ExportError> {
    use ring::rand::SecureRandom;
    let mut out = [0u8; N];
    ring::rand::SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| ExportError::Crypto)?;
    Ok(out)
}

/// A random (version 4) UUID in its usual hyphenated lower-case form.
pub(crate) fn random_uuid() -> Result<String, ExportError> {
    let mut b = random_bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = data_encoding::HEXLOWER.encode(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// Serializes `value` as pretty JSON into a zeroizing buffer sized up front (`estimate` bytes),
/// so secrets are not left behind in reallocated memory in the common case.
pub(crate) fn to_json_zeroizing<T: serde::Serialize>(
    value: &T,
    estimate: usize,
) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let mut out = Zeroizing::new(Vec::with_capacity(estimate));
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|_| ExportError::Encode("could not serialize the export".into()))?;
    Ok(out)
}

/// A byte-size estimate for the JSON of `accounts` (used to size buffers up front).
pub(crate) fn json_estimate(accounts: &[Account]) -> usize {
    accounts
        .iter()
        .map(|a| {
            512 + 2 * (a.issuer.len() + a.name.len() + a.note.len() + a.secret.len())
                + a.meta
                    .iter()
                    .map(|(k, v)| 16 + 2 * (k.len() + v.len()))
                    .sum::<usize>()
                + a.groups.iter().map(|g| 64 + 2 * g.len()).sum::<usize>()
        })
        .sum::<usize>()
        + 1024
}

// Test data, shared by the unit tests and `tests/export_roundtrip.rs` (which can only reach
// public items): not part of the API.
#[doc(hidden)]
pub mod fixtures;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_is_version_4() {
        let u = random_uuid().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(u, random_uuid().unwrap());
    }

    #[test]
    fn format_ids_round_trip() {
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_id(f.id()), Some(f));
        }
        assert_eq!(ExportFormat::from_id("nope"), None);
    }

    #[test]
    fn exported_debug_hides_bytes() {
        let e = Exported {
            bytes: Zeroizing::new(b"otpauth://totp/x?secret=JBSWY3DP".to_vec()),
            warnings: vec![],
        };
        assert!(!format!("{e:?}").contains("JBSW"));
    }
}
