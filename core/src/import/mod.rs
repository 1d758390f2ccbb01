//! Importing accounts from other authenticators' export files.
//!
//! Every format is a module with two functions, registered in [`FORMATS`]:
//! - `sniff(input: &Input) -> bool`: a cheap, confident check used by auto-detection;
//! - `parse(input: &Input, password: Option<&str>) -> Result<Parsed, ImportError>`.
//!
//! A parser never drops an entry silently: every entry it cannot take goes to
//! [`Parsed::skipped`] with a reason. Parsers are pure (bytes in, accounts out); the vault adds
//! the result in one transaction and reports duplicates.
//!
//! Shared rules (part A importers, see [`common`] and [`crypto`]): inputs above 32 MiB and files
//! with more than 10 000 entries are refused; secrets that are not Base32, zero periods, digits
//! outside 4–10 and algorithms other than SHA1/256/512 are per-entry reasons; a password that
//! opens nothing is [`ImportError::WrongPassword`]; key-derivation costs read from a file are
//! bounded (1 GiB of memory, 10 M PBKDF2 iterations, 64 Argon2 passes).

use crate::account::Account;

pub mod common;
pub mod crypto;

// One line per format (keeps merges between importer branches trivial).
pub mod aegis;
pub mod andotp;
pub mod bitwarden;
pub mod ente;
pub mod google_migration;
pub mod lastpass;
pub mod otpauth_list;
pub mod proton_authenticator;
pub mod proton_pass;
pub mod raivo;
pub mod stratum;
#[cfg(feature = "vault")]
pub mod stratum_db;
pub mod twofas;

pub mod tessera;

// Importers, part B (FreeOTP, Authy, Steam, Duo, Battle.net, app databases, QR images, ...).
mod android_prefs;
mod authenticator_plus;
mod authy;
mod battle_net;
mod duo;
mod freeotp;
mod freeotp2;
mod freeotp_plus;
#[cfg(feature = "vault")]
mod google_authenticator_db;
mod java_ser;
#[cfg(feature = "vault")]
mod microsoft_authenticator_db;
pub mod qr_image;
#[cfg(feature = "vault")]
mod sqlite_bytes;
mod steam;
#[cfg(test)]
mod test_support;
mod totp_authenticator;

/// One input file: its bytes and, when known, its name (for extension hints).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The file's contents.
    pub bytes: &'a [u8],
    /// The file name, if known (only used as a hint).
    pub file_name: Option<&'a str>,
}

/// An entry a parser could not take, and why. Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Issuer/name or position, enough for the user to find it in the source app.
    pub label: String,
    /// Why it was not imported.
    pub reason: String,
}

/// What a parser produced.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    /// Accounts ready to store, in file order.
    pub accounts: Vec<Account>,
    /// Entries that could not be taken.
    pub skipped: Vec<Skipped>,
    /// Notes for the user about what the format could not carry (never secrets).
    pub warnings: Vec<String>,
}

/// Why a whole file could not be imported. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is encrypted and no password was given.
    #[error("this file is encrypted: a password is needed")]
    PasswordRequired,
    /// The password does not open the file.
    #[error("wrong password for this file")]
    WrongPassword,
    /// No known format matches.
    #[error("unrecognised file format")]
    UnknownFormat,
    /// The file matches a format but is broken.
    #[error("malformed {format} file: {detail}")]
    Malformed {
        /// The format's display name.
        format: &'static str,
        /// What is wrong (no secrets).
        detail: String,
    },
    /// A valid file in a variant Tessera cannot read.
    #[error("unsupported {format} file: {detail}")]
    Unsupported {
        /// The format's display name.
        format: &'static str,
        /// What is not supported.
        detail: String,
    },
}

/// A registered import format.
pub struct Format {
    /// Stable identifier used by `--from` (e.g. `aegis`, `2fas`, `google-migration`).
    pub id: &'static str,
    /// Name shown to people (e.g. "Aegis").
    pub name: &'static str,
    /// Cheap confident detection.
    pub sniff: fn(&Input<'_>) -> bool,
    /// The parser.
    pub parse: fn(&Input<'_>, Option<&str>) -> Result<Parsed, ImportError>,
}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// Every supported format, most specific first (detection takes the first that sniffs).
#[rustfmt::skip]
pub static FORMATS: &[Format] = &[
    Format { id: "stratum", name: "Stratum", sniff: stratum::sniff, parse: stratum::parse },
    #[cfg(feature = "vault")]
    Format { id: "stratum-db", name: "Stratum (app database)", sniff: stratum_db::sniff, parse: stratum_db::parse },
    freeotp2::FORMAT,
    tessera::FORMAT,
    freeotp_plus::FORMAT,
    freeotp::FORMAT,
    steam::FORMAT,
    duo::FORMAT,
    battle_net::FORMAT,
    authy::FORMAT,
    authenticator_plus::FORMAT,
    qr_image::FORMAT,
    totp_authenticator::FORMAT,
    #[cfg(feature = "vault")]
    google_authenticator_db::FORMAT,
    #[cfg(feature = "vault")]
    microsoft_authenticator_db::FORMAT,
    Format { id: "aegis", name: "Aegis", sniff: aegis::sniff, parse: aegis::parse },
    Format { id: "2fas", name: "2FAS", sniff: twofas::sniff, parse: twofas::parse },
    Format { id: "proton-authenticator", name: "Proton Authenticator", sniff: proton_authenticator::sniff, parse: proton_authenticator::parse },
    Format { id: "proton-pass", name: "Proton Pass", sniff: proton_pass::sniff, parse: proton_pass::parse },
    Format { id: "bitwarden", name: "Bitwarden", sniff: bitwarden::sniff, parse: bitwarden::parse },
    Format { id: "lastpass", name: "LastPass Authenticator", sniff: lastpass::sniff, parse: lastpass::parse },
    Format { id: "raivo", name: "Raivo OTP", sniff: raivo::sniff, parse: raivo::parse },
    Format { id: "google-migration", name: "Google Authenticator export", sniff: google_migration::sniff, parse: google_migration::parse },
    Format { id: "ente", name: "Ente Auth", sniff: ente::sniff, parse: ente::parse },
    Format { id: "otpauth", name: "otpauth URI list", sniff: otpauth_list::sniff, parse: otpauth_list::parse },
    // Keep andOTP after every format with a binary magic: its encrypted sniff is a heuristic.
    Format { id: "andotp", name: "andOTP", sniff: andotp::sniff, parse: andotp::parse },
];

/// The format with this `--from` id.
pub fn format_by_id(id: &str) -> Option<&'static Format> {
    FORMATS.iter().find(|f| f.id.eq_ignore_ascii_case(id))
}

/// The first format whose sniffer recognises the input.
pub fn detect(input: &Input<'_>) -> Option<&'static Format> {
    FORMATS.iter().find(|f| (f.sniff)(input))
}

/// Detects (unless `format` is given) and parses.
pub fn parse(
    input: &Input<'_>,
    format: Option<&'static Format>,
    password: Option<&str>,
) -> Result<(&'static Format, Parsed), ImportError> {
    common::check_size(input, "input")?;
    let format = match format {
        Some(f) => f,
        None => detect(input).ok_or(ImportError::UnknownFormat)?,
    };
    (format.parse)(input, password).map(|p| (format, p))
}
