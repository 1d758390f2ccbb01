import Foundation
import Tessera
import TesseraLogic

/// Sign-in approvals over the core's `PushApprovals` (privacyIDEA push tokens kept in the vault).
///
/// `pending(at:)` polls every token's server first when `polls` is set (the app without APNs, or
/// on a pull to refresh), then lists the requests waiting for the user. The core answers a wrong
/// number, a request that is no longer pending and a malformed answer with the same flat
/// `InvalidInput`; this adapter reads the request's state afterwards to tell the screen which it
/// was (`.wrongAnswer` while it stays open, `Problem.expired` or `.alreadyAnswered` otherwise).
/// The history is the decided requests (approved, denied, expired, withdrawn, failed).
/// `enroll`, `approve`, `deny` and polling talk to the server: call them off the main thread.
public final class PushApprovalSource: ApprovalSource, PushEnroller {
    private let push: PushApprovals
    private let polls: Bool
    private let lock = NSLock()
    private var pollErrors: [String] = []

    /// Approvals over `push`; `polls` makes `pending(at:)` ask the servers first.
    public init(push: PushApprovals, polls: Bool = true) {
        self.push = push
        self.polls = polls
    }

    /// The per-token failures of the last poll, as "serial: reason" (no secrets), for diagnostics.
    public var lastPollErrors: [String] {
        lock.lock(); defer { lock.unlock() }
        return pollErrors
    }

    /// Enrolls the push token of an `otpauth://pipush/…` link (the device key is made and sent to
    /// the server); returns its name, "Issuer (serial)". Throws `Problem.invalidURI` for a link that
    /// is not a usable one, `.network` when the server cannot be reached, `.unknown` when the token
    /// is already enrolled.
    @discardableResult
    public func enroll(link: String) throws -> String {
        try enroll(link: link, pushServiceToken: nil)
    }

    /// Enrolls like `enroll(link:)`, giving the server the app's push-service token (APNs, as hex)
    /// so it can push requests, unless the link says the server only polls.
    @discardableResult
    public func enroll(link: String, pushServiceToken: String?) throws -> String {
        let token = try core {
            try push.enrollWithPushToken(uri: link.trimmingCharacters(in: .whitespacesAndNewlines),
                                         pushServiceToken: pushServiceToken)
        }
        return "\(token.issuer.isEmpty ? token.label : token.issuer) (\(token.serial))"
    }

    /// The enrolled tokens.
    public func tokens() throws -> [PushTokenInfo] {
        try core { try push.tokens() }
    }

    /// Requests waiting for the user (after a poll when `polls`). Throws `Problem.network` only
    /// when every token's server failed and nothing is pending.
    public func pending(at nowSeconds: Int64) throws -> [ApprovalRequest] {
        let tokens = try core { try push.tokens() }
        var waiting: [PushRequest]
        if polls && !tokens.isEmpty {
            let result = try core { try push.poll() }
            lock.lock()
            pollErrors = result.errors
            lock.unlock()
            waiting = result.requests.filter { $0.state == "pending" }
            if waiting.isEmpty && result.errors.count >= tokens.count { throw Problem.network }
        } else {
            waiting = try core { try push.pending() }
        }
        waiting.sort { $0.receivedAt < $1.receivedAt }
        let services = PushApprovalSource.serviceNames(tokens)
        return waiting.map { PushApprovalSource.request($0, service: services[$0.serial] ?? "") }
    }

    /// Approves `id` with the chosen or typed number; `.accepted` carries the code to show when
    /// the server sent one.
    public func approve(id: String, answer: String?) throws -> ApprovalOutcome {
        do {
            return .accepted(displayCode: try push.approve(id: id, answer: answer))
        } catch let error as TesseraError {
            guard error.isInvalidInput else { throw error.problem }
            if try state(of: id) == "pending" { return .wrongAnswer }
            throw try endedProblem(id)
        }
    }

    /// Denies `id`: `.notMe` reports a sign-in the user did not start, `.cancel` just declines.
    public func deny(id: String, reason: DenyReason) throws {
        do {
            _ = try push.deny(id: id, reason: reason == .notMe ? .notMe : .cancel)
        } catch let error as TesseraError {
            guard error.isInvalidInput else { throw error.problem }
            throw try endedProblem(id)
        }
    }

    /// The decided requests (newest last), with the token's issuer as the service.
    public func history() throws -> [ApprovalRecord] {
        let services = PushApprovalSource.serviceNames(try core { try push.tokens() })
        return try core { try push.requests() }.compactMap { r in
            guard let decision = PushApprovalSource.decision(r) else { return nil }
            return ApprovalRecord(id: r.id, title: r.title, service: services[r.serial] ?? "", decision: decision,
                                  receivedAtSeconds: Int64(clamping: r.receivedAt),
                                  decidedAtSeconds: Int64(clamping: r.decidedAt ?? r.expiresAt))
        }
    }

    /// The stored state of request `id`; `Problem.notFound` when there is none.
    private func state(of id: String) throws -> String {
        guard let r = try core({ try push.requests() }).first(where: { $0.id == id }) else { throw Problem.notFound }
        return r.state
    }

    /// Why request `id` can no longer be answered.
    private func endedProblem(_ id: String) throws -> Problem {
        switch try state(of: id) {
        case "expired": return .expired
        case "pending": return .unknown
        default: return .alreadyAnswered
        }
    }

    /// The core's request as the approvals screen shows it.
    static func request(_ r: PushRequest, service: String) -> ApprovalRequest {
        let kind: ApprovalKind
        switch r.kind {
        case .chooseOne: kind = .chooseNumber
        case .enterNumber: kind = .enterNumber
        case .simple, .showCode: kind = .simple
        }
        return ApprovalRequest(id: r.id, title: r.title, question: r.question, kind: kind, options: r.options,
                               service: service, appName: r.app, ipAddress: r.ip, location: r.location,
                               receivedAtSeconds: Int64(clamping: r.receivedAt),
                               expiresAtSeconds: Int64(clamping: r.expiresAt))
    }

    /// The history line's decision for a request's state; `nil` while it is pending.
    static func decision(_ r: PushRequest) -> Decision? {
        switch r.state {
        case "approved": return .approved
        case "denied": return r.stateReason == "not-me" ? .deniedNotMe : .deniedCancel
        // Withdrawn by the server: it ended without the user's answer, like an expiry.
        case "expired", "cancelled": return .expired
        case "failed": return .failed
        default: return nil
        }
    }

    /// Serial → "Issuer" (or the token's label when it has no issuer).
    static func serviceNames(_ tokens: [PushTokenInfo]) -> [String: String] {
        Dictionary(tokens.map { ($0.serial, $0.issuer.isEmpty ? $0.label : $0.issuer) }, uniquingKeysWith: { first, _ in first })
    }
}
