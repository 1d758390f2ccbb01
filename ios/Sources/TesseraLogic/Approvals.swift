import Foundation

/// How the user answers a sign-in request.
public enum ApprovalKind: Equatable, Sendable {
    /// Approve or deny.
    case simple
    /// Pick the number the sign-in page shows, from a few choices (number matching).
    case chooseNumber
    /// Type the number the sign-in page shows.
    case enterNumber
}

/// A pending sign-in request with the context the user needs to judge it. Times in Unix seconds.
public struct ApprovalRequest: Equatable, Sendable {
    public var id: String
    /// Short title from the server ("Sign in to NHSmail").
    public var title: String
    /// The question ("Is this you signing in?").
    public var question: String
    public var kind: ApprovalKind
    /// The choices for `.chooseNumber`, in the server's (random) order.
    public var options: [String]
    /// Which service or server asks.
    public var service: String
    /// Where the sign-in comes from, when the protocol says.
    public var appName: String?
    public var ipAddress: String?
    public var location: String?
    public var receivedAtSeconds: Int64
    public var expiresAtSeconds: Int64

    public init(id: String, title: String, question: String, kind: ApprovalKind = .simple, options: [String] = [],
                service: String = "", appName: String? = nil, ipAddress: String? = nil, location: String? = nil,
                receivedAtSeconds: Int64, expiresAtSeconds: Int64) {
        self.id = id
        self.title = title
        self.question = question
        self.kind = kind
        self.options = options
        self.service = service
        self.appName = appName
        self.ipAddress = ipAddress
        self.location = location
        self.receivedAtSeconds = receivedAtSeconds
        self.expiresAtSeconds = expiresAtSeconds
    }
}

/// Why the user said no.
public enum DenyReason: Equatable, Sendable {
    /// "This wasn't me": someone else has the password; reported to the server.
    case notMe
    /// The user started it but changed their mind.
    case cancel
}

/// What the server said to an approval.
public enum ApprovalOutcome: Equatable, Sendable {
    /// Accepted; `displayCode` is shown when the server sends one (code-to-phone).
    case accepted(displayCode: String?)
    /// The number did not match; the server keeps the request open for another try.
    case wrongAnswer
}

/// The decision kept in the history.
public enum Decision: Equatable, Sendable {
    case approved, deniedNotMe, deniedCancel, expired, failed
}

/// One line of the approvals history.
public struct ApprovalRecord: Equatable, Sendable {
    public var id: String
    public var title: String
    public var service: String
    public var decision: Decision
    /// Unix seconds when the request arrived.
    public var receivedAtSeconds: Int64
    /// Unix seconds of the decision (or the expiry).
    public var decidedAtSeconds: Int64

    public init(id: String, title: String, service: String, decision: Decision, receivedAtSeconds: Int64, decidedAtSeconds: Int64) {
        self.id = id
        self.title = title
        self.service = service
        self.decision = decision
        self.receivedAtSeconds = receivedAtSeconds
        self.decidedAtSeconds = decidedAtSeconds
    }
}

/// Where requests come from and answers go: the core's push module in the app, a fake in tests.
public protocol ApprovalSource: AnyObject {
    /// Requests still pending (polls the server when there is no push).
    func pending(at nowSeconds: Int64) throws -> [ApprovalRequest]
    /// Approves `id`, with the chosen or typed number when the request needs one.
    func approve(id: String, answer: String?) throws -> ApprovalOutcome
    /// Denies `id` for `reason`.
    func deny(id: String, reason: DenyReason) throws
    /// Every decision so far, in any order.
    func history() throws -> [ApprovalRecord]
}
