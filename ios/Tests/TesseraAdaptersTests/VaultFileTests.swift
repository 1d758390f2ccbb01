import Foundation
import Tessera
import TesseraAdapters
import TesseraLogic
import XCTest

/// Opening, creating and recovering the app's vault through the KeyWrapper bridge.
final class VaultFileTests: XCTestCase {
    var folder: TempFolder!
    override func setUp() { folder = TempFolder() }
    override func tearDown() { folder.remove() }

    func testFirstRunCreatesTheVaultAndShowsTheRecoveryKeyOnce() throws {
        let device = FakeKeyWrapper(device: 1)
        XCTAssertFalse(VaultFile.exists(in: folder.url))
        let first = try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "iPhone", kdf: kdfInsecureForTests())
        let recovery = try XCTUnwrap(first.recoveryKey)
        XCTAssertGreaterThanOrEqual(recovery.filter { $0.isLetter || $0.isNumber }.count, 20, "a recovery key with real entropy")
        XCTAssertTrue(first.vault.isUnlocked())
        XCTAssertEqual(device.wraps, 1)
        XCTAssertEqual(try VaultAccounts(vault: first.vault).add(links: [RFC.nhs]), 1)
        first.recoveryKeys.confirmSaved() // the user wrote it down
        first.vault.shutdown()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), [VaultFile.fileName],
                       "the staging folder is gone")

        let again = try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "iPhone", kdf: kdfInsecureForTests())
        XCTAssertNil(again.recoveryKey, "shown once, never again")
        XCTAssertEqual(try again.vault.list().map(\.issuer), ["NHSmail"])
        XCTAssertEqual(device.wraps, 1, "no new slot on an ordinary open")
        again.vault.shutdown()
    }

    func testARefusedDeviceKeyIsKeyUnavailableAndKeepsTheWrappersProblem() throws {
        let device = FakeKeyWrapper(device: 1)
        try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "iPhone", kdf: kdfInsecureForTests()).vault.shutdown()
        XCTAssertThrowsError(try VaultFile.openOrCreate(in: folder.url, wrapper: FakeKeyWrapper(device: 2), slotLabel: "x")) {
            XCTAssertEqual($0 as? Problem, .keyUnavailable, "another device's key does not open this vault")
        }
        device.refuse = true
        device.refusal = Problem.locked // what the wrapper said, e.g. a cancelled prompt
        XCTAssertThrowsError(try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "x")) {
            XCTAssertEqual($0 as? Problem, .locked)
        }
        device.refusal = NSError(domain: "Keychain", code: -25293)
        XCTAssertThrowsError(try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "x")) {
            XCTAssertEqual($0 as? Problem, .keyUnavailable, "foreign errors become keyUnavailable")
        }
    }

    func testAKeyRefusedAtCreationLeavesNoVaultBehind() throws {
        let device = FakeKeyWrapper(device: 1)
        device.refuse = true
        XCTAssertThrowsError(try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "x", kdf: kdfInsecureForTests())) {
            XCTAssertEqual($0 as? Problem, .keyUnavailable)
        }
        XCTAssertFalse(VaultFile.exists(in: folder.url))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), [])
        device.refuse = false
        let created = try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "x", kdf: kdfInsecureForTests())
        XCTAssertNotNil(created.recoveryKey, "the next try creates it")
        created.vault.shutdown()
    }

    func testTheRecoveryKeyMovesTheVaultToANewDevice() throws {
        let old = FakeKeyWrapper(device: 1)
        let created = try VaultFile.openOrCreate(in: folder.url, wrapper: old, slotLabel: "old phone", kdf: kdfInsecureForTests())
        _ = try VaultAccounts(vault: created.vault).add(links: [RFC.sha1])
        created.vault.shutdown()
        let recovery = try XCTUnwrap(created.recoveryKey)

        let new = FakeKeyWrapper(device: 2)
        let wrong = (recovery.first == "A" ? "B" : "A") + recovery.dropFirst()
        XCTAssertThrowsError(try VaultFile.recover(in: folder.url, recoveryKey: wrong, wrapper: new, slotLabel: "new")) {
            XCTAssertEqual($0 as? Problem, .wrongPassword)
        }
        let recovered = try VaultFile.recover(in: folder.url, recoveryKey: recovery.lowercased(), wrapper: new, slotLabel: "new phone")
        XCTAssertEqual(try recovered.list().map(\.issuer), ["RFC"])
        recovered.shutdown()
        let opened = try VaultFile.openOrCreate(in: folder.url, wrapper: new, slotLabel: "new phone")
        XCTAssertNil(opened.recoveryKey)
        XCTAssertEqual(try opened.vault.list().count, 1)
        opened.vault.shutdown()
    }

    func testPasswordVaultsOpenAndAWrongPasswordIsWrongPassword() throws {
        let path = folder.url.appendingPathComponent("cli.tessera")
        try createVault(path: path.path, password: "correct horse", kdf: kdfInsecureForTests()).vault.shutdown()
        XCTAssertThrowsError(try VaultFile.open(at: path, password: "battery staple")) {
            XCTAssertEqual($0 as? Problem, .wrongPassword)
        }
        XCTAssertThrowsError(try VaultFile.open(at: folder.url.appendingPathComponent("absent.tessera"), password: "x")) {
            XCTAssertEqual($0 as? Problem, .notFound)
        }
        try Data("not a vault at all".utf8).write(to: folder.url.appendingPathComponent("junk.tessera"))
        XCTAssertThrowsError(try VaultFile.open(at: folder.url.appendingPathComponent("junk.tessera"), password: "x")) {
            XCTAssertEqual($0 as? Problem, .corrupted)
        }
        let vault = try VaultFile.open(at: path, password: "correct horse")
        XCTAssertTrue(vault.isUnlocked())
        vault.lock()
        XCTAssertThrowsError(try VaultAccounts(vault: vault).codes(at: 0)) { XCTAssertEqual($0 as? Problem, .locked) }
        vault.shutdown()
    }
}
