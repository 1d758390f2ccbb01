import Foundation
import Tessera
import TesseraLogic

/// The clock offset the core measured against the push servers (from every reply's time), for the
/// settings screen's time-drift line.
///
/// The core cannot tell "never measured" from "no drift": with no push token enrolled there is no
/// server to measure against, and the offset is reported as unknown (`nil`).
public final class PushClockDrift: TimeService {
    private let push: PushApprovals
    private let corrects: Bool

    /// Drift from `push`; `correctsCodes` says whether the screens run on `ServerTime` (so codes
    /// follow the server's clock).
    public init(push: PushApprovals, correctsCodes: Bool) {
        self.push = push
        self.corrects = correctsCodes
    }

    /// Server minus phone in seconds; `nil` when no token is enrolled or the vault is locked.
    public func offsetSeconds() -> Int64? {
        guard let tokens = try? push.tokens(), !tokens.isEmpty else { return nil }
        return try? push.clockOffsetSeconds()
    }

    /// Whether codes are corrected by the offset.
    public func correctionEnabled() -> Bool { corrects }
}
