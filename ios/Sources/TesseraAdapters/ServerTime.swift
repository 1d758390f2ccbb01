import Foundation
import Tessera

/// "Now" as the sign-in servers see it: the phone's time plus the offset the core measured from
/// the push servers' replies (kept in a `Tessera.Clock` shared with the vault and `PushApprovals`).
///
/// Give the view models this time, not the phone's: the codes list then computes codes and its
/// countdown on the server's periods, and the approvals screen compares the core's expiry times
/// (which are on the corrected clock) with the same clock. Thread-safe.
public final class ServerTime: @unchecked Sendable {
    /// The clock whose offset the core corrects; pass it to `Vault.setClock` and `PushApprovals`.
    public let clock: Tessera.Clock

    /// Time over `clock` (the system clock, no offset, by default).
    public init(clock: Tessera.Clock = Tessera.Clock.system()) {
        self.clock = clock
    }

    /// The correction in seconds (server minus phone); 0 until measured.
    public var offsetSeconds: Int64 { clock.offsetSeconds() }

    /// `deviceMillis` (Unix milliseconds of the phone's clock) plus the correction, saturating.
    public func nowMillis(deviceMillis: Int64) -> Int64 {
        let (shift, overflow) = offsetSeconds.multipliedReportingOverflow(by: 1000)
        if overflow { return offsetSeconds > 0 ? Int64.max : Int64.min }
        let (sum, over) = deviceMillis.addingReportingOverflow(shift)
        return over ? (shift > 0 ? Int64.max : Int64.min) : sum
    }

    /// The corrected time now, in Unix milliseconds.
    public func nowMillis() -> Int64 {
        nowMillis(deviceMillis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
