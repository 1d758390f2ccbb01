import Foundation
import LocalAuthentication

/// An evaluated LAContext, handed to the Keychain so it does not prompt a second time.
final class LAContextBox: @unchecked Sendable {
    let context: LAContext
    init(_ context: LAContext) { self.context = context }
}

/// Face ID / Touch ID with the device passcode as fallback.
enum LockGate {
    enum Result {
        case unlocked(LAContextBox)
        case cancelled
        case notAvailable
    }

    /// Seconds a successful unlock is reused for Keychain access (so opening the vault does not prompt again).
    static let reuseSeconds: TimeInterval = 10

    /// Shows the system prompt and waits for the answer.
    static func unlock(reason: String) async -> Result {
        let context = LAContext()
        context.touchIDAuthenticationAllowableReuseDuration = reuseSeconds
        var error: NSError?
        guard context.canEvaluatePolicy(.deviceOwnerAuthentication, error: &error) else { return .notAvailable }
        do {
            try await context.evaluatePolicy(.deviceOwnerAuthentication, localizedReason: reason)
            return .unlocked(LAContextBox(context))
        } catch {
            return .cancelled
        }
    }
}
