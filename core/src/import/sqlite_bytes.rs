//! Opening another app's SQLite database from the imported bytes, without touching any file:
//! the bytes are copied into SQLite's memory (`sqlite3_deserialize`) read-only, with
//! `trusted_schema` off and a small maximum value length, and only real tables without generated
//! columns are read (so a hostile file cannot run expensive schema code).

use rusqlite::{Connection, OpenFlags, limits::Limit};

use super::ImportError;
use super::common::{self, malformed};

/// The SQLite file header.
const MAGIC: &[u8] = b"SQLite format 3\0";
/// Longest string or blob SQLite may produce while we read (secrets and names are far smaller).
const MAX_VALUE_BYTES: i32 = 1 << 20;

/// True for a SQLite database file.
pub(crate) fn looks_like(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// For sniffers: a SQLite file within the input limit whose bytes contain every marker (table or
/// column names from its schema).
pub(crate) fn sniff(bytes: &[u8], markers: &[&[u8]]) -> bool {
    looks_like(bytes)
        && bytes.len() <= common::MAX_INPUT_BYTES
        && markers.iter().all(|m| common::contains(bytes, m))
}

/// Maps a SQLite error to `Malformed` ("unreadable database: …") for `format`.
pub(crate) fn unreadable(format: &'static str) -> impl Fn(rusqlite::Error) -> ImportError + Copy {
    move |e| malformed(format, format!("unreadable database: {e}"))
}

/// An in-memory read-only copy of the database in `bytes`.
pub(crate) fn open(bytes: &[u8], format: &'static str) -> Result<Connection, ImportError> {
    if !looks_like(bytes) {
        return Err(malformed(format, "not a SQLite database"));
    }
    let fail = unreadable(format);
    let mut conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        .map_err(fail)?;
    conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), true)
        .map_err(fail)?;
    conn.pragma_update(None, "trusted_schema", "OFF")
        .map_err(fail)?;
    conn.pragma_update(None, "cell_size_check", "ON")
        .map_err(fail)?;
    // Reading the schema checks the header and first page.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(fail)?;
    Ok(conn)
}

/// The column names of `table` when it is a plain table (not a view, no generated columns).
pub(crate) fn table_columns(
    conn: &Connection,
    table: &str,
    format: &'static str,
) -> Result<Option<Vec<String>>, ImportError> {
    let fail = unreadable(format);
    let kind: Option<String> = conn
        .query_row(
            "SELECT type FROM sqlite_master WHERE name = ?1 COLLATE NOCASE",
            [table],
            |r| r.get(0),
        )
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(fail(e)),
        })?;
    if kind.as_deref() != Some("table") {
        return Ok(None);
    }
    let mut stmt = conn
        .prepare("SELECT name, hidden FROM pragma_table_xinfo(?1)")
        .map_err(fail)?;
    let mut cols = Vec::new();
    let mut rows = stmt.query([table]).map_err(fail)?;
    while let Some(r) = rows.next().map_err(fail)? {
        let hidden: i64 = r.get(1).map_err(fail)?;
        if hidden != 0 {
            return Err(ImportError::Unsupported {
                format,
                detail: format!("table {table} has generated or hidden columns"),
            });
        }
        cols.push(r.get::<_, String>(0).map_err(fail)?);
    }
    Ok(Some(cols))
}

/// The columns of `table`, which must be a plain table (see [`table_columns`]) with every column
/// in `needed` (names compared case-insensitively).
pub(crate) fn required_columns(
    conn: &Connection,
    table: &str,
    needed: &[&str],
    format: &'static str,
) -> Result<Vec<String>, ImportError> {
    let cols = table_columns(conn, table, format)?
        .ok_or_else(|| malformed(format, format!("no {table} table")))?;
    for n in needed {
        if !cols.iter().any(|c| c.eq_ignore_ascii_case(n)) {
            return Err(malformed(
                format,
                format!("{table} table has no {n} column"),
            ));
        }
    }
    Ok(cols)
}

/// A cell as text (numbers are formatted; NULL and blobs that are not UTF-8 become empty).
pub(crate) fn text(row: &rusqlite::Row<'_>, idx: usize) -> String {
    use rusqlite::types::ValueRef;
    match row.get_ref(idx) {
        Ok(ValueRef::Text(t)) | Ok(ValueRef::Blob(t)) => String::from_utf8_lossy(t).into_owned(),
        Ok(ValueRef::Integer(i)) => i.to_string(),
        Ok(ValueRef::Real(f)) => f.to_string(),
        _ => String::new(),
    }
}

/// A cell as an integer (text is parsed; anything else is `None`).
pub(crate) fn int(row: &rusqlite::Row<'_>, idx: usize) -> Option<i64> {
    use rusqlite::types::ValueRef;
    match row.get_ref(idx) {
        Ok(ValueRef::Integer(i)) => Some(i),
        Ok(ValueRef::Text(t)) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// The bytes of a database file made by running `sql` on a new one (for tests).
#[cfg(test)]
pub(crate) fn database_for_tests(sql: &str) -> Vec<u8> {
    let file = tempfile::NamedTempFile::new().unwrap();
    Connection::open(file.path())
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    std::fs::read(file.path()).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_garbage_and_truncation() {
        assert!(open(b"hello", "T").is_err());
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(&[0xff; 200]);
        assert!(open(&b, "T").is_err());
    }

    #[test]
    fn views_and_generated_columns_are_not_read() {
        let bytes = database_for_tests(
            "CREATE TABLE t (a TEXT, b TEXT GENERATED ALWAYS AS (a || a) VIRTUAL);
                 CREATE VIEW accounts AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT x FROM r;",
        );
        let conn = open(&bytes, "T").unwrap();
        assert_eq!(table_columns(&conn, "accounts", "T").unwrap(), None);
        assert!(table_columns(&conn, "t", "T").is_err());
        assert_eq!(table_columns(&conn, "missing", "T").unwrap(), None);
    }

    #[test]
    fn required_columns_names_what_is_missing() {
        let bytes = database_for_tests("CREATE TABLE accounts (Email TEXT, secret TEXT);");
        assert!(sniff(&bytes, &[b"accounts", b"secret"]));
        assert!(!sniff(&bytes, &[b"oath_secret_key"]));
        let conn = open(&bytes, "T").unwrap();
        let cols = required_columns(&conn, "accounts", &["email", "SECRET"], "T").unwrap();
        assert_eq!(cols, ["Email", "secret"]);
        let e = required_columns(&conn, "accounts", &["email", "type"], "T").unwrap_err();
        assert_eq!(
            e.to_string(),
            "malformed T file: accounts table has no type column"
        );
        let e = required_columns(&conn, "tokens", &[], "T").unwrap_err();
        assert_eq!(e.to_string(), "malformed T file: no tokens table");
    }
}
