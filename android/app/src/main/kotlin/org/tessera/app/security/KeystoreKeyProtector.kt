package org.tessera.app.security

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import android.security.keystore.UserNotAuthenticatedException
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException
import org.tessera.logic.core.KeyWrapper
import java.nio.ByteBuffer
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Wraps the vault key with an AES-256-GCM key that never leaves the Android Keystore (StrongBox
 * when the phone has one). The core calls [wrap] once when the vault is created and [unwrap] each
 * time it opens (this [KeyWrapper] reaches the core's `KeyProtector` foreign trait through the
 * adapters' `KeyWrapperProtector`; see CoreServices).
 *
 * With [requireAuth], the Keystore key is usable only for [AUTH_VALIDITY_SECONDS] after the user
 * passed [BiometricGate] (fingerprint, face or screen lock): the core's synchronous call cannot
 * show a prompt itself, so the app authenticates first and then opens the vault. A key invalidated
 * by the system (screen lock removed) makes [unwrap] fail with KEY_UNAVAILABLE: the vault must then
 * be restored from a backup, which the Backup screen explains.
 *
 * Blob layout: version (1 byte, 1) | IV length (1 byte) | IV | ciphertext+tag.
 */
class KeystoreKeyProtector(
    private val alias: String = "org.tessera.vault-key-wrap",
    private val requireAuth: Boolean,
) : KeyWrapper {
    private val keyStore: KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

    /** Encrypts [key] (the vault key) under the Keystore key (created on first use). */
    override fun wrap(key: ByteArray): ByteArray = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, keystoreKey())
        val iv = cipher.iv
        val sealed = cipher.doFinal(key)
        ByteBuffer.allocate(2 + iv.size + sealed.size).put(VERSION).put(iv.size.toByte()).put(iv).put(sealed).array()
    }

    /** Decrypts a blob made by [wrap]. */
    override fun unwrap(blob: ByteArray): ByteArray = guarded {
        if (blob.size < 2 + 12 + 16 || blob[0] != VERSION) throw ProblemException(Problem.CORRUPTED)
        val ivLength = blob[1].toInt() and 0xff
        if (ivLength !in 12..16 || blob.size < 2 + ivLength + 16) throw ProblemException(Problem.CORRUPTED)
        val secret = keyStore.getKey(alias, null) as? SecretKey ?: throw ProblemException(Problem.KEY_UNAVAILABLE)
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, secret, GCMParameterSpec(TAG_BITS, blob, 2, ivLength))
        cipher.doFinal(blob, 2 + ivLength, blob.size - 2 - ivLength)
    }

    /**
     * A wrapper for recovery: its first [wrap] deletes this alias's Keystore key (lost or
     * invalidated) and seals with a new one; [unwrap] is this protector's. The core calls wrap only
     * after the recovery key has opened the vault, so a mistyped recovery key deletes nothing.
     */
    fun replacingKey(): KeyWrapper = object : KeyWrapper {
        override fun wrap(key: ByteArray): ByteArray {
            delete()
            return this@KeystoreKeyProtector.wrap(key)
        }

        override fun unwrap(blob: ByteArray): ByteArray = this@KeystoreKeyProtector.unwrap(blob)
    }

    /** Removes the Keystore key (after the user erased the vault). */
    fun delete() {
        if (keyStore.containsAlias(alias)) keyStore.deleteEntry(alias)
    }

    private fun keystoreKey(): SecretKey =
        keyStore.getKey(alias, null) as? SecretKey ?: generate(strongBox = Build.VERSION.SDK_INT >= 28)

    private fun generate(strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
        if (requireAuth) {
            spec.setUserAuthenticationRequired(true)
            if (Build.VERSION.SDK_INT >= 30) {
                spec.setUserAuthenticationParameters(
                    AUTH_VALIDITY_SECONDS,
                    KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL,
                )
            } else {
                @Suppress("DEPRECATION")
                spec.setUserAuthenticationValidityDurationSeconds(AUTH_VALIDITY_SECONDS)
            }
        }
        if (strongBox && Build.VERSION.SDK_INT >= 28) spec.setIsStrongBoxBacked(true)
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
        return try {
            generator.init(spec.build())
            generator.generateKey()
        } catch (e: StrongBoxUnavailableException) {
            generate(strongBox = false)
        }
    }

    private inline fun <T> guarded(block: () -> T): T = try {
        block()
    } catch (e: ProblemException) {
        throw e
    } catch (e: UserNotAuthenticatedException) {
        throw ProblemException(Problem.KEY_UNAVAILABLE, e)
    } catch (e: KeyPermanentlyInvalidatedException) {
        throw ProblemException(Problem.KEY_UNAVAILABLE, e)
    } catch (e: javax.crypto.AEADBadTagException) {
        throw ProblemException(Problem.CORRUPTED, e)
    } catch (e: java.security.GeneralSecurityException) {
        throw ProblemException(Problem.KEY_UNAVAILABLE, e)
    }

    companion object {
        /** Seconds the Keystore key stays usable after a successful BiometricPrompt. */
        const val AUTH_VALIDITY_SECONDS = 30
        private const val ANDROID_KEYSTORE = "AndroidKeyStore"
        private const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val TAG_BITS = 128
        private const val VERSION: Byte = 1
    }
}
