//! An enrolled PUSH token: where its server is and the keys on both sides.

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::PushError;
use super::keys::{DeviceKey, ServerKey};

/// An enrolled token. `Debug` shows no key material and no push-service token.
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
    /// Whether the enrollment link said the server only polls (`poll_only=True`): such a server
    /// never pushes, so it is not told push-service tokens.
    pub poll_only: bool,
    /// The push-service (FCM/APNs) token the server was last given, `None` when it holds
    /// `no_firebase_token`.
    pub push_service_token: Option<String>,
}

impl std::fmt::Debug for PushToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushToken")
            .field("serial", &self.serial)
            .field("url", &self.url)
            .field("ssl_verify", &self.ssl_verify)
            .field("label", &self.label)
            .field("issuer", &self.issuer)
            .field("enrolled_at", &self.enrolled_at)
            .field("poll_only", &self.poll_only)
            .field("has_push_service_token", &self.push_service_token.is_some())
            .finish_non_exhaustive()
    }
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
    // Records written before push-service tokens existed read as "not poll-only, no token":
    // their servers may push, so an update is sent to them.
    #[serde(default)]
    poll_only: bool,
    #[serde(default)]
    push_service_token: Option<String>,
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
            poll_only: self.poll_only,
            push_service_token: self.push_service_token.clone(),
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
            poll_only: r.poll_only,
            push_service_token: r.push_service_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::keys::test_keys;

    fn token() -> PushToken {
        let device = DeviceKey::from_pkcs8(test_keys::device().pkcs8_der()).unwrap();
        let (_, server_key) = test_keys::server();
        PushToken {
            serial: "PIPU1".into(),
            url: "https://pi.example/ttype/push".into(),
            ssl_verify: true,
            label: "l".into(),
            issuer: "i".into(),
            enrolled_at: 1,
            device_key: device,
            server_key: server_key.clone(),
            poll_only: true,
            push_service_token: Some("fcm-secret-ish".into()),
        }
    }

    #[test]
    fn push_service_token_round_trips_and_stays_out_of_debug() {
        let t = PushToken::from_record(&token().to_record().unwrap()).unwrap();
        assert!(t.poll_only);
        assert_eq!(t.push_service_token.as_deref(), Some("fcm-secret-ish"));
        let debug = format!("{t:?}");
        assert!(!debug.contains("fcm-secret-ish"), "{debug}");
        assert!(debug.contains("has_push_service_token: true"), "{debug}");
    }

    #[test]
    fn records_from_before_push_service_tokens_read_as_pushing_without_a_token() {
        let mut v: serde_json::Value =
            serde_json::from_slice(&token().to_record().unwrap()).unwrap();
        let obj = v.as_object_mut().unwrap();
        obj.remove("poll_only");
        obj.remove("push_service_token");
        let t = PushToken::from_record(&serde_json::to_vec(&v).unwrap()).unwrap();
        assert!(!t.poll_only);
        assert_eq!(t.push_service_token, None);
    }
}
