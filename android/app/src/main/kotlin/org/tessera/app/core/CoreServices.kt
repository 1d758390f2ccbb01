package org.tessera.app.core

import android.content.Context
import android.util.Log
import org.tessera.app.security.KeystoreKeyProtector
import org.tessera.core.Clock
import org.tessera.core.LogLevel
import org.tessera.core.LogRecord
import org.tessera.core.Logger
import org.tessera.core.PushApprovals
import org.tessera.core.installLogger
import org.tessera.logic.core.CoreUriParser
import org.tessera.logic.core.KeyWrapper
import org.tessera.logic.core.OpenedVault
import org.tessera.logic.core.PushApprovalSource
import org.tessera.logic.core.PushClockTime
import org.tessera.logic.core.PushInboxAdapter
import org.tessera.logic.core.ServerClock
import org.tessera.logic.core.UrlConnectionTransport
import org.tessera.logic.core.VaultAccounts
import org.tessera.logic.core.VaultBackups
import org.tessera.logic.core.VaultFile
import org.tessera.logic.core.core
import java.io.File

/**
 * Builds the app's [Services] over the core's encrypted vault, through the adapters in
 * `android/adapters` (which the JVM tests run against the real library).
 *
 * The vault is one file in no-backup storage (it must not reach cloud backups: the user's own
 * encrypted backup is the way to move it). It is unlocked by a slot sealed with the Android
 * Keystore key ([KeystoreKeyProtector], behind BiometricPrompt when the lock is on); on first run
 * the core creates it with that slot and a recovery key, which [Services.recoveryKey] shows until
 * the user confirms they saved it (a marker next to the vault makes the next start issue a fresh
 * key if the app dies first; see [org.tessera.logic.core.RecoveryKeyMarker]). Push approvals and [Services.clock] share one core [Clock], so a
 * drift measured against the push server moves codes, countdowns and approval expiries together.
 */
object CoreServices {
    /** The vault's file name in [Context.getNoBackupFilesDir]. */
    const val VAULT_FILE = "vault.tessera"

    /**
     * Opens (or, on first run, creates) the vault and wires the adapters over it. The Keystore key
     * must be usable (authenticate first). Throws [org.tessera.logic.ProblemException]:
     * KEY_UNAVAILABLE (not authenticated, or the key was invalidated: restore a backup),
     * CORRUPTED (damaged file). [enrollmentToken] gives push enrollments the push-service token
     * (e.g. [org.tessera.logic.PushTokenSync.enrollmentToken]; `null`: the server lets the app poll).
     */
    fun open(context: Context, protector: KeystoreKeyProtector, enrollmentToken: () -> String? = { null }): Services {
        installLogger(AndroidLogger, LogLevel.INFO)
        return assemble(VaultFile.openOrCreate(vaultPath(context), protector), enrollmentToken)
    }

    /**
     * Opens the vault with its [recoveryKey] after the Keystore key was lost, seals it to a fresh
     * Keystore key ([newKey], e.g. [KeystoreKeyProtector.replacingKey]) and wires the adapters.
     * Throws [org.tessera.logic.ProblemException]: WRONG_PASSWORD (wrong recovery key),
     * KEY_UNAVAILABLE (the new key refused: authenticate first). [enrollmentToken] as for [open].
     */
    fun recover(context: Context, newKey: KeyWrapper, recoveryKey: String, enrollmentToken: () -> String? = { null }): Services {
        installLogger(AndroidLogger, LogLevel.INFO)
        return assemble(VaultFile.recover(vaultPath(context), recoveryKey, newKey), enrollmentToken)
    }

    private fun vaultPath(context: Context): String = File(context.noBackupFilesDir, VAULT_FILE).path

    private fun assemble(opened: OpenedVault, enrollmentToken: () -> String?): Services {
        val vault = opened.vault
        val clock = Clock.system()
        // Android's own TLS and trust store (device-managed CAs work), not the core's fixed roots.
        val push = PushApprovals(vault, UrlConnectionTransport(), clock)
        return try {
            core { push.clockOffsetSeconds() } // loads the stored drift into the shared clock
            val approvals = PushApprovalSource(push, poll = true)
            val time = PushClockTime(push, correction = true)
            val accounts = VaultAccounts(vault) // at the corrected time the screens pass in
            Services(
                codes = accounts,
                parser = CoreUriParser(),
                accounts = accounts,
                approvals = approvals,
                backup = VaultBackups(vault),
                push = PushInboxAdapter(push),
                time = time,
                clock = ServerClock(clock, time.correctionEnabled()),
                recoveryKeys = opened.recoveryKeys,
                recoveryKeyIssuedAtStart = opened.recoveryKey,
                // Fetched per enrollment (off the main thread): a pushing server is told where to push.
                enroll = { uri -> approvals.enroll(uri, enrollmentToken()) },
                onClose = {
                    push.close()
                    vault.shutdown() // closes the file and forgets the key even if a screen still holds it
                    vault.close()
                    // The clock holds no secret and a screen may still read it while closing:
                    // its native side is freed with the last reference.
                },
            )
        } catch (e: Exception) {
            push.close()
            vault.shutdown()
            vault.close()
            clock.close()
            throw e
        }
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
}
