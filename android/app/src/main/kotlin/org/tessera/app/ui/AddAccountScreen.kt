package org.tessera.app.ui

import android.Manifest
import android.content.ClipboardManager
import android.content.pm.PackageManager
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Tab
import androidx.compose.material3.TabRow
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tessera.app.core.Services
import org.tessera.logic.AddAccountModel
import org.tessera.logic.AddState
import org.tessera.logic.ManualEntry
import org.tessera.logic.OtpType
import org.tessera.logic.ProblemException
import java.util.concurrent.Executors

/**
 * Add an account: scan with the camera, paste or type a link (or the secret key a page shows under
 * "Can't scan?"), or pick a screenshot of a QR code. What was found is shown before it is saved.
 * Other apps' export files go to the Backup screen's import. A privacyIDEA push enrollment code (otpauth://pipush/…)
 * enrolls a push token for sign-in approvals instead.
 */
@Composable
fun AddAccountScreen(
    services: Services,
    incomingLink: String?,
    onLinkConsumed: () -> Unit,
    onDone: () -> Unit,
    onImportFile: () -> Unit,
) {
    val model = remember(services) { AddAccountModel(services.parser) }
    val state by model.state.asState()
    var tab by remember { mutableIntStateOf(0) }
    var error by remember { mutableStateOf<String?>(null) }
    val context = LocalContext.current
    val scope = rememberCoroutineScope()

    // privacyIDEA's push enrollment QR codes (otpauth://pipush/…) enroll a push token instead of
    // adding a code account: the core generates the device key and registers it with the server.
    fun enrollOr(text: String, otherwise: (String) -> Unit) {
        if (!text.trim().startsWith("otpauth://pipush/", ignoreCase = true)) return otherwise(text)
        scope.launch {
            error = try {
                withContext(Dispatchers.IO) { services.enrollPush(text.trim()) }
                onDone()
                null
            } catch (e: ProblemException) {
                problemText(e.problem)
            }
        }
    }

    LaunchedEffect(incomingLink) {
        if (incomingLink != null) {
            enrollOr(incomingLink) { model.submitText(it) }
            onLinkConsumed()
        }
    }
    val pickImage = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri == null) return@rememberLauncherForActivityResult
        scope.launch {
            val payload = withContext(Dispatchers.Default) { QrDecoder.decode(context.contentResolver, uri) }
            if (payload == null) error = "No QR code found in that image." else enrollOr(payload) { model.submitText(it) }
        }
    }

    Column(Modifier.verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        when (val s = state) {
            is AddState.Found -> {
                Text("Add ${s.accounts.size} account${if (s.accounts.size == 1) "" else "s"}?", style = MaterialTheme.typography.titleLarge)
                s.accounts.forEach { a ->
                    Card(Modifier.fillMaxWidth()) {
                        Column(Modifier.padding(12.dp)) {
                            Text(a.issuer.ifBlank { a.accountName }, style = MaterialTheme.typography.titleMedium)
                            if (a.issuer.isNotBlank()) Text(a.accountName)
                            val kind = when (a.type) {
                                OtpType.TOTP -> "${a.digits} digits, every ${a.periodSeconds} s"
                                OtpType.HOTP -> "${a.digits} digits, counter-based"
                                OtpType.STEAM -> "Steam Guard"
                            }
                            Text("$kind · ${a.algorithm}", style = MaterialTheme.typography.bodySmall)
                        }
                    }
                }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = {
                        scope.launch {
                            try {
                                withContext(Dispatchers.IO) { services.accounts.add(s.links) }
                                model.reset()
                                onDone()
                            } catch (e: ProblemException) {
                                error = problemText(e.problem)
                            }
                        }
                    }) { Text("Save") }
                    OutlinedButton(onClick = model::reset) { Text("Cancel") }
                }
            }
            else -> {
                TabRow(selectedTabIndex = tab) {
                    listOf("Scan", "Paste or type", "From image").forEachIndexed { i, label ->
                        Tab(selected = tab == i, onClick = { tab = i }, text = { Text(label) })
                    }
                }
                if (s is AddState.Invalid) {
                    Text("Line ${s.lines.joinToString(", ")}: ${problemText(s.problem)}", color = MaterialTheme.colorScheme.error)
                }
                error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                when (tab) {
                    0 -> CameraScanner(onPayload = { enrollOr(it, model::scanned) })
                    1 -> PasteOrType(onLinks = { enrollOr(it) { t -> model.submitText(t) } }, clipboard = {
                        context.getSystemService(ClipboardManager::class.java).primaryClip?.getItemAt(0)?.text?.toString().orEmpty()
                    })
                    else -> Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        Text("Pick a screenshot or photo of the QR code.")
                        Button(onClick = {
                            pickImage.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly))
                        }) { Text("Choose image") }
                        Text("Moving from another app (Google Authenticator, Aegis, 2FAS, …)?")
                        OutlinedButton(onClick = onImportFile) { Text("Import an export file") }
                    }
                }
            }
        }
    }
}

@Composable
private fun PasteOrType(onLinks: (String) -> Unit, clipboard: () -> String) {
    var text by remember { mutableStateOf("") }
    var issuer by remember { mutableStateOf("") }
    var account by remember { mutableStateOf("") }
    var secret by remember { mutableStateOf("") }
    OutlinedTextField(text, { text = it }, Modifier.fillMaxWidth(), label = { Text("otpauth:// link") }, minLines = 2)
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(onClick = { text = clipboard() }) { Text("Paste") }
        Button(onClick = { onLinks(text) }, enabled = text.isNotBlank()) { Text("Continue") }
    }
    Text("Or type what the website shows under “Can't scan the QR code?”", style = MaterialTheme.typography.titleSmall)
    OutlinedTextField(issuer, { issuer = it }, Modifier.fillMaxWidth(), label = { Text("Service (e.g. Microsoft)") }, singleLine = true)
    OutlinedTextField(account, { account = it }, Modifier.fillMaxWidth(), label = { Text("Account name") }, singleLine = true)
    OutlinedTextField(
        secret, { secret = it }, Modifier.fillMaxWidth(), label = { Text("Secret key") }, singleLine = true,
        keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.Characters, keyboardType = KeyboardType.Password, autoCorrectEnabled = false),
    )
    Button(onClick = { onLinks(ManualEntry.toUri(issuer, account, secret)) }, enabled = account.isNotBlank() && secret.isNotBlank()) {
        Text("Continue")
    }
}

@Composable
private fun CameraScanner(onPayload: (String) -> Unit) {
    val context = LocalContext.current
    val lifecycleOwner = LocalLifecycleOwner.current
    var granted by remember {
        mutableStateOf(ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED)
    }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted = it }
    if (!granted) {
        Text("Tessera needs the camera to scan QR codes. Nothing is recorded or sent anywhere.")
        Button(onClick = { ask.launch(Manifest.permission.CAMERA) }) { Text("Allow camera") }
        return
    }
    val executor = remember { Executors.newSingleThreadExecutor() }
    DisposableEffect(Unit) { onDispose { executor.shutdown() } }
    AndroidView(
        modifier = Modifier.fillMaxWidth().aspectRatio(1f),
        factory = { ctx ->
            val view = PreviewView(ctx)
            val providerFuture = ProcessCameraProvider.getInstance(ctx)
            providerFuture.addListener({
                val provider = providerFuture.get()
                val preview = Preview.Builder().build().also { it.setSurfaceProvider(view.surfaceProvider) }
                val analysis = ImageAnalysis.Builder()
                    .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                    .build()
                    .also { a ->
                        a.setAnalyzer(executor, QrDecoder.Analyzer { payload ->
                            ContextCompat.getMainExecutor(ctx).execute { onPayload(payload) }
                        })
                    }
                provider.unbindAll()
                provider.bindToLifecycle(lifecycleOwner, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
            }, ContextCompat.getMainExecutor(ctx))
            view
        },
    )
    Text("Point the camera at the QR code.", style = MaterialTheme.typography.bodyMedium)
}
