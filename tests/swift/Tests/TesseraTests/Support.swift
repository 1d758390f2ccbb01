import Foundation
import Tessera

/// RFC 6238 seeds (ASCII "1234567890" repeated to the hash size) in Base32.
let rfcSeedSha1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
let rfcSeedSha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"
let rfcSeedSha512 =
    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA"

func account(
    secret: String = rfcSeedSha1, type: OtpType = .totp, algorithm: HashAlgorithm = .sha1,
    digits: UInt8 = 6, period: UInt32 = 30, counter: UInt64 = 0,
    issuer: String = "Issuer", name: String = "alice@example.com"
) -> Account {
    Account(
        otpType: type, issuer: issuer, name: name, secretBase32: secret, algorithm: algorithm,
        digits: digits, period: period, counter: counter, groups: [], note: "", favorite: false,
        extra: [:])
}

/// The shared corpus, or nil with a printed note when it is absent.
func corpusDir(_ what: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["TESSERA_CORPUS"] ?? ""
    var isDir: ObjCBool = false
    if path.isEmpty || !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) || !isDir.boolValue {
        print("NOTE: shared corpus absent; \(what) checked without corpus files")
        return nil
    }
    return URL(fileURLWithPath: path)
}

/// A logger implemented in Swift that keeps what Rust sends it.
final class CollectingLogger: Logger, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LogRecord] = []
    var records: [LogRecord] { lock.lock(); defer { lock.unlock() }; return stored }
    func log(record: LogRecord) throws {
        lock.lock(); stored.append(record); lock.unlock()
    }
}

/// Whether `error` is the given TesseraError case (ignoring the message).
func isCase(_ error: Error, _ name: String) -> Bool {
    guard let e = error as? TesseraError else { return false }
    return String(describing: e).hasPrefix(name)
}
