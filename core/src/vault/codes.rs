//! Codes for every entry at once, from [`otp::Generator`]s prepared once per entry and kept while
//! the vault is unlocked; and the HOTP "next code" that commits the counter first.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::account::OtpKind;
use crate::otp::Generator;

use super::entry::{CodeRow, EntryId};
use super::error::{Result, VaultError};
use super::store::{self, Keys};

/// Prepared code generators by entry id (time-based entries only).
#[derive(Default)]
pub(crate) struct Cache {
    by_id: HashMap<String, Generator>,
}

impl Cache {
    /// Drops the generator of a removed entry.
    pub(crate) fn forget(&mut self, id: &str) {
        self.by_id.remove(id);
    }
}

/// Every entry's code at `unix_seconds`, in list order. Secrets are opened only for entries not
/// yet in `cache` (or whose parameters changed); generators of entries gone from the file are
/// dropped.
pub(crate) fn codes_at(
    conn: &Connection,
    keys: &Keys,
    cache: &mut Cache,
    unix_seconds: u64,
) -> Result<Vec<CodeRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT id, issuer, name, kind, algorithm, digits, period, counter, secret
         FROM entries {}",
        store::ORDER
    ))?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    let mut fresh: HashMap<String, Generator> = HashMap::with_capacity(cache.by_id.len());
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let kind: String = r.get(3)?;
        let params = store::params_from(
            &kind,
            &r.get::<_, String>(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        )?;
        let mut row = CodeRow {
            id: EntryId(String::new()),
            issuer: r.get(1)?,
            name: r.get(2)?,
            kind: params.kind.type_name(),
            code: None,
            next_code: None,
            seconds_remaining: None,
            period: params.kind.period(),
        };
        if !matches!(params.kind, OtpKind::Hotp { .. }) {
            let generator = match cache.by_id.remove(&id) {
                Some(g) if *g.params() == params => g,
                _ => {
                    let sealed = r.get_ref(8)?.as_blob().map_err(|_| {
                        VaultError::Corrupted(format!("the secret of entry {id} is missing"))
                    })?;
                    let secret = store::open_secret(keys, &id, sealed)?;
                    Generator::new(&secret, params)?
                }
            };
            let snap = generator.snapshot(unix_seconds);
            row.code = Some(snap.code);
            row.next_code = Some(snap.next_code);
            row.seconds_remaining = snap.seconds_remaining;
            fresh.insert(id.clone(), generator);
        }
        row.id = EntryId(id);
        out.push(row);
    }
    cache.by_id = fresh;
    Ok(out)
}

/// Advances an HOTP entry's counter, commits, and only then returns the code for the counter it
/// had (the counter is "the value the next code will use").
pub(crate) fn next_hotp(conn: &Connection, keys: &Keys, id: &EntryId, now: i64) -> Result<String> {
    let (kind, algorithm, digits, period, counter, sealed): (
        String,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Vec<u8>,
    ) = conn
        .query_row(
            "SELECT kind, algorithm, digits, period, counter, secret FROM entries WHERE id = ?1",
            [id.as_str()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => VaultError::NotFound(format!("entry {id}")),
            e => e.into(),
        })?;
    let params = store::params_from(&kind, &algorithm, digits, period, counter)?;
    let OtpKind::Hotp { counter } = params.kind else {
        return Err(VaultError::Invalid(format!(
            "entry {id} is not an HOTP account"
        )));
    };
    let next = i64::try_from(counter)
        .ok()
        .and_then(|c| c.checked_add(1))
        .ok_or_else(|| VaultError::Invalid(format!("the counter of entry {id} is exhausted")))?;
    let secret = store::open_secret(keys, id.as_str(), &sealed)?;
    let code = Generator::new(&secret, params)?.hotp(counter);
    conn.execute(
        "UPDATE entries SET counter = ?2, usage_count = usage_count + 1, last_used_at = ?3,
             updated_at = ?3 WHERE id = ?1",
        params![id.as_str(), next, now],
    )?;
    Ok(code)
}
