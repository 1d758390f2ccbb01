//! Bitwarden exports: the password manager's unencrypted JSON and CSV, and Bitwarden
//! Authenticator's JSON and CSV (same shapes).
//!
//! JSON: `{"encrypted": false, "items": [{name, favorite, notes, login: {totp, username}}]}`.
//! CSV: a header naming `login_totp` (and usually `name`, `login_username`, `favorite`, `notes`).
//! `login.totp` holds an `otpauth://` URI, `steam://SECRET`, or a bare Base32 secret (then the
//! item name is the issuer and the username the account name, TOTP SHA1/6/30). Logins without a
//! TOTP secret are not authenticator entries; they are counted in a warning.
//! Password-protected Bitwarden exports (`"encrypted": true`) are not supported.

use serde_json::Value;

use super::common::{self, Collector, str_of};
use super::{ImportError, Input, Parsed};
use crate::account::{Account, OtpKind};

const NAME: &str = "Bitwarden";
/// Longest CSV field accepted (notes can be long; secrets and URIs are short).
const MAX_CSV_FIELD: usize = 256 * 1024;

/// JSON with an `items` list and an `encrypted` flag, or CSV whose header has `login_totp`.
pub fn sniff(input: &Input<'_>) -> bool {
    if let Some(v) = common::sniff_json(input) {
        return v.get("items").is_some_and(Value::is_array) && v.get("encrypted").is_some();
    }
    common::is_text(input)
        && common::text(input)
            .and_then(|t| t.lines().next())
            .is_some_and(|h| h.split(',').any(|c| c.trim() == "login_totp"))
}

/// Parses a Bitwarden JSON or CSV export.
pub fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    let t = common::text(input).ok_or_else(|| common::malformed(NAME, "not UTF-8 text"))?;
    if t.trim_start().starts_with('{') {
        parse_json(input)
    } else {
        parse_csv(t)
    }
}

/// One item's fields, from JSON or CSV.
struct Item<'a> {
    name: &'a str,
    username: &'a str,
    totp: &'a str,
    notes: &'a str,
    favorite: bool,
}

fn parse_json(input: &Input<'_>) -> Result<Parsed, ImportError> {
    let v = common::parse_json(input, NAME)?;
    if v.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Err(ImportError::Unsupported {
            format: NAME,
            detail: "password-protected Bitwarden exports; export unencrypted JSON or CSV".into(),
        });
    }
    let items = v
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| common::malformed(NAME, "no items list"))?;
    let mut out = Collector::new(NAME);
    out.check_count(items.len())?;
    let mut without = 0;
    for (i, it) in items.iter().enumerate() {
        let login = it.get("login").unwrap_or(&Value::Null);
        let item = Item {
            name: str_of(it, "name").unwrap_or_default(),
            username: str_of(login, "username").unwrap_or_default(),
            totp: str_of(login, "totp").unwrap_or_default(),
            notes: str_of(it, "notes").unwrap_or_default(),
            favorite: common::bool_of(it, "favorite"),
        };
        if !add(&mut out, &item, i) {
            without += 1;
        }
    }
    warn_without(&mut out, without);
    Ok(out.finish())
}

fn parse_csv(t: &str) -> Result<Parsed, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(t.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|_| common::malformed(NAME, "unreadable CSV header"))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let totp = col("login_totp").ok_or_else(|| common::malformed(NAME, "no login_totp column"))?;
    let (name, user, notes, fav) = (
        col("name"),
        col("login_username"),
        col("notes"),
        col("favorite"),
    );
    let mut out = Collector::new(NAME);
    let mut without = 0;
    for (i, rec) in rdr.records().enumerate() {
        out.check_count(i + 1)?;
        let rec = rec.map_err(|_| common::malformed(NAME, format!("bad CSV record {}", i + 1)))?;
        if rec.iter().any(|f| f.len() > MAX_CSV_FIELD) {
            return Err(common::malformed(
                NAME,
                format!("CSV record {} too large", i + 1),
            ));
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or_default();
        let item = Item {
            name: get(name),
            username: get(user),
            totp: get(Some(totp)),
            notes: get(notes),
            favorite: matches!(get(fav).trim(), "1" | "true"),
        };
        if !add(&mut out, &item, i) {
            without += 1;
        }
    }
    warn_without(&mut out, without);
    Ok(out.finish())
}

fn warn_without(out: &mut Collector, n: usize) {
    if n > 0 {
        out.warn(format!(
            "{n} item(s) without a TOTP secret were not imported (they are not authenticator entries)"
        ));
    }
}

/// Adds one item; false when it has no TOTP at all.
fn add(out: &mut Collector, item: &Item<'_>, i: usize) -> bool {
    let totp = item.totp.trim();
    if totp.is_empty() {
        return false;
    }
    out.push(
        common::label(item.name, item.username, i),
        account(item, totp),
    );
    true
}

fn account(item: &Item<'_>, totp: &str) -> Result<Account, String> {
    let lower = totp
        .get(..10)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut a = if lower.starts_with("otpauth://") || lower.starts_with("steam://") {
        let mut a = common::uri_account(totp)?;
        if matches!(a.params.kind, OtpKind::Steam { .. }) && a.name.is_empty() {
            a.name = item.name.trim().to_owned();
        }
        if a.issuer.is_empty() {
            a.issuer = item.name.trim().to_owned();
        }
        a
    } else {
        let secret = common::secret_from_base32(totp)?;
        let a = Account::totp(item.name.trim(), item.username.trim(), secret);
        a.validate().map_err(|e| e.to_string())?;
        a
    };
    a.favorite = item.favorite;
    if a.note.is_empty() {
        a.note = item.notes.trim().to_owned();
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn json_kinds_of_totp() {
        let t = r#"{"encrypted":false,"items":[
          {"name":"Site","favorite":true,"login":{"username":"me","totp":"JBSWY3DPEHPK3PXP"}},
          {"name":"Game","login":{"totp":"steam://JBSWY3DPEHPK3PXP"}},
          {"name":"U","login":{"totp":"otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X"}},
          {"name":"NoTotp","login":{"username":"a"}},
          {"name":"Bad","login":{"totp":"Secret1One"}}]}"#;
        assert!(sniff(&input(t)));
        let p = parse(&input(t), None).unwrap();
        assert_eq!(p.accounts.len(), 3);
        assert_eq!(p.accounts[0].issuer, "Site");
        assert!(p.accounts[0].favorite);
        assert_eq!(p.accounts[1].issuer, "Steam");
        assert_eq!(p.accounts[1].name, "Game");
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.warnings.len(), 1);
        let enc = r#"{"encrypted":true,"items":[]}"#;
        assert!(matches!(
            parse(&input(enc), None),
            Err(ImportError::Unsupported { .. })
        ));
    }

    #[test]
    fn csv_with_blank_lines_and_ragged_rows() {
        let t = "folder,favorite,type,name,notes,login_username,login_totp\n\n,1,login,A,note,me,JBSWY3DPEHPK3PXP\n\n,,login,B\n,,login,C,,,\"otpauth://totp/C?secret=JBSWY3DP\"\n";
        assert!(sniff(&input(t)));
        let p = parse(&input(t), None).unwrap();
        assert_eq!(p.accounts.len(), 2);
        assert_eq!(p.accounts[0].note, "note");
        assert!(p.accounts[0].favorite);
        assert_eq!(p.accounts[1].issuer, "C");
    }

    #[test]
    fn unterminated_quote_imports_nothing() {
        // The quoted field runs to the end of the file: one record without a TOTP column.
        let t = "name,login_totp\n\"unterminated,JBSWY3DP\n";
        let p = parse(&input(t), None).unwrap();
        assert!(p.accounts.is_empty() && p.skipped.is_empty());
        assert_eq!(p.warnings.len(), 1);
    }
}
