//! Persistence behind a small trait shaped like the vault's sealed blob store
//! (namespace, key → bytes), so the vault, a test map or a platform store can carry it.
//!
//! Namespaces: `push.tokens` (serial → token record with the private key: keep it sealed),
//! `push.requests` (`serial:nonce` → request), `push.history` (ordered key → entry),
//! `push.meta` (`clock_offset`).

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::error::PushError;
use super::history::HistoryEntry;
use super::request::PushRequest;
use super::token::PushToken;

/// Tokens, with their private keys.
pub const NS_TOKENS: &str = "push.tokens";
/// Requests.
pub const NS_REQUESTS: &str = "push.requests";
/// History entries.
pub const NS_HISTORY: &str = "push.history";
/// Small settings (the clock offset).
pub const NS_META: &str = "push.meta";

/// Most history entries kept; older ones are dropped first.
pub const MAX_HISTORY: usize = 10_000;

/// A namespaced byte store. Implementations must keep `push.tokens` confidential.
pub trait PushStore {
    /// Writes (or replaces) a value.
    fn put(&mut self, namespace: &str, key: &str, value: &[u8]) -> Result<(), PushError>;
    /// Reads a value (wiped from memory when dropped).
    fn get(&self, namespace: &str, key: &str) -> Result<Option<Zeroizing<Vec<u8>>>, PushError>;
    /// Lists the keys of a namespace, in ascending order.
    fn list(&self, namespace: &str) -> Result<Vec<String>, PushError>;
    /// Deletes a value (absent is fine).
    fn delete(&mut self, namespace: &str, key: &str) -> Result<(), PushError>;
}

/// An in-memory store for tests and embedders that persist elsewhere. `Debug` shows no values.
#[derive(Default)]
pub struct MemoryStore {
    map: BTreeMap<(String, String), Vec<u8>>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("entries", &self.map.len())
            .finish()
    }
}

impl Drop for MemoryStore {
    fn drop(&mut self) {
        for v in self.map.values_mut() {
            zeroize::Zeroize::zeroize(v);
        }
    }
}

impl PushStore for MemoryStore {
    fn put(&mut self, namespace: &str, key: &str, value: &[u8]) -> Result<(), PushError> {
        self.map
            .insert((namespace.to_string(), key.to_string()), value.to_vec());
        Ok(())
    }
    fn get(&self, namespace: &str, key: &str) -> Result<Option<Zeroizing<Vec<u8>>>, PushError> {
        Ok(self
            .map
            .get(&(namespace.to_string(), key.to_string()))
            .map(|v| Zeroizing::new(v.clone())))
    }
    fn list(&self, namespace: &str) -> Result<Vec<String>, PushError> {
        Ok(self
            .map
            .keys()
            .filter(|(n, _)| n == namespace)
            .map(|(_, k)| k.clone())
            .collect())
    }
    fn delete(&mut self, namespace: &str, key: &str) -> Result<(), PushError> {
        self.map.remove(&(namespace.to_string(), key.to_string()));
        Ok(())
    }
}

/// The clock offset measured against the push server (seconds, server minus device; 0 when never
/// measured). Apply it with [`crate::clock::Clock::set_offset_seconds`] so TOTP codes follow the
/// server's time too.
pub fn stored_clock_offset(store: &dyn PushStore) -> Result<i64, PushError> {
    Ok(store
        .get(NS_META, "clock_offset")?
        .and_then(|b| std::str::from_utf8(&b).ok()?.parse().ok())
        .unwrap_or(0))
}

/// Typed access on top of any [`PushStore`].
pub struct Records<'a> {
    store: &'a mut dyn PushStore,
}

fn corrupt(what: &str) -> PushError {
    PushError::Store(format!("a stored push {what} is corrupted"))
}

impl<'a> Records<'a> {
    /// Wraps a store.
    pub fn new(store: &'a mut dyn PushStore) -> Self {
        Records { store }
    }

    /// Saves a token (private key included).
    pub fn save_token(&mut self, token: &PushToken) -> Result<(), PushError> {
        let rec = token.to_record()?;
        self.store.put(NS_TOKENS, &token.serial, &rec)
    }

    /// Loads one token.
    pub fn token(&self, serial: &str) -> Result<Option<PushToken>, PushError> {
        match self.store.get(NS_TOKENS, serial)? {
            Some(b) => Ok(Some(PushToken::from_record(&b)?)),
            None => Ok(None),
        }
    }

    /// Loads every token.
    pub fn tokens(&self) -> Result<Vec<PushToken>, PushError> {
        let mut out = Vec::new();
        for serial in self.store.list(NS_TOKENS)? {
            if let Some(t) = self.token(&serial)? {
                out.push(t);
            }
        }
        Ok(out)
    }

    fn request_key(serial: &str, id: &str) -> String {
        format!("{serial}:{id}")
    }

    /// Saves a request.
    pub fn save_request(&mut self, r: &PushRequest) -> Result<(), PushError> {
        let b = serde_json::to_vec(r).map_err(|e| PushError::Store(e.to_string()))?;
        self.store
            .put(NS_REQUESTS, &Self::request_key(&r.serial, &r.id), &b)
    }

    /// Loads one request by serial and id.
    pub fn request(&self, serial: &str, id: &str) -> Result<Option<PushRequest>, PushError> {
        match self
            .store
            .get(NS_REQUESTS, &Self::request_key(serial, id))?
        {
            Some(b) => Ok(Some(
                serde_json::from_slice(&b).map_err(|_| corrupt("request"))?,
            )),
            None => Ok(None),
        }
    }

    /// Loads every request, oldest first.
    pub fn requests(&self) -> Result<Vec<PushRequest>, PushError> {
        let mut out = Vec::new();
        for key in self.store.list(NS_REQUESTS)? {
            if let Some(b) = self.store.get(NS_REQUESTS, &key)? {
                out.push(
                    serde_json::from_slice::<PushRequest>(&b).map_err(|_| corrupt("request"))?,
                );
            }
        }
        out.sort_by(|a, b| (a.received_at, &a.id).cmp(&(b.received_at, &b.id)));
        Ok(out)
    }

    /// Appends a history entry (dropping the oldest beyond [`MAX_HISTORY`]).
    pub fn append_history(&mut self, entry: &HistoryEntry) -> Result<(), PushError> {
        let keys = self.store.list(NS_HISTORY)?;
        let next = keys
            .last()
            .and_then(|k| k.parse::<u64>().ok())
            .map_or(0, |n| n + 1);
        let b = serde_json::to_vec(entry).map_err(|e| PushError::Store(e.to_string()))?;
        self.store.put(NS_HISTORY, &format!("{next:020}"), &b)?;
        if keys.len() >= MAX_HISTORY {
            for k in &keys[..=keys.len() - MAX_HISTORY] {
                self.store.delete(NS_HISTORY, k)?;
            }
        }
        Ok(())
    }

    /// The whole history, oldest first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>, PushError> {
        let mut out = Vec::new();
        for key in self.store.list(NS_HISTORY)? {
            if let Some(b) = self.store.get(NS_HISTORY, &key)? {
                out.push(serde_json::from_slice(&b).map_err(|_| corrupt("history entry"))?);
            }
        }
        Ok(out)
    }

    /// The stored clock offset (seconds, server minus device), 0 when never measured.
    pub fn clock_offset(&self) -> Result<i64, PushError> {
        stored_clock_offset(&*self.store)
    }

    /// Stores the clock offset.
    pub fn save_clock_offset(&mut self, offset: i64) -> Result<(), PushError> {
        self.store
            .put(NS_META, "clock_offset", offset.to_string().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::history::HistoryEvent;

    #[test]
    fn history_is_ordered_and_bounded() {
        let mut m = MemoryStore::default();
        let mut r = Records::new(&mut m);
        for i in 0..5 {
            r.append_history(&HistoryEntry::refused(None, None, format!("r{i}"), i))
                .unwrap();
        }
        let h = r.history().unwrap();
        assert_eq!(h.len(), 5);
        assert_eq!(
            h[4].event,
            HistoryEvent::Refused {
                reason: "r4".into()
            }
        );
        assert_eq!(r.clock_offset().unwrap(), 0);
        r.save_clock_offset(-42).unwrap();
        assert_eq!(r.clock_offset().unwrap(), -42);
    }
}
