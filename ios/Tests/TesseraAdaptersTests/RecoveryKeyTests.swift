import Foundation
import Tessera
import TesseraAdapters
import TesseraLogic
import XCTest

/// New recovery keys and the "not yet saved" marker against the real library.
final class RecoveryKeyTests: XCTestCase {
    var folder: TempFolder!
    override func setUp() { folder = TempFolder() }
    override func tearDown() { folder.remove() }

    private func open(_ device: FakeKeyWrapper) throws -> VaultFile.Opened {
        try VaultFile.openOrCreate(in: folder.url, wrapper: device, slotLabel: "iPhone", kdf: kdfInsecureForTests())
    }

    /// Whether `key` opens the vault file (a second handle, closed again).
    private func opens(with key: String) throws -> Bool {
        let vault = try Vault.open(path: VaultFile.url(in: folder.url).path)
        defer { vault.shutdown() }
        do {
            try vault.unlockWithRecoveryKey(recoveryKey: key)
            return true
        } catch TesseraError.WrongPassword {
            return false
        }
    }

    func testANewKeyUnlocksAndTheOldOneIsRefused() throws {
        let opened = try open(FakeKeyWrapper(device: 1))
        defer { opened.vault.shutdown() }
        let first = try XCTUnwrap(opened.recoveryKey)
        _ = try VaultAccounts(vault: opened.vault).add(links: [RFC.sha1])
        opened.recoveryKeys.confirmSaved()
        XCTAssertFalse(RecoveryKeyMarker.isSet(in: folder.url))
        let second = try opened.recoveryKeys.newRecoveryKey()
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(RecoveryKeyMarker.isSet(in: folder.url), "unsaved until the user confirms")
        opened.recoveryKeys.confirmSaved()
        XCTAssertFalse(RecoveryKeyMarker.isSet(in: folder.url))
        XCTAssertTrue(try opens(with: second), "the new key opens the vault")
        XCTAssertFalse(try opens(with: first), "the old key stops working")
        // The new key moves the vault to a new device, with its accounts.
        let recovered = try VaultFile.recover(in: folder.url, recoveryKey: second.lowercased(), wrapper: FakeKeyWrapper(device: 2),
                                              slotLabel: "new phone")
        XCTAssertEqual(try recovered.list().map(\.issuer), ["RFC"])
        recovered.shutdown()
    }

    func testTheMarkerLivesFromCreationUntilConfirmation() throws {
        let device = FakeKeyWrapper(device: 1)
        let created = try open(device)
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).contains(RecoveryKeyMarker.fileName),
                      "set at creation, before the key is shown")
        created.recoveryKeys.confirmSaved()
        created.vault.shutdown()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), [VaultFile.fileName])
        let again = try open(device)
        XCTAssertNil(again.recoveryKey, "a saved key is not replaced")
        again.vault.shutdown()
    }

    func testACrashBeforeConfirmationIssuesAFreshKeyAtTheNextStart() throws {
        let device = FakeKeyWrapper(device: 1)
        // First launch: the key is made (maybe shown), then the app dies before "I wrote it down".
        let created = try open(device)
        let first = try XCTUnwrap(created.recoveryKey)
        created.vault.shutdown()
        XCTAssertTrue(RecoveryKeyMarker.isSet(in: folder.url))
        // Next launch: a fresh key, and the one that was never confirmed stops working.
        let relaunched = try open(device)
        let second = try XCTUnwrap(relaunched.recoveryKey)
        relaunched.vault.shutdown()
        XCTAssertNotEqual(first, second)
        XCTAssertFalse(try opens(with: first))
        XCTAssertTrue(try opens(with: second))
        // It dies again while showing the second: a third one, until the user confirms.
        let third = try open(device)
        let thirdKey = try XCTUnwrap(third.recoveryKey)
        third.recoveryKeys.confirmSaved()
        third.vault.shutdown()
        XCTAssertNotEqual(second, thirdKey)
        XCTAssertFalse(try opens(with: second))
        let calm = try open(device)
        XCTAssertNil(calm.recoveryKey)
        calm.vault.shutdown()
        XCTAssertTrue(try opens(with: thirdKey), "a confirmed key is kept")
    }

    func testACrashDuringCreationLeavesTheMarkerForTheNextAttempt() throws {
        let device = FakeKeyWrapper(device: 1)
        device.refuse = true
        XCTAssertThrowsError(try open(device)) { XCTAssertEqual($0 as? Problem, .keyUnavailable) }
        XCTAssertFalse(RecoveryKeyMarker.isSet(in: folder.url), "a refused creation leaves no marker")
        // A crash after the marker but before the vault was in place: the next launch creates it.
        try RecoveryKeyMarker.set(in: folder.url)
        device.refuse = false
        let created = try open(device)
        let key = try XCTUnwrap(created.recoveryKey)
        XCTAssertTrue(RecoveryKeyMarker.isSet(in: folder.url))
        created.recoveryKeys.confirmSaved()
        created.vault.shutdown()
        XCTAssertTrue(try opens(with: key))
    }

    func testRecoveringWithTheKeyClearsTheMarker() throws {
        let created = try open(FakeKeyWrapper(device: 1))
        let key = try XCTUnwrap(created.recoveryKey)
        created.vault.shutdown()
        XCTAssertTrue(RecoveryKeyMarker.isSet(in: folder.url))
        let newDevice = FakeKeyWrapper(device: 2)
        try VaultFile.recover(in: folder.url, recoveryKey: key, wrapper: newDevice, slotLabel: "new").shutdown()
        XCTAssertFalse(RecoveryKeyMarker.isSet(in: folder.url), "the user typed it, so they have it")
        let opened = try open(newDevice)
        XCTAssertNil(opened.recoveryKey)
        opened.vault.shutdown()
        XCTAssertTrue(try opens(with: key))
    }

    func testTheSettingsActionOverTheRealVault() throws {
        let opened = try open(FakeKeyWrapper(device: 1))
        defer { opened.vault.shutdown() }
        let model = RecoveryKeyModel(keys: opened.recoveryKeys)
        model.showIssuedAtStart(opened.recoveryKey)
        let first = try XCTUnwrap(model.state.shown).key
        model.saved()
        XCTAssertFalse(RecoveryKeyMarker.isSet(in: folder.url))
        model.askForNew()
        XCTAssertTrue(try opens(with: first), "asking alone changes nothing")
        model.confirmNew()
        let second = try XCTUnwrap(model.state.shown).key
        XCTAssertTrue(RecoveryKeyMarker.isSet(in: folder.url))
        XCTAssertFalse(try opens(with: first))
        XCTAssertTrue(try opens(with: second))
        model.saved()
        XCTAssertFalse(RecoveryKeyMarker.isSet(in: folder.url))
        // A locked vault: the model reports it and the saved key stays saved and valid.
        opened.vault.lock()
        model.askForNew()
        model.confirmNew()
        XCTAssertEqual(model.state, .failed(.locked))
        XCTAssertFalse(RecoveryKeyMarker.isSet(in: folder.url))
        XCTAssertTrue(try opens(with: second))
    }
}
