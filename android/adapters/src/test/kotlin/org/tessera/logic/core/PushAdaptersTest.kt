package org.tessera.logic.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.PushApprovals
import org.tessera.core.Vault
import org.tessera.logic.ApprovalFlowModel
import org.tessera.logic.ApprovalKind
import org.tessera.logic.ApprovalOutcome
import org.tessera.logic.ApprovalPhase
import org.tessera.logic.Decision
import org.tessera.logic.DenyReason
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException

/**
 * Push approvals through the adapters, against a privacyIDEA server simulated in Kotlin. Most tests
 * start from a copy of one enrolled vault ([EnrolledVault]); the enrollment itself is tested here
 * and, over real HTTP, in [UrlConnectionTransportTest].
 */
class PushAdaptersTest {
    private val now = EnrolledVault.NOW

    /** Runs [block] over a copy of the enrolled vault, with push at the fixed time [now]. */
    private fun withPush(block: (PrivacyIdeaSim, Vault, PushApprovals) -> Unit) = TempDir().use { tmp ->
        EnrolledVault.copyInto(tmp).vault.use { v ->
            PushApprovals(v, EnrolledVault.sim, Clock.fixed(now.toULong())).use { push -> block(EnrolledVault.sim, v, push) }
        }
    }

    @Test
    fun enrollmentRefusalsAreProblems() {
        val sim = PrivacyIdeaSim(now)
        TempDir().use { tmp ->
            tmp.vault("v.tessera").vault.use { v ->
                PushApprovals(v, sim, Clock.fixed(now.toULong())).use { push ->
                    val source = PushApprovalSource(push)
                    for (bad in listOf("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", "otpauth://pipush/x", "hello")) {
                        assertEquals(Problem.INVALID_URI, assertThrows(ProblemException::class.java) { source.enroll(bad) }.problem, bad)
                    }
                    val wrongCredential = sim.enrollUri.replace(sim.credential, "STOLEN99")
                    assertEquals(Problem.NETWORK, assertThrows(ProblemException::class.java) { source.enroll(wrongCredential) }.problem)
                    assertTrue(push.tokens().isEmpty())
                    assertEquals(null, PushClockTime(push).offsetSeconds(), "no token: drift not measured")
                }
            }
        }
        withPush { enrolled, _, push ->
            val source = PushApprovalSource(push)
            assertEquals(listOf(enrolled.serial), push.tokens().map { it.serial })
            assertEquals(Problem.UNKNOWN, assertThrows(ProblemException::class.java) { source.enroll(enrolled.enrollUri) }.problem, "already enrolled")
        }
    }

    @Test
    fun pushMessagesAreVerifiedAndRefusalsDropped() {
        withPush { sim, v, push ->
            val inbox = PushInboxAdapter(push)
            assertNull(inbox.deliver(mapOf("hello" to "world")), "not a challenge")
            val tampered = sim.challenge("NONCEAAA").plus("question" to "Sign in as mallory?")
            assertNull(inbox.deliver(tampered), "the server signature no longer verifies")
            assertNull(inbox.deliver(mapOf("x" to "y".repeat(FcmPayload.MAX_CHARS))), "oversized")
            val good = sim.challenge("NONCEBBB", question = "Sign in as \"alice\"\nfrom 192.0.2.7?")
            assertEquals("NONCEBBB", inbox.deliver(good))
            assertNull(inbox.deliver(good), "already stored: nothing new")
            val refused = push.history().count { it.event == "refused" }
            assertEquals(2, refused, "the malformed and the forged message are in the history")
            val pending = PushApprovalSource(push, poll = false).pending(now)
            assertEquals(listOf("Sign in as \"alice\"\nfrom 192.0.2.7?"), pending.map { it.question }, "quotes and newlines survive the JSON")
            assertEquals(ApprovalOutcome.Accepted(null), PushApprovalSource(push, poll = false).approve("NONCEBBB", null))
            assertNull(inbox.deliver(good), "a replay of an answered request is refused")
            assertEquals(3, push.history().count { it.event == "refused" })
            v.lock()
            assertEquals(Problem.LOCKED, assertThrows(ProblemException::class.java) { inbox.deliver(sim.challenge("NONCECCC")) }.problem)
        }
    }

    @Test
    fun approveWithNumberMatchingDenyAndHistoryThroughTheViewModel() {
        withPush { sim, _, push ->
            sim.skewSeconds = 100
            val source = PushApprovalSource(push)
            val time = PushClockTime(push)
            assertEquals(0L, time.offsetSeconds())
            assertTrue(source.pending(now).isEmpty(), "the first poll finds nothing")
            assertEquals(100L, time.offsetSeconds(), "and measures the server's clock 100 s ahead")

            // A plain request by FCM.
            assertEquals("NONCE1", PushInboxAdapter(push).deliver(sim.challenge("NONCE1")))
            val model = ApprovalFlowModel(source)
            val t = (now + 100) * 1000
            model.refresh(t)
            val shown = model.state.value.current ?: throw AssertionError("a request is shown")
            assertEquals("NONCE1", shown.request.id)
            assertEquals("NHS IdP", shown.request.service)
            assertEquals(ApprovalKind.SIMPLE, shown.request.kind)
            model.approve(t)
            assertEquals(ApprovalPhase.Approved(null), model.state.value.phase)
            model.dismiss(t)

            // Number matching, found by polling (no FCM): a wrong pick, then the right one.
            sim.challenge("NONCE2", options = listOf("61", "96", "71"), correct = "96")
            model.refresh(t)
            val choose = model.state.value.current!!.request
            assertEquals("NONCE2", choose.id)
            assertEquals(ApprovalKind.CHOOSE_NUMBER, choose.kind)
            assertEquals(listOf("61", "96", "71"), choose.options)
            model.answer("61", t)
            model.approve(t)
            assertEquals(ApprovalPhase.WrongAnswer, model.state.value.phase)
            model.answer("96", t)
            model.approve(t)
            assertEquals(ApprovalPhase.Approved(null), model.state.value.phase)
            model.dismiss(t)

            // "Not me".
            sim.challenge("NONCE3")
            model.refresh(t)
            assertEquals("NONCE3", model.state.value.current!!.request.id)
            model.deny(DenyReason.NOT_ME, t)
            assertEquals(ApprovalPhase.Denied(DenyReason.NOT_ME), model.state.value.phase)

            assertEquals(listOf("approved:NONCE1", "wrong:NONCE2", "approved:NONCE2", "declined:NONCE3"), sim.outcomes)
            val decisions = source.history().associate { it.id to it.decision }
            assertEquals(mapOf("NONCE1" to Decision.APPROVED, "NONCE2" to Decision.APPROVED, "NONCE3" to Decision.DENIED_NOT_ME), decisions)
            assertTrue(source.pending(now).isEmpty())

            // Answering again: the request is over.
            assertEquals(Problem.ALREADY_ANSWERED, assertThrows(ProblemException::class.java) { source.approve("NONCE3", null) }.problem)
            assertEquals(Problem.NOT_FOUND, assertThrows(ProblemException::class.java) { source.approve("NONCE9", null) }.problem)
        }
    }

    @Test
    fun aServerThatRefusesTheApprovalFailsTheRequest() {
        withPush { sim, _, push ->
            val source = PushApprovalSource(push, poll = false)
            PushInboxAdapter(push).deliver(sim.challenge("NONCEREF"))
            sim.refuseAnswers = true
            assertEquals(Problem.NETWORK, assertThrows(ProblemException::class.java) { source.approve("NONCEREF", null) }.problem)
            assertEquals(Decision.FAILED, source.history().single().decision)
            assertTrue(source.pending(now).isEmpty(), "a refused simple approval is over")
        }
    }

    @Test
    fun aRequestPastItsWindowIsExpired() {
        val sim = EnrolledVault.sim
        TempDir().use { tmp ->
            EnrolledVault.copyInto(tmp).vault.use { v ->
                PushApprovals(v, sim, Clock.fixed(now.toULong())).use { push ->
                    PushInboxAdapter(push).deliver(sim.challenge("NONCEOLD"))
                }
                // Ten minutes later (the core gives a request 120 s).
                PushApprovals(v, sim, Clock.fixed((now + 600).toULong())).use { later ->
                    val source = PushApprovalSource(later, poll = false)
                    assertEquals(Problem.EXPIRED, assertThrows(ProblemException::class.java) { source.approve("NONCEOLD", null) }.problem)
                    assertEquals(Decision.EXPIRED, source.history().single().decision)
                }
            }
        }
    }
}
