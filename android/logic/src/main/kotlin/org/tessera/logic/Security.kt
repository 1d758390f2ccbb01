package org.tessera.logic

/** How soon the app locks itself after going to the background. */
enum class AutoLock(val seconds: Long?) {
    IMMEDIATELY(0),
    AFTER_30_SECONDS(30),
    AFTER_1_MINUTE(60),
    AFTER_5_MINUTES(300),
    NEVER(null),
}

/**
 * Decides when the vault must be unlocked again (biometrics / device credential). Times are
 * monotonic milliseconds (e.g. SystemClock.elapsedRealtime), so changing the wall clock cannot
 * defeat the lock.
 */
class LockPolicy(var biometricLock: Boolean, var autoLock: AutoLock) {
    private var backgroundedAt: Long? = null
    private var unlocked = false

    /** Whether the lock screen must be shown now. */
    fun mustUnlock(): Boolean = biometricLock && !unlocked

    /** The user passed the biometric prompt. */
    fun unlocked() {
        unlocked = true
        backgroundedAt = null
    }

    /** The app went to the background at [monotonicMillis]. */
    fun backgrounded(monotonicMillis: Long) {
        backgroundedAt = monotonicMillis
        if (autoLock == AutoLock.IMMEDIATELY) unlocked = false
    }

    /** The app came back at [monotonicMillis]: locks when it stayed away too long. */
    fun foregrounded(monotonicMillis: Long) {
        val since = backgroundedAt ?: return
        backgroundedAt = null
        val limit = autoLock.seconds ?: return
        if (monotonicMillis - since >= limit * 1000) unlocked = false
    }
}

/** How far the phone's clock is from the server's, and what that means for codes. */
enum class DriftLevel {
    /** Not measured yet. */
    UNKNOWN,
    /** Within a few seconds: codes are accepted. */
    OK,
    /** Off by more than [TimeDrift.WARN_SECONDS]: codes may be refused near the end of a period. */
    WARNING,
    /** Off by a period or more: codes will be refused; Tessera corrects them if correction is on. */
    BAD,
}

/** The time-drift line of the settings screen. */
data class TimeDrift(val level: DriftLevel, val message: String) {
    companion object {
        /** Drift beyond this many seconds is a warning. */
        const val WARN_SECONDS = 5L
        /** Drift beyond this many seconds (a TOTP period) is bad. */
        const val BAD_SECONDS = 30L

        /** The status for a measured [offsetSeconds] (server minus phone), or `null` if never measured. */
        fun of(offsetSeconds: Long?, corrected: Boolean): TimeDrift {
            if (offsetSeconds == null) return TimeDrift(DriftLevel.UNKNOWN, "Clock not checked yet")
            val abs = kotlin.math.abs(offsetSeconds)
            val dir = if (offsetSeconds > 0) "behind" else "ahead"
            val amount = if (abs == 1L) "1 second" else "$abs seconds"
            return when {
                abs <= WARN_SECONDS -> TimeDrift(DriftLevel.OK, "Clock is correct")
                abs < BAD_SECONDS -> TimeDrift(DriftLevel.WARNING, "Phone clock is $amount $dir" +
                    if (corrected) "; codes are corrected" else "; codes may be refused")
                else -> TimeDrift(DriftLevel.BAD, "Phone clock is $amount $dir" +
                    if (corrected) "; codes are corrected" else ": codes will be refused. Set the time automatically")
            }
        }
    }
}
