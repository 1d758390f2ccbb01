import Foundation

/// A sign-in approval token offered by a QR code (privacyIDEA's `otpauth://pipush/…` link), shown
/// before it is enrolled so the user can check where the requests will come from.
public struct PushTokenPreview: Equatable, Sendable {
    /// Who issued it ("privacyIDEA", the organisation); may be empty.
    public var issuer: String
    /// The token's label (often the serial or the user name).
    public var label: String
    /// The host that will send the requests and receive the answers.
    public var server: String
    /// The link, for `PushEnroller.enroll`.
    public var link: String

    /// The preview of `link`; `nil` unless it is an `otpauth://pipush/` link whose `url` parameter
    /// is an http(s) address. The core checks everything else when enrolling.
    public static func of(_ link: String) -> PushTokenPreview? {
        guard link.lowercased().hasPrefix("otpauth://pipush/"),
              let parts = URLComponents(string: link) else { return nil }
        let items = parts.queryItems ?? []
        func value(_ name: String) -> String? { items.first { $0.name == name }?.value }
        guard let target = value("url").flatMap(URL.init(string:)),
              let scheme = target.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = target.host, !host.isEmpty else { return nil }
        let label = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        return PushTokenPreview(issuer: value("issuer") ?? "", label: label, server: host, link: link)
    }
}

/// Enrols sign-in approval tokens with their server: the core's push module in the app.
public protocol PushEnroller: AnyObject {
    /// Enrols the token of `link` (makes the device key and sends it to the server); returns a
    /// name for it ("privacyIDEA (PIPU0001)"). Talks to the server: call it off the main thread.
    /// Throws `Problem.invalidURI`, `.network`.
    func enroll(link: String) throws -> String
}
