package org.tessera.app.core

import android.content.Context
import android.util.Log
import org.tessera.app.security.KeystoreKeyProtector
import org.tessera.core.LogLevel
import org.tessera.core.LogRecord
import org.tessera.core.Logger
import org.tessera.core.accountToUri
import org.tessera.core.installLogger
import org.tessera.logic.AccountStore
import org.tessera.logic.ApprovalOutcome
import org.tessera.logic.ApprovalRecord
import org.tessera.logic.ApprovalRequest
import org.tessera.logic.ApprovalSource
import org.tessera.logic.BackupCheck
import org.tessera.logic.BackupService
import org.tessera.logic.DenyReason
import org.tessera.logic.ImportReport
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException
import org.tessera.logic.PushInbox
import org.tessera.logic.TimeService
import org.tessera.logic.core.AccountList
import org.tessera.logic.core.CoreUriParser
import org.tessera.logic.core.core
import java.io.File

/**
 * Builds the app's [Services] over the generated API (org.tessera.core).
 *
 * What the bindings export today: accounts, links and migration batches, the one-call code book and
 * the foreign logger. Until the vault, export/import and push are exported too, accounts live in an
 * [AccountList] that is saved as otpauth links sealed by the Android Keystore key
 * ([KeystoreKeyProtector], behind BiometricPrompt) in no-backup storage; groups, notes and
 * favourites are not kept across restarts yet, backups say "not available" and there are no push
 * tokens to poll. Each of these becomes an adapter over the core's object when it is exported.
 */
object CoreServices {
    private const val FILE = "accounts.sealed"

    /** Opens the saved accounts (the Keystore key must be usable: unlock first). */
    fun open(context: Context, protector: KeystoreKeyProtector): Services {
        installLogger(AndroidLogger, LogLevel.INFO)
        val file = File(context.noBackupFilesDir, FILE)
        val links = if (file.isFile) String(protector.unwrap(file.readBytes()), Charsets.UTF_8).lines().filter { it.isNotBlank() } else emptyList()
        val list = AccountList(links.flatMap { core { CoreUriParser.accountsIn(it) } })

        fun save() {
            val text = list.snapshot().joinToString("\n") { core { accountToUri(it.second) } }
            val tmp = File(file.parentFile, "$FILE.tmp")
            tmp.writeBytes(protector.wrap(text.toByteArray(Charsets.UTF_8)))
            if (!tmp.renameTo(file)) throw ProblemException(Problem.UNKNOWN)
        }

        val accounts = object : AccountStore {
            override fun add(links: List<String>): Int = list.add(links).also { if (it > 0) save() }
            override fun delete(id: String) = list.delete(id).also { save() }
            override fun setFavourite(id: String, favourite: Boolean) = list.setFavourite(id, favourite)
        }
        return Services(
            codes = list,
            parser = CoreUriParser(),
            accounts = accounts,
            approvals = NoPushTokens,
            backup = BackupNotExported,
            push = PushInbox { null },
            time = NotMeasured,
            onClose = { list.close() },
        )
    }

    /** Tessera's log records in logcat; they never contain secrets. */
    private object AndroidLogger : Logger {
        override fun log(record: LogRecord) {
            val tag = "Tessera"
            when (record.level) {
                LogLevel.ERROR -> Log.e(tag, "${record.target}: ${record.message}")
                LogLevel.WARN -> Log.w(tag, "${record.target}: ${record.message}")
                LogLevel.INFO -> Log.i(tag, "${record.target}: ${record.message}")
                LogLevel.DEBUG, LogLevel.TRACE -> Log.d(tag, "${record.target}: ${record.message}")
            }
        }
    }

    /** No push token can be enrolled until the push API is exported: nothing is ever pending. */
    private object NoPushTokens : ApprovalSource {
        override fun pending(nowSeconds: Long): List<ApprovalRequest> = emptyList()
        override fun approve(id: String, answer: String?): ApprovalOutcome = throw ProblemException(Problem.NOT_FOUND)
        override fun deny(id: String, reason: DenyReason) = throw ProblemException(Problem.NOT_FOUND)
        override fun history(): List<ApprovalRecord> = emptyList()
    }

    /** Backups need the core's export API in the bindings. */
    private object BackupNotExported : BackupService {
        override fun export(password: String): ByteArray = throw ProblemException(Problem.UNAVAILABLE)
        override fun import(bytes: ByteArray, fileName: String?, password: String?): ImportReport =
            throw ProblemException(Problem.UNAVAILABLE)
        override fun verify(bytes: ByteArray, password: String): BackupCheck = throw ProblemException(Problem.UNAVAILABLE)
    }

    /** Drift is measured against a push server; none is enrolled yet. */
    private object NotMeasured : TimeService {
        override fun offsetSeconds(): Long? = null
        override fun correctionEnabled(): Boolean = false
    }
}
