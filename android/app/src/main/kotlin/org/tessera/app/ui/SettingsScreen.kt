package org.tessera.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.tessera.app.TesseraApplication
import org.tessera.app.core.Services
import org.tessera.logic.AutoLock
import org.tessera.logic.DriftLevel
import org.tessera.logic.TimeDrift

/** Biometric lock, auto-lock, screenshot blocking, a new recovery key, the clock's drift, backup and the guide. */
@Composable
fun SettingsScreen(
    app: TesseraApplication,
    services: Services,
    onScreenshotPolicyChanged: () -> Unit,
    onBackup: () -> Unit,
    onGuide: () -> Unit,
) {
    val settings = app.settings
    var biometric by remember { mutableStateOf(settings.biometricLock) }
    var autoLock by remember { mutableStateOf(settings.autoLock) }
    var blockShots by remember { mutableStateOf(settings.blockScreenshots) }
    var drift by remember { mutableStateOf(TimeDrift.of(null, false)) }
    LaunchedEffect(services) {
        drift = withContext(Dispatchers.IO) { TimeDrift.of(services.time.offsetSeconds(), services.time.correctionEnabled()) }
    }

    Column(Modifier.verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text("Security", style = MaterialTheme.typography.titleLarge)
        SwitchRow("Unlock with fingerprint, face or screen lock", biometric) {
            biometric = it
            settings.biometricLock = it
            app.lock.biometricLock = it
        }
        if (biometric) {
            Text("Lock again", style = MaterialTheme.typography.titleSmall)
            AutoLock.entries.forEach { option ->
                Row(
                    Modifier.fillMaxWidth().selectable(autoLock == option, role = Role.RadioButton) {
                        autoLock = option
                        settings.autoLock = option
                        app.lock.autoLock = option
                    },
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    RadioButton(selected = autoLock == option, onClick = null)
                    Text(autoLockText(option))
                }
            }
        }
        SwitchRow("Block screenshots and screen recording", blockShots) {
            blockShots = it
            settings.blockScreenshots = it
            onScreenshotPolicyChanged()
        }
        HorizontalDivider()
        Text("Recovery key", style = MaterialTheme.typography.titleLarge)
        Text(
            "Opens your codes on a new phone or if this phone's screen lock is removed. Lost it? Make a new one: " +
                "the old one stops working.",
            style = MaterialTheme.typography.bodyMedium,
        )
        // Asks first, then shows the new key in RecoveryKeyDialog (drawn over every screen by TesseraRoot).
        TextButton(onClick = services.recoveryKey::askForNew) { Text("New recovery key") }
        HorizontalDivider()
        Text("Time", style = MaterialTheme.typography.titleLarge)
        Text(
            drift.message,
            color = when (drift.level) {
                DriftLevel.BAD -> MaterialTheme.colorScheme.error
                DriftLevel.WARNING -> MaterialTheme.colorScheme.tertiary
                else -> MaterialTheme.colorScheme.onSurface
            },
        )
        HorizontalDivider()
        TextButton(onClick = onBackup) { Text("Backup, import and verify") }
        TextButton(onClick = onGuide) { Text("Using Tessera for Microsoft 365 or NHSmail") }
    }
}

@Composable
private fun SwitchRow(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(
        Modifier.fillMaxWidth().toggleable(checked, role = Role.Switch, onValueChange = onChange).padding(vertical = 8.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Text(label, Modifier.weight(1f))
        Switch(checked = checked, onCheckedChange = null)
    }
}

private fun autoLockText(option: AutoLock) = when (option) {
    AutoLock.IMMEDIATELY -> "As soon as I leave the app"
    AutoLock.AFTER_30_SECONDS -> "After 30 seconds"
    AutoLock.AFTER_1_MINUTE -> "After 1 minute"
    AutoLock.AFTER_5_MINUTES -> "After 5 minutes"
    AutoLock.NEVER -> "Only when the phone restarts"
}
