import Foundation
import XCTest
import Tessera

/// A key protector written in Swift, standing in for the Keychain in these tests: the "platform
/// key" is a random pad held in memory and wrapped bytes carry this instance's id, so another
/// device's protector refuses them. (A real app wraps with a Keychain / Secure Enclave key.)
final class SwiftKeyProtector: KeyProtector, @unchecked Sendable {
    private let id: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }
    private let pad: [UInt8] = (0..<64).map { _ in UInt8.random(in: 0...255) }
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.lock(); defer { lock.unlock() }; return count }
    var onCall: (() -> Void)?

    func wrapKey(key: Data) throws -> Data {
        lock.lock(); count += 1; lock.unlock()
        onCall?()
        return Data(id + key.enumerated().map { $0.element ^ pad[$0.offset % pad.count] })
    }

    func unwrapKey(wrapped: Data) throws -> Data {
        lock.lock(); count += 1; lock.unlock()
        onCall?()
        let bytes = [UInt8](wrapped)
        guard bytes.count > id.count, Array(bytes[0..<id.count]) == id else {
            throw TesseraError.KeyStore(message: "not this device's key")
        }
        return Data(bytes[id.count...].enumerated().map { $0.element ^ pad[$0.offset % pad.count] })
    }
}

struct KeychainGone: Error {}

final class BrokenProtector: KeyProtector, @unchecked Sendable {
    func wrapKey(key: Data) throws -> Data { throw KeychainGone() }
    func unwrapKey(wrapped: Data) throws -> Data { throw KeychainGone() }
}

final class VaultTests: XCTestCase {
    var dir: URL!
    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String = "v.db") -> String { dir.appendingPathComponent(name).path }
    func newVault() throws -> CreatedVault {
        try createVault(path: path(), password: "correct horse", kdf: kdfInsecureForTests())
    }

    func testCreateAddListAndCodesInOneCall() throws {
        let created = try newVault()
        XCTAssertEqual(created.recoveryKey.split(separator: "-").count, 13)
        let v = created.vault
        let a = account(issuer: "Bank")
        let b = account(secret: "JBSWY3DPEHPK3PXP", issuer: "Mail")
        let idA = try v.add(account: a)
        _ = try v.add(account: b)
        let list = try v.list()
        XCTAssertEqual(list.map { $0.issuer }, ["Bank", "Mail"])
        XCTAssertFalse("\(list)".contains(rfcSeedSha1), "the list carries no secret")
        let rows = try v.codesAt(unixSeconds: 59)
        XCTAssertEqual(rows.first { $0.id == idA }?.code, try codeAt(account: a, unixSeconds: 59))
        XCTAssertEqual(rows.first { $0.id != idA }?.code, try codeAt(account: b, unixSeconds: 59))
        XCTAssertEqual(try v.account(id: idA).secretBase32, a.secretBase32)
        v.setClock(clock: Clock.fixed(unixSeconds: 59))
        XCTAssertEqual(try v.codesNow(), rows)
    }

    func testWrongPasswordIsATypedError() throws {
        _ = try newVault().vault.add(account: account())
        let v = try Vault.open(path: path())
        XCTAssertFalse(v.isUnlocked())
        XCTAssertThrowsError(try v.codesAt(unixSeconds: 0)) { XCTAssertTrue(isCase($0, "Locked"), "\($0)") }
        XCTAssertThrowsError(try v.unlockWithPassword(password: "wrong")) { e in
            guard case TesseraError.WrongPassword = e else { return XCTFail("\(e)") }
        }
        try v.unlockWithPassword(password: "correct horse")
        XCTAssertEqual(try v.codesAt(unixSeconds: 0).count, 1)
    }

    func testASwiftKeyProtectorUnlocksAndAnotherDeviceDoesNot() throws {
        let protector = SwiftKeyProtector()
        do {
            let v = try newVault().vault
            _ = try v.add(account: account())
            _ = try v.addProtectorSlot(protector: protector, label: "this phone")
            v.shutdown()
        }
        let v = try Vault.open(path: path())
        XCTAssertThrowsError(try v.unlockWithProtector(protector: SwiftKeyProtector())) {
            XCTAssertTrue(isCase($0, "KeyStore"), "\($0)")
        }
        XCTAssertFalse(v.isUnlocked())
        try v.unlockWithProtector(protector: protector)
        XCTAssertTrue(v.isUnlocked())
        XCTAssertEqual(try v.list().count, 1)
        XCTAssertGreaterThanOrEqual(protector.calls, 2)
    }

    func testAProtectorThatCallsBackIntoTheVaultDoesNotDeadlock() throws {
        let v = try newVault().vault
        let protector = SwiftKeyProtector()
        protector.onCall = { _ = v.isUnlocked() }
        _ = try v.addProtectorSlot(protector: protector, label: "re-entrant")
        v.lock()
        try v.unlockWithProtector(protector: protector)
        XCTAssertTrue(v.isUnlocked())
    }

    func testAProtectorThrowingAnUnexpectedErrorBecomesAnError() throws {
        let v = try newVault().vault
        XCTAssertThrowsError(try v.addProtectorSlot(protector: BrokenProtector(), label: "x")) {
            XCTAssertTrue(isCase($0, "Internal"), "\($0)")
        }
        XCTAssertTrue(v.isUnlocked())
    }

    func testRecoveryKeyLockAndClose() throws {
        let created = try newVault()
        created.vault.shutdown()
        XCTAssertThrowsError(try created.vault.list()) { XCTAssertTrue(isCase($0, "Locked"), "\($0)") }
        let v = try Vault.open(path: path())
        try v.unlockWithRecoveryKey(recoveryKey: created.recoveryKey.lowercased().replacingOccurrences(of: "-", with: " "))
        XCTAssertTrue(v.isUnlocked())
        v.lock()
        XCTAssertFalse(v.isUnlocked())
    }

    func testANewRecoveryKeyAndEntryEdits() throws {
        let created = try newVault()
        let v = created.vault
        let fresh = try v.replaceRecoveryKey()
        XCTAssertNotEqual(fresh, created.recoveryKey)
        let id = try v.addUri(uri: "otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site")
        try v.setFavorite(id: id, favorite: true)
        try v.setGroups(id: id, groups: ["Work", "NHS"])
        try v.setNote(id: id, note: "desk phone")
        try v.recordUse(id: id)
        let entry = try XCTUnwrap(v.list().first)
        XCTAssertTrue(entry.favorite)
        XCTAssertEqual(entry.groups, ["Work", "NHS"])
        XCTAssertTrue(entry.hasNote)
        XCTAssertEqual(entry.usageCount, 1)
        XCTAssertEqual(try v.account(id: id).note, "desk phone")
        XCTAssertThrowsError(try v.setFavorite(id: "no-such-id", favorite: true)) { XCTAssertTrue(isCase($0, "NotFound"), "\($0)") }
        v.shutdown()
        let again = try Vault.open(path: path())
        XCTAssertThrowsError(try again.unlockWithRecoveryKey(recoveryKey: created.recoveryKey)) {
            XCTAssertTrue(isCase($0, "WrongPassword"), "\($0)")
        }
        try again.unlockWithRecoveryKey(recoveryKey: fresh)
        XCTAssertEqual(try again.list().first?.favorite, true)
    }

    func testHotpRenameRemoveNotFoundAndLinks() throws {
        let v = try newVault().vault
        let id = try v.add(account: account(type: .hotp, counter: 0, issuer: "Counter"))
        XCTAssertEqual(try v.nextHotp(id: id), "755224")
        XCTAssertEqual(try v.nextHotp(id: id), "287082")
        XCTAssertEqual(try v.codesAt(unixSeconds: 0).first?.code, "")
        try v.rename(id: id, issuer: "Renamed", name: "bob")
        XCTAssertEqual(try v.list().first?.issuer, "Renamed")
        _ = try v.addUri(uri: "otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site")
        XCTAssertThrowsError(try v.addUri(uri: "otpauth://totp/x")) { XCTAssertTrue(isCase($0, "InvalidUri"), "\($0)") }
        try v.remove(id: id)
        XCTAssertThrowsError(try v.remove(id: id)) { XCTAssertTrue(isCase($0, "NotFound"), "\($0)") }
        XCTAssertThrowsError(try Vault.open(path: path("missing.db"))) { XCTAssertTrue(isCase($0, "NotFound"), "\($0)") }
    }

    func testEightThreadsUseOneVault() throws {
        let v = try newVault().vault
        _ = try v.add(account: account(issuer: "seed"))
        let lock = NSLock()
        var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<10 {
                do {
                    _ = try v.add(account: account(secret: secretToBase32(secret: Data([UInt8(t), UInt8(i)] + [UInt8](repeating: 7, count: 18))),
                                                   issuer: "t\(t)-\(i)", name: "n\(t)-\(i)"))
                    if try v.codesAt(unixSeconds: 1_000).isEmpty { throw KeychainGone() }
                } catch {
                    lock.lock(); failures.append("\(error)"); lock.unlock()
                }
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertEqual(try v.list().count, 81)
    }

    func testVaultObjectIsDestroyedWithItsLastReference() throws {
        weak var weakVault: Vault?
        do {
            let v = try newVault().vault
            weakVault = v
            _ = try v.add(account: account())
        }
        XCTAssertNil(weakVault)
        let reopened = try Vault.open(path: path())
        try reopened.unlockWithPassword(password: "correct horse")
        XCTAssertEqual(try reopened.list().count, 1, "the add was saved before the object went away")
    }

    func testCorpusAegisImport() throws {
        guard let corpus = corpusDir("file import") else { return }
        let plain = try Data(contentsOf: corpus.appendingPathComponent("aegis/aegis_plain.json"))
        let parsed = try parseImportFile(contents: plain, fileName: "aegis_plain.json", password: nil)
        XCTAssertEqual(parsed.formatId, "aegis")
        XCTAssertEqual(parsed.accounts.count + parsed.skipped.count, 7)
        XCTAssertTrue(parsed.accounts.contains { $0.issuer == "Deno" && $0.secretBase32 == "4SJHB4GSD43FZBAI7C2HLRJGPQ" })
        let v = try newVault().vault
        let summary = try v.importFile(contents: plain, fileName: "aegis_plain.json", password: nil)
        XCTAssertEqual(Int(summary.added), parsed.accounts.count)
        XCTAssertEqual(try v.list().count, parsed.accounts.count)
        let encrypted = try Data(contentsOf: corpus.appendingPathComponent("aegis/aegis_encrypted.json"))
        XCTAssertThrowsError(try parseImportFile(contents: encrypted, fileName: nil, password: nil)) {
            XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)")
        }
        let dec = try parseImportFile(contents: encrypted, fileName: nil, password: "test")
        XCTAssertEqual(dec.accounts.map { $0.secretBase32 }, parsed.accounts.map { $0.secretBase32 })
    }
}
