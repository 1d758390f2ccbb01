package org.tessera.app

import android.app.Application
import android.app.NotificationChannel
import android.app.NotificationManager
import android.os.Build
import android.os.SystemClock
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import org.tessera.app.core.CoreServices
import org.tessera.app.core.Services
import org.tessera.app.push.PreferencesTokenFlag
import org.tessera.app.push.PushServiceTokens
import org.tessera.app.security.KeystoreKeyProtector
import org.tessera.logic.LockPolicy
import org.tessera.logic.PushTokenSync
import kotlin.concurrent.thread

/**
 * Holds what lives as long as the process: settings, the lock policy and — once unlocked — the
 * core's services. Locking closes the vault (the core zeroizes its key) and drops the services.
 */
class TesseraApplication : Application() {
    lateinit var settings: Settings
        private set
    lateinit var lock: LockPolicy
        private set

    /**
     * Keeps the sign-in servers told of the push-service token: FCM's in the `fcm` build, none in
     * `foss`. Used by enrollments, by the FCM service's `onNewToken`, and once after each unlock.
     */
    lateinit var pushTokens: PushTokenSync
        private set

    /** The open vault's services; `null` while locked. */
    @Volatile
    var services: Services? = null
        private set

    override fun onCreate() {
        super.onCreate()
        settings = Settings(this)
        lock = LockPolicy(settings.biometricLock, settings.autoLock)
        pushTokens = PushTokenSync(PushServiceTokens.source(), PreferencesTokenFlag(this))
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStop(owner: LifecycleOwner) = lock.backgrounded(SystemClock.elapsedRealtime())
            override fun onStart(owner: LifecycleOwner) {
                lock.foregrounded(SystemClock.elapsedRealtime())
                if (lock.mustUnlock()) closeVault()
            }
        })
        if (Build.VERSION.SDK_INT >= 26) {
            val channel = NotificationChannel(
                APPROVAL_CHANNEL, getString(R.string.approval_channel), NotificationManager.IMPORTANCE_HIGH,
            ).apply { description = getString(R.string.approval_channel_description) }
            getSystemService(NotificationManager::class.java).createNotificationChannel(channel)
        }
    }

    /** Opens the vault (after [org.tessera.app.security.BiometricGate] when the lock is on). */
    fun openVault(): Services {
        services?.let { return it }
        val protector = KeystoreKeyProtector(requireAuth = settings.biometricLock)
        return CoreServices.open(this, protector, pushTokens::enrollmentToken).also {
            services = it
            lock.unlocked()
            syncPushToken(it)
        }
    }

    /**
     * Opens the vault with the recovery key the user wrote down, after the Keystore key was lost
     * (screen lock removed or reset). Only once the recovery key has opened the vault is the old
     * Keystore key replaced by a new one, sealed into the vault: a mistyped key changes nothing.
     */
    fun recoverVault(recoveryKey: String): Services {
        closeVault()
        val protector = KeystoreKeyProtector(requireAuth = settings.biometricLock)
        return CoreServices.recover(this, protector.replacingKey(), recoveryKey, pushTokens::enrollmentToken).also {
            services = it
            lock.unlocked()
            syncPushToken(it)
        }
    }

    /**
     * Sends a push-service token change remembered while the vault was locked (or refused by a
     * server), on a background thread so the codes show at once. It waits for FCM and the servers;
     * if the vault is locked again meanwhile, the change stays pending for the next unlock.
     */
    private fun syncPushToken(opened: Services) {
        thread(name = "push-token-sync", isDaemon = true) {
            try {
                pushTokens.afterUnlock(opened.push)
            } catch (_: Exception) {
                // The vault closed under it: the flag is still set, the next unlock retries.
            }
        }
    }

    /** Closes the vault and forgets the services until the next unlock. */
    fun closeVault() {
        services?.close()
        services = null
    }

    companion object {
        /** Notification channel for sign-in requests. */
        const val APPROVAL_CHANNEL = "approvals"
    }
}
