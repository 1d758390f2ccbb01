package org.tessera.logic.core

import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.nio.channels.FileChannel
import java.nio.file.StandardOpenOption
import org.tessera.core.Vault
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException
import org.tessera.logic.RecoveryKeys

/**
 * The durable "recovery key not yet confirmed as saved" marker: an empty file next to the vault
 * (`<vault>.recovery-unsaved`). It holds no secret, only the fact.
 *
 * It is written (and synced) *before* a recovery key is made — at creation and before a
 * replacement — and removed only when the user confirms they wrote the key down. While it is set,
 * [VaultFile.openOrCreate] issues a fresh key, so a crash between making a key and the user saving
 * it never leaves them without one, and a key that was on screen unconfirmed stops working.
 */
object RecoveryKeyMarker {
    /** The marker's file name suffix, after the vault's file name. */
    const val SUFFIX = ".recovery-unsaved"

    /** The marker file of the vault at [vaultPath]. */
    fun file(vaultPath: String): File = File(vaultPath + SUFFIX)

    /** Whether the vault at [vaultPath] has a recovery key the user has not confirmed. */
    fun isSet(vaultPath: String): Boolean = file(vaultPath).exists()

    /** Sets the marker and syncs it to storage before returning. Throws [IOException]. */
    fun set(vaultPath: String) {
        val marker = file(vaultPath)
        FileOutputStream(marker).use { it.fd.sync() }
        // The marker's directory entry must be durable too; the JVM opens directories read-only
        // only on some platforms, so this is best effort (Linux and Android allow it).
        try {
            FileChannel.open(marker.absoluteFile.parentFile.toPath(), StandardOpenOption.READ)
                .use { it.force(true) }
        } catch (_: IOException) {
        }
    }

    /** Clears the marker; returns whether it is gone (a failure means the next start rotates again). */
    fun clear(vaultPath: String): Boolean {
        val marker = file(vaultPath)
        return marker.delete() || !marker.exists()
    }
}

/**
 * [RecoveryKeys] over the vault at [vaultPath] (unlocked as [vault]): a new key
 * sets the marker first, so a crash before the user saw it issues another at the next start.
 */
class VaultRecoveryKeys(private val vault: Vault, private val vaultPath: String) :
    RecoveryKeys {
    override fun newRecoveryKey(): String {
        val wasSet = RecoveryKeyMarker.isSet(vaultPath)
        try {
            RecoveryKeyMarker.set(vaultPath)
        } catch (e: IOException) {
            throw ProblemException(Problem.UNKNOWN, e)
        }
        return try {
            core { vault.replaceRecoveryKey() }
        } catch (e: Exception) {
            if (!wasSet) RecoveryKeyMarker.clear(vaultPath) // the old key still works and was saved
            throw e
        }
    }

    override fun confirmSaved() {
        RecoveryKeyMarker.clear(vaultPath)
    }
}
