//! The push records in the vault: every value (tokens with their private keys, requests,
//! history, the clock offset) is sealed by the vault's blob store.

use zeroize::Zeroizing;

use super::error::PushError;
use super::store::PushStore;
use crate::vault::{Vault, VaultError};

fn store_error(e: VaultError) -> PushError {
    PushError::Store(e.to_string())
}

/// An unlocked [`Vault`] holds the push records (namespaces `push.*`).
impl PushStore for Vault {
    fn put(&mut self, namespace: &str, key: &str, value: &[u8]) -> Result<(), PushError> {
        self.put_blob(namespace, key, value).map_err(store_error)
    }
    fn get(&self, namespace: &str, key: &str) -> Result<Option<Zeroizing<Vec<u8>>>, PushError> {
        self.get_blob(namespace, key).map_err(store_error)
    }
    fn list(&self, namespace: &str) -> Result<Vec<String>, PushError> {
        self.list_blobs(namespace).map_err(store_error)
    }
    fn delete(&mut self, namespace: &str, key: &str) -> Result<(), PushError> {
        self.delete_blob(namespace, key)
            .map(|_| ())
            .map_err(store_error)
    }
}
