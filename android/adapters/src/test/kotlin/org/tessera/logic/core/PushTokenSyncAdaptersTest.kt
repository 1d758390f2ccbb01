package org.tessera.logic.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.PushApprovals
import org.tessera.logic.PendingTokenFlag
import org.tessera.logic.PushTokenSync
import org.tessera.logic.TokenSyncResult

/**
 * [PushTokenSync] over the real library: what the app's enrollment and unlock paths send to a
 * (simulated, pushing) privacyIDEA server through [PushApprovalSource] and [PushInboxAdapter].
 */
class PushTokenSyncAdaptersTest {
    private val now = EnrolledVault.NOW

    private class Flag : PendingTokenFlag {
        override var pending = false
    }

    @Test
    fun enrollmentSendsTheTokenAndAFailedUpdateIsRetriedAfterUnlock() {
        val sim = PrivacyIdeaSim(now, pushing = true)
        var fcm: String? = "fcm-token-A"
        val flag = Flag()
        val sync = PushTokenSync({ fcm }, flag)
        TempDir().use { tmp ->
            tmp.vault("v.tessera").vault.use { v ->
                PushApprovals(v, sim, Clock.fixed(now.toULong())).use { push ->
                    assertEquals(sim.serial, PushApprovalSource(push).enroll(sim.enrollUri, sync.enrollmentToken()))
                    assertEquals(listOf("fcm-token-A"), sim.pushServiceTokens, "a pushing server is told where to push")

                    val inbox = PushInboxAdapter(push)
                    sim.refuseTokenUpdates = true
                    fcm = "fcm-token-B"
                    assertEquals(TokenSyncResult.RETRY_LATER, sync.tokenChanged("fcm-token-B", inbox))
                    assertTrue(flag.pending, "the server was not told: kept for the next unlock")
                    assertEquals(listOf("fcm-token-A"), sim.pushServiceTokens)

                    sim.refuseTokenUpdates = false
                    fcm = "fcm-token-C" // FCM rotated again before the user unlocked
                    assertEquals(TokenSyncResult.SENT, sync.afterUnlock(inbox))
                    assertFalse(flag.pending)
                    assertEquals(listOf("fcm-token-A", "fcm-token-C"), sim.pushServiceTokens, "signed update with the current token")
                    assertEquals(TokenSyncResult.NOTHING_TO_DO, sync.afterUnlock(inbox))
                }
            }
        }
    }

    @Test
    fun aPollOnlyServerIsNeverGivenTheToken() {
        val sim = PrivacyIdeaSim(now) // its link says poll_only=True
        val flag = Flag()
        val sync = PushTokenSync({ "fcm-token-D" }, flag)
        TempDir().use { tmp ->
            tmp.vault("v.tessera").vault.use { v ->
                PushApprovals(v, sim, Clock.fixed(now.toULong())).use { push ->
                    PushApprovalSource(push).enroll(sim.enrollUri, sync.enrollmentToken())
                    assertEquals(listOf("no_firebase_token"), sim.pushServiceTokens)
                    assertEquals(TokenSyncResult.SENT, sync.tokenChanged("fcm-token-E", PushInboxAdapter(push)), "skipped, not failed")
                    assertFalse(flag.pending)
                    assertEquals(listOf("no_firebase_token"), sim.pushServiceTokens)
                }
            }
        }
    }
}
