package org.tessera.logic

/**
 * The vault's recovery key: the only way in when the phone's key is lost (screen lock removed, new
 * phone). The adapters keep a "not yet saved" marker next to the vault until [confirmSaved], and
 * issue a fresh key at the next start while it is set, so a crash before the user wrote the key
 * down never leaves them without one.
 */
interface RecoveryKeys {
    /**
     * Replaces the recovery key (the old one stops working at once) and returns the new one, to show
     * exactly once; it counts as not yet saved until [confirmSaved]. Throws [ProblemException]
     * (LOCKED, UNKNOWN).
     */
    fun newRecoveryKey(): String

    /** The user has written the shown key down: clears the "not yet saved" marker. */
    fun confirmSaved()
}

/** What the recovery-key dialog shows. */
sealed interface RecoveryKeyState {
    /** Nothing. */
    data object Hidden : RecoveryKeyState

    /** "Make a new recovery key? The old one stops working": the user confirms or cancels. */
    data object Confirming : RecoveryKeyState

    /**
     * The key to write down, shown once until the user confirms; [firstRun] when it belongs to a vault
     * created (or a key rotated because the last one was never confirmed) at this start.
     */
    class Showing(
        /** The recovery key as the core formats it (groups joined by dashes). Never log it. */
        val key: String,
        /** Whether the app issued it on its own at start rather than on request. */
        val firstRun: Boolean,
    ) : RecoveryKeyState {
        /** Groups of the key, four to a line, for writing down. */
        val lines: List<String>
            get() = key.split('-').chunked(4).map { it.joinToString(" ") }

        /** What a screen reader says: every character apart, groups separated by pauses. */
        val spoken: String
            get() = key.split('-').joinToString(", ") { group -> group.toList().joinToString(" ") }

        override fun equals(other: Any?) = other is Showing && other.key == key && other.firstRun == firstRun
        override fun hashCode() = key.hashCode() * 31 + firstRun.hashCode()

        /** Never the key: states end up in logs and crash reports. */
        override fun toString() = "Showing(key=<redacted>, firstRun=$firstRun)"
    }

    /** Making a new key failed; the old key still works. */
    data class Failed(val problem: Problem) : RecoveryKeyState
}

/**
 * The recovery-key dialog: the key issued at start (first run, or a rotation after an unconfirmed
 * one), and the settings action "New recovery key" with its confirmation step.
 *
 * The calls into [keys] are a small vault write (no key derivation from text), so they run on the
 * caller's thread like the rest of the view models.
 */
class RecoveryKeyModel(private val keys: RecoveryKeys) {
    /** The dialog's state. */
    val state = StateHolder<RecoveryKeyState>(RecoveryKeyState.Hidden)

    /** Shows [key], issued at start by the adapters (first run or an unconfirmed earlier key). */
    fun showIssuedAtStart(key: String?) {
        if (key != null) state.value = RecoveryKeyState.Showing(key, firstRun = true)
    }

    /** The settings action: asks first, because the old key stops working. */
    fun askForNew() {
        if (state.value is RecoveryKeyState.Showing) return // never hide a key not yet confirmed
        state.value = RecoveryKeyState.Confirming
    }

    /** The user confirmed: replaces the key and shows the new one. */
    fun confirmNew() {
        if (state.value != RecoveryKeyState.Confirming) return
        state.value = try {
            RecoveryKeyState.Showing(keys.newRecoveryKey(), firstRun = false)
        } catch (e: ProblemException) {
            RecoveryKeyState.Failed(e.problem)
        }
    }

    /** Cancels the confirmation step or closes the error; a shown key is not dismissed this way. */
    fun cancel() {
        if (state.value is RecoveryKeyState.Showing) return
        state.value = RecoveryKeyState.Hidden
    }

    /** The user wrote the shown key down: the marker is cleared and the key forgotten. */
    fun saved() {
        if (state.value !is RecoveryKeyState.Showing) return
        try {
            keys.confirmSaved()
        } catch (_: ProblemException) {
            // The marker stays: the next start issues another key, which is safe.
        }
        state.value = RecoveryKeyState.Hidden
    }

    /** The confirmation text of [RecoveryKeyState.Confirming]. */
    companion object {
        /** Title of the confirmation step. */
        const val CONFIRM_TITLE = "Make a new recovery key?"

        /** Body of the confirmation step. */
        const val CONFIRM_TEXT = "Your current recovery key will stop working at once. " +
            "Write the new one down and throw the old one away."
    }
}
