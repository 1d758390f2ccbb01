import Foundation
import Tessera
import TesseraLogic

extension TesseraError {
    /// The category a screen acts on (the core's message never holds secrets).
    ///
    /// `InvalidInput`, `Busy` and `Internal` become `.unknown` here; adapters that know what an
    /// `InvalidInput` means in their context (a refused push, an unreadable import) map it there.
    public var problem: Problem {
        switch self {
        case .InvalidUri: return .invalidURI
        case .WrongPassword: return .wrongPassword
        case .Corrupted, .Unsupported: return .corrupted
        case .Locked: return .locked
        case .NotFound: return .notFound
        case .Network: return .network
        case .KeyStore: return .keyUnavailable
        case .InvalidInput, .Busy, .Internal: return .unknown
        }
    }

    /// Whether this is `InvalidInput` (the flat errors carry no detail to switch on).
    var isInvalidInput: Bool {
        if case .InvalidInput = self { return true }
        return false
    }
}

/// Runs a core call, turning its typed error into a `Problem` for the view models.
func core<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as TesseraError {
        throw error.problem
    }
}
