//! Entry rows: inserting, reading and changing entries. Secrets and notes are sealed under the
//! vault key with the entry id (and the field) in the associated data; a keyed fingerprint of the
//! secret and parameters finds duplicates without opening anything.

use std::collections::BTreeMap;

use ring::hmac;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::account::{Account, Algorithm, OtpKind, OtpParams, Secret};

use super::entry::{EntryId, EntryInfo, EntryUpdate};
use super::error::{Result, VaultError};
use super::seal::{SymmetricKey, ad};

const SECRET_LABEL: &str = "tessera/entry/v1/secret";
const NOTE_LABEL: &str = "tessera/entry/v1/note";

/// The keys an unlocked vault holds.
pub(crate) struct Keys {
    pub vault: SymmetricKey,
    pub fingerprint: hmac::Key,
}

pub(crate) fn secret_ad(id: &str) -> Vec<u8> {
    ad(SECRET_LABEL, &[id.as_bytes()])
}

fn note_ad(id: &str) -> Vec<u8> {
    ad(NOTE_LABEL, &[id.as_bytes()])
}

/// A keyed fingerprint of what determines an account's codes (secret, kind, algorithm, digits,
/// period — not the moving HOTP counter).
pub(crate) fn fingerprint(keys: &Keys, account: &Account) -> Vec<u8> {
    let p = &account.params;
    let mut ctx = hmac::Context::with_key(&keys.fingerprint);
    ctx.update(p.kind.type_name().as_bytes());
    ctx.update(&[0, p.digits]);
    ctx.update(p.algorithm.as_str().as_bytes());
    ctx.update(&p.kind.period().unwrap_or(0).to_be_bytes());
    ctx.update(account.secret.as_bytes());
    ctx.sign().as_ref()[..16].to_vec()
}

pub(crate) fn find_fingerprint(conn: &Connection, fp: &[u8]) -> Result<Option<EntryId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM entries WHERE fingerprint = ?1 LIMIT 1")?
        .query_row([fp], |r| r.get::<_, String>(0))
        .optional()?
        .map(EntryId))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| VaultError::Database(e.to_string()))
}

/// Inserts a validated account under a fresh id.
pub(crate) fn insert(
    conn: &Connection,
    keys: &Keys,
    id: &EntryId,
    account: &Account,
    fp: &[u8],
    sort_order: i64,
    now: i64,
) -> Result<()> {
    let p = &account.params;
    let secret = keys
        .vault
        .seal(account.secret.as_bytes(), &secret_ad(id.as_str()))?;
    let note = if account.note.is_empty() {
        None
    } else {
        Some(
            keys.vault
                .seal(account.note.as_bytes(), &note_ad(id.as_str()))?,
        )
    };
    let counter = p
        .kind
        .counter()
        .map(|c| i64::try_from(c).unwrap_or(i64::MAX));
    conn.prepare_cached(
        "INSERT INTO entries (id, kind, algorithm, digits, period, counter, issuer, name, meta,
             groups, note, favorite, sort_order, created_at, updated_at, secret, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16)",
    )?
    .execute(params![
        id.as_str(),
        p.kind.type_name(),
        p.algorithm.as_str(),
        p.digits,
        p.kind.period(),
        counter,
        account.issuer,
        account.name,
        to_json(&account.meta)?,
        to_json(&account.groups)?,
        note,
        account.favorite,
        sort_order,
        now,
        secret,
        fp,
    ])?;
    Ok(())
}

pub(crate) fn next_sort_order(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(sort_order), -1) + 1 FROM entries",
        [],
        |r| r.get(0),
    )?)
}

/// Rebuilds OTP parameters from columns; damaged values are reported as corruption.
pub(crate) fn params_from(
    kind: &str,
    algorithm: &str,
    digits: i64,
    period: Option<i64>,
    counter: Option<i64>,
) -> Result<OtpParams> {
    let bad = || VaultError::Corrupted("an entry has invalid OTP parameters".into());
    let period = || period.and_then(|p| u32::try_from(p).ok()).ok_or_else(bad);
    let kind = match kind {
        "totp" => OtpKind::Totp { period: period()? },
        "steam" => OtpKind::Steam { period: period()? },
        "hotp" => OtpKind::Hotp {
            counter: counter
                .and_then(|c| u64::try_from(c).ok())
                .ok_or_else(bad)?,
        },
        _ => return Err(bad()),
    };
    // Stored in canonical form; match it without the lenient (allocating) parser.
    let algorithm = match algorithm {
        "SHA1" => Algorithm::Sha1,
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        _ => return Err(bad()),
    };
    let digits = u8::try_from(digits).map_err(|_| bad())?;
    Ok(OtpParams {
        kind,
        algorithm,
        digits,
    })
}

const INFO_COLUMNS: &str = "id, issuer, name, kind, algorithm, digits, period, counter, groups,
    favorite, sort_order, usage_count, created_at, updated_at, last_used_at, note IS NOT NULL";

/// The list order: favourites first, then the user's order, then age.
pub(crate) const ORDER: &str = "ORDER BY favorite DESC, sort_order, created_at, id";

/// A text column borrowed from the row (no allocation).
pub(crate) fn text<'r>(r: &'r Row<'_>, i: usize) -> Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|_| VaultError::Corrupted(format!("column {i} of an entry is not text")))
}

fn info_from_row(r: &Row<'_>) -> Result<EntryInfo> {
    let params = params_from(text(r, 3)?, text(r, 4)?, r.get(5)?, r.get(6)?, r.get(7)?)?;
    let groups = match text(r, 8)? {
        "[]" => Vec::new(),
        g => serde_json::from_str(g)
            .map_err(|_| VaultError::Corrupted("an entry's groups are damaged".into()))?,
    };
    Ok(EntryInfo {
        id: EntryId(r.get(0)?),
        issuer: r.get(1)?,
        name: r.get(2)?,
        params,
        groups,
        favorite: r.get(9)?,
        sort_order: r.get(10)?,
        usage_count: u64::try_from(r.get::<_, i64>(11)?).unwrap_or(0),
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        last_used_at: r.get(14)?,
        has_note: r.get(15)?,
    })
}

/// The number of entries (to size result vectors once: no copies while growing).
pub(crate) fn count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM entries")?
        .query_row([], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Every entry without secrets, in list order.
pub(crate) fn list(conn: &Connection) -> Result<Vec<EntryInfo>> {
    let mut st = conn.prepare_cached(&format!("SELECT {INFO_COLUMNS} FROM entries {ORDER}"))?;
    let mut rows = st.query([])?;
    let mut out = Vec::with_capacity(count(conn)?);
    while let Some(r) = rows.next()? {
        out.push(info_from_row(r)?);
    }
    Ok(out)
}

/// One entry without secrets.
pub(crate) fn info(conn: &Connection, id: &EntryId) -> Result<EntryInfo> {
    let mut st =
        conn.prepare_cached(&format!("SELECT {INFO_COLUMNS} FROM entries WHERE id = ?1"))?;
    let mut rows = st.query([id.as_str()])?;
    match rows.next()? {
        Some(r) => info_from_row(r),
        None => Err(VaultError::NotFound(format!("entry {id}"))),
    }
}

/// Opens a sealed secret of entry `id`.
pub(crate) fn open_secret(keys: &Keys, id: &str, sealed: &[u8]) -> Result<Secret> {
    keys.vault
        .open(sealed, &secret_ad(id))
        .map(|b| Secret::new(b.to_vec()))
        .ok_or_else(|| VaultError::Corrupted(format!("the secret of entry {id} does not open")))
}

/// An entry's sealed secret, sealed note and metadata JSON.
type SealedFields = (Vec<u8>, Option<Vec<u8>>, String);

/// Every entry as a full account (secrets opened), in list order: for export.
pub(crate) fn accounts(conn: &Connection, keys: &Keys) -> Result<Vec<(EntryId, Account)>> {
    let infos = list(conn)?;
    let mut st = conn.prepare_cached("SELECT id, secret, note, meta FROM entries")?;
    let mut sealed: BTreeMap<String, SealedFields> = BTreeMap::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        sealed.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?));
    }
    infos
        .into_iter()
        .map(|info| {
            let (secret, note, meta) = sealed
                .remove(info.id.as_str())
                .ok_or_else(|| VaultError::Database("an entry changed while reading".into()))?;
            let account = assemble(keys, &info, &secret, note.as_deref(), &meta)?;
            Ok((info.id, account))
        })
        .collect()
}

/// One entry as a full account.
pub(crate) fn account(conn: &Connection, keys: &Keys, id: &EntryId) -> Result<Account> {
    let info = info(conn, id)?;
    let (secret, note, meta): SealedFields = conn.query_row(
        "SELECT secret, note, meta FROM entries WHERE id = ?1",
        [id.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    assemble(keys, &info, &secret, note.as_deref(), &meta)
}

fn assemble(
    keys: &Keys,
    info: &EntryInfo,
    secret: &[u8],
    note: Option<&[u8]>,
    meta: &str,
) -> Result<Account> {
    let id = info.id.as_str();
    let note = match note {
        None => String::new(),
        Some(sealed) => {
            let bytes = keys.vault.open(sealed, &note_ad(id)).ok_or_else(|| {
                VaultError::Corrupted(format!("the note of entry {id} does not open"))
            })?;
            String::from_utf8(bytes.to_vec())
                .map_err(|_| VaultError::Corrupted(format!("the note of entry {id} is damaged")))?
        }
    };
    Ok(Account {
        issuer: info.issuer.clone(),
        name: info.name.clone(),
        secret: open_secret(keys, id, secret)?,
        params: info.params,
        meta: serde_json::from_str(meta)
            .map_err(|_| VaultError::Corrupted(format!("the metadata of entry {id} is damaged")))?,
        groups: info.groups.clone(),
        note,
        favorite: info.favorite,
    })
}

/// Applies an update; `NotFound` when the id does not exist.
pub(crate) fn update(
    conn: &Connection,
    keys: &Keys,
    id: &EntryId,
    u: &EntryUpdate,
    now: i64,
) -> Result<()> {
    let mut sets: Vec<&str> = vec!["updated_at = :now"];
    let note = match &u.note {
        None => None,
        Some(n) if n.is_empty() => Some(None),
        Some(n) => Some(Some(keys.vault.seal(n.as_bytes(), &note_ad(id.as_str()))?)),
    };
    let groups = u.groups.as_ref().map(to_json).transpose()?;
    if u.issuer.is_some() {
        sets.push("issuer = :issuer");
    }
    if u.name.is_some() {
        sets.push("name = :name");
    }
    if groups.is_some() {
        sets.push("groups = :groups");
    }
    if note.is_some() {
        sets.push("note = :note");
    }
    if u.favorite.is_some() {
        sets.push("favorite = :favorite");
    }
    if u.sort_order.is_some() {
        sets.push("sort_order = :sort_order");
    }
    let sql = format!("UPDATE entries SET {} WHERE id = :id", sets.join(", "));
    let mut st = conn.prepare(&sql)?;
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":now", &now), (":id", &id.0)];
    if let Some(v) = &u.issuer {
        named.push((":issuer", v));
    }
    if let Some(v) = &u.name {
        named.push((":name", v));
    }
    if let Some(v) = &groups {
        named.push((":groups", v));
    }
    if let Some(v) = &note {
        named.push((":note", v));
    }
    if let Some(v) = &u.favorite {
        named.push((":favorite", v));
    }
    if let Some(v) = &u.sort_order {
        named.push((":sort_order", v));
    }
    if st.execute(named.as_slice())? == 0 {
        return Err(VaultError::NotFound(format!("entry {id}")));
    }
    Ok(())
}

/// Records one use of a code.
pub(crate) fn record_use(conn: &Connection, id: &EntryId, now: i64) -> Result<()> {
    let n = conn.execute(
        "UPDATE entries SET usage_count = usage_count + 1, last_used_at = ?2 WHERE id = ?1",
        params![id.as_str(), now],
    )?;
    if n == 0 {
        return Err(VaultError::NotFound(format!("entry {id}")));
    }
    Ok(())
}

/// Deletes an entry.
pub(crate) fn remove(conn: &Connection, id: &EntryId) -> Result<()> {
    if conn.execute("DELETE FROM entries WHERE id = ?1", [id.as_str()])? == 0 {
        return Err(VaultError::NotFound(format!("entry {id}")));
    }
    Ok(())
}

/// Finds the one entry whose id starts with `prefix` (case-insensitive).
pub(crate) fn resolve(conn: &Connection, prefix: &str) -> Result<EntryId> {
    let p = prefix.trim().to_ascii_lowercase();
    if p.is_empty() || !p.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(VaultError::NotFound(format!("entry {prefix:?}")));
    }
    let mut st =
        conn.prepare_cached("SELECT id FROM entries WHERE id >= ?1 AND id < ?2 LIMIT 2")?;
    let upper = format!("{p}\u{ffff}");
    let ids = st
        .query_map([&p, &upper], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    match ids.as_slice() {
        [one] => Ok(EntryId(one.clone())),
        [] => Err(VaultError::NotFound(format!("entry {prefix:?}"))),
        _ => Err(VaultError::Ambiguous(prefix.to_owned())),
    }
}
