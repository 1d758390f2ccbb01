import Foundation
import Tessera
import TesseraLogic

/// `URIParser` over the core: `parseUri` for otpauth:// links, `decodeMigration` for Google's batches.
public final class CoreURIParser: URIParser {
    /// A parser; it keeps no state.
    public init() {}

    /// The accounts in `uri` as the add-account screen previews them; `Problem.invalidURI` if none.
    public func parse(_ uri: String) throws -> [AccountPreview] {
        try core { try CoreURIParser.accounts(in: uri) }.map(\.preview)
    }

    /// The accounts (with secrets) in `uri`; throws the core's error.
    public static func accounts(in uri: String) throws -> [Account] {
        let link = uri.trimmingCharacters(in: .whitespacesAndNewlines)
        if link.lowercased().hasPrefix("otpauth-migration:") { return try decodeMigration(uri: link) }
        return [try parseUri(uri: link)]
    }
}

extension Account {
    /// What the add-account screen shows (never the secret).
    public var preview: AccountPreview {
        AccountPreview(issuer: issuer, accountName: name, type: otpType.logic, digits: Int(digits),
                       periodSeconds: otpType == .hotp ? nil : Int(period), algorithm: algorithm.name)
    }

    /// A copy with other counter / favourite values (records are immutable).
    func with(counter: UInt64? = nil, favorite: Bool? = nil) -> Account {
        Account(otpType: otpType, issuer: issuer, name: name, secretBase32: secretBase32, algorithm: algorithm,
                digits: digits, period: period, counter: counter ?? self.counter, groups: groups, note: note,
                favorite: favorite ?? self.favorite, extra: extra)
    }
}

extension HashAlgorithm {
    /// "SHA1", "SHA256" or "SHA512", as the add-account screen shows it.
    public var name: String {
        switch self {
        case .sha1: return "SHA1"
        case .sha256: return "SHA256"
        case .sha512: return "SHA512"
        }
    }
}

extension Tessera.OtpType {
    /// The core's OTP type as TesseraLogic's.
    public var logic: TesseraLogic.OtpType {
        switch self {
        case .totp: return .totp
        case .hotp: return .hotp
        case .steam: return .steam
        }
    }
}
