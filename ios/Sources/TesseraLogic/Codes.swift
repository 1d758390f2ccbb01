import Foundation

/// How an account's codes are made.
public enum OtpType: String, Equatable, Sendable {
    /// Time-based (RFC 6238): a new code every period.
    case totp
    /// Counter-based (RFC 4226): a new code when the user asks for one.
    case hotp
    /// Steam Guard: time-based, five letters and digits.
    case steam
}

/// One account's codes at a moment, as the core computes them (one call for the whole list).
///
/// `code` and `nextCode` are raw (no spaces); `grouped` is the code as shown ("123 456") and `spoken`
/// what VoiceOver reads ("1 2 3, 4 5 6") — both formatted by the core.
public struct AccountCode: Equatable, Sendable {
    /// Stable identifier of the account in the vault.
    public var id: String
    /// Who issued it ("Microsoft", "NHSmail"); may be empty.
    public var issuer: String
    /// The account name, usually an e-mail address.
    public var accountName: String
    /// The user's groups for this account.
    public var groups: [String]
    /// Pinned to the top of the list.
    public var favourite: Bool
    /// TOTP, HOTP or Steam.
    public var type: OtpType
    /// The current code, raw.
    public var code: String
    /// The current code, grouped for reading.
    public var grouped: String
    /// The current code, for VoiceOver (digit by digit).
    public var spoken: String
    /// The next period's code (time-based kinds), raw.
    public var nextCode: String?
    /// The next period's code as shown.
    public var nextGrouped: String?
    /// The period in seconds (time-based kinds), `nil` for HOTP.
    public var periodSeconds: Int?

    /// Creates a row's data; `grouped`, `spoken` and `nextGrouped` default to plain forms of the codes.
    public init(id: String, issuer: String, accountName: String, groups: [String] = [], favourite: Bool = false,
                type: OtpType = .totp, code: String, grouped: String? = nil, spoken: String? = nil,
                nextCode: String? = nil, nextGrouped: String? = nil, periodSeconds: Int? = 30) {
        self.id = id
        self.issuer = issuer
        self.accountName = accountName
        self.groups = groups
        self.favourite = favourite
        self.type = type
        self.code = code
        self.grouped = grouped ?? code
        self.spoken = spoken ?? code.map(String.init).joined(separator: " ")
        self.nextCode = nextCode
        self.nextGrouped = nextGrouped ?? nextCode
        self.periodSeconds = periodSeconds
    }
}

/// Where codes come from: the core's one-call `codesAt` in the app, a fake in tests.
public protocol CodeSource: AnyObject {
    /// Every account's codes at `unixSeconds`. Throws a `Problem` (e.g. `.locked`).
    func codes(at unixSeconds: Int64) throws -> [AccountCode]
    /// Advances a HOTP account's counter and returns its codes afterwards.
    func nextHOTP(id: String, at unixSeconds: Int64) throws -> AccountCode
}

/// Time left of a time-based code: `secondsLeft` counts down from the period to 1; `fraction` is what
/// remains (1.0 fresh, near 0.0 about to change), for a progress ring.
public struct Countdown: Equatable, Sendable {
    /// Whole seconds left, rounded up.
    public var secondsLeft: Int
    /// The part of the period that remains.
    public var fraction: Double
    /// The period in seconds.
    public var periodSeconds: Int

    /// Seconds before the change that count as `urgent`.
    public static let urgentSeconds = 5

    /// The last few seconds, when the code is shown in a warning colour with the next one.
    public var urgent: Bool { secondsLeft <= Countdown.urgentSeconds }

    /// The countdown at `nowMillis` (Unix milliseconds) for a period of `periodSeconds` (> 0).
    public static func at(_ nowMillis: Int64, period periodSeconds: Int) -> Countdown {
        precondition(periodSeconds > 0, "period must be positive")
        let periodMillis = Int64(periodSeconds) * 1000
        let into = ((nowMillis % periodMillis) + periodMillis) % periodMillis
        let left = periodMillis - into
        return Countdown(secondsLeft: Int((left + 999) / 1000), fraction: Double(left) / Double(periodMillis),
                         periodSeconds: periodSeconds)
    }

    /// Unix seconds at which a code of `periodSeconds`, valid at `nowMillis`, changes.
    public static func nextChange(_ nowMillis: Int64, period periodSeconds: Int) -> Int64 {
        let now = floorSeconds(nowMillis)
        let p = Int64(periodSeconds)
        let step = now >= 0 ? now / p : -((-now + p - 1) / p)
        return (step + 1) * p
    }
}
