import XCTest
import Tessera

final class TimeBox: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64
    init(_ v: UInt64) { value = v }
    func set(_ v: UInt64) { lock.lock(); value = v; lock.unlock() }
    func nowUnixSeconds() -> UInt64 { lock.lock(); defer { lock.unlock() }; return value }
}

struct Boom: Error {}

final class ThrowingLogger: Logger, @unchecked Sendable {
    func log(record: LogRecord) throws { throw Boom() }
}

final class ForeignTests: XCTestCase {
    override func tearDown() { removeLogger() }

    func testRustLogRecordsReachASwiftLogger() {
        let logger = CollectingLogger()
        XCTAssertTrue(installLogger(logger: logger, maxLevel: .debug))
        logMessage(level: .info, message: "hello from swift")
        let r = logger.records.filter { $0.target == "tessera::foreign" }
        XCTAssertEqual(r.map { $0.message }, ["hello from swift"])
        XCTAssertEqual(r.first?.level, .info)
    }

    func testLevelFilterAndRemoval() {
        let logger = CollectingLogger()
        _ = installLogger(logger: logger, maxLevel: .warn)
        logMessage(level: .debug, message: "too verbose")
        logMessage(level: .error, message: "kept")
        XCTAssertEqual(logger.records.map { $0.message }, ["kept"])
        removeLogger()
        logMessage(level: .error, message: "after removal")
        XCTAssertEqual(logger.records.count, 1)
    }

    func testErrorDetailGoesToTheLogWithoutTheSecret() {
        let logger = CollectingLogger()
        _ = installLogger(logger: logger, maxLevel: .debug)
        XCTAssertThrowsError(try parseUri(uri: "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=99"))
        let detail = logger.records.filter { $0.target == "tessera::bindings" }
        XCTAssertTrue(detail.contains { $0.message.contains("digits") }, "\(detail)")
        XCTAssertFalse(detail.contains { $0.message.contains("JBSWY3DPEHPK3PXP") })
    }

    func testAThrowingLoggerDoesNotBreakTessera() throws {
        _ = installLogger(logger: ThrowingLogger(), maxLevel: .trace)
        logMessage(level: .info, message: "dropped")
        XCTAssertEqual(try parseUri(uri: "otpauth://totp/Issuer:a?secret=JBSWY3DPEHPK3PXP").issuer, "Issuer")
        let logger = CollectingLogger()
        _ = installLogger(logger: logger, maxLevel: .info)
        logMessage(level: .info, message: "delivered again")
        XCTAssertEqual(logger.records.map { $0.message }, ["delivered again"])
    }

    func testLoggerIsReleasedWhenRemoved() {
        weak var weakLogger: CollectingLogger?
        do {
            let logger = CollectingLogger()
            weakLogger = logger
            _ = installLogger(logger: logger, maxLevel: .info)
        }
        XCTAssertNotNil(weakLogger, "Tessera holds the installed logger")
        removeLogger()
        XCTAssertNil(weakLogger, "removeLogger releases the Swift object")
    }

    func testASwiftTimeSourceDrivesTheClock() {
        let box = TimeBox(1_000)
        let clock = Clock.withSource(source: box)
        XCTAssertEqual(clock.nowUnixSeconds(), 1_000)
        box.set(2_000)
        XCTAssertEqual(clock.nowUnixSeconds(), 2_000)
        clock.setOffsetSeconds(offsetSeconds: -30)
        XCTAssertEqual(clock.offsetSeconds(), -30)
        XCTAssertEqual(clock.nowUnixSeconds(), 1_970)
        XCTAssertEqual(Clock.fixed(unixSeconds: 59).nowUnixSeconds(), 59)
        XCTAssertGreaterThan(Clock.system().nowUnixSeconds(), 1_700_000_000)
    }

    func testARustPanicBecomesASwiftError() throws {
        XCTAssertThrowsError(try debugPanic()) { XCTAssertFalse($0 is TesseraError, "\($0)") }
        XCTAssertEqual(try parseUri(uri: "otpauth://totp/Issuer:a?secret=JBSWY3DPEHPK3PXP").issuer, "Issuer")
    }
}
