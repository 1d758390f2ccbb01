package org.tessera.app.ui

import android.content.ClipData
import android.content.ClipDescription
import android.content.ClipboardManager
import android.content.Context
import android.os.Build
import android.os.PersistableBundle
import android.widget.Toast
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.LazyRow
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.Refresh
import androidx.compose.material.icons.filled.Search
import androidx.compose.material.icons.filled.Star
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilterChip
import androidx.compose.material3.FloatingActionButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.onClick
import androidx.compose.ui.semantics.role
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.repeatOnLifecycle
import kotlinx.coroutines.delay
import org.tessera.app.Settings
import org.tessera.app.core.Services
import org.tessera.logic.CodeRow
import org.tessera.logic.CodesListModel
import org.tessera.logic.EmptyReason
import org.tessera.logic.OtpType

/**
 * The codes list. Ticks once a second while visible (the model asks the core for codes only at
 * period boundaries). Each row is one TalkBack element that reads the account, then the code digit
 * by digit (the core's spoken form), then the time left.
 */
@Composable
fun CodesScreen(services: Services, settings: Settings, onAdd: () -> Unit, onGuide: () -> Unit) {
    val model = remember(services) { CodesListModel(services.codes, clipboardMillis = settings.clipboardSeconds * 1000L) }
    val state by model.state.asState()
    val context = LocalContext.current
    val lifecycle = LocalLifecycleOwner.current.lifecycle

    LaunchedEffect(model) {
        lifecycle.repeatOnLifecycle(Lifecycle.State.STARTED) {
            model.invalidate(services.clock.nowMillis())
            while (true) {
                val now = services.clock.nowMillis()
                model.tick(now)
                delay(1000 - now % 1000) // on the second, so every row changes together
            }
        }
    }

    Box(Modifier.fillMaxSize()) {
        Column(Modifier.fillMaxSize()) {
            OutlinedTextField(
                value = state.query,
                onValueChange = model::search,
                modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp),
                leadingIcon = { Icon(Icons.Filled.Search, contentDescription = null) },
                placeholder = { Text("Search accounts") },
                singleLine = true,
            )
            if (state.groups.size > 1) {
                LazyRow(contentPadding = PaddingValues(horizontal = 16.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    items(state.groups, key = { it.label }) { chip ->
                        FilterChip(
                            selected = chip.selected,
                            onClick = { model.select(chip.filter) },
                            label = { Text("${chip.label} (${chip.count})") },
                        )
                    }
                }
            }
            state.problem?.let { Text(problemText(it), Modifier.padding(16.dp), color = MaterialTheme.colorScheme.error) }
            when (state.empty) {
                EmptyReason.NO_ACCOUNTS -> EmptyVault(onAdd, onGuide)
                EmptyReason.NO_MATCHES -> Text("No account matches “${state.query}”.", Modifier.padding(24.dp))
                null -> LazyColumn(contentPadding = PaddingValues(16.dp, 8.dp, 16.dp, 96.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    items(state.rows, key = { it.id }) { row ->
                        CodeCard(
                            row,
                            onCopy = {
                                model.copy(row.id, services.clock.nowMillis())?.let { req ->
                                    copySensitive(context, req.text, req.clearAfterMillis)
                                    val what = if (req.isNextCode) "Next code copied" else "Code copied"
                                    Toast.makeText(context, what, Toast.LENGTH_SHORT).show()
                                }
                            },
                            onNextHotp = { model.nextHotp(row.id, services.clock.nowMillis()) },
                        )
                    }
                }
            }
        }
        FloatingActionButton(onClick = onAdd, modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp)) {
            Icon(Icons.Filled.Add, contentDescription = "Add account")
        }
    }
}

@Composable
private fun CodeCard(row: CodeRow, onCopy: () -> Unit, onNextHotp: () -> Unit) {
    Card(
        Modifier
            .fillMaxWidth()
            .clickable(onClick = onCopy)
            // One element for TalkBack: who, the code digit by digit, the time left; tap copies.
            .clearAndSetSemantics {
                contentDescription = row.accessibilityLabel
                role = Role.Button
                onClick(label = "copy the code") { onCopy(); true }
            },
    ) {
        Row(Modifier.padding(16.dp), verticalAlignment = Alignment.CenterVertically) {
            Column(Modifier.weight(1f)) {
                Row(verticalAlignment = Alignment.CenterVertically) {
                    if (row.favourite) Icon(Icons.Filled.Star, null, Modifier.size(16.dp), tint = MaterialTheme.colorScheme.secondary)
                    Text(row.title, style = MaterialTheme.typography.titleMedium)
                }
                if (row.subtitle.isNotEmpty()) Text(row.subtitle, style = MaterialTheme.typography.bodySmall)
                val urgent = row.countdown?.urgent == true
                Text(
                    row.grouped.ifEmpty { "––– –––" }, // an HOTP account before its first code
                    fontFamily = FontFamily.Monospace,
                    fontWeight = FontWeight.Medium,
                    fontSize = 32.sp,
                    color = if (urgent) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.primary,
                )
                row.nextGrouped?.let { Text("Next: $it", fontFamily = FontFamily.Monospace, style = MaterialTheme.typography.bodyMedium) }
            }
            val countdown = row.countdown
            if (countdown != null) {
                Box(contentAlignment = Alignment.Center) {
                    CircularProgressIndicator(progress = { countdown.fraction }, modifier = Modifier.size(40.dp))
                    Text("${countdown.secondsLeft}", style = MaterialTheme.typography.labelMedium)
                }
            } else if (row.type == OtpType.HOTP) {
                IconButton(onClick = onNextHotp) { Icon(Icons.Filled.Refresh, contentDescription = "Next code") }
            }
        }
    }
}

@Composable
private fun EmptyVault(onAdd: () -> Unit, onGuide: () -> Unit) {
    Column(Modifier.fillMaxWidth().padding(24.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text("No accounts yet", style = MaterialTheme.typography.titleLarge)
        Text("Scan the QR code a website shows when you turn on two-step verification.")
        TextButton(onClick = onAdd) { Text("Add an account") }
        TextButton(onClick = onGuide) { Text("Using Tessera for Microsoft 365 or NHSmail") }
    }
}

/**
 * Copies a code marked sensitive (Android 13+ hides it from the clipboard preview and keyboard
 * suggestions) and clears it after [clearAfterMillis] if it is still the clipboard's content.
 */
fun copySensitive(context: Context, text: String, clearAfterMillis: Long) {
    val clipboard = context.getSystemService(ClipboardManager::class.java)
    val clip = ClipData.newPlainText("code", text)
    clip.description.extras = PersistableBundle().apply {
        if (Build.VERSION.SDK_INT >= 33) putBoolean(ClipDescription.EXTRA_IS_SENSITIVE, true)
        else putBoolean("android.content.extra.IS_SENSITIVE", true)
    }
    clipboard.setPrimaryClip(clip)
    android.os.Handler(android.os.Looper.getMainLooper()).postDelayed({
        val current = clipboard.primaryClip
        if (current != null && current.itemCount > 0 && current.getItemAt(0).text?.toString() == text) {
            if (Build.VERSION.SDK_INT >= 28) clipboard.clearPrimaryClip() else clipboard.setPrimaryClip(ClipData.newPlainText("", ""))
        }
    }, clearAfterMillis)
}
