package org.tessera.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import org.tessera.app.core.Services
import org.tessera.logic.RecoveryKeyModel
import org.tessera.logic.RecoveryKeyState

/**
 * The recovery-key dialog over [Services.recoveryKey]: the key issued at start (a new vault, or a
 * fresh key because the last one was never confirmed as saved), and Settings' "New recovery key"
 * with its confirmation step. A shown key cannot be dismissed by tapping outside: the user confirms
 * they wrote it down, which clears the "not yet saved" marker. The window is FLAG_SECURE (see
 * MainActivity), so it stays out of screenshots.
 */
@Composable
fun RecoveryKeyDialog(services: Services) {
    val model = services.recoveryKey
    val state by model.state.asState()
    when (val s = state) {
        RecoveryKeyState.Hidden -> Unit
        RecoveryKeyState.Confirming -> AlertDialog(
            onDismissRequest = model::cancel,
            title = { Text(RecoveryKeyModel.CONFIRM_TITLE) },
            text = { Text(RecoveryKeyModel.CONFIRM_TEXT) },
            confirmButton = { TextButton(onClick = model::confirmNew) { Text("Make a new key") } },
            dismissButton = { TextButton(onClick = model::cancel) { Text("Cancel") } },
        )
        is RecoveryKeyState.Failed -> AlertDialog(
            onDismissRequest = model::cancel,
            title = { Text("No new recovery key") },
            text = { Text(problemText(s.problem) + " Your current recovery key still works.") },
            confirmButton = { TextButton(onClick = model::cancel) { Text("OK") } },
        )
        is RecoveryKeyState.Showing -> AlertDialog(
            onDismissRequest = {},
            title = { Text(if (s.firstRun) "Write down your recovery key" else "Write down your new recovery key") },
            text = {
                Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
                    Text(
                        "If this phone's screen lock is removed or you move to a new phone, this key is the only way " +
                            "to open your codes. Write it on paper and keep it safe. It will not be shown again" +
                            if (s.firstRun) "." else "; your old key no longer works.",
                    )
                    Column(Modifier.semantics(mergeDescendants = true) { contentDescription = "Recovery key: " + s.spoken }) {
                        s.lines.forEach { line ->
                            Text(line, style = MaterialTheme.typography.titleMedium, fontFamily = FontFamily.Monospace)
                        }
                    }
                    if (s.firstRun) {
                        Text(
                            "Until you confirm, Tessera makes a new key each time it starts.",
                            style = MaterialTheme.typography.bodySmall,
                        )
                    }
                }
            },
            confirmButton = { TextButton(onClick = model::saved) { Text("I have written it down") } },
        )
    }
}
