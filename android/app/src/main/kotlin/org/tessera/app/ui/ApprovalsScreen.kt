package org.tessera.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.repeatOnLifecycle
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tessera.app.core.Services
import org.tessera.logic.ApprovalFlowModel
import org.tessera.logic.ApprovalKind
import org.tessera.logic.ApprovalPhase
import org.tessera.logic.ApprovalRecord
import org.tessera.logic.Decision
import org.tessera.logic.DenyReason
import org.tessera.logic.ShownRequest
import java.text.DateFormat
import java.util.Date

/**
 * Sign-in approvals. Polls every [POLL_MILLIS] while visible (a push delivered by FCM is already in
 * the core and shows at the next refresh); ticks the expiry countdown every second. Approve/deny go
 * over the network, off the main thread.
 */
@OptIn(ExperimentalCoroutinesApi::class) // limitedParallelism: stable since coroutines 1.9
@Composable
fun ApprovalsScreen(services: Services) {
    val model = remember(services) { ApprovalFlowModel(services.approvals) }
    val state by model.state.asState()
    val scope = rememberCoroutineScope()
    val lifecycle = LocalLifecycleOwner.current.lifecycle
    // The model is not thread-safe and approve/deny block on the network: every call goes through one
    // background lane, in order. StateHolder updates then land in Compose state from that lane.
    val lane = remember { Dispatchers.IO.limitedParallelism(1) }

    LaunchedEffect(model) {
        lifecycle.repeatOnLifecycle(Lifecycle.State.STARTED) {
            var sincePoll = POLL_MILLIS
            while (true) {
                if (sincePoll >= POLL_MILLIS) {
                    withContext(lane) { model.refresh(services.clock.nowMillis()) }
                    sincePoll = 0
                }
                withContext(lane) { model.tick(services.clock.nowMillis()) }
                delay(1000)
                sincePoll += 1000
            }
        }
    }
    fun send(action: (Long) -> Unit) = scope.launch { withContext(lane) { action(services.clock.nowMillis()) } }

    LazyColumn(Modifier.fillMaxWidth(), contentPadding = androidx.compose.foundation.layout.PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp)) {
        if (state.fatigueWarning) {
            item {
                Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer)) {
                    Text(
                        "You have had several sign-in requests in a few minutes. If you are not signing in " +
                            "right now, someone else may have your password: tap “Not me” and change it.",
                        Modifier.padding(16.dp).semantics { liveRegion = LiveRegionMode.Assertive },
                    )
                }
            }
        }
        item {
            val current = state.current
            when (val phase = state.phase) {
                ApprovalPhase.Idle -> Text("No sign-in requests waiting.", style = MaterialTheme.typography.titleMedium)
                ApprovalPhase.Deciding, ApprovalPhase.WrongAnswer, ApprovalPhase.Sending -> if (current != null) {
                    RequestCard(
                        current,
                        wrongAnswer = phase == ApprovalPhase.WrongAnswer,
                        sending = phase == ApprovalPhase.Sending,
                        onAnswer = { text -> send { now -> model.answer(text, now) } },
                        onApprove = { send(model::approve) },
                        onDeny = { send { now -> model.deny(DenyReason.CANCEL, now) } },
                        onNotMe = { send { now -> model.deny(DenyReason.NOT_ME, now) } },
                    )
                }
                is ApprovalPhase.Approved -> Result("Approved", phase.displayCode?.let { "Type this code on the sign-in page: $it" }) { send(model::dismiss) }
                is ApprovalPhase.Denied -> Result(
                    "Denied",
                    if (phase.reason == DenyReason.NOT_ME) {
                        "Reported as not you. Change your password now and tell your IT service desk " +
                            "(NHSmail: your local administrator)."
                    } else null,
                ) { send(model::dismiss) }
                ApprovalPhase.Expired -> Result("Expired", "Nothing was approved. Start the sign-in again if it was you.") { send(model::dismiss) }
                is ApprovalPhase.Failed -> Result("Not sent", problemText(phase.problem)) { send(model::dismiss) }
            }
        }
        if (state.waiting > 0) item { Text("${state.waiting} more waiting") }
        if (state.history.isNotEmpty()) {
            item { Text("History", style = MaterialTheme.typography.titleMedium) }
            items(state.history, key = { it.id + it.decidedAtSeconds }) { HistoryRow(it) }
        }
    }
}

@Composable
private fun RequestCard(
    shown: ShownRequest,
    wrongAnswer: Boolean,
    sending: Boolean,
    onAnswer: (String) -> Unit,
    onApprove: () -> Unit,
    onDeny: () -> Unit,
    onNotMe: () -> Unit,
) {
    val r = shown.request
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(r.title, style = MaterialTheme.typography.titleLarge)
            Text(r.question)
            shown.context.forEach { Text(it, style = MaterialTheme.typography.bodySmall) }
            val total = (r.expiresAtSeconds - r.receivedAtSeconds).coerceAtLeast(1)
            LinearProgressIndicator(progress = { shown.secondsLeft.toFloat() / total }, modifier = Modifier.fillMaxWidth())
            Text("Expires in ${shown.secondsLeft} s", style = MaterialTheme.typography.labelMedium)
            if (wrongAnswer) Text("That number did not match. Look at the sign-in page and try again.", color = MaterialTheme.colorScheme.error)
            when (r.kind) {
                ApprovalKind.CHOOSE_NUMBER -> {
                    Text("Tap the number shown on the sign-in page")
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        r.options.forEach { option ->
                            val chosen = shown.answer == option
                            if (chosen) Button(onClick = { onAnswer(option) }) { Text(option, fontSize = 24.sp, fontFamily = FontFamily.Monospace) }
                            else OutlinedButton(onClick = { onAnswer(option) }) { Text(option, fontSize = 24.sp, fontFamily = FontFamily.Monospace) }
                        }
                    }
                }
                ApprovalKind.ENTER_NUMBER -> OutlinedTextField(
                    shown.answer, onAnswer, label = { Text("Number shown on the sign-in page") }, singleLine = true,
                    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                )
                ApprovalKind.SIMPLE -> Unit
            }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = onApprove, enabled = shown.canApprove && !sending) { Text("Approve") }
                OutlinedButton(onClick = onDeny, enabled = !sending) { Text("Deny") }
            }
            TextButton(
                onClick = onNotMe, enabled = !sending,
                colors = ButtonDefaults.textButtonColors(contentColor = MaterialTheme.colorScheme.error),
            ) { Text("This wasn't me") }
        }
    }
}

@Composable
private fun Result(title: String, detail: String?, onDone: () -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp).semantics { liveRegion = LiveRegionMode.Polite }, verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.headlineSmall)
            detail?.let { Text(it) }
            Button(onClick = onDone) { Text("OK") }
        }
    }
}

@Composable
private fun HistoryRow(record: ApprovalRecord) {
    val what = when (record.decision) {
        Decision.APPROVED -> "Approved"
        Decision.DENIED_NOT_ME -> "Denied — not me"
        Decision.DENIED_CANCEL -> "Denied"
        Decision.EXPIRED -> "Expired"
        Decision.FAILED -> "Failed"
    }
    val at = DateFormat.getDateTimeInstance(DateFormat.SHORT, DateFormat.SHORT).format(Date(record.decidedAtSeconds * 1000))
    ListItem(
        headlineContent = { Text(record.title) },
        supportingContent = { Text("$what · ${record.service} · $at") },
    )
}

private const val POLL_MILLIS = 10_000L
