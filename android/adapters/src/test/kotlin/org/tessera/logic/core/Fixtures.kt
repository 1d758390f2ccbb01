package org.tessera.logic.core

import java.io.File
import java.nio.ByteBuffer
import java.nio.file.Files
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.tessera.core.kdfInsecureForTests

/**
 * A [KeyWrapper] like the app's Keystore one, over a plain AES-256-GCM key from javax.crypto:
 * blob = IV (12 bytes) | ciphertext + tag. [refuse] makes it fail like a Keystore whose user did
 * not authenticate; [calls] counts wrap/unwrap calls.
 */
class AesKeyWrapper(private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()) : KeyWrapper {
    @Volatile var refuse = false
    @Volatile var calls = 0

    override fun wrap(key: ByteArray): ByteArray {
        calls++
        check(!refuse) { "user not authenticated" }
        val iv = ByteArray(12).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, this.key, GCMParameterSpec(128, iv))
        val sealed = cipher.doFinal(key)
        return ByteBuffer.allocate(iv.size + sealed.size).put(iv).put(sealed).array()
    }

    override fun unwrap(blob: ByteArray): ByteArray {
        calls++
        check(!refuse) { "user not authenticated" }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, blob, 0, 12))
        return cipher.doFinal(blob, 12, blob.size - 12)
    }
}

/** A temporary directory for vault files, removed by [close]. */
class TempDir : AutoCloseable {
    /** The directory. */
    val dir: File = Files.createTempDirectory("tessera-adapters").toFile()

    /** A path inside it. */
    fun path(name: String): String = File(dir, name).path

    /** Opens (or creates) the vault [name] with [wrapper] at the tests' tiny Argon2 cost. */
    fun vault(name: String, wrapper: KeyWrapper = AesKeyWrapper()): OpenedVault =
        VaultFile.openOrCreate(path(name), wrapper, kdfInsecureForTests())

    override fun close() {
        dir.deleteRecursively()
    }
}

/** Links over the RFC 6238 / RFC 4226 SHA-1 seed ("12345678901234567890") and a second account. */
object Links {
    /** RFC 6238 appendix B, SHA-1, 8 digits. */
    const val RFC = "otpauth://totp/RFC:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=RFC"
    /** An NHSmail-like TOTP account. */
    const val NHS = "otpauth://totp/NHSmail:jo.bloggs@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail"
    /** RFC 4226 appendix D, counter 0. */
    const val HOTP = "otpauth://hotp/VPN:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0&issuer=VPN"
}
