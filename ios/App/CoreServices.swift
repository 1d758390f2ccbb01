import Foundation
import os
import Tessera
import TesseraAdapters
import TesseraLogic

/// Builds the app's services: the encrypted vault in Application Support, unlocked by the Keychain /
/// Secure Enclave key (`KeychainKeyProtector`, behind LocalAuthentication), and TesseraAdapters'
/// objects over it. Everything with logic lives in TesseraAdapters and is tested on Linux; this
/// only decides where the file is and which objects share the vault and the clock.
///
/// - The vault is `Application Support/Tessera/vault.tessera`. Its folder has the protection class
///   "complete until first user authentication" (new files, including SQLite's WAL, inherit it):
///   the secrets inside are sealed by the vault key, which only the Keychain key opens, and the
///   stricter "complete" class would make SQLite's writes fail when the phone locks while the app
///   is open. The folder is excluded from device backups: the device slot cannot be opened on
///   another phone anyway; the in-app encrypted backup and the recovery key are the way to move.
/// - The first launch creates the vault with a recovery key (in `AppServices.recoveryKey`, shown
///   once) and a slot for this device's key. Until the user confirms they saved it, a marker next
///   to the vault (`RecoveryKeyMarker`) makes each launch issue and show a fresh key, so a crash
///   before confirmation never leaves them without one.
/// - One clock (`ServerTime.app`) is shared by the vault, the push approvals and the screens'
///   `nowMillis()`, so the offset measured against the sign-in server moves codes, countdowns and
///   approval expiries together.
enum CoreServices {
    private static let logger = OSLogger()
    /// The label of this device's slot in the vault.
    static let slotLabel = "iPhone Keychain"

    static func open(protector: KeychainKeyProtector) throws -> AppServices {
        _ = installLogger(logger: logger, maxLevel: .info)
        let folder = try vaultFolder()
        let opened = try VaultFile.openOrCreate(in: folder, wrapper: protector, slotLabel: slotLabel)
        let vault = opened.vault
        vault.setClock(clock: ServerTime.app.clock)
        // The built-in HTTPS client (rustls, 30 s timeout) carries the push traffic.
        let push = PushApprovals(vault: vault, transport: nil, clock: ServerTime.app.clock)
        _ = try? push.clockOffsetSeconds() // loads the offset saved at the last measurement into the clock
        let accounts = VaultAccounts(vault: vault)
        let approvals = PushApprovalSource(push: push)
        return AppServices(codes: accounts, parser: CoreURIParser(), accounts: accounts,
                           approvals: approvals, backup: VaultBackups(vault: vault),
                           push: APNsInbox(push: push), pushEnroller: approvals,
                           time: PushClockDrift(push: push, correctsCodes: true),
                           recoveryKeys: opened.recoveryKeys, recoveryKey: opened.recoveryKey, onClose: { vault.shutdown() })
    }

    /// `Application Support/Tessera`, created with its protection class and kept out of backups.
    private static func vaultFolder() throws -> URL {
        let support = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask,
                                                  appropriateFor: nil, create: true)
        var folder = support.appendingPathComponent("Tessera", isDirectory: true)
        let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication]
        if !FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: protection)
        } else {
            try FileManager.default.setAttributes(protection, ofItemAtPath: folder.path)
        }
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try folder.setResourceValues(values)
        return folder
    }
}

/// Tessera's log records in the unified log; they never contain secrets.
private final class OSLogger: Tessera.Logger, @unchecked Sendable {
    private let log = os.Logger(subsystem: "org.tessera.app", category: "core")
    func log(record: LogRecord) throws {
        switch record.level {
        case .error: log.error("\(record.target, privacy: .public): \(record.message, privacy: .public)")
        case .warn: log.warning("\(record.target, privacy: .public): \(record.message, privacy: .public)")
        case .info: log.info("\(record.target, privacy: .public): \(record.message, privacy: .public)")
        case .debug, .trace: log.debug("\(record.target, privacy: .public): \(record.message, privacy: .public)")
        }
    }
}
