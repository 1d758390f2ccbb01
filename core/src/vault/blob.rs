//! The sealed blob store: small values other modules keep in the vault (push-token keys, history),
//! sealed under the vault key with their namespace and key in the associated data. Namespaces and
//! keys are stored in clear, so they must not be secret themselves.

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use super::error::{Result, VaultError};
use super::seal::{SymmetricKey, ad};

const BLOB_LABEL: &str = "tessera/blob/v1";
/// Largest namespace, in bytes.
pub const MAX_NAMESPACE_LEN: usize = 64;
/// Largest key, in bytes.
pub const MAX_KEY_LEN: usize = 256;
/// Largest value, in bytes (1 MiB).
pub const MAX_VALUE_LEN: usize = 1024 * 1024;

fn blob_ad(namespace: &str, key: &str) -> Vec<u8> {
    ad(BLOB_LABEL, &[namespace.as_bytes(), key.as_bytes()])
}

fn check(namespace: &str, key: Option<&str>) -> Result<()> {
    if namespace.is_empty() || namespace.len() > MAX_NAMESPACE_LEN {
        return Err(VaultError::Invalid(format!(
            "blob namespace must be 1..={MAX_NAMESPACE_LEN} bytes"
        )));
    }
    if let Some(k) = key
        && k.len() > MAX_KEY_LEN
    {
        return Err(VaultError::Invalid(format!(
            "blob key must be at most {MAX_KEY_LEN} bytes"
        )));
    }
    Ok(())
}

/// Stores (or replaces) a value.
pub(crate) fn put(
    conn: &Connection,
    vk: &SymmetricKey,
    namespace: &str,
    key: &str,
    value: &[u8],
    now: i64,
) -> Result<()> {
    check(namespace, Some(key))?;
    if value.len() > MAX_VALUE_LEN {
        return Err(VaultError::Invalid(format!(
            "blob value must be at most {MAX_VALUE_LEN} bytes"
        )));
    }
    let sealed = vk.seal(value, &blob_ad(namespace, key))?;
    conn.execute(
        "INSERT INTO blobs (namespace, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![namespace, key, sealed, now],
    )?;
    Ok(())
}

/// Reads a value, `None` when absent.
pub(crate) fn get(
    conn: &Connection,
    vk: &SymmetricKey,
    namespace: &str,
    key: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    check(namespace, Some(key))?;
    let sealed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT value FROM blobs WHERE namespace = ?1 AND key = ?2",
            params![namespace, key],
            |r| r.get(0),
        )
        .optional()?;
    sealed
        .map(|s| {
            vk.open(&s, &blob_ad(namespace, key)).ok_or_else(|| {
                VaultError::Corrupted(format!("blob {namespace}/{key} does not open"))
            })
        })
        .transpose()
}

/// The keys of a namespace, sorted.
pub(crate) fn list(conn: &Connection, namespace: &str) -> Result<Vec<String>> {
    check(namespace, None)?;
    let mut st = conn.prepare_cached("SELECT key FROM blobs WHERE namespace = ?1 ORDER BY key")?;
    let keys = st
        .query_map([namespace], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(keys)
}

/// Deletes a value; `true` when there was one.
pub(crate) fn delete(conn: &Connection, namespace: &str, key: &str) -> Result<bool> {
    check(namespace, Some(key))?;
    Ok(conn.execute(
        "DELETE FROM blobs WHERE namespace = ?1 AND key = ?2",
        params![namespace, key],
    )? > 0)
}
