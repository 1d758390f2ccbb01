//! Google Authenticator's internal Android database (`databases/databases`, needs root to copy):
//! table `accounts(email, secret, counter, type, issuer, original_name)`, `type` 0 = TOTP,
//! 1 = HOTP. The app keeps no algorithm, digits or period: every account is SHA-1, 6 digits, 30 s.
//! `email` is often `Issuer:name`; the name is the part after the first `:`.

use super::common::{self, push_entry, strict_secret_from_base32, unchecked_account};
use super::sqlite_bytes;
use super::{Format, ImportError, Input, Parsed};
use crate::account::{OtpKind, OtpParams};

const NAME: &str = "Google Authenticator (app database)";

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "google-authenticator-db",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    sqlite_bytes::sniff(input.bytes, &[b"original_name", b"CREATE TABLE accounts"])
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let conn = sqlite_bytes::open(common::bounded(input, NAME)?, NAME)?;
    let cols = sqlite_bytes::required_columns(&conn, "accounts", &["email", "secret"], NAME)?;
    let has = |c: &str| cols.iter().any(|x| x.eq_ignore_ascii_case(c));
    let col = |c: &'static str| if has(c) { c } else { "NULL" };
    let sql = format!(
        "SELECT email, secret, {}, {}, {} FROM accounts ORDER BY rowid LIMIT {}",
        col("counter"),
        col("type"),
        col("issuer"),
        common::MAX_ENTRIES + 1
    );
    let fail = sqlite_bytes::unreadable(NAME);
    let mut stmt = conn.prepare(&sql).map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut parsed = Parsed::default();
    while let Some(r) = rows.next().map_err(fail)? {
        let email = sqlite_bytes::text(r, 0);
        let entry = (|| {
            let secret = strict_secret_from_base32(&sqlite_bytes::text(r, 1))?;
            let (prefix, name) = match email.split_once(':') {
                Some((p, n)) => (p.trim(), n.trim()),
                None => ("", email.trim()),
            };
            let issuer_col = sqlite_bytes::text(r, 4);
            let issuer = if issuer_col.trim().is_empty() {
                prefix
            } else {
                issuer_col.trim()
            };
            let kind = match sqlite_bytes::int(r, 3).unwrap_or(0) {
                0 => OtpKind::Totp { period: 30 },
                1 => OtpKind::Hotp {
                    counter: common::counter_or_zero(sqlite_bytes::int(r, 2))?,
                },
                _ => return Err("unknown account type".to_string()),
            };
            let params = OtpParams {
                kind,
                ..OtpParams::default()
            };
            unchecked_account(issuer, name, secret, params)
        })();
        push_entry(&mut parsed, &email, entry);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{check_file, input};

    #[test]
    fn corpus_file() {
        check_file(&FORMAT, "google-authenticator/google_authenticator.sqlite");
    }

    #[test]
    fn hostile_rows_are_skipped() {
        let bytes = sqlite_bytes::database_for_tests(
            "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT, secret TEXT, counter INTEGER, type INTEGER, issuer TEXT, original_name TEXT);
                 INSERT INTO accounts (email, secret, counter, type) VALUES
                   ('a', '0189', 0, 0), ('b', 'JBSWY3DPEHPK3PXP', -1, 1),
                   ('c', 'JBSWY3DPEHPK3PXP', 0, 7), ('X:d', 'JBSWY3DPEHPK3PXP', NULL, 0);",
        );
        let p = parse(&input(&bytes), None).unwrap();
        assert_eq!(p.skipped.len(), 3, "{:?}", p.skipped);
        assert_eq!(
            (p.accounts[0].issuer.as_str(), p.accounts[0].name.as_str()),
            ("X", "d")
        );
        // Truncated to its first page: the accounts table's rows are gone, so an error.
        assert!(parse(&input(&bytes[..4096.min(bytes.len() - 1)]), None).is_err());
    }
}
