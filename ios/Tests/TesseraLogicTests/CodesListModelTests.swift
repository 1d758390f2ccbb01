import XCTest
@testable import TesseraLogic

final class CodesListModelTests: XCTestCase {
    let start: Int64 = 30_000 * 56_666_667 // a period boundary, in Unix milliseconds
    var t0: Int64 { start + 10_000 }

    func source() -> FakeCodeSource {
        FakeCodeSource([
            FakeCodeSource.totp("a", "NHSmail", "pharmacist@nhs.net", groups: ["Work"]),
            FakeCodeSource.totp("b", "GitHub", "dev", groups: ["Personal"], favourite: true),
            FakeCodeSource.totp("c", "Émile Bank", "emile", groups: ["personal"]),
            AccountCode(id: "h", issuer: "VPN", accountName: "me", type: .hotp, code: "111111", periodSeconds: nil),
        ])
    }

    func testCountdownCountsDownFromThePeriod() {
        XCTAssertEqual(Countdown.at(start, period: 30).secondsLeft, 30)
        XCTAssertEqual(Countdown.at(start, period: 30).fraction, 1.0)
        XCTAssertEqual(Countdown.at(start + 9_000, period: 30).secondsLeft, 21)
        XCTAssertEqual(Countdown.at(start + 29_999, period: 30).secondsLeft, 1)
        XCTAssertTrue(Countdown.at(start + 25_000, period: 30).urgent)
        XCTAssertFalse(Countdown.at(start + 24_000, period: 30).urgent)
        XCTAssertEqual(Countdown.nextChange(start + 1, period: 30), start / 1000 + 30)
        XCTAssertEqual(Countdown.nextChange(start, period: 30), start / 1000 + 30)
        XCTAssertEqual(Countdown.at(-1, period: 30).secondsLeft, 1, "before 1970 still counts down")
    }

    func testFetchesOnlyWhenAPeriodChanges() {
        let src = source()
        let m = CodesListModel(source: src)
        for s in 0..<30 { m.tick(nowMillis: start + Int64(s) * 1000) }
        XCTAssertEqual(m.fetches, 1, "one FFI call for a whole period")
        m.tick(nowMillis: start + 30_000)
        XCTAssertEqual(m.fetches, 2)
        XCTAssertEqual(src.asked, [start / 1000, start / 1000 + 30])
        m.invalidate(nowMillis: start + 31_000)
        XCTAssertEqual(m.fetches, 3)
    }

    func testMixedPeriodsRefreshAtTheEarliestChange() {
        let src = FakeCodeSource([FakeCodeSource.totp("a", "A", "a", period: 30), FakeCodeSource.totp("b", "B", "b", period: 60)])
        let m = CodesListModel(source: src)
        let s60: Int64 = 60_000 * 28_333_334
        m.tick(nowMillis: s60)
        m.tick(nowMillis: s60 + 29_000)
        XCTAssertEqual(m.fetches, 1)
        m.tick(nowMillis: s60 + 30_000)
        XCTAssertEqual(m.fetches, 2)
    }

    func testRowsAreOrderedFavouritesFirstThenByIssuer() {
        let m = CodesListModel(source: source())
        m.tick(nowMillis: t0)
        XCTAssertEqual(m.state.rows.map(\.title), ["GitHub", "Émile Bank", "NHSmail", "VPN"])
        XCTAssertNil(m.state.empty)
    }

    func testSearchMatchesEveryWordIgnoringCaseAndAccents() {
        let m = CodesListModel(source: source())
        m.tick(nowMillis: t0)
        m.search("nhs PHARM")
        XCTAssertEqual(m.state.rows.map(\.id), ["a"])
        m.search("emile")
        XCTAssertEqual(m.state.rows.map(\.id), ["c"])
        m.search("work")
        XCTAssertEqual(m.state.rows.map(\.id), ["a"], "groups are searched too")
        m.search("nothing-like-this")
        XCTAssertEqual(m.state.empty, .noMatches)
        m.search("  ")
        XCTAssertEqual(m.state.rows.count, 4)
    }

    func testGroupChipsMergeCaseVariantsAndFilter() {
        let m = CodesListModel(source: source())
        m.tick(nowMillis: t0)
        XCTAssertEqual(m.state.groups.map(\.label), ["All", "Favourites", "Personal", "Work"])
        XCTAssertEqual(m.state.groups.map(\.count), [4, 1, 2, 1])
        m.select(.named("PERSONAL"))
        XCTAssertEqual(Set(m.state.rows.map(\.id)), ["b", "c"])
        XCTAssertTrue(m.state.groups.first { $0.label == "Personal" }!.selected)
        m.select(.favourites)
        XCTAssertEqual(m.state.rows.map(\.id), ["b"])
    }

    func testAVanishedGroupFallsBackToAll() {
        let src = source()
        let m = CodesListModel(source: src)
        m.tick(nowMillis: t0)
        m.select(.named("Work"))
        src.accounts.removeAll { $0.id == "a" }
        m.invalidate(nowMillis: t0 + 1000)
        XCTAssertEqual(m.state.filter, .all)
        XCTAssertEqual(m.state.rows.count, 3)
    }

    func testCopyGivesTheCurrentCodeOrTheNextOneAtTheVeryEnd() {
        let m = CodesListModel(source: source(), pasteboardSeconds: 20)
        m.tick(nowMillis: start + 10_000)
        let step = start / 1000 / 30
        let now = m.copy(id: "a", nowMillis: start + 10_000)!
        XCTAssertEqual(now.text, FakeCodeSource.codeFor("a", step))
        XCTAssertFalse(now.isNextCode)
        XCTAssertEqual(now.expiresAfterSeconds, 20)
        let late = m.copy(id: "a", nowMillis: start + 28_500)!
        XCTAssertTrue(late.isNextCode)
        XCTAssertEqual(late.text, FakeCodeSource.codeFor("a", step + 1))
        XCTAssertNil(m.copy(id: "missing", nowMillis: start))
    }

    func testNextCodeIsShownOnlyWhenUrgent() {
        let m = CodesListModel(source: source())
        m.tick(nowMillis: start + 10_000)
        XCTAssertNil(m.state.rows.first { $0.id == "a" }!.nextGrouped)
        m.tick(nowMillis: start + 26_000)
        let row = m.state.rows.first { $0.id == "a" }!
        XCTAssertEqual(row.countdown?.secondsLeft, 4)
        XCTAssertEqual(row.nextGrouped, FakeCodeSource.grouped(FakeCodeSource.codeFor("a", start / 1000 / 30 + 1)))
    }

    func testAccessibilityLabelSaysWhoTheDigitsAndTimeLeft() {
        let m = CodesListModel(source: FakeCodeSource([
            AccountCode(id: "x", issuer: "NHSmail", accountName: "p@nhs.net", type: .hotp, code: "123456",
                        spoken: "1 2 3, 4 5 6", periodSeconds: nil)]))
        m.tick(nowMillis: t0)
        XCTAssertEqual(m.state.rows.first?.accessibilityLabel,
                       "NHSmail, p@nhs.net. Code 1 2 3, 4 5 6. press to generate the next code")
        let m2 = CodesListModel(source: FakeCodeSource([FakeCodeSource.totp("y", "", "bob@example.com")]))
        m2.tick(nowMillis: start + 29_000)
        let row = m2.state.rows[0]
        XCTAssertEqual(row.title, "bob@example.com")
        XCTAssertEqual(row.subtitle, "")
        XCTAssertTrue(row.accessibilityLabel.hasSuffix("1 second left"), row.accessibilityLabel)
    }

    func testHOTPAdvancesOnlyThatAccount() {
        let m = CodesListModel(source: source())
        m.tick(nowMillis: t0)
        var before = Dictionary(uniqueKeysWithValues: m.state.rows.map { ($0.id, $0.grouped) })
        m.nextHOTP(id: "h", nowMillis: t0)
        var after = Dictionary(uniqueKeysWithValues: m.state.rows.map { ($0.id, $0.grouped) })
        XCTAssertEqual(after["h"], FakeCodeSource.codeFor("h", 1))
        before["h"] = nil
        after["h"] = nil
        XCTAssertEqual(before, after)
        XCTAssertNil(m.state.rows.first { $0.id == "h" }!.countdown)
    }

    func testAnHOTPAccountWithoutACodeYetCopiesNothing() {
        let m = CodesListModel(source: FakeCodeSource([
            AccountCode(id: "h", issuer: "VPN", accountName: "me", type: .hotp, code: "", periodSeconds: nil),
        ]))
        m.tick(nowMillis: t0)
        XCTAssertNil(m.copy(id: "h", nowMillis: t0), "nothing to copy before the first code")
        XCTAssertEqual(m.state.rows.first?.accessibilityLabel, "VPN, me. No code yet, press to generate the next code")
        m.nextHOTP(id: "h", nowMillis: t0)
        XCTAssertEqual(m.copy(id: "h", nowMillis: t0)?.text, FakeCodeSource.codeFor("h", 1))
    }

    func testALockedVaultIsAProblemNotACrash() {
        let src = source()
        src.failWith = .locked
        let m = CodesListModel(source: src)
        m.tick(nowMillis: t0)
        XCTAssertEqual(m.state.problem, .locked)
        XCTAssertTrue(m.state.rows.isEmpty)
        src.failWith = nil
        m.tick(nowMillis: t0 + 1000)
        XCTAssertNil(m.state.problem, "retries on the next tick")
        XCTAssertEqual(m.state.rows.count, 4)
    }

    func testEmptyVaultSaysNoAccounts() {
        let m = CodesListModel(source: FakeCodeSource([]))
        m.tick(nowMillis: t0)
        XCTAssertEqual(m.state.empty, .noAccounts)
    }

    func testOnChangeFiresOnRealChangesOnly() {
        let m = CodesListModel(source: source())
        var seen = 0
        m.onChange = { _ in seen += 1 }
        m.tick(nowMillis: t0)
        XCTAssertEqual(seen, 1)
        m.search("")
        XCTAssertEqual(seen, 1, "same state: no notification")
        m.tick(nowMillis: t0 + 1000)
        XCTAssertEqual(seen, 2, "the countdown moved")
    }
}
