//! Platform key protection: the phone wraps the vault key with a key that never leaves the Android
//! Keystore / iOS Keychain (Secure Enclave); the CLI and the tests use [`FileKeyProtector`], a
//! random key in a file only its owner can read.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::seal::{KEY_LEN, SymmetricKey, ad};

/// Why a key protector failed. Never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtectorError {
    /// The platform key does not exist or cannot be used (deleted, biometrics re-enrolled, ...).
    #[error("the platform key is unavailable")]
    Unavailable,
    /// The user cancelled or failed the authentication the key requires.
    #[error("authentication was cancelled or failed")]
    Denied,
    /// The wrapped bytes were not produced by this protector's key.
    #[error("the wrapped key does not open with this protector")]
    Mismatch,
    /// Any other failure, described without secrets.
    #[error("{0}")]
    Failed(String),
}

/// Wraps and unwraps the vault key with a platform key. Implemented by the phone apps through the
/// bindings (Android Keystore, iOS Keychain) and by [`FileKeyProtector`] for the CLI and tests.
pub trait KeyProtector: Send + Sync {
    /// Encrypts `key` (the 32-byte vault key); the result is stored in the vault's protector slot.
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, ProtectorError>;
    /// Decrypts what [`wrap`](Self::wrap) returned. The caller zeroizes the result.
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, ProtectorError>;
}

/// A key protector backed by a file holding a random 256-bit key, created with mode 0600.
/// Protects as well as the file's permissions do: for the CLI, tests and benchmarks.
#[derive(Debug)]
pub struct FileKeyProtector {
    path: PathBuf,
    key: SymmetricKey,
}

const FILE_MAGIC: &[u8; 8] = b"TSRAKEY1";

impl FileKeyProtector {
    /// Opens the key file at `path`, creating it (mode 0600, random key) when absent.
    pub fn open_or_create(path: &Path) -> Result<Self, ProtectorError> {
        match fs::read(path) {
            Ok(bytes) => Self::from_bytes(path, &zeroize::Zeroizing::new(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create(path),
            Err(e) => Err(ProtectorError::Failed(format!("cannot read key file: {e}"))),
        }
    }

    /// Opens an existing key file.
    pub fn open(path: &Path) -> Result<Self, ProtectorError> {
        let bytes = zeroize::Zeroizing::new(fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ProtectorError::Unavailable,
            _ => ProtectorError::Failed(format!("cannot read key file: {e}")),
        })?);
        Self::from_bytes(path, &bytes)
    }

    fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, ProtectorError> {
        let key = bytes
            .strip_prefix(FILE_MAGIC)
            .and_then(SymmetricKey::from_slice)
            .ok_or_else(|| {
                ProtectorError::Failed("the key file is not a Tessera key file".into())
            })?;
        Ok(FileKeyProtector {
            path: path.to_owned(),
            key,
        })
    }

    fn create(path: &Path) -> Result<Self, ProtectorError> {
        let key = SymmetricKey::generate().map_err(|e| ProtectorError::Failed(e.to_string()))?;
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts
            .open(path)
            .map_err(|e| ProtectorError::Failed(format!("cannot create key file: {e}")))?;
        let mut content = zeroize::Zeroizing::new(Vec::with_capacity(FILE_MAGIC.len() + KEY_LEN));
        content.extend_from_slice(FILE_MAGIC);
        content.extend_from_slice(key.as_bytes());
        f.write_all(&content)
            .and_then(|()| f.sync_all())
            .map_err(|e| ProtectorError::Failed(format!("cannot write key file: {e}")))?;
        Ok(FileKeyProtector {
            path: path.to_owned(),
            key,
        })
    }

    /// Where the key file is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

const WRAP_LABEL: &str = "tessera/file-protector/v1";

impl KeyProtector for FileKeyProtector {
    fn wrap(&self, key: &[u8]) -> Result<Vec<u8>, ProtectorError> {
        self.key
            .seal(key, &ad(WRAP_LABEL, &[]))
            .map_err(|e| ProtectorError::Failed(e.to_string()))
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, ProtectorError> {
        self.key
            .open(wrapped, &ad(WRAP_LABEL, &[]))
            .map(|z| z.to_vec())
            .ok_or(ProtectorError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_protector_round_trip_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        let a = FileKeyProtector::open_or_create(&p).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let w = a.wrap(&[9u8; 32]).unwrap();
        let b = FileKeyProtector::open(&p).unwrap();
        assert_eq!(b.unwrap(&w).unwrap(), vec![9u8; 32]);
        let other = FileKeyProtector::open_or_create(&dir.path().join("k2")).unwrap();
        assert_eq!(other.unwrap(&w), Err(ProtectorError::Mismatch));
        assert!(!format!("{a:?}").contains("9, 9"));
        fs::write(dir.path().join("bad"), b"nonsense").unwrap();
        assert!(FileKeyProtector::open(&dir.path().join("bad")).is_err());
        assert_eq!(
            FileKeyProtector::open(&dir.path().join("none")).unwrap_err(),
            ProtectorError::Unavailable
        );
    }
}
