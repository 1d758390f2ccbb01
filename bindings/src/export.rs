//! Exports of the vault's accounts (Tessera backup, Aegis, otpauth lists, Google migration
//! links) and the check of a Tessera backup against the vault.
//!
//! The accounts are read under the vault lock; encryption (Argon2id/scrypt) runs after it is
//! released, so a slow export never blocks the code list.

use tessera_core::Account as CoreAccount;
use tessera_core::export::backup::BackupError;
use tessera_core::export::verify::Verification;
use tessera_core::export::{self as core_export, ExportError, ExportFormat as CoreFormat};
use zeroize::Zeroizing;

use crate::account::Account;
use crate::error::{TesseraError, internal, invalid_input, unsupported};
use crate::vault::Vault;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ExportFormat {
    /// Tessera's own backup (lossless; encrypted with Argon2id + AES-256-GCM when a password is
    /// given). Import it again with `Vault.import_file`.
    Tessera,
    /// An Aegis vault file (plain JSON, or encrypted with a scrypt password slot).
    Aegis,
    /// One `otpauth://` link per line (always plain).
    Uris,
    /// Google Authenticator `otpauth-migration://` links, one batch per line (always plain).
    GoogleMigration,
}

impl From<ExportFormat> for CoreFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Tessera => CoreFormat::Tessera,
            ExportFormat::Aegis => CoreFormat::Aegis,
            ExportFormat::Uris => CoreFormat::Uris,
            ExportFormat::GoogleMigration => CoreFormat::GoogleMigration,
        }
    }
}

/// An exported file: its bytes (they hold secrets in clear unless encrypted — write them only
/// where the user chose) and notes about what the format could not carry.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportedFile {
    /// The file content.
    pub bytes: Vec<u8>,
    /// Notes for the user about data the format cannot carry (never secrets).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for ExportedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportedFile")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// The result of checking a Tessera backup against the vault. Counts and field names only: no
/// account names, so it can be logged.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupCheck {
    /// True when restoring the backup gives exactly the vault's accounts.
    pub identical: bool,
    /// Whether the backup was encrypted.
    pub encrypted: bool,
    /// Accounts read from the backup.
    pub backup_accounts: u32,
    /// Accounts present in both and equal.
    pub matching: u32,
    /// Vault accounts the backup lacks.
    pub missing: u32,
    /// Backup accounts the vault lacks.
    pub extra: u32,
    /// Accounts present in both with different fields.
    pub differing: u32,
    /// Backup entries that could not be read.
    pub unreadable: u32,
    /// A summary for the user, one line per finding, without account names or secrets
    /// (e.g. `1 account differs in: secret, note`).
    pub lines: Vec<String>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl From<&Verification> for BackupCheck {
    fn from(v: &Verification) -> Self {
        let c = &v.comparison;
        let mut lines = vec![format!(
            "{} read from the backup, {} match the vault",
            plural(v.backup_accounts, "account", "accounts"),
            c.matching
        )];
        if !c.missing.is_empty() {
            lines.push(format!(
                "{} of the vault missing from the backup",
                plural(c.missing.len(), "account", "accounts")
            ));
        }
        if !c.extra.is_empty() {
            lines.push(format!(
                "{} in the backup but not in the vault",
                plural(c.extra.len(), "account", "accounts")
            ));
        }
        if !c.differing.is_empty() {
            let mut fields: Vec<&str> = c
                .differing
                .iter()
                .flat_map(|d| d.fields.iter().copied())
                .collect();
            fields.sort_unstable();
            fields.dedup();
            lines.push(format!(
                "{} in: {}",
                plural(c.differing.len(), "account differs", "accounts differ"),
                fields.join(", ")
            ));
        }
        if !v.unreadable.is_empty() {
            lines.push(format!(
                "{} of the backup cannot be read",
                plural(v.unreadable.len(), "entry", "entries")
            ));
        }
        BackupCheck {
            identical: v.is_identical(),
            encrypted: v.encrypted,
            backup_accounts: count(v.backup_accounts),
            matching: count(c.matching),
            missing: count(c.missing.len()),
            extra: count(c.extra.len()),
            differing: count(c.differing.len()),
            unreadable: count(v.unreadable.len()),
            lines,
        }
    }
}

impl From<ExportError> for TesseraError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::KdfParams(_) => invalid_input("invalid key-derivation settings"),
            ExportError::Unrepresentable { .. } => {
                log::debug!(target: "tessera::bindings", "export: {e}");
                unsupported("an account cannot be written in this format")
            }
            ExportError::Encode(_) => {
                log::debug!(target: "tessera::bindings", "export: {e}");
                invalid_input("the export cannot be written in this format")
            }
            ExportError::Crypto => internal("export", &e),
        }
    }
}

impl From<BackupError> for TesseraError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::WrongPassword => TesseraError::WrongPassword,
            BackupError::PasswordRequired => {
                invalid_input("the backup is encrypted: a password is needed")
            }
            BackupError::UnsupportedVersion(_) => unsupported("a backup from a newer Tessera"),
            BackupError::NotABackup | BackupError::Malformed(_) | BackupError::KdfParams(_) => {
                log::debug!(target: "tessera::bindings", "backup: {e}");
                TesseraError::Corrupted
            }
        }
    }
}

/// Every account of the vault, secrets included, read under the lock.
fn vault_accounts(vault: &Vault) -> Result<Vec<CoreAccount>, TesseraError> {
    let all = vault.with(|v| v.accounts())?;
    Ok(all.into_iter().map(|(_, a)| a).collect())
}

fn export_core(
    accounts: &[CoreAccount],
    format: ExportFormat,
    password: Option<String>,
) -> Result<ExportedFile, TesseraError> {
    let password = password.map(Zeroizing::new);
    if password.is_some() && !CoreFormat::from(format).supports_password() {
        return Err(invalid_input("this export format cannot be encrypted"));
    }
    let out = core_export::export(
        accounts,
        format.into(),
        password.as_ref().map(|p| p.as_str()),
    )?;
    Ok(ExportedFile {
        bytes: out.bytes.to_vec(),
        warnings: out.warnings,
    })
}

/// Exports every account of `vault` (which must be unlocked) in `format`, encrypted with
/// `password` when given (only `Tessera` and `Aegis` accept one).
/// Errors: `Locked`, `InvalidInput` (password for a plain-only format), `Unsupported`.
#[uniffi::export]
pub fn export_vault(
    vault: &Vault,
    format: ExportFormat,
    password: Option<String>,
) -> Result<ExportedFile, TesseraError> {
    let accounts = vault_accounts(vault)?;
    export_core(&accounts, format, password)
}

/// Exports `accounts` in `format`, like `export_vault`.
#[uniffi::export]
pub fn export_accounts(
    accounts: Vec<Account>,
    format: ExportFormat,
    password: Option<String>,
) -> Result<ExportedFile, TesseraError> {
    let core = accounts
        .iter()
        .map(CoreAccount::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    export_core(&core, format, password)
}

/// Opens a Tessera backup (`password` when encrypted) and compares it with the accounts of
/// `vault` (unlocked). Errors: `WrongPassword`, `InvalidInput` (encrypted and no password),
/// `Corrupted` (not a Tessera backup or damaged), `Unsupported` (newer format), `Locked`.
#[uniffi::export]
pub fn verify_backup(
    bytes: Vec<u8>,
    password: Option<String>,
    vault: &Vault,
) -> Result<BackupCheck, TesseraError> {
    let expected = vault_accounts(vault)?;
    let password = password.map(Zeroizing::new);
    let v = core_export::verify::verify_backup(
        &bytes,
        password.as_ref().map(|p| p.as_str()),
        &expected,
    )?;
    Ok(BackupCheck::from(&v))
}
