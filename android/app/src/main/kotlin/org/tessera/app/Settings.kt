package org.tessera.app

import android.content.Context
import org.tessera.logic.AutoLock

/** The user's choices; none of them is secret, so plain SharedPreferences. */
class Settings(context: Context) {
    private val prefs = context.getSharedPreferences("settings", Context.MODE_PRIVATE)

    /** Unlock with fingerprint, face or screen lock before codes are shown. */
    var biometricLock: Boolean
        get() = prefs.getBoolean("biometric_lock", true)
        set(v) = prefs.edit().putBoolean("biometric_lock", v).apply()

    /** When the app locks again after leaving it. */
    var autoLock: AutoLock
        get() = runCatching { AutoLock.valueOf(prefs.getString("auto_lock", null) ?: "") }.getOrDefault(AutoLock.AFTER_1_MINUTE)
        set(v) = prefs.edit().putString("auto_lock", v.name).apply()

    /** FLAG_SECURE: no screenshots, screen recording or previews in the recent-apps list. */
    var blockScreenshots: Boolean
        get() = prefs.getBoolean("block_screenshots", true)
        set(v) = prefs.edit().putBoolean("block_screenshots", v).apply()

    /** Clear a copied code from the clipboard after this many seconds. */
    var clipboardSeconds: Int
        get() = prefs.getInt("clipboard_seconds", 30)
        set(v) = prefs.edit().putInt("clipboard_seconds", v).apply()
}
