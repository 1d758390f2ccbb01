import Foundation
import os
import Tessera
import TesseraAdapters
import TesseraLogic

/// Builds the app's services over the generated `Tessera` API.
///
/// What the bindings export today: accounts, links and migration batches, the one-call code book and
/// the foreign logger. Until the vault, export/import and push are exported too, accounts live in an
/// `AccountList` saved as otpauth links sealed by `KeychainKeyProtector` (Secure Enclave, behind
/// LocalAuthentication) in Application Support, excluded from backups; groups, notes and
/// favourites are not kept across launches yet, backups report "not available" and there are no
/// push tokens to poll. Each becomes an adapter over the core's object when it is exported.
enum CoreServices {
    private static let logger = OSLogger()

    static func open(protector: KeychainKeyProtector) throws -> AppServices {
        _ = installLogger(logger: logger, maxLevel: .info)
        let url = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            .appendingPathComponent("accounts.sealed")
        let list = AccountList()
        if let sealed = try? Data(contentsOf: url) {
            let text = String(decoding: try protector.unwrap(sealed), as: UTF8.self)
            _ = try list.add(links: text.split(separator: "\n").map(String.init))
        }
        let save: () throws -> Void = {
            let text = try list.snapshot().map { entry in try core { try accountToUri(account: entry.account) } }.joined(separator: "\n")
            try protector.wrap(Data(text.utf8)).write(to: url, options: [.atomic, .completeFileProtection])
            var values = URLResourceValues()
            values.isExcludedFromBackup = true
            var saved = url
            try? saved.setResourceValues(values)
        }
        return AppServices(codes: list, parser: CoreURIParser(), accounts: SavingStore(list: list, save: save),
                           approvals: NoPushTokens(), backup: BackupNotExported(), push: NoPushInbox(), time: NotMeasured(),
                           onClose: {})
    }
}

/// Saves after each change of the account list.
private final class SavingStore: AccountStore {
    let list: AccountList
    let save: () throws -> Void
    init(list: AccountList, save: @escaping () throws -> Void) { self.list = list; self.save = save }
    func add(links: [String]) throws -> Int {
        let added = try list.add(links: links)
        if added > 0 { try save() }
        return added
    }
    func delete(id: String) throws { try list.delete(id: id); try save() }
    func setFavourite(id: String, favourite: Bool) throws { try list.setFavourite(id: id, favourite: favourite) }
}

/// Tessera's log records in the unified log; they never contain secrets.
private final class OSLogger: Tessera.Logger {
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

/// No push token can be enrolled until the push API is exported: nothing is ever pending.
private final class NoPushTokens: ApprovalSource {
    func pending(at nowSeconds: Int64) throws -> [ApprovalRequest] { [] }
    func approve(id: String, answer: String?) throws -> ApprovalOutcome { throw Problem.notFound }
    func deny(id: String, reason: DenyReason) throws { throw Problem.notFound }
    func history() throws -> [ApprovalRecord] { [] }
}

/// Backups need the core's export API in the bindings.
private final class BackupNotExported: BackupService {
    func export(password: String) throws -> Data { throw Problem.unavailable }
    func importFile(_ data: Data, fileName: String?, password: String?) throws -> ImportReport { throw Problem.unavailable }
    func verify(_ data: Data, password: String) throws -> BackupCheck { throw Problem.unavailable }
}

private final class NoPushInbox: PushInbox {
    func deliver(_ data: [String: String]) throws -> String? { nil }
}

/// Drift is measured against a push server; none is enrolled yet.
private final class NotMeasured: TimeService {
    func offsetSeconds() -> Int64? { nil }
    func correctionEnabled() -> Bool { false }
}
