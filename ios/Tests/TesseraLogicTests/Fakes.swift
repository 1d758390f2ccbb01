import Foundation
@testable import TesseraLogic

/// A code source whose codes are derived from the time, counting calls.
final class FakeCodeSource: CodeSource {
    var accounts: [AccountCode]
    var asked: [Int64] = []
    var failWith: Problem?
    var hotpCounter: Int64 = 0

    init(_ accounts: [AccountCode]) { self.accounts = accounts }

    static func codeFor(_ id: String, _ step: Int64) -> String {
        var h: Int64 = 0
        for b in id.utf8 { h = (h &* 31 &+ Int64(b)) % 1_000_003 }
        let v = ((h &* 31 &+ step) &* 7919) % 1_000_000
        let s = String((v + 1_000_000) % 1_000_000)
        return String(repeating: "0", count: 6 - s.count) + s
    }

    static func grouped(_ c: String) -> String { String(c.prefix(3)) + " " + String(c.dropFirst(3)) }

    static func totp(_ id: String, _ issuer: String, _ name: String, groups: [String] = [], favourite: Bool = false,
                     period: Int = 30) -> AccountCode {
        AccountCode(id: id, issuer: issuer, accountName: name, groups: groups, favourite: favourite, code: "000000",
                    periodSeconds: period)
    }

    func codes(at unixSeconds: Int64) throws -> [AccountCode] {
        if let p = failWith { throw p }
        asked.append(unixSeconds)
        return accounts.map { a in
            guard let p = a.periodSeconds else { return a }
            let step = unixSeconds / Int64(p)
            var c = a
            c.code = Self.codeFor(a.id, step)
            c.grouped = Self.grouped(c.code)
            c.nextCode = Self.codeFor(a.id, step + 1)
            c.nextGrouped = Self.grouped(c.nextCode!)
            return c
        }
    }

    func nextHOTP(id: String, at unixSeconds: Int64) throws -> AccountCode {
        if let p = failWith { throw p }
        guard var a = accounts.first(where: { $0.id == id }) else { throw Problem.notFound }
        hotpCounter += 1
        a.code = Self.codeFor(id, hotpCounter)
        a.grouped = a.code
        return a
    }
}

/// An approval server kept in memory.
final class FakeApprovalSource: ApprovalSource {
    var requests: [ApprovalRequest] = []
    var records: [ApprovalRecord] = []
    var approvals: [(String, String?)] = []
    var denials: [(String, DenyReason)] = []
    var correctAnswer: String?
    var displayCode: String?
    var now: Int64 = 0
    var failWith: Problem?

    func pending(at nowSeconds: Int64) throws -> [ApprovalRequest] {
        requests.filter { $0.expiresAtSeconds > nowSeconds }
    }

    func approve(id: String, answer: String?) throws -> ApprovalOutcome {
        if let p = failWith { throw p }
        guard let i = requests.firstIndex(where: { $0.id == id }) else { throw Problem.alreadyAnswered }
        approvals.append((id, answer))
        if let correct = correctAnswer, answer != correct { return .wrongAnswer }
        let r = requests.remove(at: i)
        records.append(ApprovalRecord(id: id, title: r.title, service: r.service, decision: .approved,
                                      receivedAtSeconds: r.receivedAtSeconds, decidedAtSeconds: now))
        return .accepted(displayCode: displayCode)
    }

    func deny(id: String, reason: DenyReason) throws {
        if let p = failWith { throw p }
        guard let i = requests.firstIndex(where: { $0.id == id }) else { throw Problem.alreadyAnswered }
        denials.append((id, reason))
        let r = requests.remove(at: i)
        records.append(ApprovalRecord(id: id, title: r.title, service: r.service,
                                      decision: reason == .notMe ? .deniedNotMe : .deniedCancel,
                                      receivedAtSeconds: r.receivedAtSeconds, decidedAtSeconds: now))
    }

    func history() throws -> [ApprovalRecord] { records }
}
