import Foundation

/// What went wrong, in categories a screen can act on; never carries secrets or personal data.
public enum Problem: String, Error, Equatable, Sendable {
    /// Not an otpauth:// (or migration) link, or a malformed one.
    case invalidURI
    /// The vault's password or key was refused.
    case wrongPassword
    /// The vault is locked: unlock first.
    case locked
    /// The account or request does not exist (any more).
    case notFound
    /// A file could not be read as any supported format, or is damaged.
    case corrupted
    /// The server could not be reached.
    case network
    /// The sign-in request has expired.
    case expired
    /// The sign-in request was already answered (here or elsewhere).
    case alreadyAnswered
    /// The Keychain / Secure Enclave refused (authentication cancelled, key invalidated).
    case keyUnavailable
    /// This build's core does not offer the feature yet (e.g. backups before the vault API).
    case unavailable
    /// Anything else; details are in the log, never on screen.
    case unknown
}

/// Splits Unix milliseconds into whole seconds, rounding towards the past (also before 1970).
@inlinable
func floorSeconds(_ millis: Int64) -> Int64 {
    millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)
}
