//! Proton Pass exports (the password manager): an unencrypted ZIP holding `Proton Pass/data.json`
//! (or that JSON on its own): `{"vaults": {id: {"name", "items": [{"data": {"metadata":
//! {"name", "note"}, "type", "content": {"totpUri", "itemUsername", "itemEmail"}, "extraFields":
//! [{"type": "totp", "data": {"totpUri"}}]}, "pinned"}]}}}`.
//!
//! Each TOTP (main field or extra field) is one account: `totpUri` is an `otpauth://` URI or a
//! bare Base32 secret (then the item name is the issuer and the username the name). The vault
//! name becomes a group. Items without any TOTP are not authenticator entries (counted in a
//! warning). PGP-encrypted exports (`data.pgp`) are not supported.

use std::io::Read;

use serde_json::Value;

use super::common::{self, Collector, str_of};
use super::{ImportError, Input, Parsed};
use crate::account::Account;

const NAME: &str = "Proton Pass";
const DATA_JSON: &str = "Proton Pass/data.json";
/// Most ZIP members looked at, and the largest `data.json` inflated.
const MAX_MEMBERS: usize = 10_000;

/// A ZIP whose directory names `Proton Pass/data.json` (or `.pgp`), or the JSON itself.
pub fn sniff(input: &Input<'_>) -> bool {
    if input.bytes.starts_with(b"PK\x03\x04") {
        return contains(input.bytes, DATA_JSON.as_bytes())
            || contains(input.bytes, b"Proton Pass/data.pgp");
    }
    common::sniff_json(input)
        .is_some_and(|v| v.get("vaults").is_some_and(Value::is_object) && v.get("userId").is_some())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Parses a Proton Pass ZIP or `data.json`.
pub fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    let v: Value = if input.bytes.starts_with(b"PK") {
        let json = read_data_json(input.bytes)?;
        serde_json::from_slice(&json)
            .map_err(|_| common::malformed(NAME, "data.json is not JSON"))?
    } else {
        common::parse_json(input, NAME)?
    };
    items(&v)
}

fn read_data_json(bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| common::malformed(NAME, "not a readable ZIP file"))?;
    if zip.len() > MAX_MEMBERS {
        return Err(common::malformed(NAME, "too many files in the ZIP"));
    }
    if zip.index_for_name("Proton Pass/data.pgp").is_some() {
        return Err(ImportError::Unsupported {
            format: NAME,
            detail: "PGP-encrypted exports; export without encryption".into(),
        });
    }
    let idx = zip
        .index_for_name(DATA_JSON)
        .ok_or_else(|| common::malformed(NAME, "no Proton Pass/data.json in the ZIP"))?;
    let file = zip
        .by_index(idx)
        .map_err(|_| common::malformed(NAME, "data.json cannot be read (encrypted ZIP?)"))?;
    let limit = common::MAX_INPUT_BYTES as u64;
    let mut out = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|_| common::malformed(NAME, "data.json is damaged"))?;
    if out.len() as u64 > limit {
        return Err(common::malformed(
            NAME,
            "data.json inflates to more than 32 MiB",
        ));
    }
    Ok(out)
}

fn items(v: &Value) -> Result<Parsed, ImportError> {
    let vaults = v
        .get("vaults")
        .and_then(Value::as_object)
        .ok_or_else(|| common::malformed(NAME, "no vaults"))?;
    let mut out = Collector::new(NAME);
    let mut without = 0usize;
    for vault in vaults.values() {
        let vault_name = str_of(vault, "name").unwrap_or_default().trim();
        let items = vault.get("items").and_then(Value::as_array);
        for item in items.into_iter().flatten() {
            let data = item.get("data").unwrap_or(&Value::Null);
            let meta = data.get("metadata").unwrap_or(&Value::Null);
            let content = data.get("content").unwrap_or(&Value::Null);
            let name = str_of(meta, "name").unwrap_or_default();
            let username = str_of(content, "itemUsername")
                .filter(|u| !u.is_empty())
                .or_else(|| str_of(content, "itemEmail"))
                .unwrap_or_default();
            let mut uris: Vec<&str> = Vec::new();
            if let Some(u) = str_of(content, "totpUri").filter(|u| !u.trim().is_empty()) {
                uris.push(u);
            }
            for f in data
                .get("extraFields")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if str_of(f, "type") == Some("totp")
                    && let Some(u) = f
                        .get("data")
                        .and_then(|d| str_of(d, "totpUri"))
                        .filter(|u| !u.trim().is_empty())
                {
                    uris.push(u);
                }
            }
            if uris.is_empty() {
                without += 1;
                continue;
            }
            for uri in uris {
                out.check_count(out.len() + 1)?;
                let result = account(uri, name, username).map(|mut a| {
                    a.favorite = common::bool_of(item, "pinned");
                    if a.note.is_empty() {
                        a.note = str_of(meta, "note").unwrap_or_default().trim().to_owned();
                    }
                    if !vault_name.is_empty() {
                        a.groups.push(vault_name.to_owned());
                    }
                    a
                });
                out.push(common::label(name, username, out.len()), result);
            }
        }
    }
    if without > 0 {
        out.warn(format!(
            "{without} item(s) without a TOTP were not imported (they are not authenticator entries)"
        ));
    }
    Ok(out.finish())
}

fn account(uri: &str, item_name: &str, username: &str) -> Result<Account, String> {
    let t = uri.trim();
    let lower = t.get(..10).map(str::to_ascii_lowercase).unwrap_or_default();
    if lower.starts_with("otpauth://") || lower.starts_with("steam://") {
        let mut a = common::uri_account(t)?;
        if a.issuer.is_empty() {
            a.issuer = item_name.trim().to_owned();
        }
        Ok(a)
    } else {
        let secret = common::secret_from_base32(t)?;
        let a = Account::totp(item_name.trim(), username.trim(), secret);
        a.validate().map_err(|e| e.to_string())?;
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn json_items_fields_and_bad_totp() {
        let t = r#"{"userId":"u","vaults":{"v1":{"name":"Work","items":[
          {"data":{"metadata":{"name":"Site","note":"n"},"type":"login","content":{"totpUri":"JBSWY3DPEHPK3PXP","itemUsername":"me"},
           "extraFields":[{"type":"totp","data":{"totpUri":"otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X"}},
                          {"type":"totp","data":{"totpUri":"otpauth://totp/Bad"}}]},"pinned":true},
          {"data":{"metadata":{"name":"plain login"},"type":"login","content":{"totpUri":""}}}]}}}"#;
        let input = input(t.as_bytes());
        assert!(sniff(&input));
        let p = parse(&input, None).unwrap();
        assert_eq!(p.accounts.len(), 2);
        assert_eq!(p.accounts[0].issuer, "Site");
        assert_eq!(p.accounts[0].name, "me");
        assert_eq!(p.accounts[0].groups, vec!["Work".to_string()]);
        assert!(p.accounts[0].favorite);
        assert_eq!(p.accounts[1].issuer, "X");
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn broken_zip_is_an_error() {
        let mut b = b"PK\x03\x04".to_vec();
        b.extend(b"Proton Pass/data.json");
        b.extend([0u8; 64]);
        let input = input(&b);
        assert!(sniff(&input));
        assert!(matches!(
            parse(&input, None),
            Err(ImportError::Malformed { .. })
        ));
    }
}
