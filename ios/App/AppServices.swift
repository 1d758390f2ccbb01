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
    /// The vault's recovery key when it was created at this launch, until `takeRecoveryKey()`.
    private(set) var recoveryKey: String?
    private let onClose: () -> Void

    init(codes: CodeSource, parser: URIParser, accounts: AccountStore, approvals: ApprovalSource, backup: BackupService,
         push: PushInbox, pushEnroller: PushEnroller, time: TimeService, recoveryKey: String?, onClose: @escaping () -> Void) {
        self.codes = codes
        self.parser = parser
        self.accounts = accounts
        self.approvals = approvals
        self.backup = backup
        self.push = push
        self.pushEnroller = pushEnroller
        self.time = time
        self.recoveryKey = recoveryKey
        self.onClose = onClose
    }

    /// The recovery key of a vault created at this launch, once: later calls return `nil`.
    func takeRecoveryKey() -> String? {
        defer { recoveryKey = nil }
        return recoveryKey
    }

    /// Closes the vault; the core zeroizes the key it held.
    func close() { onClose() }
}
