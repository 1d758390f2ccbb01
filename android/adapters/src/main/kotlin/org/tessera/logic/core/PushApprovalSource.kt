package org.tessera.logic.core

import org.tessera.core.DeclineReason
import org.tessera.core.PushApprovals
import org.tessera.core.PushRequest
import org.tessera.core.PushRequestKind
import org.tessera.core.TesseraException
import org.tessera.logic.ApprovalKind
import org.tessera.logic.ApprovalOutcome
import org.tessera.logic.ApprovalRecord
import org.tessera.logic.ApprovalRequest
import org.tessera.logic.ApprovalSource
import org.tessera.logic.Decision
import org.tessera.logic.DenyReason
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException

/**
 * Sign-in approvals over the core's [PushApprovals] (privacyIDEA PUSH tokens stored in the vault):
 * the core verifies every challenge's server signature, signs the answers with the device key,
 * records each decision and refusal, and measures the clock drift. The [push] object stays owned
 * by the caller.
 *
 * With [poll] on, [pending] first asks every enrolled token's server for challenges (how requests
 * arrive without FCM); a failed poll is not an error there, the requests already stored are shown.
 * Every call goes to the network or the vault file: call it off the main thread.
 */
class PushApprovalSource(private val push: PushApprovals, private val poll: Boolean = true) : ApprovalSource {
    /**
     * Enrolls the push token of an `otpauth://pipush/…` link (from the privacyIDEA enrollment QR);
     * returns its serial. Problems: INVALID_URI (not a usable link; nothing is sent), UNKNOWN (already
     * enrolled), NETWORK (the server refused or could not be reached), LOCKED. With
     * [pushServiceToken] (the app's FCM token) the server can push requests, unless its link says
     * it only polls.
     */
    fun enroll(uri: String, pushServiceToken: String? = null): String =
        core { push.enrollWithPushToken(uri.trim(), pushServiceToken?.trim()) }.serial

    override fun pending(nowSeconds: Long): List<ApprovalRequest> {
        if (poll) {
            try {
                core { push.poll() }
            } catch (e: ProblemException) {
                if (e.problem != Problem.NETWORK) throw e
            }
        }
        val issuers = issuers()
        return core { push.pending() }.map { it.toApproval(issuers) }
    }

    override fun approve(id: String, answer: String?): ApprovalOutcome = try {
        ApprovalOutcome.Accepted(push.approve(id, answer?.trim()?.ifEmpty { null }))
    } catch (e: TesseraException.InvalidInput) {
        // Refused before or by the server: the request's state now says which.
        when (stateOf(id)) {
            "pending" -> ApprovalOutcome.WrongAnswer
            else -> throw ProblemException(endedProblem(id), e)
        }
    } catch (e: TesseraException) {
        throw ProblemException(e.toProblem(), e)
    }

    override fun deny(id: String, reason: DenyReason) {
        val why = when (reason) {
            DenyReason.NOT_ME -> DeclineReason.NOT_ME
            DenyReason.CANCEL -> DeclineReason.CANCEL
        }
        try {
            push.deny(id, why)
        } catch (e: TesseraException.InvalidInput) {
            throw ProblemException(if (stateOf(id) == "pending") Problem.UNKNOWN else endedProblem(id), e)
        } catch (e: TesseraException) {
            throw ProblemException(e.toProblem(), e)
        }
    }

    /** One record per decided request the vault keeps (approved, denied, expired, failed). */
    override fun history(): List<ApprovalRecord> {
        val issuers = issuers()
        return core { push.requests() }.mapNotNull { r ->
            val decision = when (r.state) {
                "approved" -> Decision.APPROVED
                "denied" -> if (r.stateReason == "not-me") Decision.DENIED_NOT_ME else Decision.DENIED_CANCEL
                "expired" -> Decision.EXPIRED
                "failed", "cancelled" -> Decision.FAILED
                else -> return@mapNotNull null
            }
            ApprovalRecord(
                id = r.id,
                title = r.title,
                service = issuers[r.serial] ?: r.serial,
                decision = decision,
                receivedAtSeconds = r.receivedAt.toLong(),
                decidedAtSeconds = (r.decidedAt ?: r.expiresAt).toLong(),
            )
        }
    }

    private fun issuers(): Map<String, String> =
        core { push.tokens() }.associate { it.serial to it.issuer.ifBlank { it.label } }

    private fun stateOf(id: String): String? = core { push.requests() }.firstOrNull { it.id == id }?.state

    private fun endedProblem(id: String): Problem = when (stateOf(id)) {
        null -> Problem.NOT_FOUND
        "expired" -> Problem.EXPIRED
        else -> Problem.ALREADY_ANSWERED
    }
}

/** A core request as the approval screen's [ApprovalRequest]; [issuers] by token serial. */
internal fun PushRequest.toApproval(issuers: Map<String, String>) = ApprovalRequest(
    id = id,
    title = title,
    question = question,
    kind = when (kind) {
        PushRequestKind.CHOOSE_ONE -> ApprovalKind.CHOOSE_NUMBER
        PushRequestKind.ENTER_NUMBER -> ApprovalKind.ENTER_NUMBER
        PushRequestKind.SIMPLE, PushRequestKind.SHOW_CODE -> ApprovalKind.SIMPLE
    },
    options = options,
    service = issuers[serial] ?: serial,
    appName = app,
    ipAddress = ip,
    location = location,
    receivedAtSeconds = receivedAt.toLong(),
    expiresAtSeconds = expiresAt.toLong(),
)
