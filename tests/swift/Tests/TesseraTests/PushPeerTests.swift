import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
import Tessera

/// Form/query encoding (`application/x-www-form-urlencoded`): everything but the unreserved
/// characters percent-encoded, so base32 padding and base64 `+`/`/` survive.
func formEncode(_ params: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
    return params.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
}

/// A value behind a lock, for results written from concurrent work.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    @discardableResult
    func update<R>(_ f: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return f(&value) }
}

/// Sends one request synchronously; returns the status, body and `Date` header.
func fetch(_ session: URLSession, _ request: URLRequest) throws -> (Int, Data, String?) {
    let result = Locked<Result<(Int, Data, String?), Error>>(.failure(PeerError("no HTTP response")))
    let done = DispatchSemaphore(value: 0)
    session.dataTask(with: request) { data, response, error in
        if let error = error {
            result.update { $0 = .failure(error) }
        } else if let http = response as? HTTPURLResponse {
            result.update { $0 = .success((http.statusCode, data ?? Data(), http.value(forHTTPHeaderField: "Date"))) }
        }
        done.signal()
    }.resume()
    done.wait()
    return try result.update { $0 }.get()
}

/// The push transport an iOS app would plug in, over URLSession: no redirects, body capped at
/// 1 MiB, the `Date` header passed on. It carries plain loopback HTTP here; it refuses an https
/// URL whose enrollment turned certificate checks off (this test transport has no lax TLS mode).
final class URLSessionTransport: HttpTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
    var calls: Int { lock.lock(); defer { lock.unlock() }; return count }

    func send(request: HttpRequest) throws -> HttpResponse {
        lock.lock(); count += 1; lock.unlock()
        let form = formEncode(request.params.map { ($0.name, $0.value) })
        let isGet = request.method == "GET"
        guard let url = URL(string: isGet && !form.isEmpty ? "\(request.url)?\(form)" : request.url),
              url.scheme == "http" || (url.scheme == "https" && request.verifyTls)
        else { throw TesseraError.Network(message: "unusable URL for this transport") }
        var req = URLRequest(url: url, timeoutInterval: 30)
        req.httpMethod = request.method
        if !isGet {
            req.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            req.httpBody = Data(form.utf8)
        }
        guard let (status, body, date) = try? fetch(session, req), body.count <= 1 << 20 else {
            throw TesseraError.Network(message: "the request failed or the reply was too large")
        }
        return HttpResponse(status: UInt16(clamping: status), body: body, date: date)
    }
}

/// Hands a redirect back to the caller instead of following it.
final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// The peer is not configured: the tests FAIL with this (a push flow that did not run must never
/// count as passed, so they do not skip).
struct PeerMissing: Error, CustomStringConvertible {
    var description: String {
        "privacyIDEA peer not available (TESSERA_PEER_URL/TESSERA_PEER_ADMIN_URL unset): run tests/swift/run"
    }
}

/// A failed call to the peer's admin endpoint.
struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The real privacyIDEA 3.14 that tests/swift/run starts on 127.0.0.1 (tests/push/peer/start), and
/// its admin endpoint (tests/push/peer/admin.py), which plays the admin and the sign-in screen.
struct Peer {
    let admin: String
    let session = URLSession(configuration: .ephemeral)

    /// The peer from the environment, or `PeerMissing`.
    static func fromEnvironment() throws -> Peer {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["TESSERA_PEER_URL"], !url.isEmpty,
              let admin = env["TESSERA_PEER_ADMIN_URL"], !admin.isEmpty else { throw PeerMissing() }
        return Peer(admin: admin)
    }

    /// One admin endpoint call; the JSON object it answered.
    func call(_ path: String, _ query: [String: String]) throws -> [String: Any] {
        let q = formEncode(query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        guard let url = URL(string: "\(admin)\(path)?\(q)") else { throw PeerError("bad admin URL") }
        let (status, body, _) = try fetch(session, URLRequest(url: url, timeoutInterval: 60))
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        guard status == 200 else {
            throw PeerError("peer \(path): HTTP \(status) \(json["error"] ?? "")")
        }
        return json
    }

    /// A new push token for `user`: (serial, otpauth://pipush link).
    func enrollLink(_ user: String) throws -> (String, String) {
        let r = try call("/enroll", ["user": user])
        return (r["serial"] as? String ?? "", r["link"] as? String ?? "")
    }

    /// The sign-in screen asks for `user`'s push: (transaction id, the number it shows, if any).
    func trigger(_ user: String) throws -> (String, String?) {
        let r = try call("/trigger", ["user": user])
        guard let tid = r["transaction_id"] as? String else {
            throw PeerError("no push challenge for \(user): \(r)")
        }
        return (tid, r["presence_answer"] as? String)
    }

    /// The server's view of a challenge (`pending`, `accept`, `declined`, `cancelled` …).
    func status(_ tid: String) throws -> String? {
        try call("/status", ["transaction_id": tid])["status"] as? String
    }

    /// The sign-in screen completes the login: `ACCEPT` or `REJECT`.
    func finalize(_ user: String, _ tid: String, pass: String = "") throws -> String? {
        try call("/finalize", ["user": user, "transaction_id": tid, "pass": pass])["authentication"] as? String
    }

    /// The push-service token the server holds for a token (tokeninfo `firebase_token`).
    func firebaseToken(_ serial: String) throws -> String? {
        try call("/token", ["serial": serial])["firebase_token"] as? String
    }

    /// The server's rollout state and active flag for a token.
    func token(_ serial: String) throws -> (String?, Bool?) {
        let r = try call("/token", ["serial": serial])
        return (r["rollout_state"] as? String, r["active"] as? Bool)
    }
}

/// One enrolled phone: its push approvals, the server's serial and the (now used) link.
struct PeerPhone {
    let push: PushApprovals
    let serial: String
    let link: String
    let transport: URLSessionTransport?
}

/// The four phones, one per server user, enrolled concurrently on first use: RSA-4096 key
/// generation (phone and server) dominates the cost, so doing it in parallel saves most of it.
/// carol's phone talks through a URLSession transport, the others through Tessera's own client.
enum PeerPhones {
    static let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-peer-\(UUID().uuidString)")
    static let all: Result<[String: Result<PeerPhone, Error>], Error> = Result {
        let peer = try Peer.fromEnvironment()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let users = ["alice", "bob", "carol", "dave"]
        let phones = Locked<[String: Result<PeerPhone, Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: users.count) { i in
            let user = users[i]
            let phone = Result { () throws -> PeerPhone in
                let vault = try createVault(path: dir.appendingPathComponent("\(user).db").path, password: "pw",
                                            kdf: kdfInsecureForTests()).vault
                let transport = user == "carol" ? URLSessionTransport() : nil
                let push = PushApprovals(vault: vault, transport: transport, clock: nil)
                let (serial, link) = try peer.enrollLink(user)
                _ = try push.enroll(uri: link)
                return PeerPhone(push: push, serial: serial, link: link, transport: transport)
            }
            phones.update { $0[user] = phone }
        }
        return phones.update { $0 }
    }
}

/// Push approvals from Swift against the real server: the phone side is the exported
/// `PushApprovals` over a vault, HTTP through Tessera's built-in client (or URLSession); the server
/// side is checked through its own API. One user per test, so tests never see each other's
/// challenges. The four enrollments run concurrently in the first test (25–40 s on 2 cores shared
/// with other builds: RSA-4096 key generation on both sides); each flow after that takes 1–4 s.
final class PushPeerTests: XCTestCase {
    override class func tearDown() { try? FileManager.default.removeItem(at: PeerPhones.dir) }

    /// The peer and `user`'s enrolled phone, checked on both sides: the phone lists the token,
    /// the server shows it enrolled and active, and the used link is refused.
    func phone(_ user: String) throws -> (Peer, PeerPhone) {
        let peer: Peer
        do { peer = try Peer.fromEnvironment() } catch {
            XCTFail("\(error)")
            throw error
        }
        guard let phone = try PeerPhones.all.get()[user] else { throw PeerError("no phone for \(user)") }
        let p = try phone.get()
        XCTAssertTrue(p.link.hasPrefix("otpauth://pipush/") && p.link.contains("sslverify=0"), p.link)
        XCTAssertEqual(try p.push.tokens().map(\.serial), [p.serial])
        let (state, active) = try peer.token(p.serial)
        XCTAssertEqual(state, "enrolled")
        XCTAssertEqual(active, true)
        XCTAssertThrowsError(try p.push.enroll(uri: p.link), "a used enrollment link") { _ in }
        return (peer, p)
    }

    /// Polls and returns the one pending request (failing the test when there is not exactly one).
    func onePending(_ push: PushApprovals) throws -> PushRequest {
        let poll = try push.poll()
        XCTAssertEqual(poll.errors, [])
        XCTAssertEqual(poll.refused, [])
        let pending = poll.requests.filter { $0.state == "pending" }
        XCTAssertEqual(pending.count, 1, "\(poll.requests)")
        guard let r = pending.first else { throw PeerError("no pending request") }
        return r
    }

    func testApproveIsAcceptedByTheServer() throws {
        let (peer, phone) = try phone("alice")
        let push = phone.push
        let (tid, shown) = try peer.trigger("alice")
        XCTAssertNil(shown)
        XCTAssertEqual(try peer.status(tid), "pending")
        let r = try onePending(push)
        XCTAssertEqual(r.kind, .simple)
        XCTAssertEqual(r.title, "privacyIDEA loopback")
        XCTAssertTrue(r.question.contains("alice"), r.question)
        XCTAssertEqual(r.expiresAt - r.receivedAt, 120)
        XCTAssertEqual(try push.poll().newRequests, 0, "a second poll does not duplicate the request")
        XCTAssertEqual(try push.pending().map(\.id), [r.id])
        XCTAssertNil(try push.approve(id: r.id, answer: nil))
        XCTAssertEqual(try peer.status(tid), "accept")
        XCTAssertEqual(try peer.finalize("alice", tid), "ACCEPT")
        XCTAssertEqual(try push.requests().first { $0.id == r.id }?.state, "approved")
        XCTAssertTrue(try push.pending().isEmpty)
        XCTAssertThrowsError(try push.approve(id: r.id, answer: nil)) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }
        XCTAssertEqual(try peer.finalize("alice", tid), "REJECT", "a finalized login cannot be finalized again")
        let events = try push.history().filter { $0.requestId == r.id }.map(\.event)
        XCTAssertEqual(events, ["received", "approved", "refused"], "the second approval is refused and recorded")
        XCTAssertLessThanOrEqual(abs(try push.clockOffsetSeconds()), 2)
    }

    func testThePushServiceTokenReachesTheServerAtEnrollmentAndOnChange() throws {
        let (peer, dave) = try phone("dave")
        // dave's phone enrolled from the peer's poll-only link: its server is never told.
        XCTAssertEqual(try dave.push.updatePushServiceToken(token: "apns-00ab10ff"),
                       [PushTokenUpdate(serial: dave.serial, outcome: .skippedPollOnly)])
        XCTAssertEqual(try peer.firebaseToken(dave.serial), "no_firebase_token")

        // A second phone for dave whose link says the server pushes (privacyIDEA stores
        // firebase_token whatever its gateway); removed at the server afterwards so the other
        // tests see one token per user.
        let vault = try createVault(path: PeerPhones.dir.appendingPathComponent("dave-apns.db").path, password: "pw",
                                    kdf: kdfInsecureForTests()).vault
        let push = PushApprovals(vault: vault, transport: nil, clock: nil)
        let (serial, link) = try peer.enrollLink("dave")
        defer { _ = try? peer.call("/delete", ["serial": serial]) }
        let pushing = link.replacingOccurrences(of: "poll_only=True", with: "poll_only=False")
        XCTAssertNotEqual(pushing, link, "the peer's link carries poll_only=True")
        XCTAssertEqual(try push.enrollWithPushToken(uri: pushing, pushServiceToken: "apns-00ab10ff").serial, serial)
        let info = try XCTUnwrap(push.tokens().first { $0.serial == serial })
        XCTAssertFalse(info.pollOnly)
        XCTAssertTrue(info.pushServiceTokenSet)
        let daveInfo = try XCTUnwrap(dave.push.tokens().first { $0.serial == dave.serial })
        XCTAssertTrue(daveInfo.pollOnly)
        XCTAssertFalse(daveInfo.pushServiceTokenSet)
        XCTAssertEqual(try peer.firebaseToken(serial), "apns-00ab10ff")
        XCTAssertEqual(try push.updatePushServiceToken(token: "apns-ffee0011"),
                       [PushTokenUpdate(serial: serial, outcome: .updated)])
        XCTAssertEqual(try peer.firebaseToken(serial), "apns-ffee0011")
        XCTAssertThrowsError(try push.updatePushServiceToken(token: "has space")) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }

        // A phone clock 400 s behind: outside privacyIDEA's ±5 min window, refused for that token.
        let stale = PushApprovals(vault: vault, transport: nil,
                                  clock: Clock.fixed(unixSeconds: UInt64(Date().timeIntervalSince1970) - 400))
        let results = try stale.updatePushServiceToken(token: "apns-stale")
        XCTAssertEqual(results.map(\.serial), [serial])
        guard case .failed(let reason)? = results.first?.outcome else {
            return XCTFail("a stale update is refused: \(results)")
        }
        XCTAssertFalse(reason.contains("apns-stale"), reason)
        XCTAssertEqual(try peer.firebaseToken(serial), "apns-ffee0011")
    }

    func testDenyNotMeAndCancelAreRejectedByTheServer() throws {
        let (peer, phone) = try phone("dave")
        let push = phone.push
        for (reason, name, serverStatus) in [(DeclineReason.notMe, "not-me", "declined"), (.cancel, "cancel", "cancelled")] {
            let (tid, _) = try peer.trigger("dave")
            let r = try onePending(push)
            let denied = try push.deny(id: r.id, reason: reason)
            XCTAssertEqual(denied.state, "denied")
            XCTAssertEqual(denied.stateReason, name)
            XCTAssertEqual(try peer.status(tid), serverStatus)
            XCTAssertEqual(try peer.finalize("dave", tid), "REJECT")
            XCTAssertThrowsError(try push.approve(id: r.id, answer: nil)) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }
            XCTAssertTrue(try push.history().contains { $0.requestId == r.id && $0.event == "denied" && $0.detail == name })
        }
    }

    func testNumberMatchingWrongThenRightAnswer() throws {
        let (peer, phone) = try phone("bob")
        let push = phone.push
        let (tid, shown) = try peer.trigger("bob")
        let right = try XCTUnwrap(shown, "the sign-in screen shows a number")
        let r = try onePending(push)
        XCTAssertEqual(r.kind, .chooseOne)
        XCTAssertEqual(r.options.count, 3)
        XCTAssertTrue(r.options.contains(right), "\(r.options) \(right)")
        let wrong = try XCTUnwrap(r.options.first { $0 != right })
        XCTAssertThrowsError(try push.approve(id: r.id, answer: nil)) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }
        XCTAssertThrowsError(try push.approve(id: r.id, answer: "not-an-option")) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }
        XCTAssertThrowsError(try push.approve(id: r.id, answer: wrong)) { XCTAssertTrue(isCase($0, "InvalidInput"), "\($0)") }
        XCTAssertEqual(try peer.status(tid), "pending", "the server keeps the challenge open after a wrong answer")
        XCTAssertEqual(try push.pending().map(\.id), [r.id], "and so does the phone")
        XCTAssertNil(try push.approve(id: r.id, answer: right))
        XCTAssertEqual(try peer.status(tid), "accept")
        XCTAssertEqual(try peer.finalize("bob", tid), "ACCEPT")
        let events = try push.history().filter { $0.requestId == r.id }.map(\.event)
        XCTAssertEqual(events, ["received", "refused", "refused", "answer_rejected", "approved"],
                       "no answer and a non-option refused here, the wrong option by the server")
    }

    func testCodeToPhoneOverAURLSessionTransport() throws {
        let (peer, phone) = try phone("carol")
        let push = phone.push
        let transport = try XCTUnwrap(phone.transport)
        let (tid, _) = try peer.trigger("carol")
        let r = try onePending(push)
        let code = try XCTUnwrap(try push.approve(id: r.id, answer: nil), "the server sends a code to show")
        XCTAssertTrue(code.count == 2 && code.allSatisfy(\.isNumber), code)
        XCTAssertEqual(try push.requests().first { $0.id == r.id }?.displayCode, code)
        XCTAssertEqual(try peer.finalize("carol", tid, pass: "xx"), "REJECT", "a wrong code is refused")
        XCTAssertEqual(try peer.finalize("carol", tid, pass: code), "ACCEPT")
        XCTAssertGreaterThanOrEqual(transport.calls, 3, "enroll, poll and answer went through URLSession")
        let redirect = try transport.send(request: HttpRequest(method: "GET", url: "\(peer.admin)/redirect", params: [], verifyTls: true))
        XCTAssertEqual(redirect.status, 302, "the transport hands redirects back instead of following them")
    }
}
