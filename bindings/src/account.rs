//! The account record the foreign side sees: flat fields, converted to and from core's
//! [`tessera_core::Account`] at the edge.

use std::collections::{BTreeMap, HashMap};

use tessera_core::account::{Account as CoreAccount, OtpKind, OtpParams, Secret};

use crate::error::TesseraError;

/// How an account's codes are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OtpType {
    /// Time-based (RFC 6238): a new code every `period` seconds.
    Totp,
    /// Counter-based (RFC 4226): a new code each time the counter moves.
    Hotp,
    /// Steam Guard: time-based, 5 characters from Steam's alphabet.
    Steam,
}

/// The HMAC hash function of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HashAlgorithm {
    /// HMAC-SHA-1 (the default almost everywhere).
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

/// One authenticator account, with its secret.
///
/// `secret_base32` is the shared secret: treat the whole record as sensitive (the generated
/// `toString`/`description` shows every field) and never log it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct Account {
    /// TOTP, HOTP or Steam.
    pub otp_type: OtpType,
    /// The service, e.g. "Microsoft"; may be empty.
    pub issuer: String,
    /// The account name at the service, e.g. "jane.doe@nhs.net"; may be empty.
    pub name: String,
    /// The shared secret, RFC 4648 Base32 (upper case, no padding when produced by Tessera).
    pub secret_base32: String,
    /// The HMAC hash function.
    pub algorithm: HashAlgorithm,
    /// Digits of a code (4–10; Steam: 5).
    pub digits: u8,
    /// Seconds per code for TOTP and Steam (usually 30); ignored for HOTP.
    pub period: u32,
    /// For HOTP, the counter value the next code uses; ignored otherwise.
    pub counter: u64,
    /// Groups or tags the user filed the account under.
    pub groups: Vec<String>,
    /// A free-text note.
    pub note: String,
    /// Pinned to the top of the list.
    pub favorite: bool,
    /// otpauth parameters Tessera does not interpret (e.g. `image`), kept for export.
    pub extra: HashMap<String, String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("otp_type", &self.otp_type)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .finish_non_exhaustive()
    }
}

impl From<&CoreAccount> for Account {
    fn from(a: &CoreAccount) -> Self {
        let (otp_type, period, counter) = match a.params.kind {
            OtpKind::Totp { period } => (OtpType::Totp, period, 0),
            OtpKind::Hotp { counter } => (OtpType::Hotp, 30, counter),
            OtpKind::Steam { period } => (OtpType::Steam, period, 0),
        };
        Account {
            otp_type,
            issuer: a.issuer.clone(),
            name: a.name.clone(),
            secret_base32: a.secret.to_base32(),
            algorithm: a.params.algorithm.into(),
            digits: a.params.digits,
            period,
            counter,
            groups: a.groups.clone(),
            note: a.note.clone(),
            favorite: a.favorite,
            extra: a.meta.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }
}

impl TryFrom<&Account> for CoreAccount {
    type Error = TesseraError;

    /// Validates the secret and parameters; the error never contains the secret.
    fn try_from(a: &Account) -> Result<Self, TesseraError> {
        let secret = Secret::from_base32(&a.secret_base32)?;
        let kind = match a.otp_type {
            OtpType::Totp => OtpKind::Totp { period: a.period },
            OtpType::Hotp => OtpKind::Hotp { counter: a.counter },
            OtpType::Steam => OtpKind::Steam { period: a.period },
        };
        let params = OtpParams {
            kind,
            algorithm: a.algorithm.into(),
            digits: a.digits,
        };
        let account = CoreAccount {
            issuer: a.issuer.clone(),
            name: a.name.clone(),
            secret,
            params,
            meta: a
                .extra
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
            groups: a.groups.clone(),
            note: a.note.clone(),
            favorite: a.favorite,
        };
        account.validate()?;
        Ok(account)
    }
}

impl From<tessera_core::Algorithm> for HashAlgorithm {
    fn from(a: tessera_core::Algorithm) -> Self {
        match a {
            tessera_core::Algorithm::Sha1 => HashAlgorithm::Sha1,
            tessera_core::Algorithm::Sha256 => HashAlgorithm::Sha256,
            tessera_core::Algorithm::Sha512 => HashAlgorithm::Sha512,
        }
    }
}

impl From<HashAlgorithm> for tessera_core::Algorithm {
    fn from(a: HashAlgorithm) -> Self {
        match a {
            HashAlgorithm::Sha1 => tessera_core::Algorithm::Sha1,
            HashAlgorithm::Sha256 => tessera_core::Algorithm::Sha256,
            HashAlgorithm::Sha512 => tessera_core::Algorithm::Sha512,
        }
    }
}

/// A TOTP account with the usual defaults (SHA1, 6 digits, 30 s), for building records by hand.
#[uniffi::export]
pub fn new_totp_account(issuer: String, name: String, secret_base32: String) -> Account {
    Account {
        otp_type: OtpType::Totp,
        issuer,
        name,
        secret_base32,
        algorithm: HashAlgorithm::Sha1,
        digits: 6,
        period: 30,
        counter: 0,
        groups: Vec::new(),
        note: String::new(),
        favorite: false,
        extra: HashMap::new(),
    }
}

/// Raw key bytes as upper-case Base32 without padding (the form `secret_base32` takes).
#[uniffi::export]
pub fn secret_to_base32(secret: Vec<u8>) -> String {
    Secret::new(secret).to_base32()
}

/// Checks an account record: the secret decodes and the parameters can produce codes.
#[uniffi::export]
pub fn validate_account(account: Account) -> Result<(), TesseraError> {
    CoreAccount::try_from(&account).map(|_| ())
}
