package org.tessera.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class RecoveryKeyModelTest {
    /** Keys like the core's (eight groups of four), a "not yet saved" marker, and a switch to fail. */
    private class FakeKeys : RecoveryKeys {
        var issued = 0
        var marker = false
        var confirms = 0
        var fail: Problem? = null

        override fun newRecoveryKey(): String {
            fail?.let { throw ProblemException(it) }
            issued++
            marker = true
            return (1..8).joinToString("-") { "K${issued}G$it".padEnd(4, 'X').take(4) }
        }

        override fun confirmSaved() {
            confirms++
            marker = false
        }
    }

    @Test
    fun newKeyNeedsConfirmationThenShowsOnceUntilSaved() {
        val keys = FakeKeys()
        val m = RecoveryKeyModel(keys)
        val seen = mutableListOf<RecoveryKeyState>()
        m.state.subscribe { seen += it }
        assertEquals(RecoveryKeyState.Hidden, m.state.value)

        m.askForNew()
        assertEquals(RecoveryKeyState.Confirming, m.state.value)
        assertEquals(0, keys.issued, "asking does not replace the key yet")
        m.cancel()
        assertEquals(RecoveryKeyState.Hidden, m.state.value)
        assertEquals(0, keys.issued, "cancelled: the old key still works")

        m.askForNew()
        m.confirmNew()
        val shown = m.state.value as RecoveryKeyState.Showing
        assertEquals(1, keys.issued)
        assertFalse(shown.firstRun)
        assertEquals("K1G1-K1G2-K1G3-K1G4-K1G5-K1G6-K1G7-K1G8", shown.key)
        assertEquals(listOf("K1G1 K1G2 K1G3 K1G4", "K1G5 K1G6 K1G7 K1G8"), shown.lines)
        assertTrue(shown.spoken.startsWith("K 1 G 1, K 1 G 2"), shown.spoken)
        assertFalse(shown.toString().contains("K1G1"), "the key never reaches toString (logs)")
        assertTrue(keys.marker)

        // A shown key cannot be dismissed or replaced by accident: only "saved" closes it.
        m.cancel()
        m.askForNew()
        m.confirmNew()
        assertEquals(shown, m.state.value)
        assertEquals(1, keys.issued)

        m.saved()
        assertEquals(RecoveryKeyState.Hidden, m.state.value)
        assertFalse(keys.marker)
        assertEquals(1, keys.confirms)
        m.saved()
        assertEquals(1, keys.confirms, "nothing to confirm when nothing is shown")
        assertEquals(listOf(RecoveryKeyState.Hidden, RecoveryKeyState.Confirming, RecoveryKeyState.Hidden,
            RecoveryKeyState.Confirming, shown, RecoveryKeyState.Hidden), seen)
    }

    @Test
    fun confirmWithoutAskingDoesNothing() {
        val keys = FakeKeys()
        val m = RecoveryKeyModel(keys)
        m.confirmNew()
        assertEquals(RecoveryKeyState.Hidden, m.state.value)
        assertEquals(0, keys.issued)
    }

    @Test
    fun aFailureKeepsTheOldKeyAndCanBeClosed() {
        val keys = FakeKeys().apply { fail = Problem.LOCKED }
        val m = RecoveryKeyModel(keys)
        m.askForNew()
        m.confirmNew()
        assertEquals(RecoveryKeyState.Failed(Problem.LOCKED), m.state.value)
        assertFalse(keys.marker)
        m.cancel()
        assertEquals(RecoveryKeyState.Hidden, m.state.value)
        keys.fail = null
        m.askForNew()
        m.confirmNew()
        assertTrue(m.state.value is RecoveryKeyState.Showing)
    }

    @Test
    fun aKeyIssuedAtStartIsShownAsFirstRun() {
        val keys = FakeKeys()
        val m = RecoveryKeyModel(keys)
        m.showIssuedAtStart(null)
        assertEquals(RecoveryKeyState.Hidden, m.state.value)
        m.showIssuedAtStart("ABCD-EFGH")
        assertEquals(RecoveryKeyState.Showing("ABCD-EFGH", firstRun = true), m.state.value)
        m.saved()
        assertEquals(1, keys.confirms)
        assertEquals(RecoveryKeyState.Hidden, m.state.value)
    }
}
