//! Key slots: each one wraps the same random vault key under a different unlocking secret, like
//! Aegis's slots. Kinds: a password (Argon2id, parameters stored in the slot), a recovery key
//! (256 random bits shown once, HKDF-SHA256) and a platform [`KeyProtector`].

use std::fmt;

use ring::hkdf;
use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use super::error::{Result, VaultError};
use super::kdf::KdfParams;
use super::protector::{KeyProtector, ProtectorError};
use super::seal::{KEY_LEN, SymmetricKey, ad, random_fill};
use super::{new_id, now_unix};

const SLOT_LABEL: &str = "tessera/slot/v1";
const KEY_CHECK_LABEL: &str = "tessera/key-check/v1";
const RECOVERY_INFO: &[u8] = b"tessera/recovery/v1";
const SALT_LEN: usize = 16;

/// What unlocks a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    /// A password through Argon2id.
    Password,
    /// The recovery key shown once at creation.
    Recovery,
    /// A platform key (Keystore / Keychain / key file).
    Protector,
}

impl SlotKind {
    /// `password`, `recovery` or `protector`.
    pub fn as_str(self) -> &'static str {
        match self {
            SlotKind::Password => "password",
            SlotKind::Recovery => "recovery",
            SlotKind::Protector => "protector",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "password" => Ok(SlotKind::Password),
            "recovery" => Ok(SlotKind::Recovery),
            "protector" => Ok(SlotKind::Protector),
            _ => Err(VaultError::Corrupted("unknown key slot kind".into())),
        }
    }
}

/// A key slot as listed (no key material).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    /// The slot's id.
    pub id: String,
    /// What unlocks it.
    pub kind: SlotKind,
    /// A label chosen when it was added (e.g. a device name).
    pub label: String,
    /// Argon2id parameters of a password slot.
    pub kdf: Option<KdfParams>,
    /// When it was added (Unix seconds).
    pub created_at: i64,
}

/// A recovery key: 256 random bits written as 13 groups of 4 Base32 characters. Shown to the user
/// once; `Debug` never shows it; zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryKey(Zeroizing<String>);

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(<redacted>)")
    }
}

impl RecoveryKey {
    fn generate() -> Result<(Self, Zeroizing<[u8; KEY_LEN]>)> {
        let mut raw = Zeroizing::new([0u8; KEY_LEN]);
        random_fill(&mut raw[..])?;
        let b32 = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&raw[..]));
        let mut text = Zeroizing::new(String::with_capacity(b32.len() + b32.len() / 4));
        for (i, c) in b32.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                text.push('-');
            }
            text.push(c);
        }
        Ok((RecoveryKey(text), raw))
    }

    /// Reads a recovery key as typed: case, spaces and dashes do not matter.
    pub fn parse(text: &str) -> Result<Self> {
        let k = RecoveryKey(Zeroizing::new(text.to_owned()));
        k.raw()?;
        Ok(k)
    }

    fn raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        let clean: Zeroizing<String> = Zeroizing::new(
            self.0
                .chars()
                .filter(|c| !matches!(c, '-' | ' ' | '\t' | '\n' | '\r'))
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let raw = data_encoding::BASE32_NOPAD
            .decode(clean.as_bytes())
            .map_err(|_| VaultError::WrongRecoveryKey)?;
        let raw = Zeroizing::new(raw);
        if raw.len() != KEY_LEN {
            return Err(VaultError::WrongRecoveryKey);
        }
        Ok(raw)
    }

    /// The key as shown to the user (`ABCD-EFGH-...`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn slot_ad(id: &str, kind: SlotKind) -> Vec<u8> {
    ad(SLOT_LABEL, &[id.as_bytes(), kind.as_str().as_bytes()])
}

fn recovery_kek(raw: &[u8], salt: &[u8]) -> Result<SymmetricKey> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(raw);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    prk.expand(&[RECOVERY_INFO], hkdf::HKDF_SHA256)
        .and_then(|okm| okm.fill(&mut out[..]))
        .map_err(|_| VaultError::Database("key derivation failed".into()))?;
    SymmetricKey::from_slice(&out[..]).ok_or_else(|| VaultError::Database("key length".into()))
}

fn salt() -> Result<[u8; SALT_LEN]> {
    let mut s = [0u8; SALT_LEN];
    random_fill(&mut s)?;
    Ok(s)
}

fn insert(
    conn: &Connection,
    id: &str,
    kind: SlotKind,
    label: &str,
    kdf: Option<&KdfParams>,
    salt: Option<&[u8]>,
    wrapped: &[u8],
) -> Result<()> {
    let kdf = kdf
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| VaultError::Database(e.to_string()))?;
    conn.execute(
        "INSERT INTO key_slots (id, kind, label, kdf, salt, wrapped, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, kind.as_str(), label, kdf, salt, wrapped, now_unix()],
    )?;
    Ok(())
}

/// Stores the key check: a value sealed under the vault key, used to recognise the right key
/// coming back from a key protector.
pub(crate) fn write_key_check(conn: &Connection, vk: &SymmetricKey) -> Result<()> {
    let sealed = vk.seal(b"tessera", &ad(KEY_CHECK_LABEL, &[]))?;
    conn.execute(
        "INSERT OR REPLACE INTO vault_info (key, value) VALUES ('key_check', ?1)",
        params![data_encoding::HEXLOWER.encode(&sealed)],
    )?;
    Ok(())
}

fn key_check_ok(conn: &Connection, vk: &SymmetricKey) -> Result<bool> {
    let hex: Option<String> = conn
        .query_row(
            "SELECT value FROM vault_info WHERE key = 'key_check'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let hex = hex.ok_or_else(|| VaultError::Corrupted("the key check is missing".into()))?;
    let sealed = data_encoding::HEXLOWER
        .decode(hex.as_bytes())
        .map_err(|_| VaultError::Corrupted("the key check is damaged".into()))?;
    Ok(vk.open(&sealed, &ad(KEY_CHECK_LABEL, &[])).is_some())
}

/// Adds a password slot wrapping `vk`.
pub(crate) fn add_password(
    conn: &Connection,
    vk: &SymmetricKey,
    password: &str,
    kdf: &KdfParams,
    label: &str,
) -> Result<String> {
    let id = new_id()?;
    let salt = salt()?;
    let kek = kdf.derive(password.as_bytes(), &salt)?;
    let wrapped = kek.seal(vk.as_bytes(), &slot_ad(&id, SlotKind::Password))?;
    insert(
        conn,
        &id,
        SlotKind::Password,
        label,
        Some(kdf),
        Some(&salt),
        &wrapped,
    )?;
    Ok(id)
}

/// Adds a recovery slot wrapping `vk`; returns the slot id and the key to show once.
pub(crate) fn add_recovery(conn: &Connection, vk: &SymmetricKey) -> Result<(String, RecoveryKey)> {
    let id = new_id()?;
    let salt = salt()?;
    let (key, raw) = RecoveryKey::generate()?;
    let kek = recovery_kek(&raw[..], &salt)?;
    let wrapped = kek.seal(vk.as_bytes(), &slot_ad(&id, SlotKind::Recovery))?;
    insert(
        conn,
        &id,
        SlotKind::Recovery,
        "recovery key",
        None,
        Some(&salt),
        &wrapped,
    )?;
    Ok((id, key))
}

/// Adds a slot holding the vault key as wrapped by a [`KeyProtector`].
pub(crate) fn add_protector(conn: &Connection, wrapped: &[u8], label: &str) -> Result<String> {
    let id = new_id()?;
    insert(conn, &id, SlotKind::Protector, label, None, None, wrapped)?;
    Ok(id)
}

struct Row {
    id: String,
    kdf: Option<String>,
    salt: Option<Vec<u8>>,
    wrapped: Vec<u8>,
}

fn rows(conn: &Connection, kind: SlotKind) -> Result<Vec<Row>> {
    let mut st = conn.prepare_cached(
        "SELECT id, kdf, salt, wrapped FROM key_slots WHERE kind = ?1 ORDER BY created_at, id",
    )?;
    let rows = st
        .query_map([kind.as_str()], |r| {
            Ok(Row {
                id: r.get(0)?,
                kdf: r.get(1)?,
                salt: r.get(2)?,
                wrapped: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn unwrap_with(kek: &SymmetricKey, row: &Row, kind: SlotKind) -> Option<SymmetricKey> {
    let raw = kek.open(&row.wrapped, &slot_ad(&row.id, kind))?;
    SymmetricKey::from_slice(&raw)
}

/// Finds the vault key with a password: [`VaultError::WrongPassword`] when no slot accepts it.
pub(crate) fn unlock_password(conn: &Connection, password: &str) -> Result<SymmetricKey> {
    for row in rows(conn, SlotKind::Password)? {
        let kdf: KdfParams = row
            .kdf
            .as_deref()
            .and_then(|k| serde_json::from_str(k).ok())
            .ok_or_else(|| {
                VaultError::Corrupted("a password slot has no valid parameters".into())
            })?;
        let salt = row.salt.as_deref().unwrap_or_default();
        let kek = kdf.derive(password.as_bytes(), salt)?;
        if let Some(vk) = unwrap_with(&kek, &row, SlotKind::Password) {
            return Ok(vk);
        }
    }
    Err(VaultError::WrongPassword)
}

/// Finds the vault key with the recovery key.
pub(crate) fn unlock_recovery(conn: &Connection, key: &RecoveryKey) -> Result<SymmetricKey> {
    let raw = key.raw()?;
    for row in rows(conn, SlotKind::Recovery)? {
        let kek = recovery_kek(&raw, row.salt.as_deref().unwrap_or_default())?;
        if let Some(vk) = unwrap_with(&kek, &row, SlotKind::Recovery) {
            return Ok(vk);
        }
    }
    Err(VaultError::WrongRecoveryKey)
}

/// Finds the vault key with a platform key protector.
pub(crate) fn unlock_protector(
    conn: &Connection,
    protector: &dyn KeyProtector,
) -> Result<SymmetricKey> {
    for row in rows(conn, SlotKind::Protector)? {
        let raw = match protector.unwrap(&row.wrapped) {
            Ok(raw) => Zeroizing::new(raw),
            Err(ProtectorError::Mismatch) => continue,
            Err(e) => return Err(e.into()),
        };
        if let Some(vk) = SymmetricKey::from_slice(&raw)
            && key_check_ok(conn, &vk)?
        {
            return Ok(vk);
        }
    }
    Err(VaultError::ProtectorRejected)
}

/// Lists the slots, oldest first.
pub(crate) fn list(conn: &Connection) -> Result<Vec<SlotInfo>> {
    let mut st = conn.prepare(
        "SELECT id, kind, label, kdf, created_at FROM key_slots ORDER BY created_at, id",
    )?;
    let raw = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter()
        .map(|(id, kind, label, kdf, created_at)| {
            Ok(SlotInfo {
                id,
                kind: SlotKind::parse(&kind)?,
                label,
                kdf: kdf.and_then(|k| serde_json::from_str(&k).ok()),
                created_at,
            })
        })
        .collect()
}

/// Removes a slot unless it is the last one.
pub(crate) fn remove(conn: &Connection, id: &str) -> Result<()> {
    let count: i64 = conn.query_row("SELECT count(*) FROM key_slots", [], |r| r.get(0))?;
    let exists: bool =
        conn.query_row("SELECT count(*) FROM key_slots WHERE id = ?1", [id], |r| {
            r.get::<_, i64>(0)
        })? > 0;
    if !exists {
        return Err(VaultError::NotFound(format!("key slot {id}")));
    }
    if count <= 1 {
        return Err(VaultError::LastSlot);
    }
    conn.execute("DELETE FROM key_slots WHERE id = ?1", [id])?;
    Ok(())
}

/// Removes every slot of `kind` (used to replace the password or the recovery key).
pub(crate) fn remove_kind(conn: &Connection, kind: SlotKind) -> Result<()> {
    conn.execute("DELETE FROM key_slots WHERE kind = ?1", [kind.as_str()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_key_format() {
        let (k, raw) = RecoveryKey::generate().unwrap();
        assert_eq!(k.as_str().len(), 52 + 12);
        assert_eq!(k.as_str().split('-').count(), 13);
        let typed = k.as_str().to_lowercase().replace('-', " ");
        assert_eq!(
            &RecoveryKey::parse(&typed).unwrap().raw().unwrap()[..],
            &raw[..]
        );
        assert!(matches!(
            RecoveryKey::parse("ABCD"),
            Err(VaultError::WrongRecoveryKey)
        ));
        assert!(!format!("{k:?}").contains(&k.as_str()[..4]));
    }
}
