//! Sealing: AES-256-GCM (ring) under a 256-bit key with associated data that binds each ciphertext
//! to its place (entry id and field, slot id, blob namespace and key).
//!
//! A sealed value is `nonce (12 bytes) || ciphertext || tag (16 bytes)`. Nonces are random: the
//! number of values sealed under one vault key stays far below the 2^32 bound for random 96-bit
//! nonces.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use super::error::{Result, VaultError};

/// Length of a key in bytes (AES-256).
pub const KEY_LEN: usize = 32;
/// Bytes a sealed value adds to its plaintext (nonce + tag).
pub const SEAL_OVERHEAD: usize = NONCE_LEN + 16;

/// A 256-bit symmetric key (the vault key or a key-encryption key). The raw bytes are zeroized on
/// drop; the AES key schedule is prepared once (ring does not zeroize it). `Debug` never shows it.
#[derive(Clone)]
pub struct SymmetricKey {
    bytes: Zeroizing<[u8; KEY_LEN]>,
    aead: LessSafeKey,
}

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKey(<redacted>)")
    }
}

impl SymmetricKey {
    /// A fresh random key from the operating system's CSPRNG.
    pub fn generate() -> Result<Self> {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        random_fill(&mut k[..])?;
        Ok(SymmetricKey::from_bytes(k))
    }

    fn from_bytes(bytes: Zeroizing<[u8; KEY_LEN]>) -> Self {
        // Cannot fail: the length is fixed at KEY_LEN, which is AES-256's key length.
        let unbound = UnboundKey::new(&AES_256_GCM, &bytes[..])
            .unwrap_or_else(|_| unreachable!("AES-256 key of {KEY_LEN} bytes is always accepted"));
        SymmetricKey {
            bytes,
            aead: LessSafeKey::new(unbound),
        }
    }

    /// Takes exactly 32 bytes; anything else is `None`.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(SymmetricKey::from_bytes(Zeroizing::new(arr)))
    }

    /// The raw key bytes (for wrapping by a slot).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..]
    }

    /// Seals `plaintext` with associated data `ad`.
    pub fn seal(&self, plaintext: &[u8], ad: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        random_fill(&mut nonce)?;
        let mut out = Vec::with_capacity(plaintext.len() + SEAL_OVERHEAD);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .aead
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(ad),
                &mut out[NONCE_LEN..],
            )
            .map_err(|_| VaultError::Database("sealing failed".into()))?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Opens a value sealed with [`seal`](Self::seal) and the same `ad`. `None` when the key or the
    /// associated data differ or the bytes were altered.
    pub fn open(&self, sealed: &[u8], ad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < SEAL_OVERHEAD {
            return None;
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buf = Zeroizing::new(rest.to_vec());
        let len = self
            .aead
            .open_in_place(nonce, Aad::from(ad), &mut buf[..])
            .ok()?
            .len();
        buf.truncate(len);
        Some(buf)
    }
}

/// Fills `buf` from the operating system's CSPRNG.
pub fn random_fill(buf: &mut [u8]) -> Result<()> {
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| VaultError::Io(std::io::Error::other("the system random generator failed")))
}

/// Associated data: a domain label followed by length-prefixed parts, so distinct
/// (label, parts) never produce the same bytes.
pub fn ad(label: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut v =
        Vec::with_capacity(label.len() + 1 + parts.iter().map(|p| p.len() + 4).sum::<usize>());
    v.extend_from_slice(label.as_bytes());
    v.push(0);
    for p in parts {
        v.extend_from_slice(&(p.len() as u32).to_be_bytes());
        v.extend_from_slice(p);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let k = SymmetricKey::generate().unwrap();
        let ad1 = ad("entry", &[b"id-1"]);
        let s = k.seal(b"hello secret", &ad1).unwrap();
        assert_eq!(s.len(), 12 + SEAL_OVERHEAD);
        assert!(!s.windows(6).any(|w| w == b"secret"));
        assert_eq!(&k.open(&s, &ad1).unwrap()[..], b"hello secret");
        // Moved to another id: fails.
        assert!(k.open(&s, &ad("entry", &[b"id-2"])).is_none());
        // Another key: fails.
        assert!(SymmetricKey::generate().unwrap().open(&s, &ad1).is_none());
        // Tampered or truncated: fails.
        let mut t = s.clone();
        t[15] ^= 1;
        assert!(k.open(&t, &ad1).is_none());
        assert!(k.open(&s[..20], &ad1).is_none());
        // Nonces differ between seals.
        assert_ne!(k.seal(b"x", &ad1).unwrap(), k.seal(b"x", &ad1).unwrap());
    }

    #[test]
    fn ad_is_unambiguous() {
        assert_ne!(ad("a", &[b"bc"]), ad("a", &[b"b", b"c"]));
        assert_ne!(ad("a", &[b""]), ad("a", &[]));
    }

    #[test]
    fn debug_redacted() {
        let k = SymmetricKey::from_slice(&[7u8; 32]).unwrap();
        assert_eq!(format!("{k:?}"), "SymmetricKey(<redacted>)");
        assert!(SymmetricKey::from_slice(&[1u8; 31]).is_none());
    }
}
