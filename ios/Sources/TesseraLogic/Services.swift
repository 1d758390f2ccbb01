import Foundation

/// Adds and edits accounts: the core's vault in the app.
public protocol AccountStore: AnyObject {
    /// Saves the accounts in `links` (otpauth:// or otpauth-migration://); returns how many were new.
    func add(links: [String]) throws -> Int
    /// Deletes an account.
    func delete(id: String) throws
    /// Pins or unpins an account.
    func setFavourite(id: String, favourite: Bool) throws
}

/// Encrypted backups and imports from other apps: the core's export/import in the app.
public protocol BackupService: AnyObject {
    /// An encrypted backup of the whole vault, sealed with `password`.
    func export(password: String) throws -> Data
    /// Imports another app's export (or a Tessera backup); `password` when the file is encrypted.
    func importFile(_ data: Data, fileName: String?, password: String?) throws -> ImportReport
    /// Opens `data` with `password` without importing, and compares it with the vault.
    func verify(_ data: Data, password: String) throws -> BackupCheck
}

/// Push payloads from APNs, handed to the core (which verifies and stores them).
public protocol PushInbox: AnyObject {
    /// Delivers one notification's data; returns the new request's id, or `nil` if it was dropped.
    func deliver(_ data: [String: String]) throws -> String?
    /// The push service gave the app a new token (APNs registration, or FCM's when it relays):
    /// tell the sign-in servers, so they push to it.
    func pushServiceTokenChanged(_ token: String) throws -> PushTokenRegistration
}

extension PushInbox {
    /// An inbox that cannot register tokens tells no one.
    public func pushServiceTokenChanged(_ token: String) throws -> PushTokenRegistration {
        PushTokenRegistration(updated: 0, skippedPollOnly: 0, failed: [])
    }
}

/// What telling the servers a new push-service token did: how many tokens' servers now hold it,
/// how many were skipped (enrolled poll-only: their server never pushes), and the serials whose
/// server could not be told (network, refused; they keep the old token until the next change).
public struct PushTokenRegistration: Equatable, Sendable {
    /// Tokens whose server now holds the new token.
    public let updated: Int
    /// Tokens enrolled poll-only, not told.
    public let skippedPollOnly: Int
    /// Serials whose server could not be told.
    public let failed: [String]

    /// A result with these counts.
    public init(updated: Int, skippedPollOnly: Int, failed: [String]) {
        self.updated = updated
        self.skippedPollOnly = skippedPollOnly
        self.failed = failed
    }
}

/// The clock offset the core measured against the sign-in server.
public protocol TimeService: AnyObject {
    /// Server minus phone, in seconds; `nil` before the first measurement.
    func offsetSeconds() -> Int64?
    /// Whether codes are corrected by the offset.
    func correctionEnabled() -> Bool
}

/// Builds an otpauth:// link from what a sign-in page shows under "Can't scan the QR code?" (account
/// name and secret key), so typed accounts go through the same parser as scanned ones.
public enum ManualEntry {
    /// The link for a TOTP account; spaces and dashes in `secret` are dropped, letters upper-cased.
    public static func uri(issuer: String, accountName: String, secret: String, digits: Int = 6, periodSeconds: Int = 30) -> String {
        let cleanSecret = secret.filter { !$0.isWhitespace && $0 != "-" }.uppercased()
        let issuer = issuer.trimmingCharacters(in: .whitespaces)
        let account = accountName.trimmingCharacters(in: .whitespaces)
        let label = issuer.isEmpty ? encode(account) : encode(issuer) + ":" + encode(account)
        var query = ["secret=\(cleanSecret)"]
        if !issuer.isEmpty { query.append("issuer=" + encode(issuer)) }
        if digits != 6 { query.append("digits=\(digits)") }
        if periodSeconds != 30 { query.append("period=\(periodSeconds)") }
        return "otpauth://totp/\(label)?" + query.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters and "@".
    static func encode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            let c = Character(UnicodeScalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~@".contains(c)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
