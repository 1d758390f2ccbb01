package org.tessera.logic.core

import org.tessera.core.PushApprovals
import org.tessera.core.PushTokenUpdateOutcome
import org.tessera.core.TesseraException
import org.tessera.logic.ProblemException
import org.tessera.logic.PushInbox
import org.tessera.logic.PushTokenRegistration

/**
 * Hands FCM data messages to the core's [PushApprovals.receivePayload], which checks the server's
 * signature against the enrolled token, drops replays and stores the request.
 *
 * [deliver] returns the new request's id, or `null` when there is nothing new to notify about:
 * the core refused the message (forged, malformed, unknown token, replayed: the refusal is in the
 * push history), the request was already stored (FCM and a poll both brought it), or the message
 * is too large to be a challenge. Other failures throw [ProblemException] (LOCKED: the vault is closed, so the
 * request is picked up by the next poll instead).
 *
 * [pushServiceTokenChanged] hands a new FCM token to the core's
 * [PushApprovals.updatePushServiceToken], which signs it for each token's server. Problems:
 * UNKNOWN (an unusable token: empty, over 1024 bytes, spaces), LOCKED; a server that could not
 * be told is listed in [PushTokenRegistration.failed], not thrown. Network calls: run it off the main thread.
 */
class PushInboxAdapter(private val push: PushApprovals) : PushInbox {
    override fun deliver(data: Map<String, String>): String? {
        val payload = FcmPayload.toJson(data) ?: return null
        return try {
            val known = data["nonce"]?.let { nonce -> push.requests().any { it.id == nonce } } ?: false
            push.receivePayload(payload).id.takeUnless { known }
        } catch (e: TesseraException.InvalidInput) {
            null
        } catch (e: TesseraException) {
            throw ProblemException(e.toProblem(), e)
        }
    }

    override fun pushServiceTokenChanged(token: String): PushTokenRegistration {
        val results = core { push.updatePushServiceToken(token.trim()) }
        return PushTokenRegistration(
            updated = results.count { it.outcome is PushTokenUpdateOutcome.Updated },
            skippedPollOnly = results.count { it.outcome is PushTokenUpdateOutcome.SkippedPollOnly },
            failed = results.filter { it.outcome is PushTokenUpdateOutcome.Failed }.map { it.serial },
        )
    }
}
