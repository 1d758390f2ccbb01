package org.tessera.logic.core

import java.io.File
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.TesseraException
import org.tessera.core.Vault
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException
import org.tessera.logic.RecoveryKeyModel
import org.tessera.logic.RecoveryKeyState

/** New recovery keys and the "not yet saved" marker against the real library. */
class RecoveryKeyTest {
    private fun opensWith(path: String, key: String): Boolean = Vault.open(path).use { v ->
        try {
            v.unlockWithRecoveryKey(key)
            true
        } catch (_: TesseraException.WrongPassword) {
            false
        }
    }

    @Test
    fun aNewKeyUnlocksAndTheOldOneIsRefused() {
        TempDir().use { tmp ->
            val path = tmp.path("v.tessera")
            val created = tmp.vault("v.tessera")
            val first = created.recoveryKey ?: throw AssertionError("a new vault has a recovery key")
            created.use { opened ->
                VaultAccounts(opened.vault).add(listOf(Links.RFC))
                opened.recoveryKeys.confirmSaved()
                assertFalse(RecoveryKeyMarker.isSet(path))
                val second = opened.recoveryKeys.newRecoveryKey()
                assertNotEquals(first, second)
                assertTrue(RecoveryKeyMarker.isSet(path), "unsaved until the user confirms")
                opened.recoveryKeys.confirmSaved()
                assertFalse(RecoveryKeyMarker.isSet(path))
                assertTrue(opensWith(path, second), "the new key opens the vault")
                assertFalse(opensWith(path, first), "the old key stops working")
                // The new key restores access after the platform key is lost, with the accounts.
                VaultFile.recover(path, second.lowercase(), AesKeyWrapper()).use {
                    assertEquals("94287082", VaultAccounts(it.vault).codesAt(59).single().code)
                }
            }
        }
    }

    @Test
    fun theMarkerLivesFromCreationUntilConfirmation() {
        TempDir().use { tmp ->
            val path = tmp.path("v.tessera")
            val wrapper = AesKeyWrapper()
            tmp.vault("v.tessera", wrapper).use { opened ->
                assertTrue(File(path + RecoveryKeyMarker.SUFFIX).exists(), "set at creation, before the key is shown")
                opened.recoveryKeys.confirmSaved()
            }
            assertFalse(RecoveryKeyMarker.isSet(path))
            tmp.vault("v.tessera", wrapper).use { assertNull(it.recoveryKey, "a saved key is not replaced") }
        }
    }

    @Test
    fun aCrashBeforeConfirmationIssuesAFreshKeyAtTheNextStart() {
        TempDir().use { tmp ->
            val path = tmp.path("v.tessera")
            val wrapper = AesKeyWrapper()
            // First run: the key is made (maybe shown), then the app dies before "I wrote it down".
            val first = tmp.vault("v.tessera", wrapper).use { it.recoveryKey } ?: throw AssertionError("created")
            assertTrue(RecoveryKeyMarker.isSet(path))
            // Next start: a fresh key, and the one that was never confirmed stops working.
            val second = tmp.vault("v.tessera", wrapper).use { it.recoveryKey } ?: throw AssertionError("reissued")
            assertNotEquals(first, second)
            assertFalse(opensWith(path, first))
            assertTrue(opensWith(path, second))
            // It dies again while showing the second: a third one, and so on until confirmed.
            val third = tmp.vault("v.tessera", wrapper).use { opened ->
                val key = opened.recoveryKey ?: throw AssertionError("reissued again")
                opened.recoveryKeys.confirmSaved()
                key
            }
            assertNotEquals(second, third)
            assertTrue(opensWith(path, third))
            assertFalse(opensWith(path, second))
            tmp.vault("v.tessera", wrapper).use { assertNull(it.recoveryKey) }
            assertTrue(opensWith(path, third), "a confirmed key is kept")
        }
    }

    @Test
    fun aCrashDuringCreationLeavesTheMarkerForTheNextAttempt() {
        TempDir().use { tmp ->
            val path = tmp.path("v.tessera")
            val refusing = AesKeyWrapper().apply { refuse = true }
            assertEquals(Problem.KEY_UNAVAILABLE, assertThrows(ProblemException::class.java) { tmp.vault("v.tessera", refusing) }.problem)
            assertFalse(RecoveryKeyMarker.isSet(path), "a half-made vault and its marker are removed")
            // A crash after the marker but before the vault: the next start creates the vault as usual.
            RecoveryKeyMarker.set(path)
            refusing.refuse = false
            tmp.vault("v.tessera", refusing).use { opened ->
                val key = opened.recoveryKey ?: throw AssertionError("created")
                assertTrue(RecoveryKeyMarker.isSet(path))
                opened.recoveryKeys.confirmSaved()
                assertTrue(opensWith(path, key))
            }
        }
    }

    @Test
    fun recoveringWithTheKeyClearsTheMarker() {
        TempDir().use { tmp ->
            val path = tmp.path("v.tessera")
            val key = tmp.vault("v.tessera").use { it.recoveryKey } ?: throw AssertionError("created")
            assertTrue(RecoveryKeyMarker.isSet(path))
            val newKey = AesKeyWrapper()
            VaultFile.recover(path, key, newKey).use { assertNull(it.recoveryKey) }
            assertFalse(RecoveryKeyMarker.isSet(path), "the user typed it, so they have it")
            tmp.vault("v.tessera", newKey).use { assertNull(it.recoveryKey) }
            assertTrue(opensWith(path, key))
        }
    }

    @Test
    fun theSettingsActionOverTheRealVault() {
        TempDir().use { tmp ->
            val path = tmp.path("v.tessera")
            tmp.vault("v.tessera").use { opened ->
                val model = RecoveryKeyModel(opened.recoveryKeys)
                model.showIssuedAtStart(opened.recoveryKey)
                val first = (model.state.value as RecoveryKeyState.Showing).key
                model.saved()
                assertFalse(RecoveryKeyMarker.isSet(path))
                model.askForNew()
                assertTrue(opensWith(path, first), "asking alone changes nothing")
                model.confirmNew()
                val second = (model.state.value as RecoveryKeyState.Showing).key
                assertTrue(RecoveryKeyMarker.isSet(path))
                assertFalse(opensWith(path, first))
                assertTrue(opensWith(path, second))
                model.saved()
                assertFalse(RecoveryKeyMarker.isSet(path))
                // A locked vault: the model reports it and the key is unchanged.
                opened.vault.lock()
                model.askForNew()
                model.confirmNew()
                assertEquals(RecoveryKeyState.Failed(Problem.LOCKED), model.state.value)
                assertFalse(RecoveryKeyMarker.isSet(path), "a failed replacement leaves the saved key saved")
                assertTrue(opensWith(path, second))
            }
        }
    }
}
