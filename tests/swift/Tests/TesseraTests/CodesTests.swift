import XCTest
import Tessera

final class CodesTests: XCTestCase {
    let rfc6238: [(UInt64, [String])] = [
        (59, ["94287082", "46119246", "90693936"]),
        (1111111109, ["07081804", "68084774", "25091201"]),
        (1111111111, ["14050471", "67062674", "99943326"]),
        (1234567890, ["89005924", "91819424", "93441116"]),
        (2000000000, ["69279037", "90698825", "38618901"]),
        (20000000000, ["65353130", "77737706", "47863826"]),
    ]

    func rfcTotp(_ index: Int, _ seed: String, _ alg: HashAlgorithm) throws {
        let acc = account(secret: seed, algorithm: alg, digits: 8)
        for (t, codes) in rfc6238 {
            XCTAssertEqual(try codeAt(account: acc, unixSeconds: t), codes[index], "\(alg) at \(t)")
        }
    }

    func testRfc6238Sha1() throws { try rfcTotp(0, rfcSeedSha1, .sha1) }
    func testRfc6238Sha256() throws { try rfcTotp(1, rfcSeedSha256, .sha256) }
    func testRfc6238Sha512() throws { try rfcTotp(2, rfcSeedSha512, .sha512) }

    func testRfc4226HotpVectorsByCounter() throws {
        let want = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (i, code) in want.enumerated() {
            XCTAssertEqual(try hotpCode(account: account(type: .hotp), counter: UInt64(i)), code)
            XCTAssertEqual(try codeAt(account: account(type: .hotp, counter: UInt64(i)), unixSeconds: 0), code)
        }
    }

    func testSteamCodesMatchTheSteamApp() throws {
        let steam = account(secret: "63BEDWCQZKTQWPESARIERL5DTTQFCJTK", type: .steam, digits: 5)
        XCTAssertEqual(try codeAt(account: steam, unixSeconds: 1511200518), "FR8RV")
        XCTAssertEqual(try codeAt(account: steam, unixSeconds: 1511200714), "9P3VP")
    }

    func testSecretBytesToBase32() {
        XCTAssertEqual(secretToBase32(secret: Data("12345678901234567890".utf8)), rfcSeedSha1)
    }

    func testFormattingAndSecondsRemaining() {
        XCTAssertEqual(formatGrouped(code: "123456"), "123 456")
        XCTAssertEqual(formatGrouped(code: "12345678"), "1234 5678")
        XCTAssertEqual(formatSpoken(code: "123456"), "1 2 3, 4 5 6")
        XCTAssertEqual(secondsRemaining(period: 30, unixSeconds: 60), 30)
        XCTAssertEqual(secondsRemaining(period: 30, unixSeconds: 59), 1)
    }

    func testInvalidParametersAreTypedErrors() {
        XCTAssertThrowsError(try codeAt(account: account(digits: 11), unixSeconds: 0)) {
            XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)")
        }
        XCTAssertThrowsError(try validateAccount(account: account(secret: "NOT*BASE32*SECRETX"))) { e in
            guard case TesseraError.InvalidInput(let message) = e else { return XCTFail("\(e)") }
            XCTAssertFalse(message.contains("NOT*BASE32"))
        }
    }

    func testCodeBookComputesEveryRowInOneCall() throws {
        let algs: [HashAlgorithm] = [.sha1, .sha256, .sha512]
        var accounts: [Account] = []
        for i in 0..<50 {
            var bytes = [UInt8]()
            for j in 0..<20 { bytes.append(UInt8(truncatingIfNeeded: j * 7 + i)) }
            let secret = secretToBase32(secret: Data(bytes))
            accounts.append(account(secret: secret, algorithm: algs[i % 3], digits: UInt8(6 + i % 3), issuer: "S\(i)"))
        }
        let book = try CodeBook(accounts: accounts)
        XCTAssertEqual(book.len(), 50)
        let rows = book.codesAt(unixSeconds: 1_700_000_000)
        XCTAssertEqual(rows.count, 50)
        for (i, row) in rows.enumerated() {
            XCTAssertEqual(row.id, String(i))
            XCTAssertEqual(row.issuer, "S\(i)")
            XCTAssertEqual(row.code, try codeAt(account: accounts[i], unixSeconds: 1_700_000_000))
            XCTAssertEqual(row.nextCode, try codeAt(account: accounts[i], unixSeconds: 1_700_000_030))
            XCTAssertEqual(row.grouped, formatGrouped(code: row.code))
            XCTAssertEqual(row.spoken, formatSpoken(code: row.code))
            XCTAssertEqual(row.secondsRemaining, 10)
            XCTAssertEqual(row.period, 30)
        }
        XCTAssertEqual(book.currentCodesAt(unixSeconds: 1_700_000_000), rows.map { $0.code })
        let joined = book.currentCodesJoined(unixSeconds: 1_700_000_000)
        XCTAssertEqual(joined.split(separator: "\n").map(String.init), rows.map { $0.code })
        XCTAssertEqual(try CodeBook(accounts: []).currentCodesJoined(unixSeconds: 1_700_000_000), "")
    }

    func testCodeBookHotpRowAndInvalidAccount() throws {
        let row = try CodeBook(accounts: [account(type: .hotp, counter: 1)]).codesAt(unixSeconds: 0)[0]
        XCTAssertEqual(row.code, "287082")
        XCTAssertEqual(row.nextCode, "359152")
        XCTAssertNil(row.secondsRemaining)
        XCTAssertNil(row.period)
        XCTAssertEqual(row.otpType, .hotp)
        XCTAssertThrowsError(try CodeBook(accounts: [account(), account(secret: "")])) {
            XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)")
        }
    }
}
