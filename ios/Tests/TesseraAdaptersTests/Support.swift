import Foundation
import Tessera
import TesseraAdapters
import TesseraLogic

/// A software stand-in for the Keychain / Secure Enclave: each "device" seals with its own pad and
/// tags the blob with its id, so another device's blob (or a damaged one) does not open.
/// Counts its calls; `refuse` makes every call throw `refusal` (a cancelled prompt, a lost key).
final class FakeKeyWrapper: KeyWrapper {
    let device: UInt8
    var refuse = false
    var refusal: Error = Problem.keyUnavailable
    private(set) var wraps = 0
    private(set) var unwraps = 0

    init(device: UInt8) { self.device = device }

    private func pad(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: i &* 31 &+ Int(device) &* 97 &+ 13) }

    func wrap(_ key: Data) throws -> Data {
        wraps += 1
        if refuse { throw refusal }
        return Data([0x54, device]) + Data(key.enumerated().map { $0.element ^ pad($0.offset) })
    }

    func unwrap(_ blob: Data) throws -> Data {
        unwraps += 1
        if refuse { throw refusal }
        let bytes = [UInt8](blob)
        guard bytes.count > 2, bytes[0] == 0x54, bytes[1] == device else { throw Problem.keyUnavailable }
        return Data(bytes.dropFirst(2).enumerated().map { $0.element ^ pad($0.offset) })
    }
}

/// A transport that fails like a dead network and counts its calls.
final class DeadNetwork: HttpTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.lock(); defer { lock.unlock() }; return count }
    func send(request: HttpRequest) throws -> HttpResponse {
        lock.lock(); count += 1; lock.unlock()
        throw TesseraError.Network(message: "offline")
    }
}

/// A fresh folder under the temporary directory, removed by `remove()`.
struct TempFolder {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-adapters-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// RFC 6238 appendix B seeds ("12345678901234567890…") as 8-digit otpauth links.
enum RFC {
    static let sha1 = "otpauth://totp/RFC:sha1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=RFC"
    static let sha256 = "otpauth://totp/RFC256:sha256?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&digits=8&algorithm=SHA256&issuer=RFC256"
    static let sha512 = "otpauth://totp/RFC512:sha512?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA&digits=8&algorithm=SHA512&issuer=RFC512"
    /// RFC 4226 appendix D seed, counter 0.
    static let hotp = "otpauth://hotp/VPN:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0&issuer=VPN"
    static let nhs = "otpauth://totp/NHSmail:jo.bloggs@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail"
}
