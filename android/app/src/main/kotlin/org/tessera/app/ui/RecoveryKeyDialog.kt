package org.tessera.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import org.tessera.app.core.Services

/**
 * Shows a new vault's recovery key once ([Services.recoveryKeyToShow]), then tells the services to
 * forget it. It cannot be dismissed by tapping outside: the user confirms they wrote it down. The
 * window is FLAG_SECURE (see MainActivity), so it stays out of screenshots.
 */
@Composable
fun RecoveryKeyDialog(services: Services) {
    var key by remember(services) { mutableStateOf(services.recoveryKeyToShow) }
    val shown = key ?: return
    AlertDialog(
        onDismissRequest = {},
        title = { Text("Write down your recovery key") },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
                Text(
                    "If this phone's screen lock is removed or you move to a new phone, this key is the only way " +
                        "to open your codes. Write it on paper and keep it safe. It will not be shown again.",
                )
                Text(
                    shown,
                    style = MaterialTheme.typography.titleMedium,
                    fontFamily = FontFamily.Monospace,
                    modifier = androidx.compose.ui.Modifier.semantics {
                        contentDescription = shown.filter { it.isLetterOrDigit() }.toList().joinToString(" ")
                    },
                )
            }
        },
        confirmButton = {
            TextButton(onClick = {
                services.recoveryKeyShown()
                key = null
            }) { Text("I have written it down") }
        },
    )
}
