package org.tessera.logic

/**
 * Where the app gets the device's push-service token (FCM's registration token in the `fcm` build).
 * The `foss` build has no push service: its source always answers `null`, and servers poll.
 */
fun interface PushServiceTokenSource {
    /**
     * The device's current token, or `null` when there is none (no push service, or it could not
     * be fetched now). May block on the network: call it off the main thread.
     */
    fun currentToken(): String?
}

/**
 * One persisted yes/no that survives the process: "the push-service token changed and not every
 * sign-in server has been told yet". It never holds the token itself (with a server's key a token
 * lets anyone push to the phone; FCM hands out the current one on request).
 */
interface PendingTokenFlag {
    /** Whether a token change still has to be sent after the next unlock. */
    var pending: Boolean
}

/** What a [PushTokenSync] call did. */
enum class TokenSyncResult {
    /** Nothing to send (no change pending, or no push service). */
    NOTHING_TO_DO,
    /** Every server that pushes now holds the current token; the pending flag is cleared. */
    SENT,
    /** The vault was locked, the token could not be fetched, or a server was not told: kept for the next unlock. */
    RETRY_LATER,
}

/**
 * Keeps the sign-in servers told of the device's push-service token, the policy the app's FCM service,
 * the unlock path and the enrollment path share:
 *  - [enrollmentToken]: the token a new push enrollment gives its server, so it can push at all;
 *  - [tokenChanged]: FCM gave a new token; sent at once when the vault is open, otherwise remembered;
 *  - [afterUnlock]: a remembered change is sent with the token FCM has now.
 * A change is remembered ([PendingTokenFlag]) before anything is sent and forgotten only when every
 * server accepted it, so a failed server, a locked vault or a killed process means the next unlock
 * tries again. The token is never stored or logged here. Calls may use the network (the token
 * source, the servers): run them off the main thread. They are serialized, so an unlock and an
 * `onNewToken` at the same moment do not interleave.
 */
class PushTokenSync(private val tokens: PushServiceTokenSource, private val flag: PendingTokenFlag) {
    /** The token to give a push enrollment, or `null` (no push service, or unavailable: the server then polls). */
    fun enrollmentToken(): String? = fetch()

    /**
     * FCM gave the app [token]. With the vault open ([inbox] not `null`) every server is told now;
     * otherwise, or when one could not be told, the change is kept for [afterUnlock].
     */
    @Synchronized
    fun tokenChanged(token: String, inbox: PushInbox?): TokenSyncResult {
        flag.pending = true
        if (inbox == null) return TokenSyncResult.RETRY_LATER
        val usable = token.trim().ifEmpty { null } ?: return TokenSyncResult.RETRY_LATER
        return send(usable, inbox)
    }

    /**
     * The vault was just opened: when a token change is pending, fetches the current token and tells
     * every server through [inbox]. Does nothing (and asks FCM nothing) when no change is pending.
     */
    @Synchronized
    fun afterUnlock(inbox: PushInbox): TokenSyncResult {
        if (!flag.pending) return TokenSyncResult.NOTHING_TO_DO
        val token = fetch() ?: return TokenSyncResult.RETRY_LATER
        return send(token, inbox)
    }

    private fun send(token: String, inbox: PushInbox): TokenSyncResult {
        val told = try {
            inbox.pushServiceTokenChanged(token).failed.isEmpty()
        } catch (_: ProblemException) {
            false // LOCKED (closed meanwhile), UNKNOWN (token refused): try again at the next unlock
        }
        if (!told) return TokenSyncResult.RETRY_LATER
        flag.pending = false
        return TokenSyncResult.SENT
    }

    /** The source's token, trimmed; `null` when it has none or failed (never thrown: push is optional). */
    private fun fetch(): String? = try {
        tokens.currentToken()?.trim()?.ifEmpty { null }
    } catch (_: Exception) {
        null
    }
}
