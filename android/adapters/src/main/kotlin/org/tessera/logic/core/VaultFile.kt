package org.tessera.logic.core

import org.tessera.core.KdfSettings
import org.tessera.core.Vault
import org.tessera.core.createVault
import java.io.File
import java.io.IOException
import org.tessera.logic.ProblemException
import org.tessera.logic.Problem

/**
 * An unlocked [vault] and, when the user has no confirmed recovery key yet, the [recoveryKey] they
 * must write down: the core never shows it again, and it is the only way in when the platform key
 * is lost (screen lock removed, new phone). [recoveryKeys] replaces it and clears the "not yet
 * saved" marker ([RecoveryKeyMarker]) once the user confirms.
 */
class OpenedVault(
    /** The unlocked vault; the caller closes it. */
    val vault: Vault,
    /**
     * The recovery key to show once: a new vault's, or a fresh one issued because the last key was
     * never confirmed as saved (a crash, or the app closed first). `null` otherwise.
     */
    val recoveryKey: String?,
    /** New recovery keys and the confirmation that the shown one was saved. */
    val recoveryKeys: VaultRecoveryKeys,
) : AutoCloseable {
    /** Closes [vault] (this handle; the core forgets the key when the last one goes). */
    override fun close() = vault.close()
}

/** Opens the app's vault file with the platform key, creating it on first run. */
object VaultFile {
    /** The label of the platform key's slot in the vault (shown by `tessera vault slots`). */
    const val PROTECTOR_LABEL = "phone key store"

    /**
     * Opens the vault at [path] and unlocks it with [wrapper]; when there is no file yet, creates
     * one with a recovery key and a slot sealed by [wrapper] ([kdf]: the Argon2 cost of slots the
     * core derives from text; the core's default when `null`).
     *
     * A creation that fails half-way (the platform refused to seal the key) removes the new file,
     * so the next attempt starts afresh instead of leaving a vault only a never-shown recovery key
     * opens. A new vault's key counts as unsaved ([RecoveryKeyMarker], set before the vault is made)
     * until [VaultRecoveryKeys.confirmSaved]; opening a vault whose marker is still set replaces the
     * key and returns the new one in [OpenedVault.recoveryKey]. Throws [org.tessera.logic.ProblemException]: KEY_UNAVAILABLE when the platform key
     * refuses, CORRUPTED for a damaged file.
     */
    fun openOrCreate(path: String, wrapper: KeyWrapper, kdf: KdfSettings? = null): OpenedVault {
        val protector = KeyWrapperProtector(wrapper)
        if (File(path).exists()) {
            val vault = core { Vault.open(path) }
            try {
                core { vault.unlockWithProtector(protector) }
            } catch (e: Exception) {
                vault.close()
                throw e
            }
            return OpenedVault(vault, reissueUnsavedKey(vault, path), VaultRecoveryKeys(vault, path))
        }
        // The marker goes first: a crash after the vault exists but before the user saved its key
        // then makes the next start issue a new key instead of leaving the user without one.
        try {
            RecoveryKeyMarker.set(path)
        } catch (e: IOException) {
            throw ProblemException(Problem.UNKNOWN, e)
        }
        val created = core { createVault(path, null, kdf) }
        try {
            core { created.vault.addProtectorSlot(protector, PROTECTOR_LABEL) }
        } catch (e: Exception) {
            created.vault.shutdown()
            created.vault.close()
            for (suffix in listOf("", "-wal", "-shm", "-journal", RecoveryKeyMarker.SUFFIX)) File(path + suffix).delete()
            throw e
        }
        return OpenedVault(created.vault, created.recoveryKey, VaultRecoveryKeys(created.vault, path))
    }

    /**
     * When the marker says the user never confirmed the recovery key, replaces it (the old one may
     * have been seen by someone, or never shown at all) and returns the new one to show. A failure
     * leaves the marker, so the next start tries again, and does not stop the vault opening.
     */
    private fun reissueUnsavedKey(vault: Vault, path: String): String? {
        if (!RecoveryKeyMarker.isSet(path)) return null
        return try {
            core { vault.replaceRecoveryKey() }
        } catch (_: ProblemException) {
            null
        }
    }

    /**
     * Opens the vault at [path] with its [recoveryKey] (as typed: case, spaces and dashes do not
     * matter) after the platform key was lost, and adds a slot sealed by [wrapper] (a new platform
     * key), so the next [openOrCreate] works again. Throws [org.tessera.logic.ProblemException]:
     * WRONG_PASSWORD for a wrong key, NOT_FOUND when there is no vault, KEY_UNAVAILABLE when the
     * new platform key refuses (the vault is then not changed).
     */
    fun recover(path: String, recoveryKey: String, wrapper: KeyWrapper): OpenedVault {
        if (!File(path).exists()) throw org.tessera.logic.ProblemException(org.tessera.logic.Problem.NOT_FOUND)
        val vault = core { Vault.open(path) }
        try {
            core { vault.unlockWithRecoveryKey(recoveryKey) }
            core { vault.addProtectorSlot(KeyWrapperProtector(wrapper), PROTECTOR_LABEL) }
        } catch (e: Exception) {
            vault.shutdown()
            vault.close()
            throw e
        }
        // The user just typed the key, so they have it: nothing left to confirm.
        RecoveryKeyMarker.clear(path)
        return OpenedVault(vault, null, VaultRecoveryKeys(vault, path))
    }
}
