package org.tessera.app.core

import org.tessera.logic.AccountStore
import org.tessera.logic.ApprovalSource
import org.tessera.logic.BackupService
import org.tessera.logic.CodeSource
import org.tessera.logic.PushInbox
import org.tessera.logic.TimeService
import org.tessera.logic.UriParser

/**
 * What the screens use of the core, as the logic module's interfaces (so every view model is tested
 * on the JVM with fakes). [CoreServices.open] builds them over the generated API for an open vault.
 */
class Services(
    val codes: CodeSource,
    val parser: UriParser,
    val accounts: AccountStore,
    val approvals: ApprovalSource,
    val backup: BackupService,
    val push: PushInbox,
    val time: TimeService,
    private val onClose: () -> Unit,
) : AutoCloseable {
    /** Closes the vault; the core zeroizes the key it held. */
    override fun close() = onClose()
}
