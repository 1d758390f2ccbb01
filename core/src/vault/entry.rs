//! Entry ids and the non-secret view of an entry.

use std::fmt;

use crate::account::{Algorithm, OtpParams};

/// An entry's id: a random UUID (version 4) string, stable across backups and devices.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub String);

impl EntryId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for EntryId {
    fn from(s: &str) -> Self {
        EntryId(s.to_owned())
    }
}

/// Everything about an entry except its secret and note: what lists and `tessera list` show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryInfo {
    /// The entry's id.
    pub id: EntryId,
    /// The service.
    pub issuer: String,
    /// The account name at the service.
    pub name: String,
    /// Kind, algorithm, digits, period or (HOTP) the next counter.
    pub params: OtpParams,
    /// Groups / tags, in the user's order.
    pub groups: Vec<String>,
    /// Pinned to the top.
    pub favorite: bool,
    /// Position chosen by the user (lower first, after favourites).
    pub sort_order: i64,
    /// How many times a code was used (copied, or an HOTP code generated).
    pub usage_count: u64,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Last change, Unix seconds.
    pub updated_at: i64,
    /// Last use, Unix seconds.
    pub last_used_at: Option<i64>,
    /// Whether the entry has a (sealed) note.
    pub has_note: bool,
}

impl EntryInfo {
    /// The hash algorithm (shorthand for `params.algorithm`).
    pub fn algorithm(&self) -> Algorithm {
        self.params.algorithm
    }
}

/// Fields of an entry that can change after it was added. `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryUpdate {
    /// New issuer.
    pub issuer: Option<String>,
    /// New account name.
    pub name: Option<String>,
    /// New groups / tags.
    pub groups: Option<Vec<String>>,
    /// New note (empty removes it).
    pub note: Option<String>,
    /// Pin or unpin.
    pub favorite: Option<bool>,
    /// New position.
    pub sort_order: Option<i64>,
}

/// The outcome of [`Vault::add_accounts`](super::Vault::add_accounts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddReport {
    /// Ids of the entries added, in input order.
    pub added: Vec<EntryId>,
    /// Accounts skipped as duplicates: (index in the input, id of the entry they duplicate — one
    /// already in the vault or one added earlier in the same batch).
    pub duplicates: Vec<(usize, EntryId)>,
}

/// One row of [`Vault::codes_at`](super::Vault::codes_at): the code of one entry at one instant.
/// Labels are not repeated here (join with [`EntryInfo`] by `id`): for 10,000 entries that keeps
/// a refresh cheap in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRow {
    /// The entry's id.
    pub id: EntryId,
    /// `totp`, `hotp` or `steam`.
    pub kind: &'static str,
    /// The current code; `None` for HOTP (use [`Vault::next_hotp`](super::Vault::next_hotp)).
    pub code: Option<String>,
    /// Seconds until the code changes, in `1..=period` (time-based kinds).
    pub seconds_remaining: Option<u32>,
    /// The period in seconds (time-based kinds). The next code is `codes_at(t + period)`'s.
    pub period: Option<u32>,
}
