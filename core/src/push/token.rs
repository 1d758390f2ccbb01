//! An enrolled PUSH token: where its server is and the keys on both sides.

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::PushError;
use super::keys::{DeviceKey, ServerKey};

/// An enrolled token. `Debug` shows no key material.
#[derive(Debug)]
pub struct PushToken {
    /// Serial (`PIPU…`).
    pub serial: String,
    /// Where polls and answers go (the enrollment's `url`).
    pub url: String,
    /// Whether TLS is verified for `url`.
    pub ssl_verify: bool,
    /// Label to show.
    pub label: String,
    /// Issuer to show.
    pub issuer: String,
    /// When it was enrolled, Unix seconds.
    pub enrolled_at: u64,
    /// The device's private key (secret).
    pub device_key: DeviceKey,
    /// The server's public key for this token.
    pub server_key: ServerKey,
}

#[derive(Serialize, Deserialize)]
struct Record {
    serial: String,
    url: String,
    ssl_verify: bool,
    label: String,
    issuer: String,
    enrolled_at: u64,
    device_key_pkcs8: String,
    server_key_pkcs1: String,
}

impl PushToken {
    /// Serialises the token, private key included, for a sealed store. The bytes are wiped on drop.
    pub fn to_record(&self) -> Result<Zeroizing<Vec<u8>>, PushError> {
        let r = Record {
            serial: self.serial.clone(),
            url: self.url.clone(),
            ssl_verify: self.ssl_verify,
            label: self.label.clone(),
            issuer: self.issuer.clone(),
            enrolled_at: self.enrolled_at,
            device_key_pkcs8: BASE64.encode(self.device_key.pkcs8_der()),
            server_key_pkcs1: BASE64.encode(self.server_key.pkcs1_der()),
        };
        let bytes = serde_json::to_vec(&r).map_err(|e| PushError::Store(e.to_string()))?;
        let _wipe = Zeroizing::new(r.device_key_pkcs8);
        Ok(Zeroizing::new(bytes))
    }

    /// Reads a token back from [`PushToken::to_record`] bytes.
    pub fn from_record(bytes: &[u8]) -> Result<Self, PushError> {
        let r: Record = serde_json::from_slice(bytes)
            .map_err(|_| PushError::Store("a stored push token is corrupted".into()))?;
        let pkcs8 = Zeroizing::new(
            BASE64
                .decode(r.device_key_pkcs8.as_bytes())
                .map_err(|_| PushError::Store("a stored push token is corrupted".into()))?,
        );
        let _wipe = Zeroizing::new(r.device_key_pkcs8);
        let pkcs1 = BASE64
            .decode(r.server_key_pkcs1.as_bytes())
            .map_err(|_| PushError::Store("a stored push token is corrupted".into()))?;
        Ok(PushToken {
            serial: r.serial,
            url: r.url,
            ssl_verify: r.ssl_verify,
            label: r.label,
            issuer: r.issuer,
            enrolled_at: r.enrolled_at,
            device_key: DeviceKey::from_pkcs8(&pkcs8)?,
            server_key: ServerKey::from_pkcs1_der(&pkcs1)?,
        })
    }
}
