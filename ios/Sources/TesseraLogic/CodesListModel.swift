import Foundation

/// One row of the codes list, ready to draw.
public struct CodeRow: Equatable, Sendable {
    /// The account's id (for copy, HOTP and details).
    public var id: String
    /// Issuer, or the account name when there is no issuer.
    public var title: String
    /// The account name under the title (empty when it is already the title).
    public var subtitle: String
    /// The code as shown ("123 456").
    public var grouped: String
    /// What VoiceOver says for the row: who, the code digit by digit, the time left.
    public var accessibilityLabel: String
    /// The next period's code as shown, in the last seconds of the current one.
    public var nextGrouped: String?
    /// Time left for time-based codes; `nil` for HOTP.
    public var countdown: Countdown?
    /// TOTP, HOTP or Steam.
    public var type: OtpType
    /// Pinned to the top.
    public var favourite: Bool
}

/// Why the list is empty, so the screen can say something useful.
public enum EmptyReason: Equatable, Sendable {
    /// No accounts yet: show how to add one (and the Microsoft 365 / NHSmail guide).
    case noAccounts
    /// Accounts exist but none matches the search or group.
    case noMatches
}

/// Everything the codes screen draws.
public struct CodesState: Equatable, Sendable {
    public var rows: [CodeRow] = []
    public var groups: [GroupChip] = []
    public var query: String = ""
    public var filter: GroupFilter = .all
    /// Non-nil when `rows` is empty.
    public var empty: EmptyReason? = .noAccounts
    /// Set when the codes could not be read (e.g. `.locked`).
    public var problem: Problem?
    public init() {}
}

/// What to put on the pasteboard after a tap, and for how long.
public struct CopyRequest: Equatable, Sendable {
    /// The raw code (no spaces).
    public var text: String
    /// True when the current code was about to change and the next one was copied instead.
    public var isNextCode: Bool
    /// Expire the pasteboard item after this many seconds (codes are secrets while valid).
    public var expiresAfterSeconds: Double
}

/// The codes list: live countdown, next code, tap to copy, search and groups.
///
/// Drive it with `tick(nowMillis:)` once a second (and when the app becomes active). It asks the
/// source for codes only when a period boundary has passed or the data changed (`invalidate`) — one
/// FFI call for all accounts — and computes the countdown locally in between.
public final class CodesListModel {
    /// The screen's state; `onChange` is called after every change.
    public private(set) var state = CodesState() {
        didSet { if state != oldValue { onChange?(state) } }
    }
    /// Called with the new state after each change (the SwiftUI wrapper publishes it).
    public var onChange: ((CodesState) -> Void)?
    /// How many times the source was asked for codes (tests and diagnostics).
    public private(set) var fetches = 0

    /// Seconds before the change when a tap copies the next code instead of the current one.
    public static let copyNextSeconds = 2

    private let source: CodeSource
    private let pasteboardSeconds: Double
    private var codes: [AccountCode] = []
    private var refreshAt = Int64.min
    private var lastNowMillis: Int64 = 0

    /// A model over `source`; copied codes expire from the pasteboard after `pasteboardSeconds`.
    public init(source: CodeSource, pasteboardSeconds: Double = 30) {
        self.source = source
        self.pasteboardSeconds = pasteboardSeconds
    }

    /// Recomputes the state for `nowMillis`; fetches codes only when they may have changed.
    public func tick(nowMillis: Int64) {
        lastNowMillis = nowMillis
        let now = floorSeconds(nowMillis)
        if now >= refreshAt {
            do {
                codes = try source.codes(at: now)
                fetches += 1
                refreshAt = codes.compactMap { c in c.periodSeconds.map { Countdown.nextChange(nowMillis, period: $0) } }
                    .min() ?? Int64.max
            } catch {
                codes = []
                refreshAt = Int64.min
                var s = state
                s.rows = []
                s.groups = []
                s.empty = nil
                s.problem = (error as? Problem) ?? .unknown
                state = s
                return
            }
        }
        publish()
    }

    /// Forget cached codes (after adding, editing, deleting or importing) and refresh.
    public func invalidate(nowMillis: Int64) {
        refreshAt = Int64.min
        tick(nowMillis: nowMillis)
    }

    /// Filters by `query` (every word must match issuer, account or group).
    public func search(_ query: String) {
        state.query = query
        publish()
    }

    /// Shows only `filter`'s accounts.
    public func select(_ filter: GroupFilter) {
        state.filter = filter
        publish()
    }

    /// The code to copy for a tap on `id`: the current code, or the next one when the current code
    /// changes within `copyNextSeconds`. `nil` if the account is unknown or has no code yet (an
    /// HOTP account before its first code: the vault makes one only on request).
    public func copy(id: String, nowMillis: Int64) -> CopyRequest? {
        guard let c = codes.first(where: { $0.id == id }), !c.code.isEmpty else { return nil }
        if let period = c.periodSeconds, let next = c.nextCode,
           Countdown.at(nowMillis, period: period).secondsLeft <= CodesListModel.copyNextSeconds {
            return CopyRequest(text: next, isNextCode: true, expiresAfterSeconds: pasteboardSeconds)
        }
        return CopyRequest(text: c.code, isNextCode: false, expiresAfterSeconds: pasteboardSeconds)
    }

    /// Generates the next HOTP code of `id` (the counter advances in the vault).
    public func nextHOTP(id: String, nowMillis: Int64) {
        do {
            let updated = try source.nextHOTP(id: id, at: floorSeconds(nowMillis))
            codes = codes.map { $0.id == id ? updated : $0 }
            publish()
        } catch {
            state.problem = (error as? Problem) ?? .unknown
        }
    }

    private func publish() {
        var s = state
        var chips = groupChips(codes, selected: s.filter)
        if !chips.contains(where: \.selected) {
            // The selected group vanished (its last account was deleted): back to All.
            s.filter = .all
            chips = groupChips(codes, selected: .all)
        }
        let visible = codes.filter { s.filter.accepts($0) && Search.matches($0, query: s.query) }
            .sorted(by: Search.ordered)
        s.rows = visible.map(row)
        s.groups = chips
        s.empty = !s.rows.isEmpty ? nil : (codes.isEmpty ? .noAccounts : .noMatches)
        s.problem = nil
        state = s
    }

    private func row(_ c: AccountCode) -> CodeRow {
        let countdown = c.periodSeconds.map { Countdown.at(lastNowMillis, period: $0) }
        let title = c.issuer.trimmingCharacters(in: .whitespaces).isEmpty ? c.accountName : c.issuer
        let subtitle = c.issuer.trimmingCharacters(in: .whitespaces).isEmpty ? "" : c.accountName
        let who = [title, subtitle].filter { !$0.isEmpty }.joined(separator: ", ")
        let time: String
        switch countdown?.secondsLeft {
        case nil: time = "press to generate the next code"
        case 1?: time = "1 second left"
        case let n?: time = "\(n) seconds left"
        }
        return CodeRow(id: c.id, title: title, subtitle: subtitle, grouped: c.grouped,
                       accessibilityLabel: c.code.isEmpty ? "\(who). No code yet, \(time)" : "\(who). Code \(c.spoken). \(time)",
                       nextGrouped: (countdown?.urgent ?? false) ? c.nextGrouped : nil,
                       countdown: countdown, type: c.type, favourite: c.favourite)
    }
}
