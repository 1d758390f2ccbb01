//! Microsoft Authenticator's internal Android database (`databases/PhoneFactor`, needs root):
//! table `accounts(name, username, oath_secret_key, account_type, …)`. `account_type` 0 is a
//! third-party TOTP account (Base32 secret, SHA-1, 6 digits, 30 s); 1 is a personal Microsoft
//! account (Base64 secret, 8 digits). Other types (work or school accounts) keep their secret in a
//! form this importer cannot verify and are skipped with a reason. `name` is the issuer and
//! `username` the account name.

use super::common::{self, push_entry, unchecked_account};
use super::sqlite_bytes;
use super::{Format, ImportError, Input, Parsed};
use crate::account::{OtpKind, OtpParams};

const NAME: &str = "Microsoft Authenticator (app database)";

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "microsoft-authenticator-db",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    sqlite_bytes::sniff(input.bytes, &[b"oath_secret_key"])
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let conn = sqlite_bytes::open(common::bounded(input, NAME)?, NAME)?;
    sqlite_bytes::required_columns(
        &conn,
        "accounts",
        &["name", "username", "oath_secret_key", "account_type"],
        NAME,
    )?;
    let sql = format!(
        "SELECT name, username, oath_secret_key, account_type FROM accounts ORDER BY rowid LIMIT {}",
        common::MAX_ENTRIES + 1
    );
    let fail = sqlite_bytes::unreadable(NAME);
    let mut stmt = conn.prepare(&sql).map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut parsed = Parsed::default();
    while let Some(r) = rows.next().map_err(fail)? {
        let issuer = sqlite_bytes::text(r, 0);
        let name = sqlite_bytes::text(r, 1);
        let label = match (issuer.is_empty(), name.is_empty()) {
            (false, false) => format!("{issuer} ({name})"),
            (false, true) => issuer.clone(),
            _ => name.clone(),
        };
        let entry = (|| {
            let raw = sqlite_bytes::text(r, 2);
            let (secret, digits) = match sqlite_bytes::int(r, 3) {
                Some(0) => (common::strict_secret_from_base32(&raw)?, 6),
                Some(1) => (common::secret_from_base64(&raw)?, 8),
                _ => {
                    return Err(
                        "a work or school account: Microsoft Authenticator keeps no \
                                importable code secret for it; add Tessera as an authenticator \
                                app in the account's security settings"
                            .to_string(),
                    );
                }
            };
            let params = OtpParams {
                kind: OtpKind::Totp { period: 30 },
                digits,
                ..OtpParams::default()
            };
            unchecked_account(&issuer, &name, secret, params)
        })();
        push_entry(&mut parsed, &label, entry);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{check_file, input};

    #[test]
    fn corpus_file() {
        check_file(
            &FORMAT,
            "microsoft-authenticator/microsoft_authenticator.sqlite",
        );
    }

    #[test]
    fn other_account_types_are_skipped() {
        let bytes = sqlite_bytes::database_for_tests(
            "CREATE TABLE accounts (name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER);
                 INSERT INTO accounts VALUES ('Contoso', 'me', 'JBSWY3DPEHPK3PXP', 2),
                   ('Microsoft', 'me@live.com', 'SGVsbG8hIQ==', 1), ('Bad', 'x', 'not base32!', 0);",
        );
        let p = parse(&input(&bytes), None).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].params.digits, 8);
        assert_eq!(p.skipped.len(), 2);
        assert!(p.skipped[0].reason.contains("work or school"));
        assert!(!format!("{:?}", p.skipped).contains("JBSW"));
    }
}
