import Foundation
import XCTest
import Tessera

final class ExportTests: XCTestCase {
    var dir: URL!
    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-export-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    let bank = account(secret: rfcSeedSha1, issuer: "Bank", name: "alice")
    let mail = account(secret: "JBSWY3DPEHPK3PXP", digits: 8, issuer: "Mail", name: "bob")

    func vault(_ name: String, _ accounts: [Account]) throws -> Vault {
        let v = try createVault(path: dir.appendingPathComponent(name).path, password: "pw", kdf: kdfInsecureForTests()).vault
        for a in accounts { _ = try v.add(account: a) }
        return v
    }

    func testEncryptedBackupRoundTripsAndVerifies() throws {
        let v = try vault("a.db", [bank, mail])
        let out = try exportVault(vault: v, format: .tessera, password: "backup pw")
        XCTAssertFalse(String(decoding: out.bytes, as: UTF8.self).contains(rfcSeedSha1))
        let check = try verifyBackup(bytes: out.bytes, password: "backup pw", vault: v)
        XCTAssertTrue(check.identical, "\(check.lines)")
        XCTAssertTrue(check.encrypted)
        XCTAssertEqual(check.matching, 2)
        XCTAssertThrowsError(try verifyBackup(bytes: out.bytes, password: "nope", vault: v)) {
            XCTAssertTrue(isCase($0, "WrongPassword"), "\($0)")
        }
        let w = try vault("b.db", [])
        let summary = try w.importFile(contents: out.bytes, fileName: "backup.tessera", password: "backup pw")
        XCTAssertEqual(summary.added, 2)
        XCTAssertEqual(Set(try w.list().map { $0.issuer }), ["Bank", "Mail"])
        XCTAssertTrue(try verifyBackup(bytes: out.bytes, password: "backup pw", vault: w).identical)
    }

    func testVerifyReportsChangesByCountsOnly() throws {
        let v = try vault("a.db", [bank, mail])
        let backup = try exportVault(vault: v, format: .tessera, password: nil).bytes
        let mailId = try v.list().first { $0.issuer == "Mail" }!.id
        try v.remove(id: mailId)
        _ = try v.add(account: account(secret: "MFRGGZDFMZTWQ2LK", issuer: "Shop", name: "carol"))
        let check = try verifyBackup(bytes: backup, password: nil, vault: v)
        XCTAssertFalse(check.identical)
        XCTAssertEqual(check.missing, 1, "\(check.lines)")
        XCTAssertEqual(check.extra, 1)
        XCTAssertEqual(check.matching, 1)
        XCTAssertFalse(check.lines.joined().contains("Shop"))
        XCTAssertThrowsError(try verifyBackup(bytes: Data("not a backup".utf8), password: nil, vault: v)) {
            XCTAssertTrue(isCase($0, "Corrupted"), "\($0)")
        }
    }

    func testAegisUrisAndMigrationExports() throws {
        let accounts = [bank, mail]
        let aegis = try exportAccounts(accounts: accounts, format: .aegis, password: nil)
        XCTAssertTrue(String(decoding: aegis.bytes, as: UTF8.self).contains("\"db\""))
        let imported = try parseImportFile(contents: aegis.bytes, fileName: "aegis.json", password: nil)
        XCTAssertEqual(imported.formatId, "aegis")
        XCTAssertEqual(Set(imported.accounts.map { $0.secretBase32 }), [rfcSeedSha1, "JBSWY3DPEHPK3PXP"])

        let sealed = try exportAccounts(accounts: accounts, format: .aegis, password: "aegis pw")
        XCTAssertFalse(String(decoding: sealed.bytes, as: UTF8.self).contains(rfcSeedSha1))
        XCTAssertEqual(try parseImportFile(contents: sealed.bytes, fileName: "aegis.json", password: "aegis pw").accounts.count, 2)

        let lines = String(decoding: try exportAccounts(accounts: accounts, format: .uris, password: nil).bytes, as: UTF8.self)
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(try lines.map { try parseUri(uri: $0).issuer }, ["Bank", "Mail"])
        XCTAssertEqual(try parseUri(uri: lines[1]).digits, 8)

        let migration = String(decoding: try exportAccounts(accounts: accounts, format: .googleMigration, password: nil).bytes, as: UTF8.self)
            .split(separator: "\n").map(String.init)
        XCTAssertTrue(migration.allSatisfy { $0.hasPrefix("otpauth-migration://") })
        XCTAssertEqual(try migration.flatMap { try decodeMigration(uri: $0) }.map { $0.secretBase32 }, [rfcSeedSha1, "JBSWY3DPEHPK3PXP"])

        XCTAssertThrowsError(try exportAccounts(accounts: accounts, format: .uris, password: "pw")) {
            XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)")
        }
    }
}
