//! The vault: Tessera's encrypted account store (SQLite via rusqlite, sealed with ring).
//!
//! # Design
//! - One SQLite file in WAL mode with `synchronous = FULL`; every change runs in one immediate
//!   transaction, so a change reported done survives a crash or SIGKILL, and two writers either
//!   wait for each other (up to [`schema::BUSY_TIMEOUT`]) or get [`VaultError::Busy`].
//! - A random 256-bit **vault key** seals each secret (and note, and blob) with AES-256-GCM; the
//!   entry id and field are the associated data, so a ciphertext moved to another row fails to
//!   open. Issuer, name, groups, parameters and counters are stored in clear (they are listed
//!   without opening anything); secrets and notes never are, in the database or its WAL.
//! - **Key slots** wrap the vault key: a password slot (Argon2id, parameters per slot, default
//!   [`KdfParams::OWASP_MINIMUM`]), a recovery-key slot (shown once) and platform slots through a
//!   [`KeyProtector`] (Android Keystore / iOS Keychain; [`FileKeyProtector`] for the CLI).
//! - Keys and secrets are zeroized on drop and never printed by `Debug` or errors. (ring's
//!   expanded AES/HMAC key schedules are not zeroized by ring; the raw key bytes are.)
//!
//! # API (what the CLI, import/export, push and the bindings call)
//! - Lifecycle: [`Vault::create`] (returns the [`RecoveryKey`] to show once), [`Vault::open`]
//!   (locked), [`Vault::unlock_with_password`], [`Vault::unlock_with_protector`],
//!   [`Vault::unlock_with_recovery_key`], [`Vault::lock`], [`Vault::is_unlocked`].
//! - Slots: [`Vault::slots`], [`Vault::add_password_slot`], [`Vault::add_protector_slot`],
//!   [`Vault::replace_recovery_key`], [`Vault::remove_slot`], [`Vault::change_password`].
//! - Entries: [`Vault::add`], [`Vault::add_accounts`] (one transaction, duplicates skipped and
//!   reported), [`Vault::accounts`] (export, secrets included), [`Vault::account`],
//!   [`Vault::list`] (no secrets), [`Vault::codes_at`] (rows carry no labels: join them to the
//!   list by id), [`Vault::next_hotp`], [`Vault::rename`],
//!   [`Vault::update`], [`Vault::remove`], [`Vault::record_use`], [`Vault::resolve_id`].
//! - Blobs for other modules: [`Vault::put_blob`], [`Vault::get_blob`], [`Vault::list_blobs`],
//!   [`Vault::delete_blob`].
//!
//! Every method except `open`/`create`/`slots` needs the vault unlocked ([`VaultError::Locked`]).

mod blob;
mod codes;
mod entry;
mod error;
mod kdf;
mod protector;
pub mod schema;
mod seal;
mod slots;
mod store;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ring::{hkdf, hmac};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use zeroize::Zeroizing;

use crate::account::Account;
use crate::clock::Clock;

pub use blob::{MAX_KEY_LEN, MAX_NAMESPACE_LEN, MAX_VALUE_LEN};
pub use entry::{AddReport, CodeRow, EntryId, EntryInfo, EntryUpdate};
pub use error::{Result, VaultError};
pub use kdf::KdfParams;
pub use protector::{FileKeyProtector, KeyProtector, ProtectorError};
pub use seal::SymmetricKey;
pub use slots::{RecoveryKey, SlotInfo, SlotKind};

use store::Keys;

const FINGERPRINT_INFO: &[u8] = b"tessera/fingerprint/v1";

/// An open vault file; locked until one of the `unlock_*` methods succeeds.
pub struct Vault {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    unlocked: Option<Unlocked>,
}

struct Unlocked {
    keys: Keys,
    codes: RefCell<codes::Cache>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("unlocked", &self.unlocked.is_some())
            .finish_non_exhaustive()
    }
}

/// A new random id: a version-4 UUID string.
pub(crate) fn new_id() -> Result<String> {
    let mut b = [0u8; 16];
    seal::random_fill(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = data_encoding::HEXLOWER.encode(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// The system time in Unix seconds (for slot timestamps).
pub(crate) fn now_unix() -> i64 {
    i64::try_from(Clock::system().now()).unwrap_or(i64::MAX)
}

// Vaults move between threads (the bindings keep one behind a Mutex).
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Vault>();
};

fn keys_for(vault: SymmetricKey) -> Result<Keys> {
    let prk = hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, vault.as_bytes());
    let okm = prk
        .expand(&[FINGERPRINT_INFO], hmac::HMAC_SHA256)
        .map_err(|_| VaultError::Database("key derivation failed".into()))?;
    Ok(Keys {
        vault,
        fingerprint: hmac::Key::from(okm),
    })
}

impl Vault {
    /// Creates a vault at `path` (parent directories included) with a password slot (when
    /// `password` is given, derived with `kdf`) and a recovery slot. The file appears atomically:
    /// complete, or not at all. Refuses to replace anything at `path`. Returns the vault, unlocked,
    /// and the recovery key to show the user once.
    pub fn create(
        path: &Path,
        password: Option<&str>,
        kdf: KdfParams,
    ) -> Result<(Vault, RecoveryKey)> {
        kdf.validate()?;
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.to_owned()));
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let file_name = path
            .file_name()
            .ok_or_else(|| VaultError::Invalid("the vault path has no file name".into()))?
            .to_string_lossy()
            .into_owned();
        let tmp = parent.join(format!(".{file_name}.{}.creating", new_id()?));
        let result = Self::create_at_temp(&tmp, password, &kdf).and_then(|(vk, recovery)| {
            std::fs::File::open(&tmp)?.sync_all()?;
            // A hard link never replaces an existing file: the atomic "create if absent".
            match std::fs::hard_link(&tmp, path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(VaultError::AlreadyExists(path.to_owned()));
                }
                Err(e) => return Err(e.into()),
            }
            if let Ok(d) = std::fs::File::open(&parent) {
                let _ = d.sync_all();
            }
            Ok((vk, recovery))
        });
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = tmp.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        let (vk, recovery) = result?;
        let mut vault = Vault::open(path)?;
        vault.unlocked = Some(Unlocked {
            keys: keys_for(vk)?,
            codes: RefCell::default(),
        });
        log::info!("vault: created {}", path.display());
        Ok((vault, recovery))
    }

    fn create_at_temp(
        tmp: &Path,
        password: Option<&str>,
        kdf: &KdfParams,
    ) -> Result<(SymmetricKey, RecoveryKey)> {
        let conn = schema::create_new(tmp)?;
        let vk = SymmetricKey::generate()?;
        let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO vault_info (key, value) VALUES ('vault_id', ?1), ('created_at', ?2)",
            rusqlite::params![new_id()?, now_unix().to_string()],
        )?;
        slots::write_key_check(&tx, &vk)?;
        if let Some(pw) = password {
            slots::add_password(&tx, &vk, pw, kdf, "password")?;
        }
        let (_, recovery) = slots::add_recovery(&tx, &vk)?;
        tx.commit()?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        conn.close().map_err(|(_, e)| VaultError::from(e))?;
        Ok((vk, recovery))
    }

    /// Opens an existing vault, locked. Refuses (without writing anything) a missing file, an empty
    /// or foreign file, a truncated or damaged one, or a newer schema.
    pub fn open(path: &Path) -> Result<Vault> {
        let conn = schema::open_existing(path)?;
        log::debug!("vault: opened {}", path.display());
        Ok(Vault {
            conn,
            path: path.to_owned(),
            clock: Clock::system(),
            unlocked: None,
        })
    }

    /// The file this vault lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Uses `clock` for timestamps (created/updated/last used) instead of the system clock.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    fn now(&self) -> i64 {
        i64::try_from(self.clock.now()).unwrap_or(i64::MAX)
    }

    fn set_key(&mut self, vk: SymmetricKey) -> Result<()> {
        self.unlocked = Some(Unlocked {
            keys: keys_for(vk)?,
            codes: RefCell::default(),
        });
        Ok(())
    }

    /// Unlocks with the password ([`VaultError::WrongPassword`] when no password slot takes it).
    pub fn unlock_with_password(&mut self, password: &str) -> Result<()> {
        let vk = slots::unlock_password(&self.conn, password)?;
        log::debug!("vault: unlocked with a password slot");
        self.set_key(vk)
    }

    /// Unlocks with the platform key protector.
    pub fn unlock_with_protector(&mut self, protector: &dyn KeyProtector) -> Result<()> {
        let vk = slots::unlock_protector(&self.conn, protector)?;
        log::debug!("vault: unlocked with a protector slot");
        self.set_key(vk)
    }

    /// Unlocks with the recovery key as the user typed it.
    pub fn unlock_with_recovery_key(&mut self, recovery_key: &str) -> Result<()> {
        let key = RecoveryKey::parse(recovery_key)?;
        let vk = slots::unlock_recovery(&self.conn, &key)?;
        log::debug!("vault: unlocked with the recovery key");
        self.set_key(vk)
    }

    /// Forgets the vault key and every prepared code generator (zeroizing the key).
    pub fn lock(&mut self) {
        self.unlocked = None;
        log::debug!("vault: locked");
    }

    /// Whether the vault key is held.
    pub fn is_unlocked(&self) -> bool {
        self.unlocked.is_some()
    }

    fn keys(&self) -> Result<&Keys> {
        self.unlocked
            .as_ref()
            .map(|u| &u.keys)
            .ok_or(VaultError::Locked)
    }

    /// Runs `f` in one immediate (write-locked) transaction, committed only if `f` succeeds.
    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    // ---- slots ----

    /// The key slots (no key material). Works while locked.
    pub fn slots(&self) -> Result<Vec<SlotInfo>> {
        slots::list(&self.conn)
    }

    /// Adds another password slot; returns its id.
    pub fn add_password_slot(&self, password: &str, kdf: KdfParams, label: &str) -> Result<String> {
        let keys = self.keys()?;
        self.write(|c| slots::add_password(c, &keys.vault, password, &kdf, label))
    }

    /// Adds a platform key slot (call `wrap` of `protector`); returns its id.
    pub fn add_protector_slot(&self, protector: &dyn KeyProtector, label: &str) -> Result<String> {
        let keys = self.keys()?;
        // The protector runs before the transaction: a platform prompt must not hold the lock.
        let wrapped = protector.wrap(keys.vault.as_bytes())?;
        self.write(|c| slots::add_protector(c, &wrapped, label))
    }

    /// Replaces the recovery slot(s) with a new recovery key, returned to show once.
    pub fn replace_recovery_key(&self) -> Result<RecoveryKey> {
        let keys = self.keys()?;
        self.write(|c| {
            slots::remove_kind(c, SlotKind::Recovery)?;
            Ok(slots::add_recovery(c, &keys.vault)?.1)
        })
    }

    /// Replaces every password slot with one for `new_password`, in one transaction.
    pub fn change_password(&self, new_password: &str, kdf: KdfParams) -> Result<()> {
        let keys = self.keys()?;
        self.write(|c| {
            slots::remove_kind(c, SlotKind::Password)?;
            slots::add_password(c, &keys.vault, new_password, &kdf, "password")?;
            Ok(())
        })?;
        log::info!("vault: password changed");
        Ok(())
    }

    /// Removes a slot; refuses to remove the last one.
    pub fn remove_slot(&self, slot_id: &str) -> Result<()> {
        self.keys()?;
        self.write(|c| slots::remove(c, slot_id))
    }

    // ---- entries ----

    /// Adds one account; returns its new id. [`VaultError::Duplicate`] when the same secret and
    /// parameters are already stored.
    pub fn add(&self, account: &Account) -> Result<EntryId> {
        let keys = self.keys()?;
        account.validate()?;
        let now = self.now();
        let id = self.write(|c| {
            let fp = store::fingerprint(keys, account);
            if let Some(existing) = store::find_fingerprint(c, &fp)? {
                return Err(VaultError::Duplicate(existing.0));
            }
            let id = EntryId(new_id()?);
            store::insert(c, keys, &id, account, &fp, store::next_sort_order(c)?, now)?;
            Ok(id)
        })?;
        log::debug!("vault: added entry {id}");
        Ok(id)
    }

    /// Adds many accounts in one transaction (all or nothing). Accounts whose secret and
    /// parameters match an existing entry or an earlier account of the batch are skipped and
    /// reported. Any invalid account fails the whole batch.
    pub fn add_accounts(&self, accounts: &[Account]) -> Result<AddReport> {
        let keys = self.keys()?;
        for a in accounts {
            a.validate()?;
        }
        let now = self.now();
        let report = self.write(|c| {
            let mut report = AddReport::default();
            let mut batch: HashMap<Vec<u8>, EntryId> = HashMap::new();
            let mut order = store::next_sort_order(c)?;
            for (i, a) in accounts.iter().enumerate() {
                let fp = store::fingerprint(keys, a);
                if let Some(existing) = batch.get(&fp).cloned() {
                    report.duplicates.push((i, existing));
                    continue;
                }
                if let Some(existing) = store::find_fingerprint(c, &fp)? {
                    report.duplicates.push((i, existing));
                    continue;
                }
                let id = EntryId(new_id()?);
                store::insert(c, keys, &id, a, &fp, order, now)?;
                order += 1;
                batch.insert(fp, id.clone());
                report.added.push(id);
            }
            Ok(report)
        })?;
        log::info!(
            "vault: added {} accounts, skipped {} duplicates",
            report.added.len(),
            report.duplicates.len()
        );
        Ok(report)
    }

    /// Every entry as a full account (secrets included), in list order: for export.
    pub fn accounts(&self) -> Result<Vec<(EntryId, Account)>> {
        store::accounts(&self.conn, self.keys()?)
    }

    /// One entry as a full account (secret included).
    pub fn account(&self, id: &EntryId) -> Result<Account> {
        store::account(&self.conn, self.keys()?, id)
    }

    /// Every entry without secrets or notes, favourites first, then by sort order.
    pub fn list(&self) -> Result<Vec<EntryInfo>> {
        self.keys()?;
        store::list(&self.conn)
    }

    /// One entry without secrets.
    pub fn info(&self, id: &EntryId) -> Result<EntryInfo> {
        self.keys()?;
        store::info(&self.conn, id)
    }

    /// The one entry whose id starts with `prefix` ([`VaultError::Ambiguous`] when several do).
    pub fn resolve_id(&self, prefix: &str) -> Result<EntryId> {
        self.keys()?;
        store::resolve(&self.conn, prefix)
    }

    /// Changes issuer and name.
    pub fn rename(&self, id: &EntryId, issuer: &str, name: &str) -> Result<()> {
        self.update(
            id,
            &EntryUpdate {
                issuer: Some(issuer.to_owned()),
                name: Some(name.to_owned()),
                ..EntryUpdate::default()
            },
        )
    }

    /// Changes the fields set in `update` (groups, note, favourite, sort order, issuer, name).
    pub fn update(&self, id: &EntryId, update: &EntryUpdate) -> Result<()> {
        let keys = self.keys()?;
        let now = self.now();
        self.write(|c| store::update(c, keys, id, update, now))
    }

    /// Removes an entry.
    pub fn remove(&self, id: &EntryId) -> Result<()> {
        self.keys()?;
        self.write(|c| store::remove(c, id))?;
        if let Some(u) = &self.unlocked {
            u.codes.borrow_mut().forget(id.as_str());
        }
        log::debug!("vault: removed entry {id}");
        Ok(())
    }

    /// Counts one use of an entry's code (e.g. copied) and sets its last-used time.
    pub fn record_use(&self, id: &EntryId) -> Result<()> {
        self.keys()?;
        let now = self.now();
        self.write(|c| store::record_use(c, id, now))
    }

    // ---- codes ----

    /// Every entry's code at `unix_seconds`, in list order (HOTP rows carry no code: use
    /// [`Vault::next_hotp`]). Generators are prepared once per entry and reused while unlocked.
    pub fn codes_at(&self, unix_seconds: u64) -> Result<Vec<CodeRow>> {
        let u = self.unlocked.as_ref().ok_or(VaultError::Locked)?;
        let mut cache = u.codes.borrow_mut();
        codes::codes_at(&self.conn, &u.keys, &mut cache, unix_seconds)
    }

    /// The next code of an HOTP entry. The advanced counter is committed to the file *before* the
    /// code is returned, so a code once shown is never shown again, even after a crash.
    pub fn next_hotp(&self, id: &EntryId) -> Result<String> {
        let keys = self.keys()?;
        let now = self.now();
        let code = self.write(|c| codes::next_hotp(c, keys, id, now))?;
        log::debug!("vault: advanced the HOTP counter of entry {id}");
        Ok(code)
    }

    // ---- blobs ----

    /// Stores (or replaces) a sealed value under `namespace`/`key` (both stored in clear).
    pub fn put_blob(&self, namespace: &str, key: &str, value: &[u8]) -> Result<()> {
        let keys = self.keys()?;
        let now = self.now();
        self.write(|c| blob::put(c, &keys.vault, namespace, key, value, now))
    }

    /// Reads a sealed value; `None` when absent.
    pub fn get_blob(&self, namespace: &str, key: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        blob::get(&self.conn, &self.keys()?.vault, namespace, key)
    }

    /// The keys stored under `namespace`, sorted.
    pub fn list_blobs(&self, namespace: &str) -> Result<Vec<String>> {
        self.keys()?;
        blob::list(&self.conn, namespace)
    }

    /// Deletes a value; `true` when one was there.
    pub fn delete_blob(&self, namespace: &str, key: &str) -> Result<bool> {
        self.keys()?;
        self.write(|c| blob::delete(c, namespace, key))
    }
}
