//! Aegis vault files (Aegis `docs/vault.md`), plain or encrypted, so Aegis users can go back.
//!
//! The file is `{"version": 1, "header": {"slots", "params"}, "db": …}`. `db` is the content,
//! version 3: `{"version": 3, "entries": […], "groups": [{"uuid", "name"}],
//! "icons_optimized": true}`, each entry `{type, uuid, name, issuer, note, favorite, icon,
//! icon_mime, icon_hash, info: {secret, algo, digits, period | counter}, groups: [uuid]}`.
//!
//! Encrypted: a random 256-bit master key encrypts the compact JSON of `db` with AES-256-GCM
//! (random 96-bit nonce, no associated data; `db` = Base64 of the ciphertext, the tag in
//! `header.params.tag`). One password slot (type 1) wraps the master key with AES-256-GCM under
//! scrypt(password, 32-byte salt, N, r, p) → 32 bytes; nonces, tags, key and salt are hex.
//!
//! Aegis cannot carry Tessera's `meta` (URI extras such as `image`); each export says which
//! accounts lose it. HOTP counters above 2^63 − 1 (Aegis stores a Java `long`) are refused.

use std::collections::BTreeMap;

use serde::Serialize;
use zeroize::Zeroizing;

use super::{
    ExportError, Exported, Losses, aead, json_estimate, random_bytes, random_uuid,
    to_json_zeroizing,
};
use crate::account::{Account, OtpKind};

/// scrypt parameters of the password slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScryptParams {
    /// log₂ N.
    pub log_n: u8,
    /// Block size.
    pub r: u32,
    /// Parallelism.
    pub p: u32,
}

impl ScryptParams {
    /// What Aegis itself writes: N = 2^15, r = 8, p = 1 (32 MiB).
    pub const AEGIS_DEFAULT: ScryptParams = ScryptParams {
        log_n: 15,
        r: 8,
        p: 1,
    };

    fn check(&self) -> Result<scrypt::Params, ExportError> {
        if !(1..=20).contains(&self.log_n)
            || !(1..=32).contains(&self.r)
            || !(1..=16).contains(&self.p)
        {
            return Err(ExportError::KdfParams(format!(
                "scrypt log2(N)={}, r={}, p={} out of range",
                self.log_n, self.r, self.p
            )));
        }
        scrypt::Params::new(self.log_n, self.r, self.p, 32)
            .map_err(|_| ExportError::KdfParams("invalid scrypt parameters".into()))
    }
}

#[derive(Serialize)]
struct Db<'a> {
    version: u32,
    entries: Vec<Entry<'a>>,
    groups: Vec<Group<'a>>,
    icons_optimized: bool,
}

#[derive(Serialize)]
struct Group<'a> {
    uuid: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'a str,
    favorite: bool,
    icon: Option<()>,
    icon_mime: Option<()>,
    icon_hash: Option<()>,
    info: Info<'a>,
    groups: Vec<&'a str>,
}

#[derive(Serialize)]
struct Info<'a> {
    secret: &'a str,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

#[derive(Serialize)]
struct File<'a, D: Serialize> {
    version: u32,
    header: Header,
    db: &'a D,
}

#[derive(Serialize, Default)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<KeyParams>,
}

#[derive(Serialize)]
struct KeyParams {
    nonce: String,
    tag: String,
}

#[derive(Serialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u8,
    uuid: String,
    key: String,
    key_params: KeyParams,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

/// Writes an Aegis vault: encrypted with `(password, scrypt parameters)`, or plain.
pub fn write(
    accounts: &[Account],
    password: Option<(&str, ScryptParams)>,
) -> Result<Exported, ExportError> {
    let mut losses = Losses::new();
    let secrets: Vec<Zeroizing<String>> = accounts
        .iter()
        .map(|a| Zeroizing::new(a.secret.to_base32()))
        .collect();

    // One uuid per distinct group name, in order of first use.
    let mut group_ids: BTreeMap<&str, String> = BTreeMap::new();
    let mut groups: Vec<(&str, String)> = Vec::new();
    for g in accounts.iter().flat_map(|a| &a.groups) {
        if !group_ids.contains_key(g.as_str()) {
            let id = random_uuid()?;
            group_ids.insert(g, id.clone());
            groups.push((g, id));
        }
    }

    let mut entries = Vec::with_capacity(accounts.len());
    for (a, secret) in accounts.iter().zip(&secrets) {
        if let OtpKind::Hotp { counter } = a.params.kind
            && i64::try_from(counter).is_err()
        {
            return Err(ExportError::Unrepresentable {
                label: a.label(),
                reason: "Aegis cannot store an HOTP counter above 2^63 - 1".into(),
            });
        }
        if !a.meta.is_empty() {
            let keys: Vec<&str> = a.meta.keys().map(String::as_str).collect();
            losses.add(
                format!("extra URI fields ({})", keys.join(", ")),
                &a.label(),
            );
        }
        let mut account_groups: Vec<&str> = Vec::new();
        for g in &a.groups {
            let id = group_ids[g.as_str()].as_str();
            if !account_groups.contains(&id) {
                account_groups.push(id);
            }
        }
        entries.push(Entry {
            kind: a.params.kind.type_name(),
            uuid: random_uuid()?,
            name: &a.name,
            issuer: &a.issuer,
            note: &a.note,
            favorite: a.favorite,
            icon: None,
            icon_mime: None,
            icon_hash: None,
            info: Info {
                secret,
                algo: a.params.algorithm.as_str(),
                digits: a.params.digits,
                period: a.params.kind.period(),
                counter: a.params.kind.counter(),
            },
            groups: account_groups,
        });
    }
    let db = Db {
        version: 3,
        entries,
        groups: groups
            .iter()
            .map(|(name, uuid)| Group { uuid, name })
            .collect(),
        icons_optimized: true,
    };
    let warnings = losses.into_warnings("Aegis");
    let estimate = json_estimate(accounts) + 256 * groups.len();

    let Some((password, params)) = password else {
        let file = File {
            version: 1,
            header: Header::default(),
            db: &db,
        };
        let mut bytes = to_json_zeroizing(&file, estimate)?;
        bytes.push(b'\n');
        return Ok(Exported { bytes, warnings });
    };
    if password.is_empty() {
        return Err(ExportError::KdfParams("the password is empty".into()));
    }
    let scrypt_params = params.check()?;

    let plaintext = to_json_zeroizing(&db, estimate)?;
    drop(db);
    let master = Zeroizing::new(random_bytes::<32>()?);
    let db_nonce = random_bytes::<{ aead::NONCE_LEN }>()?;
    let (db_ct, db_tag) =
        aead::seal(&master, db_nonce, &[], &plaintext).ok_or(ExportError::Crypto)?;

    let salt = random_bytes::<32>()?;
    let mut kek = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &scrypt_params, &mut *kek)
        .map_err(|_| ExportError::Crypto)?;
    let key_nonce = random_bytes::<{ aead::NONCE_LEN }>()?;
    let (key_ct, key_tag) =
        aead::seal(&kek, key_nonce, &[], &*master).ok_or(ExportError::Crypto)?;

    let hex = data_encoding::HEXLOWER;
    let header = Header {
        slots: Some(vec![Slot {
            kind: 1,
            uuid: random_uuid()?,
            key: hex.encode(&key_ct),
            key_params: KeyParams {
                nonce: hex.encode(&key_nonce),
                tag: hex.encode(&key_tag),
            },
            n: 1u64 << params.log_n,
            r: params.r,
            p: params.p,
            salt: hex.encode(&salt),
            repaired: true,
            is_backup: false,
        }]),
        params: Some(KeyParams {
            nonce: hex.encode(&db_nonce),
            tag: hex.encode(&db_tag),
        }),
    };
    let db_b64 = data_encoding::BASE64.encode(&db_ct);
    let file = File {
        version: 1,
        header,
        db: &db_b64,
    };
    let mut bytes = to_json_zeroizing(&file, db_b64.len() + 1024)?;
    bytes.push(b'\n');
    Ok(Exported { bytes, warnings })
}

#[cfg(test)]
mod tests;
