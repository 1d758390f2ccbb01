import Foundation
import TesseraAdapters
import TesseraLogic

/// SwiftUI wrappers over the logic models: they publish each new state on the main actor.
/// The models themselves are plain classes (tested on Linux), so this is the only SwiftUI glue.
@MainActor
final class CodesStore: ObservableObject {
    @Published private(set) var state = CodesState()
    let model: CodesListModel

    init(source: CodeSource, pasteboardSeconds: Double) {
        model = CodesListModel(source: source, pasteboardSeconds: pasteboardSeconds)
        model.onChange = { [weak self] state in self?.state = state }
    }
}

/// Approvals: network calls (approve, deny, refresh) run on one serial background queue, in order;
/// states come back to the main actor.
@MainActor
final class ApprovalsStore: ObservableObject {
    @Published private(set) var state = ApprovalState()
    private let model: ApprovalFlowModel
    private let lane = DispatchQueue(label: "org.tessera.approvals")

    init(source: ApprovalSource) {
        model = ApprovalFlowModel(source: source)
        model.onChange = { [weak self] state in
            Task { @MainActor in self?.state = state }
        }
    }

    /// Runs `action` with the current time on the serial lane.
    func perform(_ action: @escaping (ApprovalFlowModel, Int64) -> Void) {
        let model = self.model
        lane.async { action(model, nowMillis()) }
    }
}

@MainActor
final class AddAccountStore: ObservableObject {
    @Published private(set) var state: AddState = .empty
    let model: AddAccountModel

    init(parser: URIParser) {
        model = AddAccountModel(parser: parser)
        model.onChange = { [weak self] state in self?.state = state }
    }
}

/// The recovery-key sheet: the key issued at launch and Settings' "New recovery key". The calls
/// are a small vault write, so they run on the main actor like the model's other callers.
@MainActor
final class RecoveryKeyStore: ObservableObject {
    @Published private(set) var state: RecoveryKeyState = .hidden
    let model: RecoveryKeyModel

    init(keys: RecoveryKeys, issuedAtStart: String?) {
        model = RecoveryKeyModel(keys: keys)
        model.onChange = { [weak self] state in self?.state = state }
        model.showIssuedAtStart(issuedAtStart)
    }
}

extension ServerTime {
    /// The app's one clock: CoreServices gives it to the vault and the push approvals, whose
    /// measurements correct it; the screens read it through `nowMillis()`.
    static let app = ServerTime()
}

/// Unix time in milliseconds as the sign-in servers see it (the phone's clock plus the measured drift).
func nowMillis() -> Int64 { ServerTime.app.nowMillis() }
