import Foundation
import Tessera
import TesseraLogic

/// The app's vault file in a folder: opened and unlocked with the device key, or created on the
/// first run.
///
/// A new vault gets a recovery key and a slot for the device key (no password: the Keychain /
/// Secure Enclave key behind LocalAuthentication is the everyday unlock). It is made in a staging
/// folder and moved into place only once the device slot is in it, so a crash or a refused key
/// never leaves a vault the app cannot open. The recovery key is returned once, to be shown once;
/// it counts as unsaved (`RecoveryKeyMarker`, set before the vault is made) until the user confirms
/// through `Opened.recoveryKeys`, and opening a vault whose marker is still set replaces the key and
/// returns the new one.
public enum VaultFile {
    /// The vault file's name in its folder.
    public static let fileName = "vault.tessera"
    /// The staging folder's name (inside the vault's folder) while a vault is being created.
    static let stagingName = ".creating"

    /// An unlocked vault, with a recovery key to show when the user has no confirmed one yet.
    public struct Opened {
        /// The vault, unlocked.
        public let vault: Vault
        /// The recovery key to show once: a new vault's, or a fresh one issued because the last key
        /// was never confirmed as saved (a crash, or the app closed first). `nil` otherwise.
        public let recoveryKey: String?
        /// New recovery keys and the confirmation that the shown one was saved.
        public let recoveryKeys: VaultRecoveryKeys
    }

    /// The vault file in `folder`.
    public static func url(in folder: URL) -> URL {
        folder.appendingPathComponent(fileName)
    }

    /// Whether `folder` holds a vault.
    public static func exists(in folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: url(in: folder).path)
    }

    /// Opens the vault in `folder` and unlocks it with `wrapper`, or creates one there (with a
    /// device slot labelled `slotLabel`) when there is none. `kdf` is the recovery key's cost
    /// (`kdfDefault()` when `nil`). Throws `Problem.keyUnavailable` when the device key refuses
    /// (the wrapper's own problem, e.g. a cancelled prompt, is in `KeyWrapperProtector.lastFailure`),
    /// `.corrupted` for a damaged file.
    public static func openOrCreate(in folder: URL, wrapper: KeyWrapper, slotLabel: String,
                                    kdf: KdfSettings? = nil) throws -> Opened {
        let protector = KeyWrapperProtector(wrapper)
        if exists(in: folder) {
            let vault = try core { try Vault.open(path: url(in: folder).path) }
            do {
                try vault.unlockWithProtector(protector: protector)
            } catch let error as TesseraError {
                throw protector.lastFailure ?? error.problem
            }
            return Opened(vault: vault, recoveryKey: reissueUnsavedKey(vault, in: folder),
                          recoveryKeys: VaultRecoveryKeys(vault: vault, folder: folder))
        }
        // The marker goes first: a crash after the vault is in place but before the user saved its
        // key then makes the next start issue a new key instead of leaving the user without one.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try RecoveryKeyMarker.set(in: folder)
        let recoveryKey: String
        do {
            recoveryKey = try create(in: folder, protector: protector, slotLabel: slotLabel, kdf: kdf)
        } catch {
            RecoveryKeyMarker.clear(in: folder) // nothing was made
            throw error
        }
        let vault = try core { try Vault.open(path: url(in: folder).path) }
        do {
            try vault.unlockWithProtector(protector: protector)
        } catch let error as TesseraError {
            throw protector.lastFailure ?? error.problem
        }
        return Opened(vault: vault, recoveryKey: recoveryKey, recoveryKeys: VaultRecoveryKeys(vault: vault, folder: folder))
    }

    /// When the marker says the user never confirmed the recovery key, replaces it (the old one may
    /// have been seen by someone, or never shown at all) and returns the new one to show. A failure
    /// leaves the marker, so the next start tries again, and does not stop the vault opening.
    private static func reissueUnsavedKey(_ vault: Vault, in folder: URL) -> String? {
        guard RecoveryKeyMarker.isSet(in: folder) else { return nil }
        return try? vault.replaceRecoveryKey()
    }

    /// Opens the vault in `folder` with its recovery key (a new phone, or a device key that was
    /// lost) and adds a slot for `wrapper`'s key, so the next launch unlocks as usual. The user just
    /// typed the recovery key, so it counts as saved (the marker is cleared).
    /// Throws `Problem.wrongPassword` for a wrong recovery key, `.notFound` when there is no vault.
    public static func recover(in folder: URL, recoveryKey: String, wrapper: KeyWrapper, slotLabel: String) throws -> Vault {
        let vault = try core { try Vault.open(path: url(in: folder).path) }
        try core { try vault.unlockWithRecoveryKey(recoveryKey: recoveryKey) }
        let protector = KeyWrapperProtector(wrapper)
        do {
            _ = try vault.addProtectorSlot(protector: protector, label: slotLabel)
        } catch let error as TesseraError {
            throw protector.lastFailure ?? error.problem
        }
        RecoveryKeyMarker.clear(in: folder)
        return vault
    }

    /// Opens a vault file with its password (vaults made by the CLI or a desktop; tests).
    /// Throws `Problem.wrongPassword`, `.notFound`, `.corrupted`.
    public static func open(at url: URL, password: String) throws -> Vault {
        let vault = try core { try Vault.open(path: url.path) }
        try core { try vault.unlockWithPassword(password: password) }
        return vault
    }

    /// Creates the vault in the staging folder, adds the device slot, closes it and moves it into
    /// `folder`. Returns the recovery key.
    private static func create(in folder: URL, protector: KeyWrapperProtector, slotLabel: String,
                               kdf: KdfSettings?) throws -> String {
        let files = FileManager.default
        let staging = folder.appendingPathComponent(stagingName, isDirectory: true)
        try? files.removeItem(at: staging) // what a crash during an earlier creation left
        try files.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: staging) }
        let stagedFile = url(in: staging)
        let created = try core { try createVault(path: stagedFile.path, password: nil, kdf: kdf) }
        do {
            _ = try created.vault.addProtectorSlot(protector: protector, label: slotLabel)
        } catch let error as TesseraError {
            created.vault.shutdown()
            throw protector.lastFailure ?? error.problem
        }
        created.vault.shutdown()
        // SQLite removes the WAL when the last connection closes; move any companion that remains.
        for suffix in ["-wal", "-shm"] {
            let companion = URL(fileURLWithPath: stagedFile.path + suffix)
            if files.fileExists(atPath: companion.path) {
                try files.moveItem(at: companion, to: URL(fileURLWithPath: url(in: folder).path + suffix))
            }
        }
        try files.moveItem(at: stagedFile, to: url(in: folder))
        return created.recoveryKey
    }
}
