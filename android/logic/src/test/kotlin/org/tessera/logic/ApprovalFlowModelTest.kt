package org.tessera.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ApprovalFlowModelTest {
    private val now = 1_800_000_000L
    private fun ms(s: Long) = s * 1000

    private fun request(id: String, received: Long = now, kind: ApprovalKind = ApprovalKind.SIMPLE,
                        options: List<String> = emptyList(), expires: Long = received + 120) =
        ApprovalRequest(id = id, title = "Sign in to NHSmail", question = "Is this you signing in?", kind = kind,
            options = options, service = "privacyIDEA", appName = "Outlook", ipAddress = "192.0.2.7",
            location = null, receivedAtSeconds = received, expiresAtSeconds = expires)

    @Test
    fun showsTheOldestPendingRequestWithItsContext() {
        val src = FakeApprovalSource()
        src.requests += request("new", received = now - 5)
        src.requests += request("old", received = now - 50)
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        val s = m.state.value
        assertEquals(ApprovalPhase.Deciding, s.phase)
        val cur = checkNotNull(s.current)
        assertEquals("old", cur.request.id)
        assertEquals(70, cur.secondsLeft)
        assertEquals(1, s.waiting)
        assertEquals(listOf("Service: privacyIDEA", "App: Outlook", "IP address: 192.0.2.7"), cur.context)
        assertTrue(cur.canApprove)
    }

    @Test
    fun idleWhenNothingIsPending() {
        val m = ApprovalFlowModel(FakeApprovalSource())
        m.refresh(ms(now))
        assertEquals(ApprovalPhase.Idle, m.state.value.phase)
        assertNull(m.state.value.current)
    }

    @Test
    fun simpleApprovalSendsNoAnswerAndShowsTheDisplayCode() {
        val src = FakeApprovalSource()
        src.requests += request("r1")
        src.displayCode = "4711"
        src.now = now + 3
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        m.approve(ms(now + 3))
        assertEquals(listOf("r1" to null), src.approvals)
        assertEquals(ApprovalPhase.Approved("4711"), m.state.value.phase)
        assertEquals(Decision.APPROVED, m.state.value.history.single().decision)
        m.dismiss(ms(now + 4))
        assertEquals(ApprovalPhase.Idle, m.state.value.phase)
    }

    @Test
    fun numberMatchingNeedsAChoiceAmongTheOptions() {
        val src = FakeApprovalSource()
        src.requests += request("r1", kind = ApprovalKind.CHOOSE_NUMBER, options = listOf("17", "42", "93"))
        src.correctAnswer = "42"
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        assertFalse(m.state.value.current!!.canApprove)
        m.approve(ms(now + 1))
        assertTrue(src.approvals.isEmpty(), "no answer chosen: nothing sent")
        m.answer("55", ms(now + 1))
        assertFalse(m.state.value.current!!.canApprove, "not one of the options")
        m.answer("42", ms(now + 2))
        assertTrue(m.state.value.current!!.canApprove)
        m.approve(ms(now + 3))
        assertEquals(listOf("r1" to "42"), src.approvals)
        assertEquals(ApprovalPhase.Approved(null), m.state.value.phase)
    }

    @Test
    fun aWrongNumberKeepsTheRequestOpenForAnotherTry() {
        val src = FakeApprovalSource()
        src.requests += request("r1", kind = ApprovalKind.CHOOSE_NUMBER, options = listOf("17", "42", "93"))
        src.correctAnswer = "42"
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        m.answer("17", ms(now))
        m.approve(ms(now + 1))
        assertEquals(ApprovalPhase.WrongAnswer, m.state.value.phase)
        assertEquals("", m.state.value.current!!.answer, "the wrong choice is cleared")
        m.answer("42", ms(now + 2))
        m.approve(ms(now + 3))
        assertEquals(ApprovalPhase.Approved(null), m.state.value.phase)
        assertEquals(listOf("r1" to "17", "r1" to "42"), src.approvals)
    }

    @Test
    fun typedNumbersKeepDigitsOnly() {
        val src = FakeApprovalSource()
        src.requests += request("r1", kind = ApprovalKind.ENTER_NUMBER)
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        m.answer(" 4 2a", ms(now))
        assertEquals("42", m.state.value.current!!.answer)
        m.answer("123456789012", ms(now))
        assertEquals("12345678", m.state.value.current!!.answer)
        m.approve(ms(now + 1))
        assertEquals(listOf("r1" to "12345678"), src.approvals)
    }

    @Test
    fun expiryCountsDownAndBlocksApproval() {
        val src = FakeApprovalSource()
        src.requests += request("r1", expires = now + 10)
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        m.tick(ms(now + 7))
        assertEquals(3, m.state.value.current!!.secondsLeft)
        m.tick(ms(now + 10))
        assertEquals(ApprovalPhase.Expired, m.state.value.phase)
        assertFalse(m.state.value.current!!.canApprove)
        m.approve(ms(now + 11))
        assertTrue(src.approvals.isEmpty(), "an expired request is never approved")
    }

    @Test
    fun approvingAfterTheDeadlineWithoutATickStillRefuses() {
        val src = FakeApprovalSource()
        src.requests += request("r1", expires = now + 10)
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        m.approve(ms(now + 30))
        assertTrue(src.approvals.isEmpty())
        assertEquals(ApprovalPhase.Expired, m.state.value.phase)
    }

    @Test
    fun notMeDeniesAndIsRecorded() {
        val src = FakeApprovalSource()
        src.requests += request("r1")
        src.requests += request("r2", received = now + 1)
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        m.deny(DenyReason.NOT_ME, ms(now + 2))
        assertEquals(listOf("r1" to DenyReason.NOT_ME), src.denials)
        assertEquals(ApprovalPhase.Denied(DenyReason.NOT_ME), m.state.value.phase)
        assertEquals(Decision.DENIED_NOT_ME, m.state.value.history.first().decision)
        m.dismiss(ms(now + 3))
        assertEquals("r2", m.state.value.current!!.request.id, "the next request follows")
        assertEquals(ApprovalPhase.Deciding, m.state.value.phase)
    }

    @Test
    fun answeredElsewhereIsAFailureWithACategory() {
        val src = FakeApprovalSource()
        src.requests += request("r1")
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        src.failWith = Problem.ALREADY_ANSWERED
        m.approve(ms(now + 1))
        assertEquals(ApprovalPhase.Failed(Problem.ALREADY_ANSWERED), m.state.value.phase)
        src.failWith = Problem.EXPIRED
        m.deny(DenyReason.CANCEL, ms(now + 1))
        assertEquals(ApprovalPhase.Expired, m.state.value.phase)
    }

    @Test
    fun manyRequestsInAShortTimeRaiseTheFatigueWarning() {
        val src = FakeApprovalSource()
        val m = ApprovalFlowModel(src)
        src.requests += request("r1", received = now - 400)
        m.refresh(ms(now - 400))
        src.requests += request("r2", received = now - 200)
        m.refresh(ms(now - 200))
        assertFalse(m.state.value.fatigueWarning)
        assertEquals("r2", m.state.value.current!!.request.id, "r1 expired unanswered")
        src.requests += request("r3", received = now - 150)
        m.refresh(ms(now - 150))
        assertTrue(m.state.value.fatigueWarning, "r1 expired but still counts")
        assertEquals("r2", m.state.value.current!!.request.id, "the shown request stays put")
        m.refresh(ms(now + 1000))
        assertFalse(m.state.value.fatigueWarning, "old requests leave the window")
    }

    @Test
    fun resultStaysOnScreenWhenNewRequestsArrive() {
        val src = FakeApprovalSource()
        src.requests += request("r1")
        val m = ApprovalFlowModel(src)
        m.refresh(ms(now))
        m.approve(ms(now + 1))
        src.requests += request("r2", received = now + 2)
        m.refresh(ms(now + 2))
        assertEquals(ApprovalPhase.Approved(null), m.state.value.phase)
        assertEquals(1, m.state.value.waiting)
        m.dismiss(ms(now + 3))
        assertEquals("r2", m.state.value.current!!.request.id)
    }
}
