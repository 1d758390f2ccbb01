import Foundation
import Tessera
@testable import TesseraAdapters
import TesseraLogic
import XCTest

/// The approvals source, APNs inbox and drift over the real `PushApprovals`, without a server:
/// refusals and their Problems, and the mapping of the core's requests to the screen's.
/// (A full enrol → push → approve flow needs a server's RSA signatures: tests/swift/Tests.)
final class PushAdaptersTests: XCTestCase {
    var folder: TempFolder!
    var vault: Vault!
    var network: DeadNetwork!
    var push: PushApprovals!
    override func setUpWithError() throws {
        folder = TempFolder()
        vault = try VaultFile.openOrCreate(in: folder.url, wrapper: FakeKeyWrapper(device: 1), slotLabel: "test",
                                           kdf: kdfInsecureForTests()).vault
        network = DeadNetwork()
        push = PushApprovals(vault: vault, transport: network, clock: Clock.fixed(unixSeconds: 1_700_000_000))
    }
    override func tearDown() {
        vault?.shutdown()
        folder.remove()
    }

    let forged: [String: String] = [
        "nonce": "ABCDEFGHIJKLMNOP", "serial": "PIPU0001ABCD", "url": "https://pi.example.com/ttype/push",
        "question": "Sign in to NHSmail?", "title": "privacyIDEA", "sslverify": "1", "signature": "AAAA",
    ]

    func testNothingIsPendingWithoutTokensAndNoServerIsAsked() throws {
        let source = PushApprovalSource(push: push)
        XCTAssertEqual(try source.pending(at: 1_700_000_000), [])
        XCTAssertEqual(try source.history(), [])
        XCTAssertEqual(network.calls, 0)
        let model = ApprovalFlowModel(source: source)
        model.refresh(nowMillis: 1_700_000_000_000)
        XCTAssertEqual(model.state.phase, .idle)
    }

    func testMalformedEnrollmentLinksAreInvalidURIProblems() throws {
        let source = PushApprovalSource(push: push)
        for bad in ["", RFC.nhs, "otpauth://pipush/x", "otpauth://pipush/PIPU1?url=ftp://x"] {
            XCTAssertThrowsError(try source.enroll(link: bad), bad) { XCTAssertEqual($0 as? Problem, .invalidURI, bad) }
        }
        XCTAssertEqual(try source.tokens(), [])
        XCTAssertEqual(network.calls, 0, "refused before any request")
    }

    func testAnEnrollmentTheServerCannotBeReachedForIsANetworkProblem() throws {
        let link = "otpauth://pipush/PIPU0001ABCD?url=https%3A//pi.example.com/ttype/push&ttl=10&issuer=privacyIDEA"
            + "&enrollment_credential=aa70d326ea8e924ee117de85c93c7d751f8f3467&v=1&serial=PIPU0001ABCD&sslverify=1"
        let add = AddAccountModel(parser: CoreURIParser())
        add.scanned(link)
        guard case .pushToken(let token) = add.state else { return XCTFail("\(add.state)") }
        XCTAssertEqual(token.server, "pi.example.com")
        let enroller: PushEnroller = PushApprovalSource(push: push)
        XCTAssertThrowsError(try enroller.enroll(link: token.link)) { XCTAssertEqual($0 as? Problem, .network) }
        XCTAssertGreaterThan(network.calls, 0)
        XCTAssertEqual(try push.tokens(), [], "nothing enrolled")
    }

    func testForgedAndMalformedPushesAreRefusedAsCorrupted() throws {
        let inbox = APNsInbox(push: push)
        XCTAssertThrowsError(try inbox.deliver(forged)) { XCTAssertEqual($0 as? Problem, .corrupted) }
        var missing = forged
        missing["url"] = nil
        XCTAssertThrowsError(try inbox.deliver(missing)) { XCTAssertEqual($0 as? Problem, .corrupted) }
        XCTAssertEqual(try push.history().map(\.event), ["refused", "refused"], "the core records each refusal")
        XCTAssertEqual(try PushApprovalSource(push: push, polls: false).pending(at: 1_700_000_000), [])
        XCTAssertNil(try inbox.deliver(["aps": "{}", "kind": "news"]), "not a sign-in request: left alone")
        XCTAssertEqual(try push.history().count, 2)
    }

    func testUserInfoBecomesTheCoresPayloadKeys() {
        let userInfo: [AnyHashable: Any] = [
            "aps": ["alert": ["title": "privacyIDEA"]], "nonce": "ABC", "sslverify": 1, "serial": "PIPU1",
            "gcm.message_id": "123", 7: "x", "require_presence": "12,34,56",
        ]
        XCTAssertEqual(APNsInbox.data(fromUserInfo: userInfo),
                       ["nonce": "ABC", "sslverify": "1", "serial": "PIPU1", "require_presence": "12,34,56"])
    }

    func testAnswersToUnknownRequestsAndALockedVaultAreProblems() throws {
        let source = PushApprovalSource(push: push)
        XCTAssertThrowsError(try source.approve(id: "ABCDEFGHIJKLMNOP", answer: nil)) { XCTAssertEqual($0 as? Problem, .notFound) }
        XCTAssertThrowsError(try source.deny(id: "ABCDEFGHIJKLMNOP", reason: .notMe)) { XCTAssertEqual($0 as? Problem, .notFound) }
        vault.lock()
        XCTAssertThrowsError(try source.pending(at: 0)) { XCTAssertEqual($0 as? Problem, .locked) }
        XCTAssertThrowsError(try APNsInbox(push: push).deliver(forged)) { XCTAssertEqual($0 as? Problem, .locked) }
    }

    func testANewPushServiceTokenWithNoTokensTellsNoServerAndBadTokensAreRefused() throws {
        let inbox = APNsInbox(push: push)
        XCTAssertEqual(try inbox.pushServiceTokenChanged("0a1b2c"), PushTokenRegistration(updated: 0, skippedPollOnly: 0, failed: []))
        XCTAssertEqual(network.calls, 0)
        for bad in ["", "has space", String(repeating: "x", count: 1025)] {
            XCTAssertThrowsError(try inbox.pushServiceTokenChanged(bad), bad) { XCTAssertEqual($0 as? Problem, .unknown) }
        }
        XCTAssertEqual(APNsInbox.hexToken(Data([0x00, 0xab, 0x10, 0xff])), "00ab10ff")
        vault.lock()
        XCTAssertThrowsError(try inbox.pushServiceTokenChanged("0a1b2c")) { XCTAssertEqual($0 as? Problem, .locked) }
    }

    func testDriftIsUnknownWithoutATokenToMeasureAgainst() {
        let drift = PushClockDrift(push: push, correctsCodes: true)
        XCTAssertNil(drift.offsetSeconds())
        XCTAssertTrue(drift.correctionEnabled())
        XCTAssertEqual(TimeDrift.of(drift.offsetSeconds(), corrected: drift.correctionEnabled()).level, .unknown)
        XCTAssertFalse(PushClockDrift(push: push, correctsCodes: false).correctionEnabled())
    }

    func request(kind: PushRequestKind, state: String = "pending", reason: String? = nil, options: [String] = []) -> PushRequest {
        PushRequest(id: "N1", serial: "PIPU1", state: state, stateReason: reason, title: "Sign in", question: "Is it you?",
                    app: "Outlook", ip: "192.0.2.1", location: nil, kind: kind, options: options, digits: 0,
                    receivedAt: 100, expiresAt: 220, decidedAt: state == "pending" ? nil : 150, displayCode: nil)
    }

    func testTheCoresRequestsAsTheScreenShowsThem() {
        let choose = PushApprovalSource.request(request(kind: .chooseOne, options: ["12", "34", "56"]), service: "NHS")
        XCTAssertEqual(choose, ApprovalRequest(id: "N1", title: "Sign in", question: "Is it you?", kind: .chooseNumber,
                                               options: ["12", "34", "56"], service: "NHS", appName: "Outlook",
                                               ipAddress: "192.0.2.1", location: nil, receivedAtSeconds: 100, expiresAtSeconds: 220))
        XCTAssertEqual(PushApprovalSource.request(request(kind: .enterNumber), service: "").kind, .enterNumber)
        XCTAssertEqual(PushApprovalSource.request(request(kind: .showCode), service: "").kind, .simple)
        XCTAssertEqual(PushApprovalSource.request(request(kind: .simple), service: "").kind, .simple)

        XCTAssertNil(PushApprovalSource.decision(request(kind: .simple)))
        XCTAssertEqual(PushApprovalSource.decision(request(kind: .simple, state: "approved")), .approved)
        XCTAssertEqual(PushApprovalSource.decision(request(kind: .simple, state: "denied", reason: "not-me")), .deniedNotMe)
        XCTAssertEqual(PushApprovalSource.decision(request(kind: .simple, state: "denied", reason: "cancel")), .deniedCancel)
        XCTAssertEqual(PushApprovalSource.decision(request(kind: .simple, state: "expired")), .expired)
        XCTAssertEqual(PushApprovalSource.decision(request(kind: .simple, state: "cancelled")), .expired)
        XCTAssertEqual(PushApprovalSource.decision(request(kind: .simple, state: "failed", reason: "network")), .failed)

        let tokens = [PushTokenInfo(serial: "PIPU1", label: "jo", issuer: "NHSmail", url: "https://x", enrolledAt: 0),
                      PushTokenInfo(serial: "PIPU2", label: "lab", issuer: "", url: "https://y", enrolledAt: 0)]
        XCTAssertEqual(PushApprovalSource.serviceNames(tokens), ["PIPU1": "NHSmail", "PIPU2": "lab"])
    }
}
