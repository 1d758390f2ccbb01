import Foundation

/// How soon the app locks itself after going to the background.
public enum AutoLock: CaseIterable, Equatable, Sendable {
    case immediately, after30Seconds, after1Minute, after5Minutes, never

    /// The delay in seconds, `nil` for never.
    public var seconds: Int64? {
        switch self {
        case .immediately: return 0
        case .after30Seconds: return 30
        case .after1Minute: return 60
        case .after5Minutes: return 300
        case .never: return nil
        }
    }
}

/// Decides when the vault must be unlocked again (Face ID / Touch ID / passcode). Times are
/// monotonic milliseconds (e.g. `ProcessInfo.systemUptime`), so changing the clock cannot defeat it.
public final class LockPolicy {
    public var biometricLock: Bool
    public var autoLock: AutoLock
    private var backgroundedAt: Int64?
    private var isUnlocked = false

    public init(biometricLock: Bool, autoLock: AutoLock) {
        self.biometricLock = biometricLock
        self.autoLock = autoLock
    }

    /// Whether the lock screen must be shown now.
    public var mustUnlock: Bool { biometricLock && !isUnlocked }

    /// The user passed LocalAuthentication.
    public func unlocked() {
        isUnlocked = true
        backgroundedAt = nil
    }

    /// The app went to the background at `monotonicMillis`.
    public func backgrounded(_ monotonicMillis: Int64) {
        backgroundedAt = monotonicMillis
        if autoLock == .immediately { isUnlocked = false }
    }

    /// The app came back at `monotonicMillis`: locks when it stayed away too long.
    public func foregrounded(_ monotonicMillis: Int64) {
        guard let since = backgroundedAt else { return }
        backgroundedAt = nil
        guard let limit = autoLock.seconds else { return }
        if monotonicMillis - since >= limit * 1000 { isUnlocked = false }
    }
}

/// How far the phone's clock is from the server's, and what that means for codes.
public enum DriftLevel: Equatable, Sendable {
    case unknown, ok, warning, bad
}

/// The time-drift line of the settings screen.
public struct TimeDrift: Equatable, Sendable {
    public var level: DriftLevel
    public var message: String

    /// Drift beyond this many seconds is a warning.
    public static let warnSeconds: Int64 = 5
    /// Drift of a TOTP period or more is bad.
    public static let badSeconds: Int64 = 30

    /// The status for a measured `offsetSeconds` (server minus phone), `nil` if never measured.
    public static func of(_ offsetSeconds: Int64?, corrected: Bool) -> TimeDrift {
        guard let offset = offsetSeconds else { return TimeDrift(level: .unknown, message: "Clock not checked yet") }
        let magnitude = abs(offset)
        let direction = offset > 0 ? "behind" : "ahead"
        let amount = magnitude == 1 ? "1 second" : "\(magnitude) seconds"
        if magnitude <= warnSeconds { return TimeDrift(level: .ok, message: "Clock is correct") }
        if magnitude < badSeconds {
            return TimeDrift(level: .warning, message: "Phone clock is \(amount) \(direction)"
                             + (corrected ? "; codes are corrected" : "; codes may be refused"))
        }
        return TimeDrift(level: .bad, message: "Phone clock is \(amount) \(direction)"
                         + (corrected ? "; codes are corrected" : ": codes will be refused. Set the time automatically"))
    }
}
