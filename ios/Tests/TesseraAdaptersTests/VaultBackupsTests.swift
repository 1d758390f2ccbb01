import Foundation
import Tessera
import TesseraAdapters
import TesseraLogic
import XCTest

/// Backup export → verify → import into a second vault, and the problems a user can meet.
final class VaultBackupsTests: XCTestCase {
    var folder: TempFolder!
    var vaults: [Vault] = []
    override func setUp() { folder = TempFolder() }
    override func tearDown() {
        vaults.forEach { $0.shutdown() }
        folder.remove()
    }

    func newVault(_ name: String) throws -> Vault {
        let v = try VaultFile.openOrCreate(in: folder.url.appendingPathComponent(name), wrapper: FakeKeyWrapper(device: 1),
                                           slotLabel: "test", kdf: kdfInsecureForTests()).vault
        vaults.append(v)
        return v
    }

    func testBackupVerifiesAndRestoresIntoASecondVault() throws {
        let phone = try newVault("phone")
        _ = try VaultAccounts(vault: phone).add(links: [RFC.sha1, RFC.nhs, RFC.hotp])
        let backups = VaultBackups(vault: phone)
        let file = try backups.export(password: "a long backup password")
        XCTAssertFalse(String(decoding: file, as: UTF8.self).contains("GEZDGNBV"), "the secrets are encrypted")

        XCTAssertEqual(try backups.verify(file, password: "a long backup password"), .readable(accounts: 3, matchesVault: true))
        XCTAssertEqual(try backups.verify(file, password: "wrong"), .unreadable(.wrongPassword))
        XCTAssertEqual(try backups.verify(file, password: ""), .unreadable(.wrongPassword), "encrypted: a password is needed")
        XCTAssertEqual(try backups.verify(Data("{\"not\":\"a backup\"}".utf8), password: "x"), .unreadable(.corrupted))

        let restored = try newVault("new-phone")
        let report = try VaultBackups(vault: restored).importFile(file, fileName: "tessera-backup.tessera", password: "a long backup password")
        XCTAssertEqual(report.imported.sorted(), ["NHSmail: jo.bloggs@nhs.net", "RFC: sha1", "VPN: me"])
        XCTAssertEqual(report.duplicates, [])
        XCTAssertEqual(report.skipped, [])
        XCTAssertTrue(ImportReportView(report).complete)
        XCTAssertEqual(try VaultAccounts(vault: restored).codes(at: 59).first { $0.issuer == "RFC" }?.code, "94287082")
        XCTAssertEqual(try VaultBackups(vault: restored).verify(file, password: "a long backup password"),
                       .readable(accounts: 3, matchesVault: true), "the restored vault is the backup")

        let again = try VaultBackups(vault: restored).importFile(file, fileName: nil, password: "a long backup password")
        XCTAssertEqual(again.imported, [])
        XCTAssertEqual(again.duplicates.sorted(), ["NHSmail: jo.bloggs@nhs.net", "RFC: sha1", "VPN: me"])
        XCTAssertEqual(ImportReportView(again).headline, "Nothing new: 3 accounts already in Tessera")

        _ = try VaultAccounts(vault: phone).add(links: [RFC.sha256])
        XCTAssertEqual(try backups.verify(file, password: "a long backup password"), .readable(accounts: 3, matchesVault: false),
                       "the vault changed since the backup")
    }

    func testImportProblemsTellAPasswordFromADamagedFile() throws {
        let phone = try newVault("phone")
        _ = try VaultAccounts(vault: phone).add(links: [RFC.sha1])
        let file = try VaultBackups(vault: phone).export(password: "a long backup password")
        let other = VaultBackups(vault: try newVault("other"))
        XCTAssertThrowsError(try other.importFile(file, fileName: "b.tessera", password: nil)) {
            XCTAssertEqual($0 as? Problem, .wrongPassword, "encrypted and no password given")
        }
        XCTAssertThrowsError(try other.importFile(file, fileName: "b.tessera", password: "nope")) {
            XCTAssertEqual($0 as? Problem, .wrongPassword)
        }
        XCTAssertThrowsError(try other.importFile(Data("hello, world".utf8), fileName: "notes.txt", password: nil)) {
            XCTAssertEqual($0 as? Problem, .corrupted)
        }
    }

    func testOtherAppsExportsImportWithTheirFormatName() throws {
        let accounts = try [RFC.sha1, RFC.nhs].map { try CoreURIParser.accounts(in: $0)[0] }
        let aegis = try exportAccounts(accounts: accounts, format: .aegis, password: nil)
        let target = VaultBackups(vault: try newVault("v"))
        let report = try target.importFile(aegis.bytes, fileName: "aegis-export.json", password: nil)
        XCTAssertEqual(report.format, "Aegis")
        XCTAssertEqual(report.imported.sorted(), ["NHSmail: jo.bloggs@nhs.net", "RFC: sha1"])
        let uris = try exportAccounts(accounts: accounts + [try CoreURIParser.accounts(in: RFC.sha512)[0]], format: .uris, password: nil)
        let second = try target.importFile(uris.bytes, fileName: "links.txt", password: nil)
        XCTAssertEqual(second.imported, ["RFC512: sha512"])
        XCTAssertEqual(second.duplicates.count, 2)
    }
}
