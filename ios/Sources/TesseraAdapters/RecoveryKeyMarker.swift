import Foundation
import Tessera
import TesseraLogic

/// The durable "recovery key not yet confirmed as saved" marker: an empty file next to the vault
/// (`vault.tessera.recovery-unsaved`). It holds no secret, only the fact.
///
/// It is written (and synced) *before* a recovery key is made — at creation and before a
/// replacement — and removed only when the user confirms they wrote the key down. While it is set,
/// `VaultFile.openOrCreate` issues a fresh key, so a crash between making a key and the user saving
/// it never leaves them without one, and a key that was on screen unconfirmed stops working.
public enum RecoveryKeyMarker {
    /// The marker's file name in the vault's folder.
    public static let fileName = VaultFile.fileName + ".recovery-unsaved"

    /// The marker file in `folder`.
    public static func url(in folder: URL) -> URL {
        folder.appendingPathComponent(fileName)
    }

    /// Whether the vault in `folder` has a recovery key the user has not confirmed.
    public static func isSet(in folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: url(in: folder).path)
    }

    /// Sets the marker and syncs it (and its folder entry) to storage before returning.
    /// Throws `Problem.unknown` when the file cannot be written.
    public static func set(in folder: URL) throws {
        let path = url(in: folder).path
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        guard fd >= 0 else { throw Problem.unknown }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced else { throw Problem.unknown }
        let dir = open(folder.path, O_RDONLY)
        if dir >= 0 {
            _ = fsync(dir) // makes the new name durable; best effort where folders cannot be synced
            close(dir)
        }
    }

    /// Clears the marker; returns whether it is gone (a failure means the next start rotates again).
    @discardableResult
    public static func clear(in folder: URL) -> Bool {
        try? FileManager.default.removeItem(at: url(in: folder))
        return !isSet(in: folder)
    }
}

/// `RecoveryKeys` over the vault in `folder` (unlocked as `vault`): a new key sets the marker first,
/// so a crash before the user saw it issues another at the next start.
public final class VaultRecoveryKeys: RecoveryKeys {
    private let vault: Vault
    private let folder: URL

    /// Recovery keys of `vault`, whose file is in `folder`.
    public init(vault: Vault, folder: URL) {
        self.vault = vault
        self.folder = folder
    }

    public func newRecoveryKey() throws -> String {
        let wasSet = RecoveryKeyMarker.isSet(in: folder)
        try RecoveryKeyMarker.set(in: folder)
        do {
            return try core { try vault.replaceRecoveryKey() }
        } catch {
            if !wasSet { RecoveryKeyMarker.clear(in: folder) } // the old key still works and was saved
            throw error
        }
    }

    public func confirmSaved() {
        RecoveryKeyMarker.clear(in: folder)
    }
}
