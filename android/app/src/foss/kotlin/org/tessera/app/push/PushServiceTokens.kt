package org.tessera.app.push

import org.tessera.logic.PushServiceTokenSource

/**
 * The `foss` build has no push service: no token, so enrollments tell the server to let the app
 * poll, and no token change is ever pending. (The `fcm` build's twin asks FirebaseMessaging.)
 */
object PushServiceTokens {
    /** A source that never has a token. */
    fun source(): PushServiceTokenSource = PushServiceTokenSource { null }
}
