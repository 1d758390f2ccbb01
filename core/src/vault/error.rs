//! The vault's error type: stable categories a UI can act on, messages that never carry a secret.

use crate::account::ParamError;

use super::protector::ProtectorError;

/// Everything that can go wrong with a vault. Messages name the problem (and sometimes an entry id
/// or a file path) but never a password, key, secret or note.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// No password slot accepted the password (the vault is left untouched).
    #[error("wrong password")]
    WrongPassword,
    /// The recovery key did not open the recovery slot.
    #[error("wrong recovery key")]
    WrongRecoveryKey,
    /// The platform key protector could not unwrap the vault key (or there is no slot for it).
    #[error("the platform key could not unlock this vault")]
    ProtectorRejected,
    /// The platform key protector itself failed (keystore unavailable, user cancelled, ...).
    #[error("platform key protector: {0}")]
    Protector(#[from] ProtectorError),
    /// The file is a vault but damaged (truncated, malformed pages, a sealed value that does not
    /// open under the vault key).
    #[error("the vault file is corrupted: {0}")]
    Corrupted(String),
    /// The file is not a Tessera vault (empty, not SQLite, or another application's database).
    #[error("not a Tessera vault: {0}")]
    NotAVault(String),
    /// The vault was written by a newer Tessera with a schema this one does not know.
    #[error("the vault uses schema version {found}; this Tessera supports up to {supported}")]
    TooNew {
        /// Schema version found in the file.
        found: i64,
        /// Newest schema version this build knows.
        supported: i64,
    },
    /// There is no vault file at the path.
    #[error("no vault at {0}")]
    Missing(std::path::PathBuf),
    /// `create` refused to replace an existing file.
    #[error("a file already exists at {0}; it was left untouched")]
    AlreadyExists(std::path::PathBuf),
    /// Another process holds the write lock for longer than the busy timeout.
    #[error("the vault is busy (another process is writing to it); try again")]
    Busy,
    /// The operation needs the vault key and the vault is locked.
    #[error("the vault is locked")]
    Locked,
    /// No entry, slot or blob with that id.
    #[error("not found: {0}")]
    NotFound(String),
    /// An id prefix matches more than one entry.
    #[error("the id prefix {0:?} matches more than one entry")]
    Ambiguous(String),
    /// The account (same secret and parameters) is already in the vault.
    #[error("this account is already in the vault as {0}")]
    Duplicate(String),
    /// The account cannot produce codes.
    #[error("invalid account: {0}")]
    InvalidAccount(#[from] ParamError),
    /// Refused: removing this slot would leave no way to unlock the vault.
    #[error("refusing to remove the last key slot")]
    LastSlot,
    /// Key-derivation parameters out of the accepted bounds.
    #[error("invalid key-derivation parameters: {0}")]
    Kdf(String),
    /// Invalid argument (empty blob namespace, oversize value, ...).
    #[error("invalid argument: {0}")]
    Invalid(String),
    /// A file-system error (the message may name a path, never a secret).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Database(String),
}

/// Shorthand for results of vault operations.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => VaultError::Busy,
                ErrorCode::DatabaseCorrupt => VaultError::Corrupted(e.to_string()),
                ErrorCode::NotADatabase => VaultError::NotAVault(e.to_string()),
                _ => VaultError::Database(e.to_string()),
            },
            _ => VaultError::Database(e.to_string()),
        }
    }
}
