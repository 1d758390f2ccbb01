package org.tessera.app.security

import android.os.Build
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resume

/** The outcome of asking the user to unlock. */
enum class UnlockResult { UNLOCKED, CANCELLED, NOT_AVAILABLE }

/**
 * BiometricPrompt with a fallback to the screen lock (PIN, pattern, password). After
 * [UnlockResult.UNLOCKED] the Keystore key of [KeystoreKeyProtector] is usable for a short while.
 */
object BiometricGate {
    /** Strong biometrics or the device credential; API 28–29 cannot combine them in one prompt. */
    private val authenticators =
        if (Build.VERSION.SDK_INT >= 30) BIOMETRIC_STRONG or DEVICE_CREDENTIAL else BIOMETRIC_STRONG

    /** Whether this phone can protect the vault key with a biometric or a screen lock. */
    fun available(activity: FragmentActivity): Boolean =
        BiometricManager.from(activity).canAuthenticate(authenticators) == BiometricManager.BIOMETRIC_SUCCESS

    /** Shows the prompt and waits for the answer. */
    suspend fun unlock(activity: FragmentActivity, title: String, subtitle: String): UnlockResult {
        if (!available(activity)) return UnlockResult.NOT_AVAILABLE
        return suspendCancellableCoroutine { cont ->
            val prompt = BiometricPrompt(
                activity,
                ContextCompat.getMainExecutor(activity),
                object : BiometricPrompt.AuthenticationCallback() {
                    override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                        if (cont.isActive) cont.resume(UnlockResult.UNLOCKED)
                    }

                    override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                        if (cont.isActive) cont.resume(UnlockResult.CANCELLED)
                    }
                    // onAuthenticationFailed (a finger not recognised) keeps the prompt open.
                },
            )
            val info = BiometricPrompt.PromptInfo.Builder()
                .setTitle(title)
                .setSubtitle(subtitle)
                .setAllowedAuthenticators(authenticators)
                .apply { if (Build.VERSION.SDK_INT < 30) setNegativeButtonText("Cancel") }
                .build()
            prompt.authenticate(info)
            cont.invokeOnCancellation { prompt.cancelAuthentication() }
        }
    }
}
