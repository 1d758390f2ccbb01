package org.tessera.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Lock
import androidx.compose.material.icons.filled.Notifications
import androidx.compose.material.icons.filled.Pin
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material3.Button
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tessera.app.MainActivity
import org.tessera.app.R
import org.tessera.app.TesseraApplication
import org.tessera.app.core.Services
import org.tessera.app.security.BiometricGate
import org.tessera.app.security.UnlockResult
import org.tessera.logic.ProblemException

/** Routes of the app. */
object Routes {
    const val CODES = "codes"
    const val ADD = "add"
    const val APPROVALS = "approvals"
    const val BACKUP = "backup"
    const val SETTINGS = "settings"
    const val GUIDE = "guide"
}

/** The lock screen until the vault is open, then the app's navigation. */
@Composable
fun TesseraRoot(
    app: TesseraApplication,
    activity: MainActivity,
    incomingLink: String?,
    onLinkConsumed: () -> Unit,
    onScreenshotPolicyChanged: () -> Unit,
) {
    var services by remember { mutableStateOf(app.services) }
    var message by remember { mutableStateOf<String?>(null) }
    // The Keystore key refused: offer the recovery key shown when the vault was created.
    var keyLost by remember { mutableStateOf(false) }
    val scope = rememberCoroutineScope()
    val title = stringResource(R.string.unlock_title)
    val subtitle = stringResource(R.string.unlock_subtitle)

    fun unlock() {
        scope.launch {
            if (app.settings.biometricLock) {
                when (BiometricGate.unlock(activity, title, subtitle)) {
                    UnlockResult.UNLOCKED -> Unit
                    UnlockResult.CANCELLED -> return@launch
                    UnlockResult.NOT_AVAILABLE -> {
                        message = "Set a screen lock on this phone to protect your codes, or turn the lock off in Settings."
                        return@launch
                    }
                }
            }
            try {
                services = withContext(Dispatchers.IO) { app.openVault() }
                message = null
            } catch (e: ProblemException) {
                message = problemText(e.problem)
                keyLost = e.problem == org.tessera.logic.Problem.KEY_UNAVAILABLE
            }
        }
    }

    fun recover(recoveryKey: String) {
        scope.launch {
            // A new Keystore key is usable only shortly after the user authenticated.
            if (app.settings.biometricLock && BiometricGate.unlock(activity, title, subtitle) != UnlockResult.UNLOCKED) return@launch
            try {
                services = withContext(Dispatchers.IO) { app.recoverVault(recoveryKey) }
                message = null
                keyLost = false
            } catch (e: ProblemException) {
                message = if (e.problem == org.tessera.logic.Problem.WRONG_PASSWORD) {
                    "That recovery key does not open this vault. Check it and try again."
                } else {
                    problemText(e.problem)
                }
            }
        }
    }

    LaunchedEffect(Unit) { if (services == null) unlock() }

    val open = services
    if (open == null || app.lock.mustUnlock()) {
        LockScreen(message, onUnlock = ::unlock, onRecover = if (keyLost) ::recover else null)
    } else {
        AppNavigation(app, open, incomingLink, onLinkConsumed, onScreenshotPolicyChanged)
        RecoveryKeyDialog(open)
    }
}

@Composable
private fun LockScreen(message: String?, onUnlock: () -> Unit, onRecover: ((String) -> Unit)?) {
    Column(
        Modifier.fillMaxSize().padding(32.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        Icon(Icons.Filled.Lock, contentDescription = null)
        Text("Tessera is locked", style = MaterialTheme.typography.headlineSmall)
        message?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
        Button(onClick = onUnlock) { Text("Unlock") }
        if (onRecover != null) {
            var typed by remember { mutableStateOf("") }
            Text("Or open it with the recovery key you wrote down when you set Tessera up:", style = MaterialTheme.typography.bodyMedium)
            androidx.compose.material3.OutlinedTextField(
                value = typed,
                onValueChange = { typed = it },
                label = { Text("Recovery key") },
                singleLine = true,
                keyboardOptions = androidx.compose.foundation.text.KeyboardOptions(
                    capitalization = androidx.compose.ui.text.input.KeyboardCapitalization.Characters,
                    autoCorrectEnabled = false,
                ),
            )
            androidx.compose.material3.OutlinedButton(onClick = { onRecover(typed) }, enabled = typed.isNotBlank()) {
                Text("Open with recovery key")
            }
        }
    }
}

@Composable
private fun AppNavigation(
    app: TesseraApplication,
    services: Services,
    incomingLink: String?,
    onLinkConsumed: () -> Unit,
    onScreenshotPolicyChanged: () -> Unit,
) {
    val nav = rememberNavController()
    val current by nav.currentBackStackEntryAsState()
    LaunchedEffect(incomingLink) { if (incomingLink != null) nav.navigate(Routes.ADD) }
    Scaffold(
        bottomBar = {
            NavigationBar {
                listOf(
                    Triple(Routes.CODES, "Codes", Icons.Filled.Pin),
                    Triple(Routes.APPROVALS, "Approvals", Icons.Filled.Notifications),
                    Triple(Routes.SETTINGS, "Settings", Icons.Filled.Settings),
                ).forEach { (route, label, icon) ->
                    NavigationBarItem(
                        selected = current?.destination?.route == route,
                        onClick = { nav.navigate(route) { launchSingleTop = true; popUpTo(Routes.CODES) } },
                        icon = { Icon(icon, contentDescription = null) },
                        label = { Text(label) },
                    )
                }
            }
        },
    ) { padding ->
        NavHost(nav, startDestination = Routes.CODES, modifier = Modifier.padding(padding)) {
            composable(Routes.CODES) {
                CodesScreen(services, app.settings, onAdd = { nav.navigate(Routes.ADD) }, onGuide = { nav.navigate(Routes.GUIDE) })
            }
            composable(Routes.ADD) {
                AddAccountScreen(services, incomingLink, onLinkConsumed, onDone = { nav.popBackStack() },
                    onImportFile = { nav.navigate(Routes.BACKUP) })
            }
            composable(Routes.APPROVALS) { ApprovalsScreen(services) }
            composable(Routes.BACKUP) { BackupScreen(services) }
            composable(Routes.SETTINGS) {
                SettingsScreen(app, services, onScreenshotPolicyChanged,
                    onBackup = { nav.navigate(Routes.BACKUP) }, onGuide = { nav.navigate(Routes.GUIDE) })
            }
            composable(Routes.GUIDE) { GuideScreen(onScan = { nav.navigate(Routes.ADD) }) }
        }
    }
}

/** Words for a problem category, for snackbars and dialogs. */
fun problemText(problem: org.tessera.logic.Problem): String = when (problem) {
    org.tessera.logic.Problem.INVALID_URI -> "That is not an authenticator QR code or link."
    org.tessera.logic.Problem.WRONG_PASSWORD -> "Wrong password."
    org.tessera.logic.Problem.LOCKED -> "Tessera is locked."
    org.tessera.logic.Problem.NOT_FOUND -> "It is not there any more."
    org.tessera.logic.Problem.CORRUPTED -> "The file is damaged or in a format Tessera does not read."
    org.tessera.logic.Problem.NETWORK -> "The server could not be reached. Check the connection and try again."
    org.tessera.logic.Problem.EXPIRED -> "The request expired. Start the sign-in again."
    org.tessera.logic.Problem.ALREADY_ANSWERED -> "This request was already answered."
    org.tessera.logic.Problem.KEY_UNAVAILABLE ->
        "This phone's key store refused to unlock the vault (was the screen lock removed?). Use your recovery key, or restore from a backup."
    org.tessera.logic.Problem.UNAVAILABLE -> "This version of Tessera cannot do that yet."
    org.tessera.logic.Problem.UNKNOWN -> "Something went wrong. Try again."
}
