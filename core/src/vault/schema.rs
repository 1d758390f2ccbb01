//! The file: recognising a Tessera vault before touching it, connection settings (WAL, full sync,
//! busy timeout) and versioned schema migrations.
//!
//! A vault is an SQLite database whose `application_id` is [`APPLICATION_ID`] and whose
//! `user_version` is the schema version. Migrations run in order, each in its own transaction.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::error::{Result, VaultError};

/// SQLite `application_id` of a Tessera vault ("TSRA").
pub const APPLICATION_ID: i64 = 0x5453_5241;
/// How long a writer waits for another process's write lock before reporting [`VaultError::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Schema migrations: index `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: slots, entries, blobs.
    "CREATE TABLE vault_info (
         key   TEXT PRIMARY KEY,
         value TEXT NOT NULL
     ) STRICT;
     CREATE TABLE key_slots (
         id         TEXT PRIMARY KEY,
         kind       TEXT NOT NULL CHECK (kind IN ('password', 'recovery', 'protector')),
         label      TEXT NOT NULL DEFAULT '',
         kdf        TEXT,
         salt       BLOB,
         wrapped    BLOB NOT NULL,
         created_at INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE entries (
         id           TEXT PRIMARY KEY,
         kind         TEXT NOT NULL CHECK (kind IN ('totp', 'hotp', 'steam')),
         algorithm    TEXT NOT NULL,
         digits       INTEGER NOT NULL,
         period       INTEGER,
         counter      INTEGER,
         issuer       TEXT NOT NULL,
         name         TEXT NOT NULL,
         meta         TEXT NOT NULL DEFAULT '{}',
         groups       TEXT NOT NULL DEFAULT '[]',
         note         BLOB,
         favorite     INTEGER NOT NULL DEFAULT 0,
         sort_order   INTEGER NOT NULL DEFAULT 0,
         usage_count  INTEGER NOT NULL DEFAULT 0,
         created_at   INTEGER NOT NULL,
         updated_at   INTEGER NOT NULL,
         last_used_at INTEGER,
         secret       BLOB NOT NULL,
         fingerprint  BLOB NOT NULL
     ) STRICT;
     CREATE INDEX entries_fingerprint ON entries (fingerprint);
     CREATE INDEX entries_order ON entries (favorite DESC, sort_order, created_at, id);
     CREATE TABLE blobs (
         namespace  TEXT NOT NULL,
         key        TEXT NOT NULL,
         value      BLOB NOT NULL,
         updated_at INTEGER NOT NULL,
         PRIMARY KEY (namespace, key)
     ) STRICT;",
];

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Checks the first bytes of an existing file: refuses what is empty, not SQLite, or truncated,
/// before SQLite (which might write to it) sees it.
pub(crate) fn check_file(path: &Path) -> Result<()> {
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(VaultError::Missing(path.to_owned()));
        }
        Err(e) => return Err(e.into()),
    };
    let len = f.metadata()?.len();
    if len == 0 {
        return Err(VaultError::NotAVault("the file is empty".into()));
    }
    let mut header = [0u8; 100];
    let mut got = 0;
    while got < header.len() {
        match f.read(&mut header[got..])? {
            0 => break,
            n => got += n,
        }
    }
    if !header.starts_with(b"SQLite format 3\0") {
        return Err(VaultError::NotAVault(
            "the file is not an SQLite database".into(),
        ));
    }
    if got < header.len() {
        return Err(VaultError::Corrupted(format!(
            "the file is truncated ({len} bytes)"
        )));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    if page_size < 512 || !page_size.is_power_of_two() {
        return Err(VaultError::Corrupted(
            "the database header is damaged".into(),
        ));
    }
    let change_counter = &header[24..28];
    let valid_for = &header[92..96];
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    if pages > 0 && change_counter == valid_for && len < pages * page_size {
        return Err(VaultError::Corrupted(format!(
            "the file is truncated ({len} of {} bytes)",
            pages * page_size
        )));
    }
    Ok(())
}

/// Opens an existing vault file (never creating one) and brings its schema up to date.
pub(crate) fn open_existing(path: &Path) -> Result<Connection> {
    check_file(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(VaultError::NotAVault(
            "the file is an SQLite database of another application".into(),
        ));
    }
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// Sets up a brand-new database file at `path` (which must not exist yet).
pub(crate) fn create_new(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// WAL, full fsync on commit (a change reported done survives a crash), deleted content zeroed.
fn configure(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(VaultError::Database(format!(
            "could not enable WAL (journal mode {mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 256 KiB of page cache (SQLite's default is 2 MiB): a full scan of 10,000 entries reads each
    // page once, so a bigger cache only raises the phone's memory use.
    conn.pragma_update(None, "cache_size", -256)?;
    Ok(())
}

/// Applies the missing migrations, each in an immediate transaction that re-reads the version (so
/// two processes opening an old vault at once migrate it once).
fn migrate(conn: &Connection) -> Result<()> {
    // The common case (up to date) only reads: opening never takes the write lock for nothing.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(VaultError::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(VaultError::TooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            tx.commit()?;
            return Ok(());
        }
        let step = usize::try_from(version)
            .map_err(|_| VaultError::Corrupted(format!("negative schema version {version}")))?;
        log::info!("vault: migrating schema {version} -> {}", version + 1);
        tx.execute_batch(MIGRATIONS[step])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_then_open() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v.db");
        drop(create_new(&p).unwrap());
        let c = open_existing(&p).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let m: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(m, "wal");
    }

    #[test]
    fn refuses_foreign_and_future() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("other.db");
        Connection::open(&p)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let before = std::fs::read(&p).unwrap();
        assert!(matches!(open_existing(&p), Err(VaultError::NotAVault(_))));
        assert_eq!(std::fs::read(&p).unwrap(), before, "foreign file untouched");

        let p = dir.path().join("future.db");
        drop(create_new(&p).unwrap());
        Connection::open(&p)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        assert!(matches!(
            open_existing(&p),
            Err(VaultError::TooNew { found: 99, .. })
        ));

        let p = dir.path().join("text");
        std::fs::write(&p, "hello").unwrap();
        assert!(matches!(open_existing(&p), Err(VaultError::NotAVault(_))));
        let p = dir.path().join("empty");
        std::fs::write(&p, "").unwrap();
        assert!(matches!(open_existing(&p), Err(VaultError::NotAVault(_))));
        assert!(matches!(
            open_existing(&dir.path().join("none")),
            Err(VaultError::Missing(_))
        ));
    }
}
