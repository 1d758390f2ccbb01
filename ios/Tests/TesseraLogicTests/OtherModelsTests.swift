import XCTest
@testable import TesseraLogic

final class OtherModelsTests: XCTestCase {
    let preview = AccountPreview(issuer: "NHSmail", accountName: "p@nhs.net", type: .totp, digits: 6, periodSeconds: 30,
                                 algorithm: "SHA1")

    final class Parser: URIParser {
        let preview: AccountPreview
        var seen: [String] = []
        init(_ preview: AccountPreview) { self.preview = preview }
        func parse(_ uri: String) throws -> [AccountPreview] {
            seen.append(uri)
            if uri.hasPrefix("otpauth-migration://") {
                var other = preview
                other.issuer = "GitHub"
                return [preview, other]
            }
            guard uri.hasPrefix("otpauth://totp/") else { throw Problem.invalidURI }
            return [preview]
        }
    }

    func testPastedTextWithNoiseAndSeveralLinks() {
        let m = AddAccountModel(parser: Parser(preview))
        m.submit(text: "  Your key: otpauth://totp/NHSmail:p@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail  \n\notpauth-migration://offline?data=abc\n")
        guard case .found(let accounts, let links) = m.state else { return XCTFail("\(m.state)") }
        XCTAssertEqual(accounts.count, 3)
        XCTAssertEqual(links.first, "otpauth://totp/NHSmail:p@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail")
    }

    func testInvalidLinesAreNamedByNumber() {
        let m = AddAccountModel(parser: Parser(preview))
        m.submit(text: "otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\nhello\notpauth://hotp/B\n")
        XCTAssertEqual(m.state, .invalid(lines: [2, 3], problem: .invalidURI))
        m.submit(text: "   \n ")
        XCTAssertEqual(m.state, .empty)
    }

    func testAPushApprovalLinkIsOfferedForEnrolmentWithItsServer() {
        let link = "otpauth://pipush/PIPU0001ABCD?url=https%3A//mfa.nhs.example/ttype/push&ttl=10&issuer=privacyIDEA"
            + "&enrollment_credential=aa70d326&v=1&serial=PIPU0001ABCD&sslverify=1"
        let parser = Parser(preview)
        let m = AddAccountModel(parser: parser)
        m.scanned(link)
        XCTAssertEqual(m.state, .pushToken(PushTokenPreview(issuer: "privacyIDEA", label: "PIPU0001ABCD",
                                                            server: "mfa.nhs.example", link: link)))
        XCTAssertEqual(parser.seen, [], "enrolled by the push module, not parsed as an account")
        XCTAssertNil(PushTokenPreview.of("otpauth://pipush/X?url=ftp%3A//host/x"), "answers go over http(s) only")
        XCTAssertNil(PushTokenPreview.of("otpauth://pipush/X?issuer=nowhere"))
        XCTAssertNil(PushTokenPreview.of("otpauth://totp/X?url=https%3A//host/x"))
        m.submit(text: "otpauth://pipush/X?url=ftp%3A//host/x")
        XCTAssertEqual(m.state, .invalid(lines: [1], problem: .invalidURI), "a broken push link is an invalid line")
        m.submit(text: link + "\n" + "otpauth://totp/A?secret=JBSWY3DPEHPK3PXP")
        XCTAssertEqual(m.state, .invalid(lines: [1], problem: .invalidURI), "a push link is enrolled on its own")
    }

    func testRepeatedScansAreIgnoredUntilReset() {
        let parser = Parser(preview)
        let m = AddAccountModel(parser: parser)
        for _ in 0..<5 { m.scanned("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP") }
        XCTAssertEqual(parser.seen.count, 1)
        m.reset()
        m.scanned("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP")
        XCTAssertEqual(parser.seen.count, 2)
        XCTAssertNil(AddAccountModel.extractLink("no link here"))
        XCTAssertNil(AddAccountModel.extractLink("otpauth://"))
    }

    func testImportReportPutsWhatNeedsAttentionFirst() {
        let v = ImportReportView(ImportReport(format: "Aegis", imported: ["A", "B"], duplicates: ["C"],
                                              skipped: [SkippedEntry(label: "Bank", reason: "unsupported algorithm MD5")],
                                              warnings: ["Icons are not imported"]))
        XCTAssertEqual(v.headline, "Imported 2 accounts from Aegis")
        XCTAssertFalse(v.complete)
        XCTAssertEqual(v.sections.map(\.heading),
                       ["Not imported (1) — add these by hand", "Worth knowing", "Already in Tessera (1)", "Imported (2)"])
        XCTAssertEqual(v.sections[0].lines, ["Bank: unsupported algorithm MD5"])
    }

    func testImportReportHeadlines() {
        XCTAssertEqual(ImportReportView(ImportReport(format: "2FAS", imported: [])).headline, "No accounts found in this 2FAS file")
        let dup = ImportReportView(ImportReport(format: "2FAS", imported: [], duplicates: ["A"]))
        XCTAssertEqual(dup.headline, "Nothing new: 1 account already in Tessera")
        XCTAssertTrue(dup.complete)
        XCTAssertEqual(ImportReportView(ImportReport(format: "Aegis", imported: ["A"])).headline, "Imported 1 account from Aegis")
    }

    func testBackupCheckMessages() {
        XCTAssertEqual(BackupCheck.readable(accounts: 12, matchesVault: true).message,
                       "This backup opens with your password and holds all 12 accounts.")
        XCTAssertTrue(BackupCheck.readable(accounts: 11, matchesVault: false).message.contains("make a new backup"))
        XCTAssertTrue(BackupCheck.unreadable(.wrongPassword).message.hasPrefix("The password does not open"))
    }

    func testLockPolicyUsesMonotonicTimeAndTheChosenDelay() {
        let p = LockPolicy(biometricLock: true, autoLock: .after1Minute)
        XCTAssertTrue(p.mustUnlock)
        p.unlocked()
        XCTAssertFalse(p.mustUnlock)
        p.backgrounded(1_000)
        p.foregrounded(60_999)
        XCTAssertFalse(p.mustUnlock, "59.999 s away: still unlocked")
        p.backgrounded(100_000)
        p.foregrounded(160_000)
        XCTAssertTrue(p.mustUnlock)
        p.unlocked()
        p.autoLock = .immediately
        p.backgrounded(200_000)
        XCTAssertTrue(p.mustUnlock)
        let never = LockPolicy(biometricLock: true, autoLock: .never)
        never.unlocked(); never.backgrounded(0); never.foregrounded(Int64.max / 2)
        XCTAssertFalse(never.mustUnlock)
        XCTAssertFalse(LockPolicy(biometricLock: false, autoLock: .immediately).mustUnlock)
    }

    func testTimeDriftLevels() {
        XCTAssertEqual(TimeDrift.of(nil, corrected: false).level, .unknown)
        XCTAssertEqual(TimeDrift.of(-3, corrected: false), TimeDrift(level: .ok, message: "Clock is correct"))
        XCTAssertEqual(TimeDrift.of(12, corrected: false),
                       TimeDrift(level: .warning, message: "Phone clock is 12 seconds behind; codes may be refused"))
        XCTAssertEqual(TimeDrift.of(-95, corrected: true),
                       TimeDrift(level: .bad, message: "Phone clock is 95 seconds ahead; codes are corrected"))
    }
}

final class ManualEntryTests: XCTestCase {
    func testBuildsALinkFromWhatTheSignInPageShows() {
        XCTAssertEqual(ManualEntry.uri(issuer: "Microsoft", accountName: "jo.bloggs@nhs.net", secret: "jbsw y3dp-ehpk 3pxp"),
                       "otpauth://totp/Microsoft:jo.bloggs@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft")
        XCTAssertEqual(ManualEntry.uri(issuer: " ", accountName: "Café Bank", secret: "abc", digits: 8, periodSeconds: 60),
                       "otpauth://totp/Caf%C3%A9%20Bank?secret=ABC&digits=8&period=60")
        XCTAssertEqual(ManualEntry.uri(issuer: "A:B", accountName: "x", secret: "s"), "otpauth://totp/A%3AB:x?secret=S&issuer=A%3AB")
    }
}
