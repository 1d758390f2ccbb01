//! Reading other authenticator apps' export files (format detection, encrypted files).

use tessera_core::Account as CoreAccount;
use tessera_core::import::{self as core_import, ImportError, Input};
use zeroize::Zeroizing;

use crate::account::Account;
use crate::error::{TesseraError, invalid_input, unsupported};

/// What an import file held.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportResult {
    /// The detected format's id (e.g. `aegis`, `2fas`).
    pub format_id: String,
    /// The format's name for people (e.g. "Aegis").
    pub format_name: String,
    /// The accounts, in file order (with secrets: treat as sensitive).
    pub accounts: Vec<Account>,
    /// One line per entry that could not be taken: which one and why (never a secret).
    pub skipped: Vec<String>,
    /// What the format could not carry (never a secret).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for ImportResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportResult")
            .field("format_id", &self.format_id)
            .field("accounts", &self.accounts.len())
            .finish_non_exhaustive()
    }
}

/// What `Vault.import_file` did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportSummary {
    /// The detected format's id.
    pub format_id: String,
    /// The format's name for people.
    pub format_name: String,
    /// Accounts added to the vault.
    pub added: u32,
    /// Accounts already in the vault (skipped).
    pub duplicates: u32,
    /// Entries the file held that could not be taken, and why.
    pub skipped: Vec<String>,
    /// What the format could not carry.
    pub warnings: Vec<String>,
}

impl From<ImportError> for TesseraError {
    fn from(e: ImportError) -> Self {
        log::debug!(target: "tessera::bindings", "import: {e}");
        match e {
            ImportError::PasswordRequired => {
                invalid_input("this file is encrypted: a password is needed")
            }
            ImportError::WrongPassword => TesseraError::WrongPassword,
            ImportError::UnknownFormat => invalid_input("unrecognised file format"),
            ImportError::Malformed { format, .. } => {
                invalid_input(&format!("the {format} file is damaged"))
            }
            ImportError::Unsupported { format, .. } => {
                unsupported(&format!("this {format} file variant"))
            }
        }
    }
}

pub(crate) struct Parsed {
    pub(crate) format_id: String,
    pub(crate) format_name: String,
    pub(crate) accounts: Vec<CoreAccount>,
    pub(crate) skipped: Vec<String>,
    pub(crate) warnings: Vec<String>,
}

pub(crate) fn parse(
    contents: &[u8],
    file_name: Option<&str>,
    password: Option<String>,
) -> Result<Parsed, TesseraError> {
    let password = password.map(Zeroizing::new);
    let input = Input {
        bytes: contents,
        file_name,
    };
    let (format, parsed) = core_import::parse(&input, None, password.as_ref().map(|p| p.as_str()))?;
    Ok(Parsed {
        format_id: format.id.to_string(),
        format_name: format.name.to_string(),
        accounts: parsed.accounts,
        skipped: parsed
            .skipped
            .into_iter()
            .map(|s| format!("{}: {}", s.label, s.reason))
            .collect(),
        warnings: parsed.warnings,
    })
}

/// Reads another app's export file (Aegis, 2FAS, andOTP, FreeOTP, Authy, Google/Microsoft
/// Authenticator databases, ...), detecting the format; `password` opens encrypted files.
#[uniffi::export]
pub fn parse_import_file(
    contents: Vec<u8>,
    file_name: Option<String>,
    password: Option<String>,
) -> Result<ImportResult, TesseraError> {
    let p = parse(&contents, file_name.as_deref(), password)?;
    Ok(ImportResult {
        format_id: p.format_id,
        format_name: p.format_name,
        accounts: p.accounts.iter().map(Account::from).collect(),
        skipped: p.skipped,
        warnings: p.warnings,
    })
}
