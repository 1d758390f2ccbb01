//! Key protection by the platform (Android Keystore, iOS Keychain) as a foreign trait, and the
//! record/replay adapters that keep foreign calls outside the vault's lock.
//!
//! Core's vault calls its `KeyProtector` in the middle of an unlock or a slot change. A foreign
//! implementation must not run while the bindings hold the vault's mutex (it could call back into
//! the vault and deadlock, or block every other thread on a biometric prompt). So each operation
//! runs in three steps: core runs with a [`Recorder`] that notes what it would ask and refuses;
//! the lock is released and the foreign protector is asked; core runs again with a [`Replay`]
//! that answers from those results.

use std::sync::Arc;

use tessera_core::vault::{FileKeyProtector, KeyProtector as CoreProtector, ProtectorError};
use zeroize::Zeroizing;

use crate::error::TesseraError;

/// Wraps and unwraps the vault key with a platform key that never leaves the device's secure
/// hardware. Implement it in Kotlin (Android Keystore) or Swift (Keychain / Secure Enclave).
/// Tessera never calls it while holding a lock of its own.
#[uniffi::export(with_foreign)]
pub trait KeyProtector: Send + Sync {
    /// Encrypts `key` (the 32-byte vault key) with the platform key; the result is stored in the
    /// vault. Throw `KeyStore` (or anything) when the platform refuses.
    fn wrap_key(&self, key: Vec<u8>) -> Result<Vec<u8>, TesseraError>;
    /// Decrypts what `wrap_key` returned. Throw when these bytes do not open with this platform
    /// key (another device's slot) or the user cancelled authentication.
    fn unwrap_key(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, TesseraError>;
}

/// A protector over a key file (mode 0600) for the CLI, desktop use and tests; created with a
/// random key when `path` does not exist.
#[uniffi::export]
pub fn file_key_protector(path: String) -> Result<Arc<dyn KeyProtector>, TesseraError> {
    let inner = FileKeyProtector::open_or_create(std::path::Path::new(&path)).map_err(|e| {
        log::warn!(target: "tessera::bindings", "file key protector: {e}");
        TesseraError::KeyStore
    })?;
    Ok(Arc::new(FileProtector(inner)))
}

struct FileProtector(FileKeyProtector);

impl KeyProtector for FileProtector {
    fn wrap_key(&self, key: Vec<u8>) -> Result<Vec<u8>, TesseraError> {
        let key = Zeroizing::new(key);
        self.0.wrap(&key).map_err(|_| TesseraError::KeyStore)
    }

    fn unwrap_key(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, TesseraError> {
        self.0.unwrap(&wrapped).map_err(|_| TesseraError::KeyStore)
    }
}

/// Notes what core asks and answers `Mismatch`, so core gives up without side effects.
#[derive(Default)]
pub(crate) struct Recorder {
    pub(crate) wrapped: std::sync::Mutex<Vec<Vec<u8>>>,
    pub(crate) to_wrap: std::sync::Mutex<Option<Zeroizing<Vec<u8>>>>,
}

impl CoreProtector for Recorder {
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, ProtectorError> {
        if let Ok(mut slot) = self.to_wrap.lock() {
            *slot = Some(Zeroizing::new(key.to_vec()));
        }
        Err(ProtectorError::Mismatch)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, ProtectorError> {
        if let Ok(mut all) = self.wrapped.lock() {
            all.push(wrapped.to_vec());
        }
        Err(ProtectorError::Mismatch)
    }
}

/// (wrapped bytes, the key they unwrap to) for each slot the foreign protector opened.
pub(crate) type Unwrapped = Vec<(Vec<u8>, Zeroizing<Vec<u8>>)>;

/// Answers core from the foreign protector's results.
pub(crate) struct Replay {
    /// What the foreign protector unwrapped.
    pub(crate) unwrapped: Unwrapped,
    /// (key, wrapped bytes) from `wrap_key`.
    pub(crate) wrapped: Option<(Zeroizing<Vec<u8>>, Vec<u8>)>,
}

impl CoreProtector for Replay {
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, ProtectorError> {
        match &self.wrapped {
            Some((k, w)) if k.as_slice() == key => Ok(w.clone()),
            _ => Err(ProtectorError::Failed(
                "the key changed between steps".into(),
            )),
        }
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, ProtectorError> {
        self.unwrapped
            .iter()
            .find(|(w, _)| w.as_slice() == wrapped)
            .map(|(_, k)| k.to_vec())
            .ok_or(ProtectorError::Mismatch)
    }
}
