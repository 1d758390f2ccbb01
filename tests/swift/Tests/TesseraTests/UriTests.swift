import XCTest
import Tessera

final class UriTests: XCTestCase {
    func testParsesAFullTotpLink() throws {
        let a = try parseUri(uri: "otpauth://totp/ACME%20Co:john.doe@example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60")
        XCTAssertEqual(a.otpType, .totp)
        XCTAssertEqual(a.issuer, "ACME Co")
        XCTAssertEqual(a.name, "john.doe@example.com")
        XCTAssertEqual(a.secretBase32, "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ")
        XCTAssertEqual(a.algorithm, .sha256)
        XCTAssertEqual(a.digits, 8)
        XCTAssertEqual(a.period, 60)
    }

    func testParsesHotpAndSteamLinks() throws {
        let h = try parseUri(uri: "otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&counter=42")
        XCTAssertEqual(h.otpType, .hotp)
        XCTAssertEqual(h.counter, 42)
        let s = try parseUri(uri: "steam://63BEDWCQZKTQWPESARIERL5DTTQFCJTK")
        XCTAssertEqual(s.otpType, .steam)
        XCTAssertEqual(s.digits, 5)
    }

    func testAccountToLinkAndBack() throws {
        let a = account(algorithm: .sha512, digits: 8, period: 45, issuer: "Bank & Co", name: "jane doe")
        let uri = try accountToUri(account: a)
        XCTAssertTrue(uri.hasPrefix("otpauth://totp/"), uri)
        XCTAssertEqual(try parseUri(uri: uri), a)
    }

    func testBadLinksAreTypedInvalidUriErrors() {
        for bad in [
            "https://example.com/?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/x?issuer=NoSecret",
            "otpauth://xotp/x?secret=JBSWY3DPEHPK3PXP",
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12",
            "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC",
        ] {
            XCTAssertThrowsError(try parseUri(uri: bad), bad) { XCTAssertTrue(isCase($0, "InvalidUri"), "\(bad): \($0)") }
        }
    }

    func testErrorMessagesNeverContainTheSecret() {
        XCTAssertThrowsError(try parseUri(uri: "otpauth://totp/Bank:alice?secret=SECRETSECRET189&issuer=Bank")) { e in
            guard case TesseraError.InvalidUri(let message) = e else { return XCTFail("\(e)") }
            XCTAssertFalse(message.contains("SECRETSECRET") || message.contains("alice"), message)
            XCTAssertEqual(message, "invalid link", "a fixed message per variant; the reason goes to the log")
            XCTAssertFalse(e.localizedDescription.contains("SECRETSECRET"))
        }
    }

    func testMigrationDecodeAndRoundTrip() throws {
        let accounts = try decodeMigration(uri: "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC")
        XCTAssertEqual(accounts.count, 1)
        XCTAssertEqual(accounts[0].issuer, "Example")
        XCTAssertEqual(accounts[0].name, "alice@google.com")
        XCTAssertEqual(accounts[0].secretBase32, "JBSWY3DPEHPK3PXP")
        let mine = [account(issuer: "A"), account(type: .hotp, counter: 7, issuer: "B")]
        let back = try encodeMigration(accounts: mine).flatMap { try decodeMigration(uri: $0) }
        XCTAssertEqual(back.map { $0.issuer }, ["A", "B"])
        XCTAssertEqual(back.map { $0.secretBase32 }, mine.map { $0.secretBase32 })
        XCTAssertEqual(back[1].counter, 7)
    }

    func testCorpusGoogleAuthenticatorExportDecodes() throws {
        guard let dir = corpusDir("migration import") else { return }
        let folder = dir.appendingPathComponent("google-authenticator-migration/extract_otp_secrets")
        let links = try String(contentsOf: folder.appendingPathComponent("example_export.txt"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("otpauth-migration://") }
        let accounts = try links.flatMap { try decodeMigration(uri: $0) }
        let json = try String(contentsOf: folder.appendingPathComponent("example_output.json"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "\"secret\": \"([A-Z2-7]+)\"")
        let expected = regex.matches(in: json, range: NSRange(json.startIndex..., in: json)).map {
            String(json[Range($0.range(at: 1), in: json)!])
        }
        XCTAssertFalse(accounts.isEmpty)
        XCTAssertEqual(accounts.map { $0.secretBase32 }.sorted(), expected.sorted())
    }

    func testCorpusUriListParsesAndRoundTrips() throws {
        guard let dir = corpusDir("URI list") else { return }
        let lines = try String(contentsOf: dir.appendingPathComponent("otpauth-uri-list/plain.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { $0.hasPrefix("otpauth://") }
        XCTAssertGreaterThanOrEqual(lines.count, 5)
        for line in lines {
            let a = try parseUri(uri: line)
            XCTAssertEqual(try parseUri(uri: try accountToUri(account: a)), a)
        }
    }
}
