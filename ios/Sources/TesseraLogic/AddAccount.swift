import Foundation

/// What the core found in a scanned or pasted link, shown before the account is saved.
public struct AccountPreview: Equatable, Sendable {
    public var issuer: String
    public var accountName: String
    public var type: OtpType
    public var digits: Int
    /// Seconds, for time-based kinds.
    public var periodSeconds: Int?
    /// "SHA1", "SHA256" or "SHA512".
    public var algorithm: String

    public init(issuer: String, accountName: String, type: OtpType, digits: Int, periodSeconds: Int?, algorithm: String) {
        self.issuer = issuer
        self.accountName = accountName
        self.type = type
        self.digits = digits
        self.periodSeconds = periodSeconds
        self.algorithm = algorithm
    }
}

/// Parses links: the core's `parseUri` in the app (otpauth:// and otpauth-migration://).
public protocol URIParser: AnyObject {
    /// The accounts in `uri` (a migration link may hold many). Throws `Problem.invalidURI`.
    func parse(_ uri: String) throws -> [AccountPreview]
}

/// Where the add-account screen is.
public enum AddState: Equatable, Sendable {
    /// Waiting for a scan or a pasted link.
    case empty
    /// Found these accounts; the user confirms.
    case found(accounts: [AccountPreview], links: [String])
    /// Some lines were not links Tessera understands (1-based line numbers).
    case invalid(lines: [Int], problem: Problem)
    /// A sign-in approval token (a link on its own); the user confirms before it is enrolled.
    case pushToken(PushTokenPreview)
}

/// Add account by camera scan or pasted/typed text. Pasted text may hold several links, one per line,
/// with stray spaces or words around them; each is parsed by the core. A push-approval link
/// (`otpauth://pipush/`) on its own becomes `.pushToken`, to enrol rather than save. Repeated
/// scans of the same QR code (the camera reports it many times a second) are ignored.
public final class AddAccountModel {
    /// The screen's state; `onChange` is called after every change.
    public private(set) var state: AddState = .empty {
        didSet { if state != oldValue { onChange?(state) } }
    }
    /// Called with the new state after each change.
    public var onChange: ((AddState) -> Void)?
    private let parser: URIParser
    private var lastScan: String?

    public init(parser: URIParser) { self.parser = parser }

    /// Text pasted or typed by the user.
    public func submit(text: String) {
        let lines = text.components(separatedBy: .newlines).enumerated()
            .map { ($0.offset, $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.1.isEmpty }
        if lines.isEmpty {
            state = .empty
            return
        }
        if lines.count == 1, let link = AddAccountModel.extractLink(lines[0].1), let token = PushTokenPreview.of(link) {
            state = .pushToken(token)
            return
        }
        var found: [AccountPreview] = []
        var links: [String] = []
        var bad: [Int] = []
        var problem = Problem.invalidURI
        for (index, line) in lines {
            guard let link = AddAccountModel.extractLink(line) else {
                bad.append(index + 1)
                continue
            }
            do {
                found += try parser.parse(link)
                links.append(link)
            } catch {
                bad.append(index + 1)
                problem = (error as? Problem) ?? .invalidURI
            }
        }
        state = bad.isEmpty ? .found(accounts: found, links: links) : .invalid(lines: bad, problem: problem)
    }

    /// A QR code the camera decoded; the same payload twice in a row is ignored.
    public func scanned(_ payload: String) {
        guard payload != lastScan else { return }
        lastScan = payload
        submit(text: payload)
    }

    /// Back to scanning (after a save or a cancel).
    public func reset() {
        lastScan = nil
        state = .empty
    }

    /// The otpauth link in `line`, ignoring text around it; `nil` when there is none.
    public static func extractLink(_ line: String) -> String? {
        guard let start = line.range(of: "otpauth", options: .caseInsensitive) else { return nil }
        let rest = line[start.lowerBound...]
        let link = rest.prefix { !$0.isWhitespace }
        let lower = link.lowercased()
        guard lower.hasPrefix("otpauth://") || lower.hasPrefix("otpauth-migration://"),
              !lower.hasSuffix("://") else { return nil }
        return String(link)
    }
}
