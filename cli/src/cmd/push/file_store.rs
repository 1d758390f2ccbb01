//! TEMPORARY: a plain JSON file beside the vault for the push records, until the vault's sealed
//! blob store lands. It holds the device private keys unencrypted (mode 0600); the vault-backed
//! store replaces it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tessera_core::push::{PushError, PushStore};

/// namespace → key → value (values as JSON strings of lossless bytes via base64).
pub struct FileStore {
    path: PathBuf,
    data: BTreeMap<String, BTreeMap<String, String>>,
}

fn enc(b: &[u8]) -> String {
    data_encoding::BASE64.encode(b)
}

impl FileStore {
    /// Opens (or starts) the file at `path`.
    pub fn open(path: &Path) -> Result<Self, PushError> {
        let data = match std::fs::read(path) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|_| PushError::Store(format!("{} is corrupted", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(PushError::Store(format!("{}: {e}", path.display()))),
        };
        Ok(FileStore {
            path: path.to_path_buf(),
            data,
        })
    }

    fn save(&self) -> Result<(), PushError> {
        let err = |e: std::io::Error| PushError::Store(format!("{}: {e}", self.path.display()));
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let tmp = self.path.with_extension("tmp");
        let bytes = serde_json::to_vec(&self.data).map_err(|e| PushError::Store(e.to_string()))?;
        {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts.open(&tmp).map_err(err)?;
            f.write_all(&bytes).map_err(err)?;
            f.sync_all().map_err(err)?;
        }
        std::fs::rename(&tmp, &self.path).map_err(err)
    }
}

impl PushStore for FileStore {
    fn put(&mut self, namespace: &str, key: &str, value: &[u8]) -> Result<(), PushError> {
        self.data
            .entry(namespace.to_string())
            .or_default()
            .insert(key.to_string(), enc(value));
        self.save()
    }
    fn get(&self, namespace: &str, key: &str) -> Result<Option<Vec<u8>>, PushError> {
        match self.data.get(namespace).and_then(|m| m.get(key)) {
            Some(v) => data_encoding::BASE64
                .decode(v.as_bytes())
                .map(Some)
                .map_err(|_| PushError::Store("push store entry is corrupted".into())),
            None => Ok(None),
        }
    }
    fn list(&self, namespace: &str) -> Result<Vec<String>, PushError> {
        Ok(self
            .data
            .get(namespace)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default())
    }
    fn delete(&mut self, namespace: &str, key: &str) -> Result<(), PushError> {
        if let Some(m) = self.data.get_mut(namespace) {
            m.remove(key);
        }
        self.save()
    }
}
