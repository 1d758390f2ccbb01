//! Keys of a PUSH token: the device's RSA key pair and the server's public key.
//!
//! privacyIDEA signs and expects RSASSA-PKCS1-v1_5 with SHA-256 over RSA-4096 keys, signatures
//! travelling as padded upper-case base32. The `rsa` crate generates the pair (ring cannot
//! generate RSA keys); ring signs and verifies.

use data_encoding::{BASE32, BASE64};
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair, UnparsedPublicKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use zeroize::Zeroizing;

use super::error::PushError;

/// Key size privacyIDEA uses for both sides of a PUSH token.
pub const DEVICE_KEY_BITS: usize = 4096;

/// Longest base32 signature accepted (an RSA-8192 signature is 1640 characters).
pub const MAX_SIGNATURE_B32_LEN: usize = 1640;

/// The device's private key. `Debug` prints nothing secret; the PKCS#8 bytes are wiped on drop.
pub struct DeviceKey {
    pkcs8: Zeroizing<Vec<u8>>,
    spki: Vec<u8>,
    pair: RsaKeyPair,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("bits", &(self.pair.public().modulus_len() * 8))
            .finish_non_exhaustive()
    }
}

impl DeviceKey {
    /// Generates a fresh RSA-4096 key pair. Slow (about a second optimised): call it off the UI
    /// thread.
    pub fn generate() -> Result<Self, PushError> {
        Self::generate_with_bits(DEVICE_KEY_BITS)
    }

    /// Generates a key of `bits` bits (tests use 2048 for speed; privacyIDEA uses 4096).
    pub fn generate_with_bits(bits: usize) -> Result<Self, PushError> {
        let mut rng = rsa::rand_core::OsRng;
        let private = rsa::RsaPrivateKey::new(&mut rng, bits)
            .map_err(|_| PushError::Key("RSA key generation failed".into()))?;
        let pkcs8 = private
            .to_pkcs8_der()
            .map_err(|_| PushError::Key("PKCS#8 encoding failed".into()))?;
        Self::from_pkcs8(pkcs8.as_bytes())
    }

    /// Loads a key from its PKCS#8 DER encoding (as stored in the vault).
    pub fn from_pkcs8(der: &[u8]) -> Result<Self, PushError> {
        let pair = RsaKeyPair::from_pkcs8(der)
            .map_err(|_| PushError::Key("stored device key is not a usable RSA key".into()))?;
        let private = <rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_der(der)
            .map_err(|_| PushError::Key("stored device key is not a usable RSA key".into()))?;
        let spki = rsa::RsaPublicKey::from(&private)
            .to_public_key_der()
            .map_err(|_| PushError::Key("public key encoding failed".into()))?
            .into_vec();
        Ok(DeviceKey {
            pkcs8: Zeroizing::new(der.to_vec()),
            spki,
            pair,
        })
    }

    /// The PKCS#8 DER encoding, for sealing in the vault. Secret.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public key as DER SubjectPublicKeyInfo (what privacyIDEA's rollout expects).
    pub fn public_spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// The public key as base64 SPKI, the rollout's `pubkey` field.
    pub fn public_spki_base64(&self) -> String {
        BASE64.encode(&self.spki)
    }

    /// Signs `message` (PKCS#1 v1.5, SHA-256) and returns the signature as padded base32.
    pub fn sign_b32(&self, message: &str) -> Result<String, PushError> {
        let mut sig = vec![0u8; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message.as_bytes(),
                &mut sig,
            )
            .map_err(|_| PushError::Key("signing failed".into()))?;
        Ok(BASE32.encode(&sig))
    }
}

/// The server's public key for one token: PKCS#1 `RSAPublicKey` DER.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ServerKey {
    pkcs1: Vec<u8>,
}

impl ServerKey {
    /// Wraps PKCS#1 `RSAPublicKey` DER bytes; refuses what ring cannot use (under 2048 bits …).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, PushError> {
        if der.len() > 2048 {
            return Err(PushError::BadResponse(
                "server public key is too long".into(),
            ));
        }
        let key = <rsa::RsaPublicKey as rsa::pkcs1::DecodeRsaPublicKey>::from_pkcs1_der(der)
            .map_err(|_| PushError::BadResponse("server public key is not PKCS#1 DER".into()))?;
        if rsa::traits::PublicKeyParts::size(&key) < 256 {
            return Err(PushError::BadResponse(
                "server public key is shorter than 2048 bits".into(),
            ));
        }
        Ok(ServerKey {
            pkcs1: der.to_vec(),
        })
    }

    /// Parses the enrollment reply's `public_key`: base64 (possibly with newlines, possibly
    /// URL-safe) of PKCS#1 DER, PEM armour tolerated.
    pub fn from_base64(text: &str) -> Result<Self, PushError> {
        if text.len() > 4096 {
            return Err(PushError::BadResponse(
                "server public key is too long".into(),
            ));
        }
        let cleaned: String = text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        let der = BASE64
            .decode(cleaned.as_bytes())
            .map_err(|_| PushError::BadResponse("server public key is not base64".into()))?;
        Self::from_pkcs1_der(&der)
    }

    /// The PKCS#1 DER bytes.
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.pkcs1
    }

    /// Verifies a padded base32 PKCS#1 v1.5 SHA-256 signature over `message`.
    pub fn verify_b32(&self, message: &str, signature_b32: &str) -> bool {
        if signature_b32.len() > MAX_SIGNATURE_B32_LEN {
            return false;
        }
        let Ok(sig) = BASE32.decode(signature_b32.as_bytes()) else {
            return false;
        };
        UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &self.pkcs1)
            .verify(message.as_bytes(), &sig)
            .is_ok()
    }
}

#[cfg(test)]
pub(crate) mod test_keys {
    //! Keys shared by the tests (2048 bits, generated once per test binary for speed).
    use super::*;
    use rsa::pkcs1::EncodeRsaPublicKey;
    use std::sync::OnceLock;

    /// A device key.
    pub fn device() -> &'static DeviceKey {
        static K: OnceLock<DeviceKey> = OnceLock::new();
        K.get_or_init(|| DeviceKey::generate_with_bits(2048).unwrap())
    }

    /// A server key pair: the signer and its PKCS#1 public half.
    pub fn server() -> &'static (DeviceKey, ServerKey) {
        static K: OnceLock<(DeviceKey, ServerKey)> = OnceLock::new();
        K.get_or_init(server_pair)
    }

    /// A fresh server key pair (for "wrong key" tests).
    pub fn server_pair() -> (DeviceKey, ServerKey) {
        let k = DeviceKey::generate_with_bits(2048).unwrap();
        let private =
            <rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_der(k.pkcs8_der())
                .unwrap();
        let pkcs1 = rsa::RsaPublicKey::from(&private).to_pkcs1_der().unwrap();
        let sk = ServerKey::from_pkcs1_der(pkcs1.as_bytes()).unwrap();
        (k, sk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_round_trip_and_tamper() {
        let (signer, public) = test_keys::server();
        let sig = signer.sign_b32("nonce|serial").unwrap();
        assert!(sig.ends_with('=') || sig.len() % 8 == 0);
        assert!(public.verify_b32("nonce|serial", &sig));
        assert!(!public.verify_b32("nonce|serial2", &sig));
        assert!(!public.verify_b32("nonce|serial", "AAAA"));
        assert!(!public.verify_b32("nonce|serial", "not base32!"));
        let (_, other) = test_keys::server_pair();
        assert!(!other.verify_b32("nonce|serial", &sig));
    }

    #[test]
    fn device_key_reloads_and_hides_secrets() {
        let k = test_keys::device();
        let again = DeviceKey::from_pkcs8(k.pkcs8_der()).unwrap();
        assert_eq!(again.public_spki_der(), k.public_spki_der());
        assert!(!format!("{k:?}").contains(&BASE64.encode(&k.pkcs8_der()[..16])));
        assert!(DeviceKey::from_pkcs8(b"garbage").is_err());
    }

    #[test]
    fn server_key_parses_base64_with_newlines_and_pem() {
        let (_, public) = test_keys::server();
        let b64 = BASE64.encode(public.pkcs1_der());
        let wrapped: String = b64
            .as_bytes()
            .chunks(64)
            .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
            .collect();
        let pem =
            format!("-----BEGIN RSA PUBLIC KEY-----\n{wrapped}-----END RSA PUBLIC KEY-----\n");
        assert_eq!(&ServerKey::from_base64(&wrapped).unwrap(), public);
        assert_eq!(&ServerKey::from_base64(&pem).unwrap(), public);
        assert!(ServerKey::from_base64("!!!").is_err());
        assert!(ServerKey::from_base64("AAAA").is_err());
    }
}
