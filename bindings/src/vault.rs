//! The encrypted vault as an object: core's [`tessera_core::vault::Vault`] behind a
//! `Mutex<Option<..>>` so it can be used from any thread and closed explicitly.
//!
//! Foreign callbacks never run under the mutex: the key protector goes through the record/replay
//! adapters of [`crate::keys`], the clock is read before locking, and log records produced while
//! locked are delivered after unlocking ([`crate::logging`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use tessera_core::Account as CoreAccount;
use tessera_core::vault::{
    EntryId, EntryInfo, EntryUpdate, KdfParams, Vault as CoreVault, VaultError,
};
use zeroize::Zeroizing;

use crate::account::{Account, HashAlgorithm, OtpType};
use crate::clock::Clock;
use crate::error::{TesseraError, internal, invalid_input, unsupported};
use crate::keys::{KeyProtector, Recorder, Replay, Unwrapped};
use crate::logging;
use crate::otp::CodeEntry;

/// Argon2id cost of a password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct KdfSettings {
    /// Memory in KiB (OWASP minimum: 19456).
    pub memory_kib: u32,
    /// Passes (OWASP minimum: 2).
    pub iterations: u32,
    /// Lanes (usually 1).
    pub parallelism: u32,
}

impl From<KdfSettings> for KdfParams {
    fn from(k: KdfSettings) -> Self {
        KdfParams {
            memory_kib: k.memory_kib,
            iterations: k.iterations,
            parallelism: k.parallelism,
        }
    }
}

/// OWASP's minimum Argon2id cost (19 MiB, 2 passes): the default for real vaults.
#[uniffi::export]
pub fn kdf_default() -> KdfSettings {
    let k = KdfParams::OWASP_MINIMUM;
    KdfSettings {
        memory_kib: k.memory_kib,
        iterations: k.iterations,
        parallelism: k.parallelism,
    }
}

/// A tiny Argon2 cost that makes tests fast. Never use it for a real vault.
#[uniffi::export]
pub fn kdf_insecure_for_tests() -> KdfSettings {
    let k = KdfParams::INSECURE_FOR_TESTS;
    KdfSettings {
        memory_kib: k.memory_kib,
        iterations: k.iterations,
        parallelism: k.parallelism,
    }
}

/// One vault entry as the list shows it: no secret, no note.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VaultEntry {
    /// The entry's id (stable).
    pub id: String,
    /// The service.
    pub issuer: String,
    /// The account name.
    pub name: String,
    /// TOTP, HOTP or Steam.
    pub otp_type: OtpType,
    /// The HMAC hash function.
    pub algorithm: HashAlgorithm,
    /// Digits of a code.
    pub digits: u8,
    /// Seconds per code (time-based kinds), else 0.
    pub period: u32,
    /// Groups or tags.
    pub groups: Vec<String>,
    /// Pinned to the top.
    pub favorite: bool,
    /// Whether the entry has a note.
    pub has_note: bool,
    /// How many times a code was used (copied).
    pub usage_count: u64,
}

impl From<EntryInfo> for VaultEntry {
    fn from(e: EntryInfo) -> Self {
        let (otp_type, period) = match e.params.kind {
            tessera_core::OtpKind::Totp { period } => (OtpType::Totp, period),
            tessera_core::OtpKind::Hotp { .. } => (OtpType::Hotp, 0),
            tessera_core::OtpKind::Steam { period } => (OtpType::Steam, period),
        };
        VaultEntry {
            id: e.id.0,
            issuer: e.issuer,
            name: e.name,
            otp_type,
            algorithm: e.params.algorithm.into(),
            digits: e.params.digits,
            period,
            groups: e.groups,
            favorite: e.favorite,
            has_note: e.has_note,
            usage_count: e.usage_count,
        }
    }
}

/// The result of adding several accounts at once.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AddSummary {
    /// Ids of the entries added, in input order.
    pub added: Vec<String>,
    /// How many accounts were skipped because the vault already had them.
    pub duplicates: u32,
}

/// A newly created vault and its recovery key.
#[derive(uniffi::Record)]
pub struct CreatedVault {
    /// The vault, unlocked.
    pub vault: Arc<Vault>,
    /// The recovery key: show it to the user once; it is never shown again.
    pub recovery_key: String,
}

impl From<VaultError> for TesseraError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::WrongPassword | VaultError::WrongRecoveryKey => TesseraError::WrongPassword,
            VaultError::ProtectorRejected | VaultError::Protector(_) => TesseraError::KeyStore,
            VaultError::Corrupted(_) | VaultError::NotAVault(_) => {
                log::warn!(target: "tessera::bindings", "vault: {e}");
                TesseraError::Corrupted
            }
            VaultError::TooNew { .. } => unsupported("the vault was written by a newer Tessera"),
            VaultError::Missing(_) | VaultError::NotFound(_) | VaultError::Ambiguous(_) => {
                TesseraError::NotFound
            }
            VaultError::AlreadyExists(_) => invalid_input("a file already exists at that path"),
            VaultError::Busy => TesseraError::Busy,
            VaultError::Locked => TesseraError::Locked,
            VaultError::Duplicate(_) => invalid_input("the account is already in the vault"),
            VaultError::InvalidAccount(p) => p.into(),
            VaultError::LastSlot => invalid_input("the last way to unlock cannot be removed"),
            VaultError::Kdf(_) => invalid_input("invalid key-derivation settings"),
            VaultError::Invalid(_) => {
                log::debug!(target: "tessera::bindings", "vault: {e}");
                invalid_input("invalid argument")
            }
            other => internal("vault", &other),
        }
    }
}

/// An encrypted account store in one file. Thread-safe; `close()` (Kotlin) or dropping the last
/// reference (Swift) releases the file; `shutdown()` closes it at once, after which every call
/// fails with `Locked`.
#[derive(uniffi::Object)]
pub struct Vault {
    inner: Mutex<Option<CoreVault>>,
    clock: Mutex<Arc<Clock>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").finish_non_exhaustive()
    }
}

impl Vault {
    fn wrap(v: CoreVault) -> Arc<Self> {
        Arc::new(Vault {
            inner: Mutex::new(Some(v)),
            clock: Mutex::new(Clock::system()),
        })
    }

    fn guard(&self) -> MutexGuard<'_, Option<CoreVault>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the open vault under the lock (log delivery deferred until it is released).
    pub(crate) fn with<R>(
        &self,
        f: impl FnOnce(&mut CoreVault) -> Result<R, VaultError>,
    ) -> Result<R, TesseraError> {
        logging::deferred(|| {
            let mut g = self.guard();
            let v = g.as_mut().ok_or(TesseraError::Locked)?;
            f(v).map_err(TesseraError::from)
        })
    }

    /// Unwraps each recorded slot with the foreign protector, outside any lock.
    fn ask_unwrap(
        protector: &Arc<dyn KeyProtector>,
        wrapped: Vec<Vec<u8>>,
    ) -> Result<Unwrapped, TesseraError> {
        let mut opened = Vec::new();
        let mut first_error = None;
        for w in wrapped {
            match protector.unwrap_key(w.clone()) {
                Ok(k) => opened.push((w, Zeroizing::new(k))),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match (opened.is_empty(), first_error) {
            (true, Some(e)) => Err(e),
            _ => Ok(opened),
        }
    }
}

/// Creates a vault file at `path` (refusing to replace anything) with a password slot when
/// `password` is given and a recovery key; `kdf` defaults to `kdf_default()`. Returns it unlocked.
#[uniffi::export]
pub fn create_vault(
    path: String,
    password: Option<String>,
    kdf: Option<KdfSettings>,
) -> Result<CreatedVault, TesseraError> {
    let password = password.map(Zeroizing::new);
    let kdf = kdf.map(KdfParams::from).unwrap_or(KdfParams::OWASP_MINIMUM);
    let (vault, recovery) = logging::deferred(|| {
        CoreVault::create(Path::new(&path), password.as_ref().map(|p| p.as_str()), kdf)
    })?;
    Ok(CreatedVault {
        vault: Vault::wrap(vault),
        recovery_key: recovery.as_str().to_string(),
    })
}

#[uniffi::export]
impl Vault {
    /// Opens an existing vault file, locked. Errors: `NotFound`, `Corrupted`, `Unsupported`.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, TesseraError> {
        let v = logging::deferred(|| CoreVault::open(Path::new(&path)))?;
        Ok(Vault::wrap(v))
    }

    /// Unlocks with the password. Errors: `WrongPassword`.
    pub fn unlock_with_password(&self, password: String) -> Result<(), TesseraError> {
        let password = Zeroizing::new(password);
        self.with(|v| v.unlock_with_password(&password))
    }

    /// Unlocks with the recovery key as typed (case, spaces and dashes ignored).
    pub fn unlock_with_recovery_key(&self, recovery_key: String) -> Result<(), TesseraError> {
        let key = Zeroizing::new(recovery_key);
        self.with(|v| v.unlock_with_recovery_key(&key))
    }

    /// Unlocks with the platform key protector (called without any Tessera lock held).
    /// Errors: `KeyStore` when no slot opens, or what the protector threw.
    pub fn unlock_with_protector(
        &self,
        protector: Arc<dyn KeyProtector>,
    ) -> Result<(), TesseraError> {
        let recorder = Recorder::default();
        match self.with(|v| v.unlock_with_protector(&recorder)) {
            Ok(()) | Err(TesseraError::KeyStore) => {}
            Err(e) => return Err(e),
        }
        let wrapped = recorder.wrapped.into_inner().unwrap_or_default();
        if wrapped.is_empty() {
            return Err(TesseraError::KeyStore);
        }
        let unwrapped = Vault::ask_unwrap(&protector, wrapped)?;
        let replay = Replay {
            unwrapped,
            wrapped: None,
        };
        self.with(|v| v.unlock_with_protector(&replay))
    }

    /// Adds a slot that `protector` unlocks (the vault must be unlocked); returns the slot id.
    pub fn add_protector_slot(
        &self,
        protector: Arc<dyn KeyProtector>,
        label: String,
    ) -> Result<String, TesseraError> {
        let recorder = Recorder::default();
        match self.with(|v| v.add_protector_slot(&recorder, &label)) {
            Ok(_) => {
                return Err(internal(
                    "add_protector_slot",
                    &"recorder was not consulted",
                ));
            }
            Err(TesseraError::KeyStore) => {}
            Err(e) => return Err(e),
        }
        let key = recorder
            .to_wrap
            .into_inner()
            .ok()
            .flatten()
            .ok_or(TesseraError::Internal)?;
        let wrapped = protector.wrap_key(key.to_vec())?;
        let replay = Replay {
            unwrapped: Vec::new(),
            wrapped: Some((key, wrapped)),
        };
        self.with(|v| v.add_protector_slot(&replay, &label))
    }

    /// Replaces the recovery key with a new one and returns it, to show the user once (the old
    /// key stops working). For a user who lost the key, or an app that could not show it when
    /// the vault was created. Errors: `Locked`.
    pub fn replace_recovery_key(&self) -> Result<String, TesseraError> {
        self.with(|v| v.replace_recovery_key())
            .map(|key| key.as_str().to_string())
    }

    /// Replaces the password (all password slots) with `new_password`.
    pub fn change_password(
        &self,
        new_password: String,
        kdf: Option<KdfSettings>,
    ) -> Result<(), TesseraError> {
        let pw = Zeroizing::new(new_password);
        let kdf = kdf.map(KdfParams::from).unwrap_or(KdfParams::OWASP_MINIMUM);
        self.with(|v| v.change_password(&pw, kdf))
    }

    /// Forgets the vault key (the file stays open). Codes need an unlock again.
    pub fn lock(&self) {
        let _ = self.with(|v| {
            v.lock();
            Ok(())
        });
    }

    /// Whether the vault is open and unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.guard().as_ref().is_some_and(|v| v.is_unlocked())
    }

    /// Closes the file and forgets the key now, even while other references to this object exist
    /// (Kotlin's `close()` releases only this handle). Every later call fails with `Locked`.
    pub fn shutdown(&self) {
        let closed = self.guard().take();
        drop(closed);
    }

    /// Uses `clock` for [`Vault::codes_now`].
    pub fn set_clock(&self, clock: Arc<Clock>) {
        *self.clock.lock().unwrap_or_else(|p| p.into_inner()) = clock;
    }

    /// Adds an account; returns its id. Errors: `InvalidInput` (bad account or duplicate).
    pub fn add(&self, account: Account) -> Result<String, TesseraError> {
        let core = CoreAccount::try_from(&account)?;
        self.with(|v| v.add(&core)).map(|id| id.0)
    }

    /// Adds the account of an `otpauth://` link; returns its id.
    pub fn add_uri(&self, uri: String) -> Result<String, TesseraError> {
        let core = tessera_core::uri::parse(&uri)?;
        self.with(|v| v.add(&core)).map(|id| id.0)
    }

    /// Adds many accounts in one transaction; duplicates are skipped and counted.
    pub fn add_accounts(&self, accounts: Vec<Account>) -> Result<AddSummary, TesseraError> {
        let core = accounts
            .iter()
            .map(CoreAccount::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let report = self.with(|v| v.add_accounts(&core))?;
        Ok(AddSummary {
            added: report.added.into_iter().map(|id| id.0).collect(),
            duplicates: u32::try_from(report.duplicates.len()).unwrap_or(u32::MAX),
        })
    }

    /// Every entry, in list order, without secrets.
    pub fn list(&self) -> Result<Vec<VaultEntry>, TesseraError> {
        let list = self.with(|v| v.list())?;
        Ok(list.into_iter().map(VaultEntry::from).collect())
    }

    /// One account with its secret (for showing a QR code or exporting).
    pub fn account(&self, id: String) -> Result<Account, TesseraError> {
        let a = self.with(|v| v.account(&EntryId(id)))?;
        Ok(Account::from(&a))
    }

    /// Every entry's row at `unix_seconds`, in list order, in one call. HOTP rows have empty
    /// `code`/`next_code` (a counter code is produced only by `next_hotp`).
    pub fn codes_at(&self, unix_seconds: u64) -> Result<Vec<CodeEntry>, TesseraError> {
        let (rows, infos, next) = self.with(|v| {
            let rows = v.codes_at(unix_seconds)?;
            let infos: HashMap<String, EntryInfo> =
                v.list()?.into_iter().map(|e| (e.id.0.clone(), e)).collect();
            // The next period's codes: one more pass per distinct period (usually just 30 s).
            let mut periods: Vec<u32> = rows.iter().filter_map(|r| r.period).collect();
            periods.sort_unstable();
            periods.dedup();
            let mut next: HashMap<String, String> = HashMap::new();
            for p in periods {
                for r in v.codes_at(unix_seconds.saturating_add(u64::from(p)))? {
                    if r.period == Some(p)
                        && let Some(code) = r.code
                    {
                        next.insert(r.id.0, code);
                    }
                }
            }
            Ok((rows, infos, next))
        })?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let code = r.code.unwrap_or_default();
                let info = infos.get(&r.id.0);
                CodeEntry {
                    issuer: info.map(|i| i.issuer.clone()).unwrap_or_default(),
                    name: info.map(|i| i.name.clone()).unwrap_or_default(),
                    favorite: info.is_some_and(|i| i.favorite),
                    next_code: next.get(&r.id.0).cloned().unwrap_or_default(),
                    id: r.id.0,
                    otp_type: match r.kind {
                        "hotp" => OtpType::Hotp,
                        "steam" => OtpType::Steam,
                        _ => OtpType::Totp,
                    },
                    grouped: tessera_core::format::grouped(&code),
                    spoken: tessera_core::format::spoken(&code),
                    code,
                    seconds_remaining: r.seconds_remaining,
                    period: r.period,
                }
            })
            .collect())
    }

    /// [`Vault::codes_at`] at the vault clock's time (see `set_clock`; the system clock by
    /// default). The clock is read before any lock is taken.
    pub fn codes_now(&self) -> Result<Vec<CodeEntry>, TesseraError> {
        let clock = self.clock.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let now = clock.now_unix_seconds();
        self.codes_at(now)
    }

    /// The next code of an HOTP entry; the counter advance is saved before the code is returned.
    pub fn next_hotp(&self, id: String) -> Result<String, TesseraError> {
        self.with(|v| v.next_hotp(&EntryId(id)))
    }

    /// Changes an entry's issuer and name.
    pub fn rename(&self, id: String, issuer: String, name: String) -> Result<(), TesseraError> {
        self.with(|v| v.rename(&EntryId(id), &issuer, &name))
    }

    /// Pins an entry to the top of the list, or unpins it. Errors: `NotFound`, `Locked`.
    pub fn set_favorite(&self, id: String, favorite: bool) -> Result<(), TesseraError> {
        let update = EntryUpdate {
            favorite: Some(favorite),
            ..EntryUpdate::default()
        };
        self.with(|v| v.update(&EntryId(id), &update))
    }

    /// Replaces an entry's groups (tags). Errors: `NotFound`, `Locked`.
    pub fn set_groups(&self, id: String, groups: Vec<String>) -> Result<(), TesseraError> {
        let update = EntryUpdate {
            groups: Some(groups),
            ..EntryUpdate::default()
        };
        self.with(|v| v.update(&EntryId(id), &update))
    }

    /// Replaces an entry's note (sealed like the secret); an empty note removes it.
    /// Errors: `NotFound`, `Locked`.
    pub fn set_note(&self, id: String, note: String) -> Result<(), TesseraError> {
        let update = EntryUpdate {
            note: Some(note),
            ..EntryUpdate::default()
        };
        self.with(|v| v.update(&EntryId(id), &update))
    }

    /// Counts one use of an entry's code (the user copied it); the list can sort by use.
    /// Errors: `NotFound`, `Locked`.
    pub fn record_use(&self, id: String) -> Result<(), TesseraError> {
        self.with(|v| v.record_use(&EntryId(id)))
    }

    /// Deletes an entry. Errors: `NotFound`.
    pub fn remove(&self, id: String) -> Result<(), TesseraError> {
        self.with(|v| v.remove(&EntryId(id)))
    }

    /// Imports another app's export file (format detected; `password` for encrypted ones) into
    /// the vault. Errors: `WrongPassword`, `InvalidInput` (unknown or broken file), `Unsupported`.
    pub fn import_file(
        &self,
        contents: Vec<u8>,
        file_name: Option<String>,
        password: Option<String>,
    ) -> Result<crate::import::ImportSummary, TesseraError> {
        let parsed = crate::import::parse(&contents, file_name.as_deref(), password)?;
        let report = self.with(|v| v.add_accounts(&parsed.accounts))?;
        Ok(crate::import::ImportSummary {
            format_id: parsed.format_id,
            format_name: parsed.format_name,
            added: u32::try_from(report.added.len()).unwrap_or(u32::MAX),
            duplicates: u32::try_from(report.duplicates.len()).unwrap_or(u32::MAX),
            skipped: parsed.skipped,
            warnings: parsed.warnings,
        })
    }
}
