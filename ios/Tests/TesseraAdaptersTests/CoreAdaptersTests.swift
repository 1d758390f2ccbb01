import Tessera
import XCTest
import TesseraAdapters
import TesseraLogic

/// The view models over the real library: adapters, codes and errors end to end.
final class CoreAdaptersTests: XCTestCase {
    // RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in Base32, 8 digits.
    let rfcLink = "otpauth://totp/RFC:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=RFC"
    let nhsLink = "otpauth://totp/NHSmail:jo.bloggs@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail"
    let hotpLink = "otpauth://hotp/VPN:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0&issuer=VPN"

    func testCodesListShowsRfc6238CodesGroupedAndSpokenByTheCore() throws {
        let list = AccountList()
        XCTAssertEqual(try list.add(links: [rfcLink]), 1)
        let model = CodesListModel(source: list)
        model.tick(nowMillis: 59_000) // RFC 6238: T = 59 s
        let row = try XCTUnwrap(model.state.rows.first)
        XCTAssertEqual(row.title, "RFC")
        XCTAssertEqual(row.grouped, "9428 7082")
        XCTAssertTrue(row.accessibilityLabel.hasPrefix("RFC, alice@example.com. Code 9 4 2 8"), row.accessibilityLabel)
        XCTAssertEqual(row.countdown?.secondsLeft, 1)
        let copy = try XCTUnwrap(model.copy(id: row.id, nowMillis: 40_000))
        XCTAssertEqual(copy.text, "94287082")
        XCTAssertFalse(copy.isNextCode)
    }

    func testCopyNearTheEndGivesTheCoresNextCode() throws {
        let list = AccountList()
        _ = try list.add(links: [rfcLink])
        let model = CodesListModel(source: list)
        model.tick(nowMillis: 1_111_111_109_000) // 07081804, next period 14050471
        let id = try XCTUnwrap(model.state.rows.first).id
        let copy = try XCTUnwrap(model.copy(id: id, nowMillis: 1_111_111_109_500))
        XCTAssertTrue(copy.isNextCode)
        XCTAssertEqual(copy.text, "14050471")
        XCTAssertEqual(model.state.rows.first?.nextGrouped, "1405 0471")
    }

    func testOneCoreCallPerPeriodForTheWholeList() throws {
        let list = AccountList()
        _ = try list.add(links: [rfcLink, nhsLink])
        let model = CodesListModel(source: list)
        for s in Int64(60)..<90 { model.tick(nowMillis: s * 1000) }
        XCTAssertEqual(model.fetches, 1)
        XCTAssertEqual(model.state.rows.count, 2)
    }

    func testHOTPAdvancesThroughRfc4226Vectors() throws {
        let list = AccountList()
        _ = try list.add(links: [hotpLink])
        let model = CodesListModel(source: list)
        model.tick(nowMillis: 0)
        let row = try XCTUnwrap(model.state.rows.first)
        XCTAssertEqual(row.grouped, "755 224")
        XCTAssertNil(row.countdown)
        model.nextHOTP(id: row.id, nowMillis: 0)
        XCTAssertEqual(model.state.rows.first?.grouped, "287 082")
        model.nextHOTP(id: row.id, nowMillis: 0)
        XCTAssertEqual(model.state.rows.first?.grouped, "359 152")
    }

    func testAddAccountPreviewsLinksAndMigrationBatches() throws {
        let model = AddAccountModel(parser: CoreURIParser())
        model.submit(text: "Key: \(nhsLink)")
        guard case .found(let accounts, _) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(accounts.first?.issuer, "NHSmail")
        XCTAssertEqual(accounts.first?.periodSeconds, 30)
        XCTAssertEqual(accounts.first?.algorithm, "SHA1")

        let both = try [nhsLink, rfcLink].map { try CoreURIParser.accounts(in: $0)[0] }
        let batch = try XCTUnwrap(try encodeMigration(accounts: both).first)
        model.reset()
        model.scanned(batch)
        guard case .found(let decoded, _) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(decoded.map(\.issuer), ["NHSmail", "RFC"])
    }

    func testBadLinksBecomeInvalidURIProblems() throws {
        let model = AddAccountModel(parser: CoreURIParser())
        model.submit(text: "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=99\notpauth://totp/ok?secret=JBSWY3DPEHPK3PXP")
        XCTAssertEqual(model.state, .invalid(lines: [1], problem: .invalidURI))
        let list = AccountList()
        XCTAssertThrowsError(try list.add(links: [nhsLink, "otpauth://totp/x?secret=!!"])) { error in
            XCTAssertEqual(error as? Problem, .invalidURI)
        }
        XCTAssertTrue(list.snapshot().isEmpty, "one bad link adds nothing")
    }

    func testDuplicatesDeleteAndFavourite() throws {
        let list = AccountList()
        XCTAssertEqual(try list.add(links: [nhsLink, rfcLink]), 2)
        XCTAssertEqual(try list.add(links: [nhsLink]), 0)
        let model = CodesListModel(source: list)
        model.tick(nowMillis: 59_000)
        let rfcId = try XCTUnwrap(model.state.rows.first { $0.title == "RFC" }).id
        try list.setFavourite(id: rfcId, favourite: true)
        model.invalidate(nowMillis: 60_000)
        XCTAssertEqual(model.state.rows.map(\.title), ["RFC", "NHSmail"])
        try list.delete(id: rfcId)
        model.invalidate(nowMillis: 61_000)
        XCTAssertEqual(model.state.rows.map(\.title), ["NHSmail"])
        XCTAssertThrowsError(try list.delete(id: rfcId)) { XCTAssertEqual($0 as? Problem, .notFound) }
    }
}
