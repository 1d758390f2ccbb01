import Foundation
import XCTest
import Tessera

/// A transport written in Swift that fails like a dead network and counts its calls.
final class OfflineTransport: HttpTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.lock(); defer { lock.unlock() }; return count }
    func send(request: HttpRequest) throws -> HttpResponse {
        lock.lock(); count += 1; lock.unlock()
        throw TesseraError.Network(message: "offline")
    }
}

final class PushTests: XCTestCase {
    var dir: URL!
    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-push-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func vault() throws -> Vault {
        try createVault(path: dir.appendingPathComponent("v.db").path, password: "pw", kdf: kdfInsecureForTests()).vault
    }

    func testFreshVaultHasNoPushState() throws {
        let push = PushApprovals(vault: try vault(), transport: OfflineTransport(), clock: Clock.fixed(unixSeconds: 1_700_000_000))
        XCTAssertTrue(try push.tokens().isEmpty)
        XCTAssertTrue(try push.requests().isEmpty)
        XCTAssertTrue(try push.pending().isEmpty)
        XCTAssertTrue(try push.history().isEmpty)
        XCTAssertEqual(try push.historyJson(), "[]")
        XCTAssertEqual(try push.clockOffsetSeconds(), 0)
        XCTAssertEqual(try push.poll().newRequests, 0)
    }

    func testMalformedEnrollmentLinksAreTypedErrors() throws {
        let transport = OfflineTransport()
        let push = PushApprovals(vault: try vault(), transport: transport, clock: nil)
        for bad in ["", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", "otpauth://pipush/x", "otpauth://pipush/PIPU1?url=ftp://x"] {
            XCTAssertThrowsError(try push.enroll(uri: bad), bad) { XCTAssertTrue(isCase($0, "InvalidUri"), "\(bad): \($0)") }
        }
        XCTAssertEqual(transport.calls, 0)
    }

    func testForgedPayloadIsRefusedAndRecorded() throws {
        let push = PushApprovals(vault: try vault(), transport: OfflineTransport(), clock: Clock.fixed(unixSeconds: 1_700_000_000))
        let forged = Data("""
            {"nonce":"ABCDEFGHIJKLMNOP","serial":"PIPU0001ABCD","url":"https://pi.example.com/ttype/push",
             "question":"Sign in?","title":"privacyIDEA","sslverify":"1","signature":"AAAA"}
            """.utf8)
        XCTAssertThrowsError(try push.receivePayload(payload: forged)) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }
        XCTAssertThrowsError(try push.receivePayload(payload: Data("not json".utf8))) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }
        let history = try push.history()
        XCTAssertEqual(history.count, 2)
        XCTAssertTrue(history.allSatisfy { $0.event == "refused" })
        XCTAssertEqual(history.first?.at, 1_700_000_000)
        XCTAssertTrue(try push.pending().isEmpty)
        XCTAssertThrowsError(try push.approve(id: "ABCDEFGHIJKLMNOP", answer: nil)) { XCTAssertTrue(isCase($0, "NotFound"), "\($0)") }
    }

    func testLockedVaultIsTypedError() throws {
        let v = try vault()
        let push = PushApprovals(vault: v, transport: OfflineTransport(), clock: nil)
        v.lock()
        XCTAssertThrowsError(try push.history()) { XCTAssertTrue(isCase($0, "Locked"), "\($0)") }
    }
}
