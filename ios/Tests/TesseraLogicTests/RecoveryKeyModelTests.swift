import XCTest
@testable import TesseraLogic

final class RecoveryKeyModelTests: XCTestCase {
    /// Keys like the core's (eight groups of four), a "not yet saved" marker, and a switch to fail.
    final class FakeKeys: RecoveryKeys {
        var issued = 0
        var marker = false
        var confirms = 0
        var failure: Problem?

        func newRecoveryKey() throws -> String {
            if let failure { throw failure }
            issued += 1
            marker = true
            return (1...8).map { "K\(issued)G\($0)" }.joined(separator: "-")
        }

        func confirmSaved() {
            confirms += 1
            marker = false
        }
    }

    func testANewKeyNeedsConfirmationThenShowsOnceUntilSaved() throws {
        let keys = FakeKeys()
        let m = RecoveryKeyModel(keys: keys)
        var seen: [RecoveryKeyState] = []
        m.onChange = { seen.append($0) }
        XCTAssertEqual(m.state, .hidden)

        m.askForNew()
        XCTAssertEqual(m.state, .confirming)
        XCTAssertEqual(keys.issued, 0, "asking does not replace the key yet")
        m.cancel()
        XCTAssertEqual(m.state, .hidden)
        XCTAssertEqual(keys.issued, 0, "cancelled: the old key still works")

        m.askForNew()
        m.confirmNew()
        let shown = try XCTUnwrap(m.state.shown)
        XCTAssertEqual(keys.issued, 1)
        XCTAssertFalse(shown.firstRun)
        XCTAssertEqual(shown.key, "K1G1-K1G2-K1G3-K1G4-K1G5-K1G6-K1G7-K1G8")
        XCTAssertEqual(shown.lines, ["K1G1 K1G2 K1G3 K1G4", "K1G5 K1G6 K1G7 K1G8"])
        XCTAssertTrue(shown.spoken.hasPrefix("K 1 G 1, K 1 G 2"), shown.spoken)
        for text in [String(describing: m.state), String(reflecting: m.state), "\(shown)"] {
            XCTAssertFalse(text.contains("K1G1"), "the key never reaches a description: \(text)")
        }
        var dumped = ""
        dump(m.state, to: &dumped)
        XCTAssertFalse(dumped.contains("K1G1"), "nor a dump")
        XCTAssertTrue(keys.marker)

        // A shown key cannot be dismissed or replaced by accident: only "saved" closes it.
        m.cancel()
        m.askForNew()
        m.confirmNew()
        XCTAssertEqual(m.state, .showing(shown))
        XCTAssertEqual(keys.issued, 1)

        m.saved()
        XCTAssertEqual(m.state, .hidden)
        XCTAssertFalse(keys.marker)
        XCTAssertEqual(keys.confirms, 1)
        m.saved()
        XCTAssertEqual(keys.confirms, 1, "nothing to confirm when nothing is shown")
        XCTAssertEqual(seen, [.confirming, .hidden, .confirming, .showing(shown), .hidden])
    }

    func testConfirmWithoutAskingDoesNothing() {
        let keys = FakeKeys()
        let m = RecoveryKeyModel(keys: keys)
        m.confirmNew()
        XCTAssertEqual(m.state, .hidden)
        XCTAssertEqual(keys.issued, 0)
    }

    func testAFailureKeepsTheOldKeyAndCanBeClosed() {
        let keys = FakeKeys()
        keys.failure = .locked
        let m = RecoveryKeyModel(keys: keys)
        m.askForNew()
        m.confirmNew()
        XCTAssertEqual(m.state, .failed(.locked))
        XCTAssertFalse(keys.marker)
        m.cancel()
        XCTAssertEqual(m.state, .hidden)
        keys.failure = nil
        m.askForNew()
        m.confirmNew()
        XCTAssertNotNil(m.state.shown)
    }

    func testAKeyIssuedAtStartIsShownAsFirstRun() {
        let keys = FakeKeys()
        let m = RecoveryKeyModel(keys: keys)
        m.showIssuedAtStart(nil)
        XCTAssertEqual(m.state, .hidden)
        m.showIssuedAtStart("ABCD-EFGH")
        XCTAssertEqual(m.state, .showing(ShownRecoveryKey(key: "ABCD-EFGH", firstRun: true)))
        m.saved()
        XCTAssertEqual(keys.confirms, 1)
        XCTAssertEqual(m.state, .hidden)
    }
}
