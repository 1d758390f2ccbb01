package org.tessera.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp

/** The steps shown by the guide (also used by the iOS app's text; keep them in step). */
val MICROSOFT_GUIDE_STEPS = listOf(
    "On a computer, open mysignins.microsoft.com/security-info and sign in with your work or NHSmail address.",
    "Choose “Add sign-in method”, then “Authenticator app”.",
    "Microsoft suggests its own app: choose “I want to use a different authenticator app”, then Next.",
    "A QR code appears. In Tessera tap + and point the camera at it.",
    "Tessera shows the new account with a 6-digit code. On the computer choose Next and type that code.",
    "Optional: under “Default sign-in method” choose “Authenticator app or hardware token – code”.",
)

/**
 * Adding Tessera as the authenticator app for Microsoft 365 / NHSmail. Entra ID accepts any TOTP
 * app under "I want to use a different authenticator app"; Tessera then gives codes (not Microsoft's
 * push notifications, which only Microsoft Authenticator receives).
 */
@Composable
fun GuideScreen(onScan: () -> Unit) {
    Column(Modifier.verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text("Microsoft 365 and NHSmail", style = MaterialTheme.typography.titleLarge)
        MICROSOFT_GUIDE_STEPS.forEachIndexed { i, step -> Text("${i + 1}. $step") }
        Text(
            "Can't scan? Choose “Can't scan image?” on the computer, then in Tessera use “Paste or type” " +
                "with the account name and secret key it shows.",
            style = MaterialTheme.typography.bodyMedium,
        )
        Text(
            "If your organisation only allows Microsoft Authenticator notifications, ask your IT service desk " +
                "(NHSmail: your local administrator) to allow an authenticator app code.",
            style = MaterialTheme.typography.bodySmall,
        )
        Button(onClick = onScan) { Text("Scan the QR code") }
    }
}
