package org.tessera.app.core

import org.tessera.logic.AccountStore
import org.tessera.logic.ApprovalSource
import org.tessera.logic.BackupService
import org.tessera.logic.CodeSource
import org.tessera.logic.PushInbox
import org.tessera.logic.RecoveryKeyModel
import org.tessera.logic.RecoveryKeys
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
    recoveryKeys: RecoveryKeys,
    recoveryKeyIssuedAtStart: String?,
    private val enroll: (String) -> String,
    private val onClose: () -> Unit,
) : AutoCloseable {
    /**
     * The recovery-key dialog ([org.tessera.app.ui.RecoveryKeyDialog]): it starts by showing the key
     * issued at this start (a new vault, or a fresh key because the last one was never confirmed as
     * saved), and Settings' "New recovery key" goes through it. The key stays "not yet saved" (and is
     * replaced at the next start) until the user confirms. Driven from the main thread.
     */
    val recoveryKey: RecoveryKeyModel = RecoveryKeyModel(recoveryKeys).also { it.showIssuedAtStart(recoveryKeyIssuedAtStart) }

    /**
     * Enrolls the push token of an `otpauth://pipush/…` link (privacyIDEA's enrollment QR code) and
     * returns its serial, giving the server the push-service token when there is one (so it can
     * push); network work, call it off the main thread. Throws
     * [org.tessera.logic.ProblemException] (INVALID_URI, NETWORK, LOCKED).
     */
    fun enrollPush(uri: String): String = enroll(uri)

    /** Closes the vault; the core zeroizes the key it held. */
    override fun close() = onClose()
}
