//! Tessera's own backup file: lossless, versioned, encrypted with a password.
//!
//! The file is UTF-8 JSON:
//!
//! ```json
//! { "format": "tessera-backup",
//!   "version": 1,
//!   "encryption": { "kdf": "argon2id", "argon2_version": 19,
//!                   "m_cost_kib": 65536, "t_cost": 3, "p_cost": 1, "salt": "<base64, 16 B>",
//!                   "cipher": "aes-256-gcm", "nonce": "<base64, 12 B>" },
//!   "payload": "<base64 of ciphertext ‖ 16-byte tag>" }
//! ```
//!
//! The key is Argon2id(password UTF-8, salt, m, t, p) → 32 bytes; the cipher is AES-256-GCM
//! with the header's parameters as associated data ([`header_aad`]), so changing any of them
//! makes the file fail to open instead of silently weakening it. A plain backup (`--plain`)
//! has `"encryption": null` and the payload object in clear. The payload is described in
//! [`payload`]; it carries every field of [`Account`], HOTP counters included.
//!
//! Reading is bounded: key-derivation parameters above [`KdfParams::MAX`] are refused before any
//! memory is allocated, and every entry that cannot be read becomes a [`Skipped`] with a reason.

pub mod payload;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::{ExportError, Exported, aead, random_bytes};
use crate::account::Account;
use crate::import::Skipped;

/// The `"format"` value of every Tessera backup.
pub const FORMAT: &str = "tessera-backup";
/// The newest backup format version this build writes and reads.
pub const VERSION: u64 = 1;
/// Salt length written, in bytes (reading accepts 16–64).
pub const SALT_LEN: usize = 16;

/// Argon2id cost parameters, stored in the backup's header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over memory.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// What new backups use: 64 MiB, 3 passes, 1 lane (about a second on a phone; OWASP's
    /// Argon2id guidance is at least 19 MiB with 2 passes).
    pub const DEFAULT: KdfParams = KdfParams {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 1,
    };

    /// The most a backup may ask for when it is opened: 256 MiB, 16 passes, 8 lanes. A file
    /// asking for more is refused rather than allowed to exhaust memory or time.
    pub const MAX: KdfParams = KdfParams {
        m_cost_kib: 256 * 1024,
        t_cost: 16,
        p_cost: 8,
    };

    /// Checks the parameters against Argon2's minimums and [`KdfParams::MAX`].
    pub fn check(&self) -> Result<argon2::Params, String> {
        let max = KdfParams::MAX;
        if self.m_cost_kib > max.m_cost_kib || self.t_cost > max.t_cost || self.p_cost > max.p_cost
        {
            return Err(format!(
                "m={} KiB, t={}, p={} exceeds the limit (m ≤ {} KiB, t ≤ {}, p ≤ {})",
                self.m_cost_kib, self.t_cost, self.p_cost, max.m_cost_kib, max.t_cost, max.p_cost
            ));
        }
        argon2::Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(32)).map_err(|e| {
            format!(
                "m={} KiB, t={}, p={}: {e}",
                self.m_cost_kib, self.t_cost, self.p_cost
            )
        })
    }

    /// Derives the 32-byte key from `password` and `salt`.
    fn derive(&self, password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, BackupError> {
        self.check().map_err(BackupError::KdfParams)?;
        crate::import::crypto::argon2id(
            password.as_bytes(),
            salt,
            self.m_cost_kib,
            self.t_cost,
            self.p_cost,
        )
        .map_err(|_| BackupError::Malformed("the key derivation failed".into()))
    }
}

/// Why a backup could not be opened. Messages never contain secrets.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The bytes are not a Tessera backup at all.
    #[error("not a Tessera backup")]
    NotABackup,
    /// A backup from a newer Tessera.
    #[error("backup format version {0} is newer than this Tessera understands (up to {VERSION})")]
    UnsupportedVersion(u64),
    /// A backup that is truncated or damaged.
    #[error("malformed Tessera backup: {0}")]
    Malformed(String),
    /// Key-derivation parameters out of range.
    #[error("refusing the backup's key-derivation parameters: {0}")]
    KdfParams(String),
    /// Encrypted, and no password was given.
    #[error("this backup is encrypted: a password is needed")]
    PasswordRequired,
    /// The password does not open it, or the file was modified.
    #[error("wrong password, or the backup has been modified")]
    WrongPassword,
}

/// The encryption part of a backup header.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Argon2id parameters.
    pub kdf: KdfParams,
    /// The Argon2 salt.
    pub salt: Vec<u8>,
    /// The AES-GCM nonce.
    pub nonce: [u8; aead::NONCE_LEN],
    /// Ciphertext followed by the 16-byte tag.
    pub ciphertext: Vec<u8>,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed")
            .field("kdf", &self.kdf)
            .field("ciphertext_len", &self.ciphertext.len())
            .finish_non_exhaustive()
    }
}

/// A parsed backup file whose payload is not yet decrypted.
pub enum Envelope {
    /// A plain backup; the payload JSON is in clear.
    Plain(Zeroizing<Vec<u8>>),
    /// An encrypted backup.
    Encrypted(Sealed),
}

/// What a backup holds.
#[derive(Debug, Default)]
pub struct Contents {
    /// The accounts, in file order.
    pub accounts: Vec<Account>,
    /// Entries that could not be read, with the reason.
    pub skipped: Vec<Skipped>,
    /// Whether the file was encrypted.
    pub encrypted: bool,
}

/// A cheap check used for format detection: JSON whose first bytes name the backup format.
pub fn looks_like_backup(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('{') && t.contains("\"format\"") && t.contains(FORMAT)
}

/// The associated data binding every header parameter to the ciphertext.
pub fn header_aad(kdf: &KdfParams, salt: &[u8], nonce: &[u8]) -> Vec<u8> {
    let b64 = data_encoding::BASE64;
    format!(
        "{FORMAT}\0v{VERSION}\0argon2id\0v19\0m={}\0t={}\0p={}\0salt={}\0aes-256-gcm\0nonce={}",
        kdf.m_cost_kib,
        kdf.t_cost,
        kdf.p_cost,
        b64.encode(salt),
        b64.encode(nonce)
    )
    .into_bytes()
}

/// Writes a backup of `accounts`: encrypted with `(password, params)`, or plain when `None`.
pub fn write(
    accounts: &[Account],
    password: Option<(&str, KdfParams)>,
) -> Result<Exported, ExportError> {
    let payload = payload::encode(accounts)?;
    let mut doc = Map::new();
    doc.insert("format".into(), Value::from(FORMAT));
    doc.insert("version".into(), Value::from(VERSION));
    let Some((password, kdf)) = password else {
        // The plain payload goes in as an object; the document is then written by hand so the
        // secrets never sit in a `serde_json::Value` (which does not zeroize).
        let mut out = Zeroizing::new(Vec::with_capacity(payload.len() + 128));
        out.extend_from_slice(
            format!("{{\n  \"format\": \"{FORMAT}\",\n  \"version\": {VERSION},\n  \"encryption\": null,\n  \"payload\": ").as_bytes(),
        );
        out.extend_from_slice(&payload);
        out.extend_from_slice(b"\n}\n");
        return Ok(Exported {
            bytes: out,
            warnings: Vec::new(),
        });
    };
    if password.is_empty() {
        return Err(ExportError::KdfParams("the password is empty".into()));
    }
    kdf.check().map_err(ExportError::KdfParams)?;
    let salt = random_bytes::<SALT_LEN>()?;
    let nonce = random_bytes::<{ aead::NONCE_LEN }>()?;
    let key = kdf
        .derive(password, &salt)
        .map_err(|_| ExportError::Crypto)?;
    let aad = header_aad(&kdf, &salt, &nonce);
    let (mut ct, tag) = aead::seal(&key, nonce, &aad, &payload).ok_or(ExportError::Crypto)?;
    ct.extend_from_slice(&tag);
    let b64 = data_encoding::BASE64;
    let mut enc = Map::new();
    enc.insert("kdf".into(), Value::from("argon2id"));
    enc.insert("argon2_version".into(), Value::from(19));
    enc.insert("m_cost_kib".into(), Value::from(kdf.m_cost_kib));
    enc.insert("t_cost".into(), Value::from(kdf.t_cost));
    enc.insert("p_cost".into(), Value::from(kdf.p_cost));
    enc.insert("salt".into(), Value::from(b64.encode(&salt)));
    enc.insert("cipher".into(), Value::from("aes-256-gcm"));
    enc.insert("nonce".into(), Value::from(b64.encode(&nonce)));
    doc.insert("encryption".into(), Value::Object(enc));
    doc.insert("payload".into(), Value::from(b64.encode(&ct)));
    let mut bytes = serde_json::to_vec_pretty(&Value::Object(doc))
        .map_err(|_| ExportError::Encode("could not serialize the backup".into()))?;
    bytes.push(b'\n');
    Ok(Exported {
        bytes: Zeroizing::new(bytes),
        warnings: Vec::new(),
    })
}

/// Parses and decrypts a backup (`password` is only needed when it is encrypted).
pub fn open(bytes: &[u8], password: Option<&str>) -> Result<Contents, BackupError> {
    parse(bytes)?.open(password)
}

fn malformed(detail: &str) -> BackupError {
    BackupError::Malformed(detail.to_string())
}

fn get_u32(obj: &Map<String, Value>, key: &str) -> Result<u32, BackupError> {
    obj.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| BackupError::Malformed(format!("missing or invalid \"{key}\"")))
}

fn get_b64(obj: &Map<String, Value>, key: &str) -> Result<Vec<u8>, BackupError> {
    obj.get(key)
        .and_then(Value::as_str)
        .and_then(|s| data_encoding::BASE64.decode(s.as_bytes()).ok())
        .ok_or_else(|| BackupError::Malformed(format!("missing or invalid \"{key}\"")))
}

/// Reads a backup's header without decrypting anything (cheap; no key derivation).
pub fn parse(bytes: &[u8]) -> Result<Envelope, BackupError> {
    if !looks_like_backup(bytes) {
        return Err(BackupError::NotABackup);
    }
    let mut doc: Value = serde_json::from_slice(bytes)
        .map_err(|_| malformed("not valid JSON (truncated or damaged?)"))?;
    let doc = doc.as_object_mut().ok_or(BackupError::NotABackup)?;
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(BackupError::NotABackup);
    }
    match doc.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(v) if v > VERSION => return Err(BackupError::UnsupportedVersion(v)),
        _ => return Err(malformed("missing or invalid \"version\"")),
    }
    let payload = doc
        .get_mut("payload")
        .map(Value::take)
        .ok_or_else(|| malformed("missing \"payload\""))?;
    match doc.get("encryption") {
        None => Err(malformed("missing \"encryption\"")),
        Some(Value::Null) => {
            if !payload.is_object() {
                return Err(malformed("the plain payload is not an object"));
            }
            // Back to bytes so the plain and encrypted paths decode the same way.
            let mut text = Zeroizing::new(Vec::new());
            serde_json::to_writer(&mut *text, &payload)
                .map_err(|_| malformed("unreadable payload"))?;
            payload::scrub(payload);
            Ok(Envelope::Plain(text))
        }
        Some(Value::Object(enc)) => {
            if enc.get("kdf").and_then(Value::as_str) != Some("argon2id")
                || enc.get("argon2_version").and_then(Value::as_u64) != Some(19)
                || enc.get("cipher").and_then(Value::as_str) != Some("aes-256-gcm")
            {
                return Err(malformed("unknown key derivation or cipher"));
            }
            let kdf = KdfParams {
                m_cost_kib: get_u32(enc, "m_cost_kib")?,
                t_cost: get_u32(enc, "t_cost")?,
                p_cost: get_u32(enc, "p_cost")?,
            };
            let salt = get_b64(enc, "salt")?;
            if !(16..=64).contains(&salt.len()) {
                return Err(malformed("the salt must be 16 to 64 bytes"));
            }
            let nonce: [u8; aead::NONCE_LEN] = get_b64(enc, "nonce")?
                .try_into()
                .map_err(|_| malformed("the nonce must be 12 bytes"))?;
            let ciphertext = payload
                .as_str()
                .and_then(|s| data_encoding::BASE64.decode(s.as_bytes()).ok())
                .ok_or_else(|| malformed("the payload is not Base64"))?;
            if ciphertext.len() < aead::TAG_LEN {
                return Err(malformed("the payload is too short"));
            }
            Ok(Envelope::Encrypted(Sealed {
                kdf,
                salt,
                nonce,
                ciphertext,
            }))
        }
        Some(_) => Err(malformed("invalid \"encryption\"")),
    }
}

impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Envelope::Plain(text) => write!(f, "Plain(<{} bytes>)", text.len()),
            Envelope::Encrypted(s) => f.debug_tuple("Encrypted").field(s).finish(),
        }
    }
}

impl Envelope {
    /// Whether a password is needed.
    pub fn is_encrypted(&self) -> bool {
        matches!(self, Envelope::Encrypted(_))
    }

    /// The key-derivation parameters of an encrypted backup.
    pub fn kdf(&self) -> Option<KdfParams> {
        match self {
            Envelope::Encrypted(s) => Some(s.kdf),
            Envelope::Plain(_) => None,
        }
    }

    /// Decrypts (when encrypted) and decodes the accounts.
    pub fn open(self, password: Option<&str>) -> Result<Contents, BackupError> {
        match self {
            Envelope::Plain(text) => {
                let mut c = payload::decode(&text)?;
                c.encrypted = false;
                Ok(c)
            }
            Envelope::Encrypted(sealed) => {
                let password = password.ok_or(BackupError::PasswordRequired)?;
                sealed.kdf.check().map_err(BackupError::KdfParams)?;
                let key = sealed.kdf.derive(password, &sealed.salt)?;
                let text = sealed.open_with_key(&key)?;
                let mut c = payload::decode(&text)?;
                c.encrypted = true;
                Ok(c)
            }
        }
    }
}

impl Sealed {
    /// Decrypts with an already derived key (the fuzz target uses this to skip Argon2).
    pub fn open_with_key(&self, key: &[u8; 32]) -> Result<Zeroizing<Vec<u8>>, BackupError> {
        let split = self
            .ciphertext
            .len()
            .checked_sub(aead::TAG_LEN)
            .ok_or_else(|| malformed("the payload is too short"))?;
        let (ct, tag) = self.ciphertext.split_at(split);
        let tag: [u8; aead::TAG_LEN] = tag
            .try_into()
            .map_err(|_| malformed("the payload is too short"))?;
        let aad = header_aad(&self.kdf, &self.salt, &self.nonce);
        aead::open(key, self.nonce, &aad, ct, tag).ok_or(BackupError::WrongPassword)
    }
}

#[cfg(test)]
mod tests;
