import Foundation
import TesseraLogic

/// What the screens use of the core, as TesseraLogic's protocols (so every view model is tested on
/// Linux with fakes). `CoreServices.open` builds them over the generated `Tessera` API.
final class AppServices {
    let codes: CodeSource
    let parser: URIParser
    let accounts: AccountStore
    let approvals: ApprovalSource
    let backup: BackupService
    let push: PushInbox
    let pushEnroller: PushEnroller
    let time: TimeService
    /// New recovery keys and the confirmation that the shown one was saved.
    let recoveryKeys: RecoveryKeys
    /// The recovery key issued at this launch (a new vault, or a fresh key because the last one was
    /// never confirmed as saved), until `takeRecoveryKey()`.
    private(set) var recoveryKey: String?
    private let onClose: () -> Void

    init(codes: CodeSource, parser: URIParser, accounts: AccountStore, approvals: ApprovalSource, backup: BackupService,
         push: PushInbox, pushEnroller: PushEnroller, time: TimeService, recoveryKeys: RecoveryKeys, recoveryKey: String?,
         onClose: @escaping () -> Void) {
        self.codes = codes
        self.parser = parser
        self.accounts = accounts
        self.approvals = approvals
        self.backup = backup
        self.push = push
        self.pushEnroller = pushEnroller
        self.time = time
        self.recoveryKeys = recoveryKeys
        self.recoveryKey = recoveryKey
        self.onClose = onClose
    }

    /// The recovery key issued at this launch, once: later calls return `nil`.
    func takeRecoveryKey() -> String? {
        defer { recoveryKey = nil }
        return recoveryKey
    }

    /// Closes the vault; the core zeroizes the key it held.
    func close() { onClose() }
}
