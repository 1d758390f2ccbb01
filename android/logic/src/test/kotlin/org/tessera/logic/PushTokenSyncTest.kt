package org.tessera.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class PushTokenSyncTest {
    /** FCM's token as the app would fetch it; counts the fetches. */
    private class Tokens(var token: String?, var broken: Boolean = false) : PushServiceTokenSource {
        var fetches = 0
        override fun currentToken(): String? {
            fetches++
            if (broken) throw IllegalStateException("play services unavailable")
            return token
        }
    }

    /** The persisted flag; remembers every value written (to check nothing but a boolean is kept). */
    private class Flag(initial: Boolean = false) : PendingTokenFlag {
        val writes = mutableListOf<Boolean>()
        override var pending: Boolean = initial
            set(value) {
                writes += value
                field = value
            }
    }

    /** Servers: [failing] serials are not told; [problem] makes the whole call throw. */
    private class Inbox(var failing: List<String> = emptyList(), var problem: Problem? = null) : PushInbox {
        val told = mutableListOf<String>()
        override fun deliver(data: Map<String, String>): String? = null
        override fun pushServiceTokenChanged(token: String): PushTokenRegistration {
            problem?.let { throw ProblemException(it) }
            told += token
            return PushTokenRegistration(updated = 2 - failing.size, skippedPollOnly = 1, failed = failing)
        }
    }

    @Test
    fun enrollmentGetsTheCurrentTokenOrNone() {
        assertEquals("fcm-token-1", PushTokenSync(Tokens(" fcm-token-1\n"), Flag()).enrollmentToken())
        assertNull(PushTokenSync(Tokens(null), Flag()).enrollmentToken(), "foss: no push service")
        assertNull(PushTokenSync(Tokens("   "), Flag()).enrollmentToken())
        assertNull(PushTokenSync(Tokens("x", broken = true), Flag()).enrollmentToken(), "a failing source means polling, not a crash")
    }

    @Test
    fun newTokenWhileUnlockedIsSentAtOnce() {
        val flag = Flag()
        val inbox = Inbox()
        val tokens = Tokens("unused")
        val sync = PushTokenSync(tokens, flag)
        assertEquals(TokenSyncResult.SENT, sync.tokenChanged("fcm-token-2", inbox))
        assertEquals(listOf("fcm-token-2"), inbox.told)
        assertFalse(flag.pending)
        assertEquals(listOf(true, false), flag.writes, "remembered before sending, so a killed process retries")
        assertEquals(0, tokens.fetches, "the token FCM handed over is used as is")
        assertEquals(TokenSyncResult.NOTHING_TO_DO, sync.afterUnlock(inbox))
        assertEquals(0, tokens.fetches, "nothing pending: FCM is not asked")
    }

    @Test
    fun newTokenWhileLockedIsSentAfterUnlockWithTheCurrentToken() {
        val flag = Flag()
        val tokens = Tokens("fcm-token-3")
        val sync = PushTokenSync(tokens, flag)
        assertEquals(TokenSyncResult.RETRY_LATER, sync.tokenChanged("fcm-token-old", null))
        assertTrue(flag.pending)
        val inbox = Inbox()
        assertEquals(TokenSyncResult.SENT, sync.afterUnlock(inbox))
        assertEquals(listOf("fcm-token-3"), inbox.told, "the token current at unlock, not a stored one")
        assertFalse(flag.pending)
    }

    @Test
    fun aFailingServerKeepsTheChangeForTheNextUnlock() {
        val flag = Flag()
        val inbox = Inbox(failing = listOf("PIPU0001"))
        val sync = PushTokenSync(Tokens("fcm-token-4"), flag)
        assertEquals(TokenSyncResult.RETRY_LATER, sync.tokenChanged("fcm-token-4", inbox))
        assertTrue(flag.pending)
        assertEquals(TokenSyncResult.RETRY_LATER, sync.afterUnlock(inbox), "still failing")
        assertTrue(flag.pending)
        inbox.failing = emptyList()
        assertEquals(TokenSyncResult.SENT, sync.afterUnlock(inbox))
        assertFalse(flag.pending)
        assertEquals(listOf("fcm-token-4", "fcm-token-4", "fcm-token-4"), inbox.told)
    }

    @Test
    fun problemsAndMissingTokensKeepTheFlag() {
        val flag = Flag(initial = true)
        val tokens = Tokens(null)
        val inbox = Inbox()
        val sync = PushTokenSync(tokens, flag)
        assertEquals(TokenSyncResult.RETRY_LATER, sync.afterUnlock(inbox), "FCM has no token now")
        tokens.token = "fcm-token-5"; tokens.broken = true
        assertEquals(TokenSyncResult.RETRY_LATER, sync.afterUnlock(inbox), "fetching failed")
        assertTrue(inbox.told.isEmpty())
        tokens.broken = false
        inbox.problem = Problem.LOCKED
        assertEquals(TokenSyncResult.RETRY_LATER, sync.afterUnlock(inbox), "locked while sending")
        assertEquals(TokenSyncResult.RETRY_LATER, sync.tokenChanged("  ", Inbox()), "an empty token is not sent")
        assertTrue(flag.pending)
        inbox.problem = null
        assertEquals(TokenSyncResult.SENT, sync.afterUnlock(inbox))
        assertFalse(flag.pending)
    }

    @Test
    fun anInboxThatCannotRegisterTokensCountsAsDone() {
        // The default PushInbox (no push tokens enrolled anywhere) tells no one and fails no one.
        val flag = Flag(initial = true)
        val sync = PushTokenSync(Tokens("fcm-token-6"), flag)
        assertEquals(TokenSyncResult.SENT, sync.afterUnlock(PushInbox { null }))
        assertFalse(flag.pending)
    }
}
