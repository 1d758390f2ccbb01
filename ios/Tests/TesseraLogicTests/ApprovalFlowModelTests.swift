import XCTest
@testable import TesseraLogic

final class ApprovalFlowModelTests: XCTestCase {
    let now: Int64 = 1_800_000_000
    func ms(_ s: Int64) -> Int64 { s * 1000 }

    func request(_ id: String, received: Int64? = nil, kind: ApprovalKind = .simple, options: [String] = [],
                 expires: Int64? = nil) -> ApprovalRequest {
        let r = received ?? now
        return ApprovalRequest(id: id, title: "Sign in to NHSmail", question: "Is this you signing in?", kind: kind,
                               options: options, service: "privacyIDEA", appName: "Outlook", ipAddress: "192.0.2.7",
                               receivedAtSeconds: r, expiresAtSeconds: expires ?? r + 120)
    }

    func testShowsTheOldestPendingRequestWithItsContext() {
        let src = FakeApprovalSource()
        src.requests = [request("new", received: now - 5), request("old", received: now - 50)]
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        XCTAssertEqual(m.state.phase, .deciding)
        XCTAssertEqual(m.state.current?.request.id, "old")
        XCTAssertEqual(m.state.current?.secondsLeft, 70)
        XCTAssertEqual(m.state.waiting, 1)
        XCTAssertEqual(m.state.current?.context, ["Service: privacyIDEA", "App: Outlook", "IP address: 192.0.2.7"])
        XCTAssertEqual(m.state.current?.canApprove, true)
    }

    func testIdleWhenNothingIsPending() {
        let m = ApprovalFlowModel(source: FakeApprovalSource())
        m.refresh(nowMillis: ms(now))
        XCTAssertEqual(m.state.phase, .idle)
        XCTAssertNil(m.state.current)
    }

    func testSimpleApprovalSendsNoAnswerAndShowsTheDisplayCode() {
        let src = FakeApprovalSource()
        src.requests = [request("r1")]
        src.displayCode = "4711"
        src.now = now + 3
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        m.approve(nowMillis: ms(now + 3))
        XCTAssertEqual(src.approvals.map(\.0), ["r1"])
        XCTAssertNil(src.approvals[0].1)
        XCTAssertEqual(m.state.phase, .approved(displayCode: "4711"))
        XCTAssertEqual(m.state.history.map(\.decision), [.approved])
        m.dismiss(nowMillis: ms(now + 4))
        XCTAssertEqual(m.state.phase, .idle)
    }

    func testNumberMatchingNeedsAChoiceAmongTheOptions() {
        let src = FakeApprovalSource()
        src.requests = [request("r1", kind: .chooseNumber, options: ["17", "42", "93"])]
        src.correctAnswer = "42"
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        XCTAssertEqual(m.state.current?.canApprove, false)
        m.approve(nowMillis: ms(now + 1))
        XCTAssertTrue(src.approvals.isEmpty, "no answer chosen: nothing sent")
        m.answer("55", nowMillis: ms(now + 1))
        XCTAssertEqual(m.state.current?.canApprove, false, "not one of the options")
        m.answer("42", nowMillis: ms(now + 2))
        XCTAssertEqual(m.state.current?.canApprove, true)
        m.approve(nowMillis: ms(now + 3))
        XCTAssertEqual(src.approvals.map(\.1), ["42"])
        XCTAssertEqual(m.state.phase, .approved(displayCode: nil))
    }

    func testAWrongNumberKeepsTheRequestOpenForAnotherTry() {
        let src = FakeApprovalSource()
        src.requests = [request("r1", kind: .chooseNumber, options: ["17", "42", "93"])]
        src.correctAnswer = "42"
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        m.answer("17", nowMillis: ms(now))
        m.approve(nowMillis: ms(now + 1))
        XCTAssertEqual(m.state.phase, .wrongAnswer)
        XCTAssertEqual(m.state.current?.answer, "", "the wrong choice is cleared")
        m.answer("42", nowMillis: ms(now + 2))
        m.approve(nowMillis: ms(now + 3))
        XCTAssertEqual(m.state.phase, .approved(displayCode: nil))
        XCTAssertEqual(src.approvals.map(\.1), ["17", "42"])
    }

    func testTypedNumbersKeepDigitsOnly() {
        let src = FakeApprovalSource()
        src.requests = [request("r1", kind: .enterNumber)]
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        m.answer(" 4 2a", nowMillis: ms(now))
        XCTAssertEqual(m.state.current?.answer, "42")
        m.answer("123456789012", nowMillis: ms(now))
        XCTAssertEqual(m.state.current?.answer, "12345678")
        m.answer("٤٢", nowMillis: ms(now))
        XCTAssertEqual(m.state.current?.answer, "", "only ASCII digits")
    }

    func testExpiryCountsDownAndBlocksApproval() {
        let src = FakeApprovalSource()
        src.requests = [request("r1", expires: now + 10)]
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        m.tick(nowMillis: ms(now + 7))
        XCTAssertEqual(m.state.current?.secondsLeft, 3)
        m.tick(nowMillis: ms(now + 10))
        XCTAssertEqual(m.state.phase, .expired)
        XCTAssertEqual(m.state.current?.canApprove, false)
        m.approve(nowMillis: ms(now + 11))
        XCTAssertTrue(src.approvals.isEmpty, "an expired request is never approved")
    }

    func testApprovingAfterTheDeadlineWithoutATickStillRefuses() {
        let src = FakeApprovalSource()
        src.requests = [request("r1", expires: now + 10)]
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        m.approve(nowMillis: ms(now + 30))
        XCTAssertTrue(src.approvals.isEmpty)
        XCTAssertEqual(m.state.phase, .expired)
    }

    func testNotMeDeniesAndIsRecorded() {
        let src = FakeApprovalSource()
        src.requests = [request("r1"), request("r2", received: now + 1)]
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        m.deny(.notMe, nowMillis: ms(now + 2))
        XCTAssertEqual(src.denials.map(\.0), ["r1"])
        XCTAssertEqual(src.denials.map(\.1), [.notMe])
        XCTAssertEqual(m.state.phase, .denied(.notMe))
        XCTAssertEqual(m.state.history.first?.decision, .deniedNotMe)
        m.dismiss(nowMillis: ms(now + 3))
        XCTAssertEqual(m.state.current?.request.id, "r2", "the next request follows")
        XCTAssertEqual(m.state.phase, .deciding)
    }

    func testAnsweredElsewhereIsAFailureWithACategory() {
        let src = FakeApprovalSource()
        src.requests = [request("r1")]
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        src.failWith = .alreadyAnswered
        m.approve(nowMillis: ms(now + 1))
        XCTAssertEqual(m.state.phase, .failed(.alreadyAnswered))
        src.failWith = .expired
        m.deny(.cancel, nowMillis: ms(now + 1))
        XCTAssertEqual(m.state.phase, .expired)
    }

    func testManyRequestsInAShortTimeRaiseTheFatigueWarning() {
        let src = FakeApprovalSource()
        let m = ApprovalFlowModel(source: src)
        src.requests.append(request("r1", received: now - 400))
        m.refresh(nowMillis: ms(now - 400))
        src.requests.append(request("r2", received: now - 200))
        m.refresh(nowMillis: ms(now - 200))
        XCTAssertFalse(m.state.fatigueWarning)
        XCTAssertEqual(m.state.current?.request.id, "r2", "r1 expired unanswered")
        src.requests.append(request("r3", received: now - 150))
        m.refresh(nowMillis: ms(now - 150))
        XCTAssertTrue(m.state.fatigueWarning, "r1 expired but still counts")
        XCTAssertEqual(m.state.current?.request.id, "r2", "the shown request stays put")
        m.refresh(nowMillis: ms(now + 1000))
        XCTAssertFalse(m.state.fatigueWarning, "old requests leave the window")
    }

    func testResultStaysOnScreenWhenNewRequestsArrive() {
        let src = FakeApprovalSource()
        src.requests = [request("r1")]
        let m = ApprovalFlowModel(source: src)
        m.refresh(nowMillis: ms(now))
        m.approve(nowMillis: ms(now + 1))
        src.requests.append(request("r2", received: now + 2))
        m.refresh(nowMillis: ms(now + 2))
        XCTAssertEqual(m.state.phase, .approved(displayCode: nil))
        XCTAssertEqual(m.state.waiting, 1)
        m.dismiss(nowMillis: ms(now + 3))
        XCTAssertEqual(m.state.current?.request.id, "r2")
    }
}
