//! The backup's payload: every account with every field, as JSON.
//!
//! ```json
//! { "accounts": [
//!     { "issuer": "Deno", "name": "Mason", "secret": "<Base32, no padding>",
//!       "type": "totp" | "hotp" | "steam", "algorithm": "SHA1" | "SHA256" | "SHA512",
//!       "digits": 6, "period": 30,            // totp and steam
//!       "counter": 10300,                     // hotp: the value the next code uses
//!       "meta": { "image": "…" }, "groups": ["Work"], "note": "…", "favorite": true } ] }
//! ```
//!
//! Decoding takes what it can: an entry that cannot be read becomes a [`Skipped`] with a reason
//! (never the secret), the others are returned. Secrets are zeroized as soon as they are read.

use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use zeroize::{Zeroize, Zeroizing};

use super::{BackupError, Contents};
use crate::account::{Account, Algorithm, OtpKind, OtpParams, Secret};
use crate::export::{ExportError, json_estimate, to_json_zeroizing};
use crate::import::Skipped;

#[derive(Serialize)]
struct Payload<'a> {
    accounts: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    issuer: &'a str,
    name: &'a str,
    secret: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    algorithm: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    meta: &'a BTreeMap<String, String>,
    groups: &'a [String],
    note: &'a str,
    favorite: bool,
}

/// The payload JSON of `accounts`, in a zeroizing buffer.
pub fn encode(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let secrets: Vec<Zeroizing<String>> = accounts
        .iter()
        .map(|a| Zeroizing::new(a.secret.to_base32()))
        .collect();
    let entries = accounts
        .iter()
        .zip(&secrets)
        .map(|(a, s)| Entry {
            issuer: &a.issuer,
            name: &a.name,
            secret: s,
            kind: a.params.kind.type_name(),
            algorithm: a.params.algorithm.as_str(),
            digits: a.params.digits,
            period: a.params.kind.period(),
            counter: a.params.kind.counter(),
            meta: &a.meta,
            groups: &a.groups,
            note: &a.note,
            favorite: a.favorite,
        })
        .collect();
    to_json_zeroizing(&Payload { accounts: entries }, json_estimate(accounts))
}

/// Reads the accounts of a payload; unreadable entries are skipped with a reason.
pub fn decode(text: &[u8]) -> Result<Contents, BackupError> {
    let mut doc: Value = serde_json::from_slice(text)
        .map_err(|_| BackupError::Malformed("the payload is not valid JSON".into()))?;
    let list = doc
        .get_mut("accounts")
        .and_then(Value::as_array_mut)
        .map(std::mem::take)
        .ok_or_else(|| BackupError::Malformed("the payload has no account list".into()))?;
    scrub(doc);
    let mut out = Contents::default();
    for (i, entry) in list.into_iter().enumerate() {
        let label = entry_label(&entry, i);
        match decode_entry(entry) {
            Ok(a) => out.accounts.push(a),
            Err(reason) => out.skipped.push(Skipped {
                label,
                reason: reason.to_string(),
            }),
        }
    }
    Ok(out)
}

/// Zeroizes every string in a JSON value (secrets included) before dropping it.
pub fn scrub(mut v: Value) {
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) => s.zeroize(),
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::Object(o) => o.values_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
}

fn entry_label(entry: &Value, i: usize) -> String {
    let get = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("");
    let probe = Account::totp(get("issuer"), get("name"), Secret::new(Vec::new()));
    let label = probe.label();
    if label.is_empty() {
        format!("entry {}", i + 1)
    } else {
        label
    }
}

fn decode_entry(mut entry: Value) -> Result<Account, String> {
    let secret = match entry.get_mut("secret") {
        Some(Value::String(s)) => Zeroizing::new(std::mem::take(s)),
        _ => {
            scrub(entry);
            return Err("missing secret".into());
        }
    };
    let result = match entry {
        Value::Object(ref obj) => decode_fields(obj, &secret),
        _ => Err("not an object".into()),
    };
    scrub(entry);
    result
}

fn string(obj: &Map<String, Value>, key: &str) -> Result<String, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("\"{key}\" is not a string")),
    }
}

fn number(obj: &Map<String, Value>, key: &str) -> Result<u64, String> {
    obj.get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("missing or invalid \"{key}\""))
}

fn decode_fields(obj: &Map<String, Value>, secret: &str) -> Result<Account, String> {
    let secret = Secret::from_base32(secret).map_err(|e| e.to_string())?;
    let algorithm: Algorithm = obj
        .get("algorithm")
        .and_then(Value::as_str)
        .ok_or("missing algorithm")?
        .parse()
        .map_err(|_| "unsupported algorithm".to_string())?;
    let digits = u8::try_from(number(obj, "digits")?).map_err(|_| "digits out of range")?;
    let period = || {
        number(obj, "period")
            .and_then(|p| u32::try_from(p).map_err(|_| "period out of range".to_string()))
    };
    let kind = match obj.get("type").and_then(Value::as_str) {
        Some("totp") => OtpKind::Totp { period: period()? },
        Some("steam") => OtpKind::Steam { period: period()? },
        Some("hotp") => OtpKind::Hotp {
            counter: number(obj, "counter")?,
        },
        Some(_) => return Err("unknown OTP type".into()),
        None => return Err("missing type".into()),
    };
    let meta = match obj.get("meta") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(format!("meta \"{k}\" is not a string")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("\"meta\" is not an object".into()),
    };
    let groups = match obj.get("groups") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(g)) => g
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or("a group is not a string")
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("\"groups\" is not a list".into()),
    };
    let favorite = match obj.get("favorite") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("\"favorite\" is not true or false".into()),
    };
    let account = Account {
        issuer: string(obj, "issuer")?,
        name: string(obj, "name")?,
        secret,
        params: OtpParams {
            kind,
            algorithm,
            digits,
        },
        meta,
        groups,
        note: string(obj, "note")?,
        favorite,
    };
    account.validate().map_err(|e| e.to_string())?;
    Ok(account)
}
