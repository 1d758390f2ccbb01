import Foundation
import Tessera
import TesseraAdapters
import TesseraLogic
import XCTest

/// The codes list and account editing over a real vault file.
final class VaultAccountsTests: XCTestCase {
    var folder: TempFolder!
    var vault: Vault!
    override func setUpWithError() throws {
        folder = TempFolder()
        vault = try VaultFile.openOrCreate(in: folder.url, wrapper: FakeKeyWrapper(device: 1), slotLabel: "test",
                                           kdf: kdfInsecureForTests()).vault
    }
    override func tearDown() {
        vault?.shutdown()
        folder.remove()
    }

    func testCodesAreTheRfc6238VectorsForAllThreeHashes() throws {
        let accounts = VaultAccounts(vault: vault)
        XCTAssertEqual(try accounts.add(links: [RFC.sha1, RFC.sha256, RFC.sha512]), 3)
        let vectors: [(Int64, [String: String])] = [
            (59, ["RFC": "94287082", "RFC256": "46119246", "RFC512": "90693936"]),
            (1_111_111_109, ["RFC": "07081804", "RFC256": "68084774", "RFC512": "25091201"]),
            (1_234_567_890, ["RFC": "89005924", "RFC256": "91819424", "RFC512": "93441116"]),
            (20_000_000_000, ["RFC": "65353130", "RFC256": "77737706", "RFC512": "47863826"]),
        ]
        for (t, expected) in vectors {
            let codes = try accounts.codes(at: t)
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: codes.map { ($0.issuer, $0.code) }), expected, "T = \(t)")
        }
        let row = try XCTUnwrap(accounts.codes(at: 1_111_111_109).first { $0.issuer == "RFC" })
        XCTAssertEqual(row.grouped, "0708 1804")
        XCTAssertEqual(row.nextCode, "14050471", "the next period's code (RFC 6238 at T = 1111111111)")
        XCTAssertEqual(row.nextGrouped, "1405 0471")
        XCTAssertEqual(row.periodSeconds, 30)
        XCTAssertEqual(row.type, .totp)
        XCTAssertTrue(row.spoken.hasPrefix("0 7 0 8"), row.spoken)
    }

    func testTheCodesListModelRunsOverTheVault() throws {
        let accounts = VaultAccounts(vault: vault)
        _ = try accounts.add(links: [RFC.sha1, RFC.nhs])
        let model = CodesListModel(source: accounts)
        for s in Int64(60)..<90 { model.tick(nowMillis: s * 1000) }
        XCTAssertEqual(model.fetches, 1, "one vault call per period for the whole list")
        XCTAssertEqual(model.state.rows.map(\.title).sorted(), ["NHSmail", "RFC"])
        model.tick(nowMillis: 1_111_111_109_500)
        let id = try XCTUnwrap(model.state.rows.first { $0.title == "RFC" }).id
        XCTAssertEqual(model.copy(id: id, nowMillis: 1_111_111_109_500)?.text, "14050471")
    }

    func testAddingLinksMigrationBatchesAndDuplicates() throws {
        let accounts = VaultAccounts(vault: vault)
        XCTAssertEqual(try accounts.add(links: [RFC.nhs]), 1)
        XCTAssertEqual(try accounts.add(links: [RFC.nhs]), 0, "already there")
        let both = try [RFC.nhs, RFC.sha1].map { try CoreURIParser.accounts(in: $0)[0] }
        let batch = try XCTUnwrap(try encodeMigration(accounts: both).first)
        XCTAssertEqual(try accounts.add(links: [batch]), 1, "only the RFC account of the batch is new")
        XCTAssertEqual(try vault.list().map(\.issuer).sorted(), ["NHSmail", "RFC"])

        XCTAssertThrowsError(try accounts.add(links: [RFC.sha256, "otpauth://totp/x?secret=!!"])) {
            XCTAssertEqual($0 as? Problem, .invalidURI)
        }
        XCTAssertThrowsError(try accounts.add(links: ["otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=99"])) {
            XCTAssertEqual($0 as? Problem, .invalidURI)
        }
        XCTAssertEqual(try vault.list().count, 2, "one bad link adds nothing")
    }

    func testFavouritesGroupsAndDeletionAreSaved() throws {
        let accounts = VaultAccounts(vault: vault)
        _ = try accounts.add(links: [RFC.nhs, RFC.sha1])
        let model = CodesListModel(source: accounts)
        model.tick(nowMillis: 59_000)
        let rfcId = try XCTUnwrap(model.state.rows.first { $0.title == "RFC" }).id
        try accounts.setFavourite(id: rfcId, favourite: true)
        try accounts.setGroups(id: rfcId, groups: ["Work"])
        model.invalidate(nowMillis: 60_000)
        XCTAssertEqual(model.state.rows.map(\.title), ["RFC", "NHSmail"], "the favourite first")
        XCTAssertTrue(model.state.groups.map(\.label).contains("Work"), "\(model.state.groups)")
        XCTAssertEqual(try vault.list().first { $0.id == rfcId }?.favorite, true, "saved in the vault")

        try accounts.delete(id: rfcId)
        model.invalidate(nowMillis: 61_000)
        XCTAssertEqual(model.state.rows.map(\.title), ["NHSmail"])
        XCTAssertThrowsError(try accounts.delete(id: rfcId)) { XCTAssertEqual($0 as? Problem, .notFound) }
        XCTAssertThrowsError(try accounts.setFavourite(id: rfcId, favourite: false)) { XCTAssertEqual($0 as? Problem, .notFound) }
    }

    func testHOTPCodesComeOnRequestAndTheCounterIsSaved() throws {
        let accounts = VaultAccounts(vault: vault)
        _ = try accounts.add(links: [RFC.hotp])
        let row = try XCTUnwrap(accounts.codes(at: 0).first)
        XCTAssertEqual(row.type, .hotp)
        XCTAssertEqual(row.code, "", "no code until asked (asking advances the counter)")
        XCTAssertNil(row.periodSeconds)
        XCTAssertEqual(try accounts.nextHOTP(id: row.id, at: 0).code, "755224") // RFC 4226, counter 0
        XCTAssertEqual(try accounts.nextHOTP(id: row.id, at: 0).grouped, "287 082")
        XCTAssertEqual(try accounts.codes(at: 100).first?.code, "287082", "the last code stays on the row")

        vault.shutdown()
        vault = try VaultFile.openOrCreate(in: folder.url, wrapper: FakeKeyWrapper(device: 1), slotLabel: "test").vault
        XCTAssertThrowsError(try accounts.codes(at: 0), "the old handle's vault is closed") {
            XCTAssertEqual($0 as? Problem, .locked)
        }
        let reopened = VaultAccounts(vault: vault)
        XCTAssertEqual(try reopened.nextHOTP(id: row.id, at: 0).code, "359152", "counter 2 after reopening")
        _ = try reopened.add(links: [RFC.nhs])
        let totpId = try XCTUnwrap(reopened.codes(at: 0).first { $0.type == .totp }).id
        XCTAssertThrowsError(try reopened.nextHOTP(id: totpId, at: 0)) { XCTAssertEqual($0 as? Problem, .notFound) }
        XCTAssertThrowsError(try reopened.nextHOTP(id: "no-such-id", at: 0)) { XCTAssertEqual($0 as? Problem, .notFound) }
    }

    func testServerTimeCorrectsCodesAndCountdownsByTheMeasuredOffset() throws {
        let time = ServerTime(clock: Clock.fixed(unixSeconds: 0))
        XCTAssertEqual(time.nowMillis(deviceMillis: 29_000), 29_000, "no offset until measured")
        vault.setClock(clock: time.clock)
        let push = PushApprovals(vault: vault, transport: DeadNetwork(), clock: time.clock)
        time.clock.setOffsetSeconds(offsetSeconds: 30)
        XCTAssertEqual(try push.clockOffsetSeconds(), 0, "each push call loads the offset the core saved (none yet) into the shared clock")
        XCTAssertEqual(time.offsetSeconds, 0)
        time.clock.setOffsetSeconds(offsetSeconds: 30) // as a measurement would: the server is 30 s ahead
        let accounts = VaultAccounts(vault: vault)
        _ = try accounts.add(links: [RFC.sha1])
        let model = CodesListModel(source: accounts)
        model.tick(nowMillis: time.nowMillis(deviceMillis: 29_000))
        XCTAssertEqual(model.state.rows.first?.grouped, "9428 7082", "phone 29 s = server 59 s (RFC 6238)")
        XCTAssertEqual(model.state.rows.first?.countdown?.secondsLeft, 1, "the countdown follows the server's period")
        XCTAssertEqual(try accounts.codes(at: -5).first?.code, try accounts.codes(at: 0).first?.code, "never before 1970")
        time.clock.setOffsetSeconds(offsetSeconds: Int64.max / 10)
        XCTAssertEqual(time.nowMillis(deviceMillis: 1), Int64.max, "saturates")
        time.clock.setOffsetSeconds(offsetSeconds: -1)
        XCTAssertEqual(time.nowMillis(deviceMillis: Int64.min + 5), Int64.min, "saturates")
    }
}
