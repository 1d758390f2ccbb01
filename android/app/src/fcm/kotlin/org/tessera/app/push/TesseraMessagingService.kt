package org.tessera.app.push

import android.Manifest
import android.app.PendingIntent
import android.content.Intent
import android.content.pm.PackageManager
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import com.google.firebase.messaging.FirebaseMessagingService
import com.google.firebase.messaging.RemoteMessage
import org.tessera.app.MainActivity
import org.tessera.app.R
import org.tessera.app.TesseraApplication
import org.tessera.logic.ProblemException

/**
 * Hands FCM data messages to the core, which verifies the server's signature, drops duplicates and
 * stores the request; then shows a notification that opens the approvals screen. The notification
 * says only that a request is waiting: its details are shown inside the (locked) app.
 *
 * When the vault is locked the payload cannot be stored; the request is then picked up by polling
 * once the user opens the app (privacyIDEA keeps it for its lifetime).
 *
 * [onNewToken] hands a new FCM token to the core through [org.tessera.logic.PushTokenSync], which
 * tells the server of every token not enrolled poll-only (a signed privacyIDEA `new_fb_token`
 * update). When the vault is locked, or a server could not be reached, the change is remembered
 * (not the token) and the app asks FirebaseMessaging for the current token and retries after the
 * next unlock.
 */
class TesseraMessagingService : FirebaseMessagingService() {
    override fun onMessageReceived(message: RemoteMessage) {
        val app = application as TesseraApplication
        val services = app.services
        val stored = try {
            services?.push?.deliver(message.data)
        } catch (_: ProblemException) {
            null
        }
        if (services != null && stored == null) return // verified and dropped (duplicate, forged, expired)
        notifyRequest()
    }

    override fun onNewToken(token: String) {
        // Called on a background thread. Never logged: with the server's key a token lets anyone
        // push to this phone. PushTokenSync sends it now when the vault is open; otherwise (or when
        // a server was not told) it remembers the change, not the token, and the next unlock
        // (TesseraApplication) sends FirebaseMessaging's current token.
        val app = application as TesseraApplication
        try {
            app.pushTokens.tokenChanged(token, app.services?.push)
        } catch (_: Exception) {
            // The vault closed under it: the change is already remembered for the next unlock.
        }
    }

    private fun notifyRequest() {
        if (ContextCompat.checkSelfPermission(this, Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED &&
            android.os.Build.VERSION.SDK_INT >= 33
        ) return
        val open = PendingIntent.getActivity(
            this, 0,
            Intent(this, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val notification = NotificationCompat.Builder(this, TesseraApplication.APPROVAL_CHANNEL)
            .setSmallIcon(R.drawable.ic_launcher)
            .setContentTitle("Sign-in request")
            .setContentText("Open Tessera to approve or deny it.")
            .setPriority(NotificationCompat.PRIORITY_HIGH)
            .setCategory(NotificationCompat.CATEGORY_CALL)
            .setVisibility(NotificationCompat.VISIBILITY_PRIVATE)
            .setAutoCancel(true)
            .setContentIntent(open)
            .build()
        NotificationManagerCompat.from(this).notify(NOTIFICATION_ID, notification)
    }

    private companion object {
        const val NOTIFICATION_ID = 7
    }
}
