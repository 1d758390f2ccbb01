import Foundation

/// The request on screen, with what the user has picked so far.
public struct ShownRequest: Equatable, Sendable {
    public var request: ApprovalRequest
    /// Seconds until it expires (0 when expired).
    public var secondsLeft: Int64
    /// The chosen option or the typed number.
    public var answer: String
    /// Whether "Approve" is enabled: not expired, and a number chosen/typed when one is needed.
    public var canApprove: Bool
    /// Lines of context ("App: Outlook", "IP address: 192.0.2.1", …) in a fixed order.
    public var context: [String]
}

/// Where the approval screen is.
public enum ApprovalPhase: Equatable, Sendable {
    /// Nothing pending.
    case idle
    /// A request is shown.
    case deciding
    /// The answer is on its way.
    case sending
    /// Approved; a code to type on the sign-in page when the server sent one.
    case approved(displayCode: String?)
    /// Denied; after `.notMe` the screen advises changing the password and telling IT.
    case denied(DenyReason)
    /// The request expired before an answer.
    case expired
    /// The number did not match; the user may try again while the request is open.
    case wrongAnswer
    /// The answer could not be delivered.
    case failed(Problem)
}

/// Everything the approvals screen draws.
public struct ApprovalState: Equatable, Sendable {
    public var phase: ApprovalPhase = .idle
    public var current: ShownRequest?
    /// Pending requests besides the one shown.
    public var waiting = 0
    /// Many requests in a short time: a push-bombing attack is likely; the screen says so.
    public var fatigueWarning = false
    /// Decisions, newest first.
    public var history: [ApprovalRecord] = []
    public init() {}
}

/// Sign-in approvals: the oldest pending request first, its context, number matching, an expiry
/// countdown, approve / deny ("not me" or cancel), the result, and the history.
///
/// `refresh` asks the source for pending requests (after a push or on a poll), `tick` runs the
/// countdown once a second. `approve` and `deny` talk to the server: call them off the main thread.
public final class ApprovalFlowModel {
    /// The screen's state; `onChange` is called after every change.
    public private(set) var state = ApprovalState() {
        didSet { if state != oldValue { onChange?(state) } }
    }
    /// Called with the new state after each change.
    public var onChange: ((ApprovalState) -> Void)?

    /// Requests within `fatigueWindowSeconds` that trigger the push-bombing warning.
    public static let fatigueCount = 3
    /// The window for `fatigueCount`, in seconds.
    public static let fatigueWindowSeconds: Int64 = 600
    /// Longest number the user can type for `.enterNumber`.
    public static let maxTypedDigits = 8

    private let source: ApprovalSource
    private var pending: [ApprovalRequest] = []
    private var answer = ""
    private var seen: [String: Int64] = [:]

    /// A model over `source`.
    public init(source: ApprovalSource) {
        self.source = source
    }

    /// Fetches pending requests and the history, then shows the oldest unexpired request.
    public func refresh(nowMillis: Int64) {
        let now = floorSeconds(nowMillis)
        do {
            let all = try source.pending(at: now)
            for r in all { seen[r.id] = r.receivedAtSeconds }
            pending = all.filter { $0.expiresAtSeconds > now }.sorted { $0.receivedAtSeconds < $1.receivedAtSeconds }
            state.history = try source.history().sorted { $0.decidedAtSeconds > $1.decidedAtSeconds }
        } catch {
            state.phase = .failed((error as? Problem) ?? .unknown)
            return
        }
        let shownId = state.current?.request.id
        if shownId == nil || !pending.contains(where: { $0.id == shownId }) { answer = "" }
        show(now: now, keepPhase: state.phase != .deciding && state.phase != .idle)
    }

    /// Updates the countdown; a request that runs out becomes `.expired`.
    public func tick(nowMillis: Int64) {
        let now = floorSeconds(nowMillis)
        guard let cur = state.current, state.phase == .deciding || state.phase == .wrongAnswer else { return }
        if now >= cur.request.expiresAtSeconds {
            pending.removeAll { $0.id == cur.request.id }
            var s = state
            s.phase = .expired
            s.current?.secondsLeft = 0
            s.current?.canApprove = false
            state = s
        } else {
            state.current = shown(cur.request, now: now)
        }
    }

    /// Picks an option (number matching) or sets the typed number (only digits are kept).
    public func answer(_ text: String, nowMillis: Int64) {
        guard let cur = state.current else { return }
        switch cur.request.kind {
        case .enterNumber: answer = String(text.filter { $0.isASCII && $0.isNumber }.prefix(ApprovalFlowModel.maxTypedDigits))
        case .chooseNumber: if cur.request.options.contains(text) { answer = text }
        case .simple: answer = ""
        }
        state.current = shown(cur.request, now: floorSeconds(nowMillis))
    }

    /// Approves the shown request with the chosen/typed number; does nothing when not allowed.
    public func approve(nowMillis: Int64) {
        guard let cur = state.current else { return }
        let now = floorSeconds(nowMillis)
        if now >= cur.request.expiresAtSeconds {
            tick(nowMillis: nowMillis)
            return
        }
        guard shown(cur.request, now: now).canApprove else { return }
        state.phase = .sending
        let given: String? = cur.request.kind == .simple ? nil : answer
        let phase: ApprovalPhase
        do {
            switch try source.approve(id: cur.request.id, answer: given) {
            case .accepted(let code): phase = .approved(displayCode: code)
            case .wrongAnswer: phase = .wrongAnswer
            }
        } catch {
            let p = (error as? Problem) ?? .unknown
            phase = p == .expired ? .expired : .failed(p)
        }
        finish(cur, phase: phase, now: now)
    }

    /// Denies the shown request for `reason` ("not me" reports a sign-in the user did not start).
    public func deny(_ reason: DenyReason, nowMillis: Int64) {
        guard let cur = state.current else { return }
        let now = floorSeconds(nowMillis)
        state.phase = .sending
        let phase: ApprovalPhase
        do {
            try source.deny(id: cur.request.id, reason: reason)
            phase = .denied(reason)
        } catch {
            let p = (error as? Problem) ?? .unknown
            phase = p == .expired ? .expired : .failed(p)
        }
        finish(cur, phase: phase, now: now)
    }

    /// Leaves the result screen: the next pending request, or idle.
    public func dismiss(nowMillis: Int64) {
        var s = state
        s.phase = .idle
        s.current = nil
        state = s
        answer = ""
        show(now: floorSeconds(nowMillis), keepPhase: false)
    }

    private func finish(_ cur: ShownRequest, phase: ApprovalPhase, now: Int64) {
        if phase == .wrongAnswer { answer = "" } else { pending.removeAll { $0.id == cur.request.id } }
        var s = state
        s.phase = phase
        s.current = shown(cur.request, now: now)
        s.waiting = pending.filter { $0.id != cur.request.id }.count
        if let history = try? source.history() { s.history = history.sorted { $0.decidedAtSeconds > $1.decidedAtSeconds } }
        state = s
    }

    private func show(now: Int64, keepPhase: Bool) {
        var s = state
        let keepId = s.current?.request.id
        let next: ApprovalRequest? = keepPhase
            ? (pending.first { $0.id == keepId } ?? s.current?.request)
            : pending.first
        if !keepPhase { s.phase = next == nil ? .idle : .deciding }
        s.current = next.map { shown($0, now: now) }
        s.waiting = pending.filter { $0.id != next?.id }.count
        s.fatigueWarning = fatigue(now: now, history: s.history)
        state = s
    }

    private func shown(_ r: ApprovalRequest, now: Int64) -> ShownRequest {
        let left = max(0, r.expiresAtSeconds - now)
        let answered: Bool
        switch r.kind {
        case .simple: answered = true
        case .chooseNumber: answered = r.options.contains(answer)
        case .enterNumber: answered = !answer.isEmpty
        }
        var context: [String] = []
        if !r.service.isEmpty { context.append("Service: \(r.service)") }
        if let a = r.appName, !a.isEmpty { context.append("App: \(a)") }
        if let ip = r.ipAddress, !ip.isEmpty { context.append("IP address: \(ip)") }
        if let l = r.location, !l.isEmpty { context.append("Location: \(l)") }
        return ShownRequest(request: r, secondsLeft: left, answer: answer, canApprove: left > 0 && answered, context: context)
    }

    /// `fatigueCount` or more requests (pending, expired or answered) within `fatigueWindowSeconds`.
    private func fatigue(now: Int64, history: [ApprovalRecord]) -> Bool {
        let since = now - ApprovalFlowModel.fatigueWindowSeconds
        seen = seen.filter { $0.value >= since }
        var received = seen
        for h in history { received[h.id] = h.receivedAtSeconds }
        return received.values.filter { $0 >= since }.count >= ApprovalFlowModel.fatigueCount
    }
}
