import Foundation

/// The vault's recovery key: the only way in when the phone's key is lost (passcode removed, new
/// phone). The adapters keep a "not yet saved" marker next to the vault until `confirmSaved()`, and
/// issue a fresh key at the next start while it is set, so a crash before the user wrote the key
/// down never leaves them without one.
public protocol RecoveryKeys: AnyObject {
    /// Replaces the recovery key (the old one stops working at once) and returns the new one, to
    /// show exactly once; it counts as not yet saved until `confirmSaved()`. Throws `Problem`
    /// (`.locked`, `.unknown`).
    func newRecoveryKey() throws -> String
    /// The user has written the shown key down: clears the "not yet saved" marker.
    func confirmSaved()
}

/// A recovery key on screen. Its descriptions and mirror never contain the key (states end up in
/// logs and crash reports).
public struct ShownRecoveryKey: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The key as the core formats it (groups joined by dashes). Never log it.
    public let key: String
    /// Whether the app issued it on its own at start (first launch, or the last key was never
    /// confirmed) rather than on request.
    public let firstRun: Bool

    /// A key to show.
    public init(key: String, firstRun: Bool) {
        self.key = key
        self.firstRun = firstRun
    }

    /// The key's groups, four to a line, for writing down.
    public var lines: [String] {
        let groups = key.split(separator: "-").map(String.init)
        return stride(from: 0, to: groups.count, by: 4).map { groups[$0..<min($0 + 4, groups.count)].joined(separator: " ") }
    }

    /// What VoiceOver reads: every character apart, groups separated by pauses.
    public var spoken: String {
        key.split(separator: "-").map { $0.map(String.init).joined(separator: " ") }.joined(separator: ", ")
    }

    /// Never the key.
    public var description: String { "ShownRecoveryKey(key: <redacted>, firstRun: \(firstRun))" }
    /// Never the key.
    public var debugDescription: String { description }
    /// No children, so `dump` cannot print the key.
    public var customMirror: Mirror { Mirror(self, children: ["firstRun": firstRun]) }
}

/// What the recovery-key sheet shows.
public enum RecoveryKeyState: Equatable, Sendable {
    /// Nothing.
    case hidden
    /// "Make a new recovery key? The old one stops working": the user confirms or cancels.
    case confirming
    /// The key to write down, until the user confirms they saved it.
    case showing(ShownRecoveryKey)
    /// Making a new key failed; the old key still works.
    case failed(Problem)

    /// The key on screen, if any.
    public var shown: ShownRecoveryKey? {
        if case .showing(let key) = self { return key }
        return nil
    }
}

/// The recovery-key sheet: the key issued at start (first launch, or a rotation after an
/// unconfirmed one) and the settings action "New recovery key" with its confirmation step.
///
/// The calls into `RecoveryKeys` are a small vault write (no key derivation from text), so they run
/// on the caller's thread like the rest of the view models.
public final class RecoveryKeyModel {
    /// Title of the confirmation step.
    public static let confirmTitle = "Make a new recovery key?"
    /// Body of the confirmation step.
    public static let confirmText = "Your current recovery key will stop working at once. "
        + "Write the new one down and throw the old one away."

    /// The sheet's state; `onChange` is called after every change.
    public private(set) var state: RecoveryKeyState = .hidden {
        didSet { if state != oldValue { onChange?(state) } }
    }
    /// Called with the new state after each change.
    public var onChange: ((RecoveryKeyState) -> Void)?

    private let keys: RecoveryKeys

    /// A model over `keys`.
    public init(keys: RecoveryKeys) {
        self.keys = keys
    }

    /// Shows `key`, issued at start by the adapters (first launch or an unconfirmed earlier key).
    public func showIssuedAtStart(_ key: String?) {
        if let key { state = .showing(ShownRecoveryKey(key: key, firstRun: true)) }
    }

    /// The settings action: asks first, because the old key stops working.
    public func askForNew() {
        if state.shown != nil { return } // never hide a key not yet confirmed
        state = .confirming
    }

    /// The user confirmed: replaces the key and shows the new one.
    public func confirmNew() {
        guard state == .confirming else { return }
        do {
            state = .showing(ShownRecoveryKey(key: try keys.newRecoveryKey(), firstRun: false))
        } catch {
            state = .failed((error as? Problem) ?? .unknown)
        }
    }

    /// Cancels the confirmation step or closes the error; a shown key is not dismissed this way.
    public func cancel() {
        if state.shown != nil { return }
        state = .hidden
    }

    /// The user wrote the shown key down: the marker is cleared and the key forgotten.
    public func saved() {
        guard state.shown != nil else { return }
        keys.confirmSaved()
        state = .hidden
    }
}
