//! LastPass Authenticator exports (JSON, version 1 from iOS, 3 from Android):
//! `{version, accounts: [{issuerName, userName, originalIssuerName, originalUserName, secret,
//! timeStep, digits, algorithm, isFavorite, folderData: {folderId}}], folders: [{id, name}]}`.
//! The user-edited `issuerName`/`userName` win over the `original*` values. Folders 0 and 1 are
//! LastPass's built-in "Other accounts" and "Favorites"; other folders become groups.

use std::collections::HashMap;

use serde_json::Value;

use super::common::{self, Collector, int_of, str_of, string_of};
use super::{ImportError, Input, Parsed};
use crate::account::{Account, OtpKind};

const NAME: &str = "LastPass Authenticator";

/// A JSON object with an `accounts` list whose entries have `issuerName` or `timeStep`.
pub fn sniff(input: &Input<'_>) -> bool {
    common::sniff_json(input).is_some_and(|v| {
        v.get("accounts")
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.first()
                    .is_some_and(|e| e.get("issuerName").is_some() || e.get("timeStep").is_some())
            })
    })
}

/// Parses a LastPass Authenticator export.
pub fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let v = common::parse_json(input, NAME)?;
    let accounts = v
        .get("accounts")
        .and_then(Value::as_array)
        .ok_or_else(|| common::malformed(NAME, "no accounts list"))?;
    let folders: HashMap<i64, &str> = v
        .get("folders")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .filter_map(|f| Some((int_of(f, "id")?, str_of(f, "name")?)))
                .filter(|(id, _)| *id > 1)
                .collect()
        })
        .unwrap_or_default();
    let mut out = Collector::new(NAME);
    out.push_entries(accounts, "issuerName", "userName", |e| account(e, &folders))?;
    Ok(out.finish())
}

fn account(e: &Value, folders: &HashMap<i64, &str>) -> Result<Account, String> {
    let secret = common::secret_from_base32(str_of(e, "secret").unwrap_or_default())?;
    let mut a = common::account(
        &string_of(e, "issuerName"),
        &string_of(e, "userName"),
        secret,
        OtpKind::Totp {
            period: common::period(int_of(e, "timeStep").unwrap_or(30))?,
        },
        common::algorithm(str_of(e, "algorithm").unwrap_or("SHA1"))?,
        common::digits(int_of(e, "digits").unwrap_or(6))?,
    )?;
    a.favorite = common::bool_of(e, "isFavorite");
    let folder = e.get("folderData").and_then(|f| int_of(f, "folderId"));
    if let Some(name) = folder.and_then(|id| folders.get(&id)) {
        a.groups.push((*name).to_owned());
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn accounts_folders_and_bad_entries() {
        let t = r#"{"version":3,"folders":[{"id":0,"name":"Other"},{"id":7,"name":"Work"}],"accounts":[
          {"issuerName":"I","userName":"u","secret":"JBSWY3DPEHPK3PXP","timeStep":60,"digits":8,"algorithm":"SHA256","isFavorite":true,"folderData":{"folderId":7}},
          {"issuerName":"Z","userName":"u","secret":"JBSWY3DPEHPK3PXP","timeStep":0,"digits":6,"algorithm":"SHA1"},
          {"issuerName":"B","userName":"u","secret":"Secret1One","timeStep":30,"digits":6,"algorithm":"SHA1"}]}"#;
        let input = input(t.as_bytes());
        assert!(sniff(&input));
        let p = parse(&input, None).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].groups, vec!["Work".to_string()]);
        assert!(p.accounts[0].favorite);
        assert_eq!(p.accounts[0].params.kind, OtpKind::Totp { period: 60 });
        assert_eq!(p.skipped.len(), 2);
    }
}
