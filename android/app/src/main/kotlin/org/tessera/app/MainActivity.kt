package org.tessera.app

import android.content.Intent
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.compose.runtime.mutableStateOf
import androidx.fragment.app.FragmentActivity
import org.tessera.app.ui.TesseraRoot
import org.tessera.app.ui.TesseraTheme

/**
 * The single activity. A FragmentActivity because BiometricPrompt needs one. FLAG_SECURE (unless
 * the user turned screenshot blocking off) keeps codes out of screenshots, screen recordings and the
 * recent-apps preview.
 */
class MainActivity : FragmentActivity() {
    /** An otpauth:// link this activity was opened with, for the add-account screen. */
    private val incomingLink = mutableStateOf<String?>(null)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        applyScreenshotPolicy()
        incomingLink.value = linkOf(intent)
        setContent {
            TesseraTheme {
                TesseraRoot(
                    app = application as TesseraApplication,
                    activity = this,
                    incomingLink = incomingLink.value,
                    onLinkConsumed = { incomingLink.value = null },
                    onScreenshotPolicyChanged = ::applyScreenshotPolicy,
                )
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        linkOf(intent)?.let { incomingLink.value = it }
    }

    /** Applies the "block screenshots" setting to this window. */
    fun applyScreenshotPolicy() {
        if ((application as TesseraApplication).settings.blockScreenshots) {
            window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        } else {
            window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE)
        }
    }

    private fun linkOf(intent: Intent?): String? =
        intent?.takeIf { it.action == Intent.ACTION_VIEW }?.dataString?.takeIf { it.startsWith("otpauth", ignoreCase = true) }
}
