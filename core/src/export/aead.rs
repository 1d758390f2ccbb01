//! AES-256-GCM through ring, in the two shapes the export formats need (tag appended, or
//! kept separately as Aegis stores it). Plaintexts come back in zeroizing buffers.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, Tag, UnboundKey};
use zeroize::Zeroizing;

/// Length of an AES-GCM nonce in bytes.
pub const NONCE_LEN: usize = 12;
/// Length of an AES-GCM tag in bytes.
pub const TAG_LEN: usize = 16;

fn key(key: &[u8; 32]) -> Option<LessSafeKey> {
    UnboundKey::new(&AES_256_GCM, key)
        .ok()
        .map(LessSafeKey::new)
}

/// Encrypts `plaintext`; returns the ciphertext and the tag separately.
pub fn seal(
    k: &[u8; 32],
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Option<(Vec<u8>, [u8; TAG_LEN])> {
    let mut buf = plaintext.to_vec();
    let tag = key(k)?
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            &mut buf,
        )
        .ok()?;
    let mut t = [0u8; TAG_LEN];
    t.copy_from_slice(tag.as_ref());
    Some((buf, t))
}

/// Decrypts and authenticates; `None` when the key is wrong or anything was modified.
pub fn open(
    k: &[u8; 32],
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
    tag: [u8; TAG_LEN],
) -> Option<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let len = key(k)?
        .open_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            Tag::from(tag),
            &mut buf,
            0..,
        )
        .ok()?
        .len();
    buf.truncate(len);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let k = [7u8; 32];
        let n = [1u8; 12];
        let (ct, tag) = seal(&k, n, b"aad", b"hello").unwrap();
        assert_eq!(&open(&k, n, b"aad", &ct, tag).unwrap()[..], b"hello");
        assert!(open(&k, n, b"aaD", &ct, tag).is_none());
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert!(open(&k, n, b"aad", &bad, tag).is_none());
        assert!(open(&[8u8; 32], n, b"aad", &ct, tag).is_none());
    }
}
