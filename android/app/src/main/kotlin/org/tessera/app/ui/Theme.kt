package org.tessera.app.ui

import android.os.Build
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.dynamicDarkColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.State
import androidx.compose.runtime.remember
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext
import org.tessera.logic.StateHolder

private val Blue = Color(0xFF0B5CAD)
private val Green = Color(0xFF1B7F5A)

/** Material 3 with the phone's dynamic colours where available (Android 12+). */
@Composable
fun TesseraTheme(content: @Composable () -> Unit) {
    val dark = isSystemInDarkTheme()
    val context = LocalContext.current
    val colors = when {
        Build.VERSION.SDK_INT >= 31 -> if (dark) dynamicDarkColorScheme(context) else dynamicLightColorScheme(context)
        dark -> darkColorScheme(primary = Color(0xFF9CC7FF), secondary = Color(0xFF7FD1AE))
        else -> lightColorScheme(primary = Blue, secondary = Green)
    }
    MaterialTheme(colorScheme = colors, content = content)
}

/** A logic-module [StateHolder] as Compose state, subscribed while in composition. */
@Composable
fun <T> StateHolder<T>.asState(): State<T> {
    val state = remember(this) { mutableStateOf(value) }
    DisposableEffect(this) {
        val subscription = subscribe { state.value = it }
        onDispose { subscription.close() }
    }
    return state
}
