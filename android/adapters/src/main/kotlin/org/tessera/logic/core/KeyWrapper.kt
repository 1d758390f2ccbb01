package org.tessera.logic.core

import org.tessera.core.KeyProtector
import org.tessera.core.TesseraException

/**
 * Wraps the vault key with a key the platform keeps out of reach (the Android Keystore in the app,
 * a plain AES key in tests). Implementations throw any exception when they refuse (user not
 * authenticated, key invalidated, bytes from another device): the bridge turns it into the core's
 * `KeyStore` error, which the adapters report as [org.tessera.logic.Problem.KEY_UNAVAILABLE].
 *
 * Neither method may log its arguments or results: they are the vault key in clear or sealed.
 */
interface KeyWrapper {
    /** Seals [key] (the vault key, 32 bytes); the result is stored in the vault file. */
    fun wrap(key: ByteArray): ByteArray

    /** Opens what [wrap] returned; throws when these bytes do not open with this platform key. */
    fun unwrap(blob: ByteArray): ByteArray
}

/**
 * The core's foreign [KeyProtector] over a [KeyWrapper], so the app's protector plugs into
 * `createVault`'s protector slot, `Vault.unlockWithProtector` and `Vault.addProtectorSlot`
 * without Android types in this module. Every exception becomes `TesseraException.KeyStore`
 * (an unexpected one would otherwise reach Rust as `Internal`); its message is fixed, so nothing
 * about the key ever crosses.
 */
class KeyWrapperProtector(private val wrapper: KeyWrapper) : KeyProtector {
    override fun wrapKey(key: ByteArray): ByteArray = guarded { wrapper.wrap(key) }

    override fun unwrapKey(wrapped: ByteArray): ByteArray = guarded { wrapper.unwrap(wrapped) }

    private inline fun guarded(block: () -> ByteArray): ByteArray = try {
        block()
    } catch (e: TesseraException) {
        throw e
    } catch (e: Exception) {
        throw TesseraException.KeyStore("the platform key store refused")
    }
}
