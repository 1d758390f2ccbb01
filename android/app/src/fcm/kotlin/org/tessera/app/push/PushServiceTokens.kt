package org.tessera.app.push

import com.google.android.gms.tasks.Tasks
import com.google.firebase.messaging.FirebaseMessaging
import org.tessera.logic.PushServiceTokenSource
import java.util.concurrent.TimeUnit

/**
 * The `fcm` build's push-service token: FirebaseMessaging's current registration token, awaited
 * on the caller's (background) thread. `Tasks.await` refuses the main thread, and a failure
 * (no Play services, no network, Firebase not configured, timeout) throws, which
 * [org.tessera.logic.PushTokenSync] treats as "no token now": the server polls, or the change is
 * retried at the next unlock. (The `foss` build's twin has no token.)
 */
object PushServiceTokens {
    /** How long an enrollment or an unlock waits for FCM before going on without a token. */
    private const val TIMEOUT_SECONDS = 20L

    /** FirebaseMessaging's token; blocks, so call [PushServiceTokenSource.currentToken] off the main thread. */
    fun source(): PushServiceTokenSource = PushServiceTokenSource {
        Tasks.await(FirebaseMessaging.getInstance().token, TIMEOUT_SECONDS, TimeUnit.SECONDS)
    }
}
