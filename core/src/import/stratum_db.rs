//! Stratum's internal SQLite database (`authenticator.db3`, app-private, needs root or a device
//! backup): table `authenticator(type, issuer, username, secret, algorithm, digits, period,
//! counter, ...)` with the codes of [`super::stratum`], categories in `category(id, name)` and
//! `authenticatorcategory(categoryId, authenticatorSecret)`. Only the main file is read: changes
//! still in a `-wal` file next to it are not seen (copy the database after closing the app).

use super::common::{self, Collector};
use super::sqlite_bytes;
use super::stratum::{self, Fields};
use super::{ImportError, Input, Parsed};

const NAME: &str = "Stratum (app database)";

/// A SQLite file with Stratum's `authenticatorcategory` table.
pub fn sniff(input: &Input<'_>) -> bool {
    sqlite_bytes::sniff(input.bytes, &[b"authenticatorcategory"])
}

/// Reads the `authenticator` table.
pub fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    // Stratum's database is in WAL mode (header bytes 18/19 = 2), which an in-memory copy cannot
    // open; without its -wal file the main file is a complete rollback-mode database.
    let mut bytes = input.bytes.to_vec();
    if bytes.len() > 19 && bytes[18] == 2 && bytes[19] == 2 {
        bytes[18] = 1;
        bytes[19] = 1;
    }
    let conn = sqlite_bytes::open(&bytes, NAME)?;
    let cols = sqlite_bytes::table_columns(&conn, "authenticator", NAME)?
        .ok_or_else(|| common::malformed(NAME, "no authenticator table"))?;
    for needed in [
        "type",
        "issuer",
        "username",
        "secret",
        "algorithm",
        "digits",
        "period",
        "counter",
    ] {
        if !cols.iter().any(|c| c.eq_ignore_ascii_case(needed)) {
            return Err(common::malformed(NAME, format!("no {needed} column")));
        }
    }
    let has_categories = sqlite_bytes::table_columns(&conn, "category", NAME)?.is_some()
        && sqlite_bytes::table_columns(&conn, "authenticatorcategory", NAME)?.is_some();
    let fail = sqlite_bytes::unreadable(NAME);
    let sql = format!(
        "SELECT type, issuer, username, secret, algorithm, digits, period, counter FROM authenticator \
         ORDER BY ranking, rowid LIMIT {}",
        common::MAX_ENTRIES + 1
    );
    let mut stmt = conn.prepare(&sql).map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut out = Collector::new(NAME);
    let mut i = 0;
    while let Some(r) = rows.next().map_err(fail)? {
        i += 1;
        out.check_count(i)?;
        let (issuer, username, secret) = (
            sqlite_bytes::text(r, 1),
            sqlite_bytes::text(r, 2),
            sqlite_bytes::text(r, 3),
        );
        let f = Fields {
            kind: sqlite_bytes::int(r, 0).unwrap_or(2),
            issuer: &issuer,
            username: &username,
            secret: &secret,
            algorithm: sqlite_bytes::int(r, 4).unwrap_or(0),
            digits: sqlite_bytes::int(r, 5).unwrap_or(6),
            period: sqlite_bytes::int(r, 6).unwrap_or(30),
            counter: sqlite_bytes::int(r, 7).unwrap_or(0),
        };
        let mut result = stratum::account(&f);
        if let (Ok(a), true) = (&mut result, has_categories) {
            let mut q = conn
                .prepare(
                    "SELECT c.name FROM authenticatorcategory ac JOIN category c ON c.id = ac.categoryId \
                     WHERE ac.authenticatorSecret = ?1 ORDER BY ac.ranking LIMIT 64",
                )
                .map_err(fail)?;
            let names = q
                .query_map([&secret], |row| row.get::<_, Option<String>>(0))
                .map_err(fail)?;
            for n in names.flatten().flatten() {
                if !n.trim().is_empty() && !a.groups.contains(&n) {
                    a.groups.push(n);
                }
            }
        }
        out.push(common::label(&issuer, &username, i - 1), result);
    }
    Ok(out.finish())
}
