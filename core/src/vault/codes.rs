//! Codes for every entry at once, from [`otp::Generator`]s prepared once per entry and kept while
//! the vault is unlocked; and the HOTP "next code" that commits the counter first.
//!
//! The cache is a vector sorted by the entry id's 128 bits (ids are UUIDs): about 220 bytes per
//! entry (ring's prepared HMAC state), no hashing, and no stale hit when a row id is reused.

use rusqlite::{Connection, params};

use crate::account::OtpKind;
use crate::otp::{self, Generator};

use super::entry::{CodeRow, EntryId};
use super::error::{Result, VaultError};
use super::store::{self, Keys};

/// Prepared code generators of time-based entries, sorted by id.
#[derive(Default)]
pub(crate) struct Cache {
    by_id: Vec<(u128, Generator)>,
}

impl Cache {
    fn find(&self, key: u128) -> Option<usize> {
        self.by_id.binary_search_by_key(&key, |(k, _)| *k).ok()
    }

    /// Drops the generator of a removed entry.
    pub(crate) fn forget(&mut self, id: &str) {
        if let Some(i) = uuid_key(id).and_then(|k| self.find(k)) {
            self.by_id.remove(i);
        }
    }
}

/// The 128 bits of a UUID string; `None` for anything else (such an entry is not cached).
fn uuid_key(id: &str) -> Option<u128> {
    if id.len() != 36 {
        return None;
    }
    let mut v: u128 = 0;
    let mut digits = 0;
    for c in id.chars() {
        if c == '-' {
            continue;
        }
        v = (v << 4) | u128::from(c.to_digit(16)?);
        digits += 1;
    }
    (digits == 32).then_some(v)
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
        "SELECT id, kind, algorithm, digits, period, counter, secret FROM entries {}",
        store::ORDER
    ))?;
    let n = store::count(conn)?;
    let mut out = Vec::with_capacity(n);
    // Updated in place (no second copy of the cache): generators used now are marked, new ones
    // collected, unused ones dropped at the end.
    let mut seen = vec![false; cache.by_id.len()];
    let mut added: Vec<(u128, Generator)> = Vec::with_capacity(n.saturating_sub(cache.by_id.len()));
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let kind: String = r.get(1)?;
        let params = store::params_from(
            &kind,
            &r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        )?;
        let mut row = CodeRow {
            id: EntryId(String::new()),
            kind: params.kind.type_name(),
            code: None,
            seconds_remaining: None,
            period: params.kind.period(),
        };
        if let Some(period) = params.kind.period() {
            let key = uuid_key(&id);
            let cached = key
                .and_then(|k| cache.find(k))
                .filter(|&i| *cache.by_id[i].1.params() == params);
            row.code = Some(match cached {
                Some(i) => {
                    seen[i] = true;
                    cache.by_id[i].1.code_at(unix_seconds)
                }
                None => {
                    let sealed = r.get_ref(6)?.as_blob().map_err(|_| {
                        VaultError::Corrupted(format!("the secret of entry {id} is missing"))
                    })?;
                    let secret = store::open_secret(keys, &id, sealed)?;
                    let generator = Generator::new(&secret, params)?;
                    let code = generator.code_at(unix_seconds);
                    if let Some(k) = key {
                        added.push((k, generator));
                    }
                    code
                }
            });
            row.seconds_remaining = Some(otp::seconds_remaining(period, unix_seconds));
        }
        row.id = EntryId(id);
        out.push(row);
    }
    let mut i = 0;
    cache.by_id.retain(|_| {
        i += 1;
        seen[i - 1]
    });
    if cache.by_id.is_empty() {
        cache.by_id = added;
    } else {
        cache.by_id.extend(added);
    }
    cache.by_id.sort_unstable_by_key(|(k, _)| *k);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_keys() {
        assert_eq!(
            uuid_key("00000000-0000-4000-8000-00000000000a"),
            Some(0x4000_8000_0000_0000_000a)
        );
        assert_eq!(uuid_key("not-a-uuid"), None);
        assert_eq!(uuid_key("0000000g-0000-4000-8000-00000000000a"), None);
    }
}
