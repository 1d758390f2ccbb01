//! Codes: single codes, formatting, and [`CodeBook`], which computes every code of the list
//! screen in one call from keys prepared once.

use std::sync::Arc;

use tessera_core::Account as CoreAccount;
use tessera_core::otp::{self, Generator};

use crate::account::{Account, OtpType};
use crate::error::TesseraError;

/// The code of `account` at `unix_seconds` (HOTP: at the account's counter; the time is ignored).
#[uniffi::export]
pub fn code_at(account: Account, unix_seconds: u64) -> Result<String, TesseraError> {
    let core = CoreAccount::try_from(&account)?;
    Ok(Generator::for_account(&core)?.code_at(unix_seconds))
}

/// The HOTP code (RFC 4226) of `account`'s secret, algorithm and digits at `counter`, whatever the
/// account's type.
#[uniffi::export]
pub fn hotp_code(account: Account, counter: u64) -> Result<String, TesseraError> {
    let core = CoreAccount::try_from(&account)?;
    Ok(Generator::for_account(&core)?.hotp(counter))
}

/// Seconds until the code valid at `unix_seconds` expires, in `1..=period` (0 for period 0).
#[uniffi::export]
pub fn seconds_remaining(period: u32, unix_seconds: u64) -> u32 {
    otp::seconds_remaining(period, unix_seconds)
}

/// The code with spaces between groups for display, e.g. `"123 456"`.
#[uniffi::export]
pub fn format_grouped(code: String) -> String {
    tessera_core::format::grouped(&code)
}

/// The code as a screen reader should say it, e.g. `"1 2 3, 4 5 6"`.
#[uniffi::export]
pub fn format_spoken(code: String) -> String {
    tessera_core::format::spoken(&code)
}

/// One row of the list screen at one instant.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CodeEntry {
    /// The account's id: its vault id, or its position ("0", "1", ...) in a [`CodeBook`].
    pub id: String,
    /// The service, e.g. "Microsoft".
    pub issuer: String,
    /// The account name.
    pub name: String,
    /// TOTP, HOTP or Steam.
    pub otp_type: OtpType,
    /// The current code, raw (no spaces).
    pub code: String,
    /// The current code grouped for display ("123 456").
    pub grouped: String,
    /// The current code for screen readers ("1 2 3, 4 5 6").
    pub spoken: String,
    /// The next period's code (TOTP/Steam) or the next counter's code (HOTP).
    pub next_code: String,
    /// Seconds until `code` expires (1..=period); `None` for HOTP.
    pub seconds_remaining: Option<u32>,
    /// The period in seconds; `None` for HOTP.
    pub period: Option<u32>,
    /// Pinned to the top of the list.
    pub favorite: bool,
}

/// An entry whose generator is prepared: what [`CodeBook`] and the vault keep per account.
pub(crate) struct Prepared {
    pub(crate) id: String,
    pub(crate) issuer: String,
    pub(crate) name: String,
    pub(crate) otp_type: OtpType,
    pub(crate) favorite: bool,
    pub(crate) generator: Generator,
}

impl Prepared {
    /// Prepares the HMAC key of `account` once.
    pub(crate) fn new(id: String, account: &CoreAccount) -> Result<Self, TesseraError> {
        Ok(Prepared {
            id,
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            otp_type: Account::from(account).otp_type,
            favorite: account.favorite,
            generator: Generator::for_account(account)?,
        })
    }

    /// The row at `unix_seconds`.
    pub(crate) fn entry_at(&self, unix_seconds: u64) -> CodeEntry {
        let snap = self.generator.snapshot(unix_seconds);
        CodeEntry {
            id: self.id.clone(),
            issuer: self.issuer.clone(),
            name: self.name.clone(),
            otp_type: self.otp_type,
            grouped: tessera_core::format::grouped(&snap.code),
            spoken: tessera_core::format::spoken(&snap.code),
            code: snap.code,
            next_code: snap.next_code,
            seconds_remaining: snap.seconds_remaining,
            period: snap.period,
            favorite: self.favorite,
        }
    }
}

/// Every code of a list of accounts in one call. The HMAC keys are prepared when the book is made
/// (the raw secrets are not kept), so a refresh is one FFI call doing only HMACs. Immutable and
/// safe to share between threads.
#[derive(uniffi::Object)]
pub struct CodeBook {
    entries: Vec<Prepared>,
}

impl std::fmt::Debug for CodeBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeBook")
            .field("entries", &self.entries.len())
            .finish()
    }
}

#[uniffi::export]
impl CodeBook {
    /// Prepares every account; fails on the first invalid one (`InvalidInput`). Entry ids are the
    /// positions in `accounts` ("0", "1", ...).
    #[uniffi::constructor]
    pub fn new(accounts: Vec<Account>) -> Result<Arc<Self>, TesseraError> {
        let entries = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| Prepared::new(i.to_string(), &CoreAccount::try_from(a)?))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(CodeBook { entries }))
    }

    /// Number of accounts in the book.
    pub fn len(&self) -> u32 {
        u32::try_from(self.entries.len()).unwrap_or(u32::MAX)
    }

    /// True when the book has no accounts.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every account's row at `unix_seconds`, in the order given.
    pub fn codes_at(&self, unix_seconds: u64) -> Vec<CodeEntry> {
        self.entries
            .iter()
            .map(|e| e.entry_at(unix_seconds))
            .collect()
    }

    /// Only the current codes at `unix_seconds`, in the order given.
    pub fn current_codes_at(&self, unix_seconds: u64) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| e.generator.code_at(unix_seconds))
            .collect()
    }

    /// The current codes at `unix_seconds` in one string, in the order given, separated by `'\n'`
    /// (an empty string for an empty book): split it on `'\n'` (Kotlin `split('\n')`, Swift
    /// `split(separator: "\n")`).
    /// The cheapest refresh: one string crosses the FFI instead of one per account, which on the
    /// JVM (JNA) makes a 500-account refresh about twice as fast as [`CodeBook::current_codes_at`].
    pub fn current_codes_joined(&self, unix_seconds: u64) -> String {
        let mut out = String::with_capacity(self.entries.len() * (otp::MAX_CODE_LEN + 1));
        let mut code = String::with_capacity(otp::MAX_CODE_LEN);
        for (i, e) in self.entries.iter().enumerate() {
            e.generator.write_code_at(unix_seconds, &mut code);
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&code);
        }
        out
    }
}
