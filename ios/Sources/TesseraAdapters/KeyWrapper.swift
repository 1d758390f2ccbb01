import Foundation
import Tessera
import TesseraLogic

/// Seals and opens the vault key with a key that never leaves the device (Keychain, Secure
/// Enclave). The app's `KeychainKeyProtector` conforms; tests use a software fake.
///
/// Throw (any error; `Problem.keyUnavailable` is the usual one) when the platform refuses, the user
/// cancels authentication, or `blob` was not made by this device's key.
public protocol KeyWrapper: AnyObject {
    /// Seals `key` (the 32-byte vault key); the result is stored in the vault file.
    func wrap(_ key: Data) throws -> Data
    /// Opens what `wrap` returned.
    func unwrap(_ blob: Data) throws -> Data
}

/// A `KeyWrapper` as the core's foreign `KeyProtector`. Any error the wrapper throws reaches the
/// core as `KeyStore` (the wrapper's own errors may hold platform detail, never shown); the last
/// one is kept in `lastFailure` so the app can tell a cancelled prompt from a lost key.
public final class KeyWrapperProtector: KeyProtector, @unchecked Sendable {
    private let wrapper: KeyWrapper
    private let lock = NSLock()
    private var failure: Problem?

    /// The core's view of `wrapper`.
    public init(_ wrapper: KeyWrapper) {
        self.wrapper = wrapper
    }

    /// What the wrapper last threw, as a `Problem` (`.keyUnavailable` for errors of other types).
    public var lastFailure: Problem? {
        lock.lock(); defer { lock.unlock() }
        return failure
    }

    /// Seals the vault key with the wrapper.
    public func wrapKey(key: Data) throws -> Data {
        try run { try wrapper.wrap(key) }
    }

    /// Opens a sealed vault key with the wrapper.
    public func unwrapKey(wrapped: Data) throws -> Data {
        try run { try wrapper.unwrap(wrapped) }
    }

    private func run(_ body: () throws -> Data) throws -> Data {
        do {
            return try body()
        } catch {
            lock.lock()
            failure = (error as? Problem) ?? .keyUnavailable
            lock.unlock()
            throw TesseraError.KeyStore(message: "the key wrapper refused")
        }
    }
}
