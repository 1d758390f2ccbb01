package org.tessera.app.core

import org.tessera.logic.AccountStore
import org.tessera.logic.ApprovalSource
import org.tessera.logic.BackupService
import org.tessera.logic.CodeSource
import org.tessera.logic.PushInbox
import org.tessera.logic.TimeService
import org.tessera.logic.UriParser
import org.tessera.logic.core.ServerClock

/**
 * What the screens use of the core, as the logic module's interfaces (so every view model is tested
 * on the JVM with fakes). [CoreServices.open] builds them over the vault through the adapters.
 */
class Services(
    /** Every account's codes, one core call per refresh. */
    val codes: CodeSource,
    /** otpauth:// and migration links to previews. */
    val parser: UriParser,
    /** Adds, deletes and pins accounts in the vault. */
    val accounts: AccountStore,
    /** Sign-in requests of the enrolled push tokens (polls their servers). */
    val approvals: ApprovalSource,
    /** Encrypted backups, imports from other apps and backup checks. */
    val backup: BackupService,
    /** Where FCM messages go. */
    val push: PushInbox,
    /** The clock drift measured against the push server. */
    val time: TimeService,
    /** "Now" for the view models: the phone's clock corrected by the measured drift. */
    val clock: ServerClock,
    recoveryKey: String?,
    private val enroll: (String) -> String,
    private val onClose: () -> Unit,
) : AutoCloseable {
    @Volatile
    private var unseenRecoveryKey: String? = recoveryKey

    /**
     * The recovery key of a vault created in this session, until [recoveryKeyShown]: the screen
     * must show it once (the only way in when the Keystore key is lost) and then forget it. `null`
     * when the vault already existed. Never log it.
     */
    val recoveryKeyToShow: String? get() = unseenRecoveryKey

    /** The user has written the recovery key down: it is forgotten and never shown again. */
    fun recoveryKeyShown() {
        unseenRecoveryKey = null
    }

    /**
     * Enrolls the push token of an `otpauth://pipush/…` link (privacyIDEA's enrollment QR code) and
     * returns its serial; network work, call it off the main thread. Throws
     * [org.tessera.logic.ProblemException] (INVALID_URI, NETWORK, LOCKED).
     */
    fun enrollPush(uri: String): String = enroll(uri)

    /** Closes the vault; the core zeroizes the key it held. */
    override fun close() = onClose()
}
