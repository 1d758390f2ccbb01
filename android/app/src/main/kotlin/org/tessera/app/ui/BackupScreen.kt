package org.tessera.app.ui

import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tessera.app.core.Services
import org.tessera.logic.ImportReportPresenter
import org.tessera.logic.ImportReportView
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException

/** Largest file Tessera reads for import or verification (exports are kilobytes). */
private const val MAX_FILE_BYTES = 16 * 1024 * 1024

/**
 * Encrypted backup (export), import from a backup or another app's export, and verify-backup (opens
 * a backup with the password without importing it, so people find out *before* they need it).
 */
@Composable
fun BackupScreen(services: Services) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    var password by remember { mutableStateOf("") }
    var confirm by remember { mutableStateOf("") }
    var filePassword by remember { mutableStateOf("") }
    var status by remember { mutableStateOf<String?>(null) }
    var report by remember { mutableStateOf<ImportReportView?>(null) }

    fun readAll(uri: Uri): ByteArray? = context.contentResolver.openInputStream(uri)?.use { input ->
        val out = java.io.ByteArrayOutputStream()
        val buf = ByteArray(64 * 1024)
        while (true) {
            val n = input.read(buf)
            if (n < 0) break
            if (out.size() + n > MAX_FILE_BYTES) throw ProblemException(Problem.CORRUPTED)
            out.write(buf, 0, n)
        }
        out.toByteArray()
    }

    fun run(block: suspend () -> String) = scope.launch {
        status = try {
            block()
        } catch (e: ProblemException) {
            problemText(e.problem)
        } catch (e: java.io.IOException) {
            "The file could not be read or written."
        }
    }

    val exportTo = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("application/octet-stream")) { uri ->
        if (uri != null) run {
            val bytes = withContext(Dispatchers.IO) { services.backup.export(password) }
            withContext(Dispatchers.IO) { context.contentResolver.openOutputStream(uri)?.use { it.write(bytes) } }
            password = ""; confirm = ""
            "Backup saved. Check it below with “Verify a backup”, and keep the password somewhere safe."
        }
    }
    val importFrom = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        if (uri != null) run {
            val bytes = withContext(Dispatchers.IO) { readAll(uri) } ?: throw ProblemException(Problem.NOT_FOUND)
            val name = uri.lastPathSegment
            val result = withContext(Dispatchers.IO) { services.backup.import(bytes, name, filePassword.ifEmpty { null }) }
            report = ImportReportPresenter.present(result)
            report!!.headline
        }
    }
    val verifyFrom = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        if (uri != null) run {
            val bytes = withContext(Dispatchers.IO) { readAll(uri) } ?: throw ProblemException(Problem.NOT_FOUND)
            withContext(Dispatchers.IO) { services.backup.verify(bytes, filePassword) }.message()
        }
    }

    Column(Modifier.verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text("Back up", style = MaterialTheme.typography.titleLarge)
        Text("A backup is encrypted with a password you choose. Without the password nobody — including you — can open it.")
        PasswordField(password, { password = it }, "Backup password")
        PasswordField(confirm, { confirm = it }, "Repeat the password")
        Button(
            onClick = { exportTo.launch("tessera-backup.tessera") },
            enabled = password.length >= 8 && password == confirm,
        ) { Text("Save backup…") }
        if (password.isNotEmpty() && password.length < 8) Text("Use at least 8 characters.", style = MaterialTheme.typography.bodySmall)

        HorizontalDivider()
        Text("Import or verify", style = MaterialTheme.typography.titleLarge)
        Text("Import a Tessera backup or an export from Google Authenticator, Aegis, 2FAS and others. " +
            "Verify opens a backup with its password without changing anything.")
        PasswordField(filePassword, { filePassword = it }, "File password (if it has one)")
        OutlinedButton(onClick = { importFrom.launch(arrayOf("*/*")) }) { Text("Import a file…") }
        OutlinedButton(onClick = { verifyFrom.launch(arrayOf("*/*")) }, enabled = filePassword.isNotEmpty()) { Text("Verify a backup…") }

        status?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
        report?.let { r ->
            r.sections.forEach { section ->
                Text(section.heading, style = MaterialTheme.typography.titleMedium)
                section.lines.forEach { Text("• $it", Modifier.fillMaxWidth()) }
            }
        }
    }
}

@Composable
private fun PasswordField(value: String, onChange: (String) -> Unit, label: String) {
    OutlinedTextField(
        value, onChange, Modifier.fillMaxWidth(), label = { Text(label) }, singleLine = true,
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password, autoCorrectEnabled = false),
    )
}
