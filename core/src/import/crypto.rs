//! The key derivations and ciphers other apps' encrypted exports use, as thin wrappers over
//! well-kept implementations (ring for AES-GCM, PBKDF2 and SHA-256; RustCrypto for scrypt,
//! Argon2, AES-CBC and libsodium's secretstream). Nothing here is hand-rolled.
//!
//! Every cost parameter read from a file is bounded before use, so a hostile file cannot make an
//! import allocate gigabytes or spin for hours.

use std::num::NonZeroU32;

use ring::aead;
use zeroize::Zeroizing;

/// Most memory a file may ask a KDF to use (scrypt or Argon2): 1 GiB.
pub const MAX_KDF_MEMORY_BYTES: u64 = 1 << 30;
/// Most PBKDF2 iterations a file may ask for.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// Most Argon2 passes a file may ask for.
pub const MAX_ARGON2_PASSES: u32 = 64;

/// Why a key could not be derived or a message not decrypted (carries no key material).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// The authentication tag did not verify: wrong key or corrupted data.
    Auth,
    /// A cost or size parameter outside what Tessera accepts.
    Params(String),
}

/// Decrypts AES-256-GCM with a 96-bit nonce; `ct_and_tag` is the ciphertext followed by the
/// 16-byte tag.
pub fn aes256gcm_open(
    key: &[u8],
    nonce: &[u8],
    ct_and_tag: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if key.len() != 32 {
        return Err(CryptoError::Params("AES-256 key must be 32 bytes".into()));
    }
    aes_gcm_open(key, nonce, ct_and_tag, aad)
}

/// Decrypts AES-GCM with a 128- or 256-bit key (chosen by the key's length) and a 96-bit nonce
/// (FreeOTP 2 wraps secrets with either); `ct_and_tag` is the ciphertext followed by the tag.
pub(crate) fn aes_gcm_open(
    key: &[u8],
    nonce: &[u8],
    ct_and_tag: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let alg = match key.len() {
        16 => &aead::AES_128_GCM,
        32 => &aead::AES_256_GCM,
        _ => {
            return Err(CryptoError::Params(
                "AES-GCM key must be 16 or 32 bytes".into(),
            ));
        }
    };
    let key = aead::UnboundKey::new(alg, key)
        .map_err(|_| CryptoError::Params("AES-GCM key must be 16 or 32 bytes".into()))?;
    let key = aead::LessSafeKey::new(key);
    let nonce = aead::Nonce::try_assume_unique_for_key(nonce)
        .map_err(|_| CryptoError::Params("AES-GCM nonce must be 12 bytes".into()))?;
    if ct_and_tag.len() < alg.tag_len() {
        return Err(CryptoError::Params(
            "ciphertext shorter than its tag".into(),
        ));
    }
    let mut buf = Zeroizing::new(ct_and_tag.to_vec());
    let len = key
        .open_in_place(nonce, aead::Aad::from(aad), &mut buf)
        .map_err(|_| CryptoError::Auth)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

/// PBKDF2 hash functions importers meet.
#[derive(Debug, Clone, Copy)]
pub enum Pbkdf2Hash {
    /// HMAC-SHA1 (andOTP, Stratum legacy, Authy, FreeOTP 2).
    Sha1,
    /// HMAC-SHA256 (2FAS, FreeOTP 2).
    Sha256,
    /// HMAC-SHA512 (FreeOTP 2).
    Sha512,
}

/// PBKDF2 with a bounded iteration count, 32-byte output.
pub fn pbkdf2(
    hash: Pbkdf2Hash,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    if iterations > MAX_PBKDF2_ITERATIONS {
        return Err(CryptoError::Params(format!(
            "{iterations} PBKDF2 iterations (at most {MAX_PBKDF2_ITERATIONS})"
        )));
    }
    let iterations = NonZeroU32::new(iterations)
        .ok_or_else(|| CryptoError::Params("zero PBKDF2 iterations".into()))?;
    let alg = match hash {
        Pbkdf2Hash::Sha1 => ring::pbkdf2::PBKDF2_HMAC_SHA1,
        Pbkdf2Hash::Sha256 => ring::pbkdf2::PBKDF2_HMAC_SHA256,
        Pbkdf2Hash::Sha512 => ring::pbkdf2::PBKDF2_HMAC_SHA512,
    };
    let mut out = Zeroizing::new([0u8; 32]);
    ring::pbkdf2::derive(alg, iterations, salt, password, &mut out[..]);
    Ok(out)
}

/// SHA-256 of some bytes (old andOTP uses it as a key).
pub fn sha256(data: &[u8]) -> Zeroizing<[u8; 32]> {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(d.as_ref());
    out
}

/// scrypt with bounded cost (`n` must be a power of two; memory `128·n·r` at most 1 GiB).
pub fn scrypt(
    password: &[u8],
    salt: &[u8],
    n: u64,
    r: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    if n < 2 || !n.is_power_of_two() {
        return Err(CryptoError::Params(
            "scrypt N must be a power of two".into(),
        ));
    }
    if r == 0 || p == 0 || p > 16 || r > 64 {
        return Err(CryptoError::Params("scrypt r/p out of range".into()));
    }
    if n.saturating_mul(128).saturating_mul(u64::from(r)) > MAX_KDF_MEMORY_BYTES {
        return Err(CryptoError::Params(
            "scrypt parameters need too much memory".into(),
        ));
    }
    let log_n = n.trailing_zeros() as u8;
    let params = scrypt::Params::new(log_n, r, p, 32)
        .map_err(|_| CryptoError::Params("invalid scrypt parameters".into()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, &mut out[..])
        .map_err(|_| CryptoError::Params("invalid scrypt output length".into()))?;
    Ok(out)
}

/// Argon2id v1.3 with bounded cost; `memory_kib` in KiB.
pub fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    if u64::from(memory_kib) * 1024 > MAX_KDF_MEMORY_BYTES {
        return Err(CryptoError::Params("Argon2 memory above 1 GiB".into()));
    }
    if passes > MAX_ARGON2_PASSES {
        return Err(CryptoError::Params(format!(
            "{passes} Argon2 passes (at most {MAX_ARGON2_PASSES})"
        )));
    }
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32))
        .map_err(|e| CryptoError::Params(format!("invalid Argon2 parameters ({e})")))?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    a.hash_password_into(password, salt, &mut out[..])
        .map_err(|e| CryptoError::Params(format!("Argon2 failed ({e})")))?;
    Ok(out)
}

/// AES-256-CBC with PKCS#7 padding. Without a MAC a wrong key shows up only as bad padding or
/// garbage plaintext; callers must check the plaintext's structure too.
pub fn aes256cbc_decrypt(
    key: &[u8],
    iv: &[u8],
    ct: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    use cbc::cipher::{BlockDecryptMut, KeyIvInit, block_padding::Pkcs7};
    let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
        .map_err(|_| CryptoError::Params("AES-CBC key must be 32 bytes, IV 16".into()))?;
    dec.decrypt_padded_vec_mut::<Pkcs7>(ct)
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Auth)
}

/// AES-256-CBC with PKCS#7 padding and an all-zero IV (Authy, TOTP Authenticator). `None` when
/// the length or padding is wrong — with these formats, the sign of a wrong password.
pub(crate) fn aes256cbc_zero_iv_decrypt(key: &[u8; 32], ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if ct.is_empty() || !ct.len().is_multiple_of(16) {
        return None;
    }
    aes256cbc_decrypt(key, &[0u8; 16], ct).ok()
}

/// Opens a libsodium `crypto_secretstream_xchacha20poly1305` stream whose whole plaintext is one
/// or more chunks of at most `chunk_len` ciphertext bytes each (Ente writes a single chunk).
pub fn secretstream_open(
    key: &[u8],
    header: &[u8],
    ciphertext: &[u8],
    chunk_len: usize,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    use crypto_secretstream::{Header, Key, PullStream, Tag};
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| CryptoError::Params("secretstream key must be 32 bytes".into()))?;
    let header: [u8; Header::BYTES] = header
        .try_into()
        .map_err(|_| CryptoError::Params("secretstream header must be 24 bytes".into()))?;
    let mut stream = PullStream::init(Header::from(header), &Key::from(key));
    let mut out = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    let mut rest = ciphertext;
    while !rest.is_empty() {
        let take = rest.len().min(chunk_len.max(17));
        let mut chunk = Zeroizing::new(rest[..take].to_vec());
        rest = &rest[take..];
        let tag = stream
            .pull(&mut *chunk, &[])
            .map_err(|_| CryptoError::Auth)?;
        out.extend_from_slice(&chunk);
        if tag == Tag::Final {
            if !rest.is_empty() {
                return Err(CryptoError::Params("data after the final chunk".into()));
            }
            break;
        }
    }
    Ok(out)
}

/// AES-256-GCM encryption for tests that build encrypted exports (returns ciphertext‖tag).
#[cfg(test)]
pub(crate) fn aes256gcm_seal_for_tests(
    key: &[u8],
    nonce: &[u8],
    plain: &[u8],
    aad: &[u8],
) -> Vec<u8> {
    let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, key).unwrap());
    let nonce = aead::Nonce::try_assume_unique_for_key(nonce).unwrap();
    let mut buf = plain.to_vec();
    key.seal_in_place_append_tag(nonce, aead::Aad::from(aad), &mut buf)
        .unwrap();
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcm_rejects_wrong_key_and_short_input() {
        assert_eq!(
            aes256gcm_open(&[0; 32], &[0; 12], &[0; 20], b""),
            Err(CryptoError::Auth)
        );
        assert!(matches!(
            aes256gcm_open(&[0; 32], &[0; 12], &[0; 3], b""),
            Err(CryptoError::Params(_))
        ));
        assert!(matches!(
            aes256gcm_open(&[0; 31], &[0; 12], &[0; 20], b""),
            Err(CryptoError::Params(_))
        ));
    }

    #[test]
    fn gcm_takes_128_and_256_bit_keys_by_length() {
        let key =
            aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_128_GCM, &[7; 16]).unwrap());
        let mut ct = b"wrapped".to_vec();
        key.seal_in_place_append_tag(
            aead::Nonce::assume_unique_for_key([1; 12]),
            aead::Aad::from(b"HmacSHA1"),
            &mut ct,
        )
        .unwrap();
        assert_eq!(
            &aes_gcm_open(&[7; 16], &[1; 12], &ct, b"HmacSHA1").unwrap()[..],
            b"wrapped"
        );
        assert_eq!(
            aes_gcm_open(&[7; 16], &[1; 12], &ct, b"AES"),
            Err(CryptoError::Auth)
        );
        // aes256gcm_open keeps refusing a 16-byte key.
        assert!(matches!(
            aes256gcm_open(&[7; 16], &[1; 12], &ct, b"HmacSHA1"),
            Err(CryptoError::Params(_))
        ));
        let ct = aes256gcm_seal_for_tests(&[9; 32], &[2; 12], b"x", b"");
        assert_eq!(
            &aes_gcm_open(&[9; 32], &[2; 12], &ct, b"").unwrap()[..],
            b"x"
        );
        assert!(matches!(
            aes_gcm_open(&[9; 24], &[2; 12], &ct, b""),
            Err(CryptoError::Params(_))
        ));
    }

    #[test]
    fn pbkdf2_sha512_vector() {
        // PBKDF2-HMAC-SHA512("password", "salt", 1 iteration), first 32 bytes of the 64.
        let k = pbkdf2(Pbkdf2Hash::Sha512, b"password", b"salt", 1).unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&k[..]),
            "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
        );
    }

    #[test]
    fn cbc_zero_iv_refuses_bad_lengths() {
        assert!(aes256cbc_zero_iv_decrypt(&[1; 32], &[]).is_none());
        assert!(aes256cbc_zero_iv_decrypt(&[1; 32], &[3; 17]).is_none());
    }

    #[test]
    fn kdf_costs_are_bounded() {
        assert!(scrypt(b"pw", b"salt", 1 << 30, 8, 1).is_err());
        assert!(scrypt(b"pw", b"salt", 1000, 8, 1).is_err());
        assert!(argon2id(b"pw", b"saltsalt", 4 << 20, 1, 1).is_err());
        assert!(pbkdf2(Pbkdf2Hash::Sha1, b"pw", b"s", u32::MAX).is_err());
        assert!(pbkdf2(Pbkdf2Hash::Sha1, b"pw", b"s", 0).is_err());
    }

    #[test]
    fn pbkdf2_sha1_rfc6070_vector() {
        // RFC 6070 test 2 ("password"/"salt", 2 iterations), first 20 bytes.
        let k = pbkdf2(Pbkdf2Hash::Sha1, b"password", b"salt", 2).unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&k[..20]),
            "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"
        );
    }

    #[test]
    fn cbc_bad_padding_is_auth_error() {
        assert!(aes256cbc_decrypt(&[1; 32], &[2; 16], &[3; 32]).is_err());
        assert!(aes256cbc_decrypt(&[1; 32], &[2; 16], &[3; 5]).is_err());
    }
}
