//! The one error every exported function returns: flat, stable variants a UI can act on, and
//! messages that never contain secrets or personal data. The detail (which parameter, which file
//! line, the underlying error) goes to the log at `debug` level, not into the message.

use tessera_core::account::{ParamError, SecretError};
use tessera_core::migration::MigrationError;
use tessera_core::uri::UriError;

/// Why a Tessera call failed. Kotlin: `TesseraException.<Variant>`; Swift: `TesseraError.<variant>`.
///
/// The variants are stable (a UI switches on them) and carry no data: the message is a fixed
/// English sentence per variant, so it can never contain secrets, account names or other personal
/// data; the specific reason goes to the log (`debug`). Unit variants also let Kotlin/Swift
/// implementations of foreign traits throw a `TesseraError` that arrives in Rust as itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error, with_try_read)]
pub enum TesseraError {
    /// An `otpauth://` (or migration) link that cannot be used; the message says why.
    #[error("invalid link")]
    InvalidUri,
    /// An argument that cannot be used (bad secret, digits, period, an unknown format...).
    #[error("invalid input")]
    InvalidInput,
    /// The password does not open the vault.
    #[error("wrong password")]
    WrongPassword,
    /// Stored data failed its integrity check or cannot be read.
    #[error("the data is damaged or not a Tessera vault")]
    Corrupted,
    /// The vault is locked or closed; unlock (or reopen) it first.
    #[error("the vault is locked or closed")]
    Locked,
    /// No item with that id.
    #[error("not found")]
    NotFound,
    /// Another operation holds the resource; try again.
    #[error("busy; try again")]
    Busy,
    /// A valid request Tessera does not support (a format version, an algorithm...).
    #[error("not supported")]
    Unsupported,
    /// The network or the server failed.
    #[error("network error")]
    Network,
    /// The platform's key store refused or failed (Android Keystore, iOS Keychain).
    #[error("the key store failed")]
    KeyStore,
    /// A bug or an unexpected failure (including an exception thrown by a foreign callback).
    #[error("internal error")]
    Internal,
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TesseraError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        log::warn!(target: "tessera::bindings", "a foreign callback failed unexpectedly: {}", e.reason);
        TesseraError::Internal
    }
}

impl From<UriError> for TesseraError {
    fn from(e: UriError) -> Self {
        log::debug!(target: "tessera::bindings", "invalid otpauth URI: {e}");
        let why = match e {
            UriError::Scheme => "not an otpauth:// or steam:// link",
            UriError::MigrationUri => "a migration link (use decode_migration)",
            UriError::MissingType | UriError::UnknownType(_) => {
                "the type must be totp, hotp or steam"
            }
            UriError::MissingSecret => "the secret is missing",
            UriError::Secret(_) => "the secret is not valid Base32",
            UriError::MissingCounter => "an hotp link needs a counter",
            UriError::LabelColons => "the label has more than one ':'",
            UriError::Duplicate(_) => "a parameter appears twice",
            UriError::Encoding(_) => "bad percent-encoding",
            UriError::Algorithm(_) => "the algorithm must be SHA1, SHA256 or SHA512",
            UriError::Number { name, .. } => match name {
                "digits" => "digits is not a valid number",
                "period" => "period is not a valid number",
                "counter" => "counter is not a valid number",
                _ => "a number parameter is out of range",
            },
            UriError::Params(p) => return invalid_uri(param_reason(&p)),
        };
        invalid_uri(why)
    }
}

impl From<ParamError> for TesseraError {
    fn from(e: ParamError) -> Self {
        invalid_input(param_reason(&e))
    }
}

impl From<SecretError> for TesseraError {
    fn from(e: SecretError) -> Self {
        let why = match e {
            SecretError::Empty => "the secret is empty",
            SecretError::Base32 | SecretError::Base32Length => "the secret is not valid Base32",
        };
        invalid_input(why)
    }
}

impl From<MigrationError> for TesseraError {
    fn from(e: MigrationError) -> Self {
        log::debug!(target: "tessera::bindings", "invalid migration link: {e}");
        let why = match e {
            MigrationError::Scheme => "not an otpauth-migration:// link",
            MigrationError::MissingData
            | MigrationError::Base64
            | MigrationError::Protobuf
            | MigrationError::TooLong(_) => "the migration data cannot be read",
            MigrationError::NoAccounts | MigrationError::Empty => "no accounts in the migration",
            MigrationError::BadBatch { .. }
            | MigrationError::ConflictingBatch { .. }
            | MigrationError::MissingBatches { .. } => {
                "the QR codes of the export do not fit together"
            }
        };
        invalid_uri(why)
    }
}

/// A fixed description of a parameter error (the generic `Display` may quote values).
fn param_reason(e: &ParamError) -> &'static str {
    match e {
        ParamError::Digits(_) => "digits must be 4 to 10 (Steam: 5)",
        ParamError::Period => "the period must be at least 1 second",
        ParamError::EmptySecret => "the secret is empty",
    }
}

/// Logs the detail of an unexpected failure and returns the flat category.
pub(crate) fn internal(context: &str, detail: &dyn std::fmt::Display) -> TesseraError {
    log::error!(target: "tessera::bindings", "{context}: {detail}");
    TesseraError::Internal
}

/// `InvalidUri`, with the (PII-free) reason logged at `debug`.
pub(crate) fn invalid_uri(why: &str) -> TesseraError {
    log::debug!(target: "tessera::bindings", "invalid link: {why}");
    TesseraError::InvalidUri
}

/// `InvalidInput`, with the (PII-free) reason logged at `debug`.
pub(crate) fn invalid_input(why: &str) -> TesseraError {
    log::debug!(target: "tessera::bindings", "invalid input: {why}");
    TesseraError::InvalidInput
}

/// `Unsupported`, with the (PII-free) reason logged at `debug`.
pub(crate) fn unsupported(why: &str) -> TesseraError {
    log::debug!(target: "tessera::bindings", "not supported: {why}");
    TesseraError::Unsupported
}
