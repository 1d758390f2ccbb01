package org.tessera.app.push

import android.content.Context
import org.tessera.logic.PendingTokenFlag

/**
 * [PendingTokenFlag] in the app's private SharedPreferences ("push" / "token_changed"): only a
 * boolean, never the push-service token (FCM hands out the current one on request). Written with
 * `commit()` so a change is on disk before the servers are tried; callers are off the main thread.
 */
class PreferencesTokenFlag(context: Context) : PendingTokenFlag {
    private val prefs = context.applicationContext.getSharedPreferences(FILE, Context.MODE_PRIVATE)

    override var pending: Boolean
        get() = prefs.getBoolean(KEY, false)
        set(value) {
            prefs.edit().putBoolean(KEY, value).commit()
        }

    private companion object {
        const val FILE = "push"
        const val KEY = "token_changed"
    }
}
