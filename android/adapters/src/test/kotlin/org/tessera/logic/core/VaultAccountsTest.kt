package org.tessera.logic.core

import java.io.File
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Vault
import org.tessera.core.encodeMigration
import org.tessera.logic.OtpType
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException

/** The vault file, the KeyWrapper bridge and [VaultAccounts] against the real library. */
class VaultAccountsTest {
    @Test
    fun firstRunCreatesAVaultWithARecoveryKeyThenReopensWithThePlatformKey() {
        TempDir().use { tmp ->
            val wrapper = AesKeyWrapper()
            val created = tmp.vault("v.tessera", wrapper)
            val recovery = created.recoveryKey ?: throw AssertionError("a new vault has a recovery key")
            assertTrue(recovery.count { it.isLetterOrDigit() } >= 20, "a recovery key worth writing down")
            assertEquals(1, wrapper.calls, "the vault key was sealed once")
            created.vault.use { v ->
                val accounts = VaultAccounts(v)
                assertEquals(2, accounts.add(listOf(Links.RFC, Links.NHS)))
                val rfc = accounts.codesAt(59).first { it.issuer == "RFC" }
                accounts.setFavourite(rfc.id, true)
            }
            created.recoveryKeys.confirmSaved() // the user wrote it down
            val again = tmp.vault("v.tessera", wrapper)
            assertNull(again.recoveryKey, "shown once, at creation only")
            again.vault.use { v ->
                val rows = VaultAccounts(v).codesAt(59)
                assertEquals(setOf("RFC", "NHSmail"), rows.map { it.issuer }.toSet())
                assertTrue(rows.first { it.issuer == "RFC" }.favourite, "favourites are kept in the vault")
                assertEquals("94287082", rows.first { it.issuer == "RFC" }.code)
            }
            // The recovery key opens it too (the way back after losing the platform key).
            Vault.open(tmp.path("v.tessera")).use { v ->
                v.unlockWithRecoveryKey(recovery)
                assertEquals(2, v.list().size)
            }
        }
    }

    @Test
    fun anotherPlatformKeyOrARefusingOneIsKeyUnavailable() {
        TempDir().use { tmp ->
            tmp.vault("v.tessera").vault.close()
            val e = assertThrows(ProblemException::class.java) { tmp.vault("v.tessera", AesKeyWrapper()) }
            assertEquals(Problem.KEY_UNAVAILABLE, e.problem)
            val refusing = AesKeyWrapper().apply { refuse = true }
            val e2 = assertThrows(ProblemException::class.java) { tmp.vault("new.tessera", refusing) }
            assertEquals(Problem.KEY_UNAVAILABLE, e2.problem)
            assertFalse(File(tmp.path("new.tessera")).exists(), "a half-made vault is removed")
            refusing.refuse = false
            tmp.vault("new.tessera", refusing).use { assertNotNull(it.recoveryKey, "the next attempt starts afresh") }
        }
    }

    @Test
    fun theRecoveryKeyRestoresAccessWithANewPlatformKey() {
        TempDir().use { tmp ->
            val created = tmp.vault("v.tessera")
            val recovery = created.recoveryKey ?: throw AssertionError("a new vault has a recovery key")
            created.vault.use { VaultAccounts(it).add(listOf(Links.RFC)) }
            // The old Keystore key is gone (screen lock removed): a new one cannot open the vault…
            val newKey = AesKeyWrapper()
            assertEquals(Problem.KEY_UNAVAILABLE, assertThrows(ProblemException::class.java) { tmp.vault("v.tessera", newKey) }.problem)
            // …a wrong recovery key is refused and changes nothing…
            assertEquals(Problem.WRONG_PASSWORD, assertThrows(ProblemException::class.java) {
                VaultFile.recover(tmp.path("v.tessera"), "AAAA-BBBB-CCCC-DDDD", newKey)
            }.problem)
            assertEquals(Problem.KEY_UNAVAILABLE, assertThrows(ProblemException::class.java) { tmp.vault("v.tessera", newKey) }.problem)
            // …and the right one (typed in lower case with spaces) opens it and enrols the new key.
            val typed = recovery.lowercase().replace("-", " ")
            VaultFile.recover(tmp.path("v.tessera"), typed, newKey).use { assertEquals("94287082", VaultAccounts(it.vault).codesAt(59).single().code) }
            tmp.vault("v.tessera", newKey).use { assertNull(it.recoveryKey); assertEquals(1, it.vault.list().size) }
            assertEquals(Problem.NOT_FOUND, assertThrows(ProblemException::class.java) {
                VaultFile.recover(tmp.path("none.tessera"), recovery, newKey)
            }.problem)
        }
    }

    @Test
    fun rfc6238VectorsNextCodesAndTheMeasuredOffset() {
        TempDir().use { tmp ->
            tmp.vault("v.tessera").vault.use { v ->
                VaultAccounts(v).add(listOf(Links.RFC))
                val at = VaultAccounts(v).codesAt(1_111_111_109).single()
                assertEquals("07081804", at.code)
                assertEquals("0708 1804", at.grouped)
                assertEquals("14050471", at.nextCode)
                assertEquals("1405 0471", at.nextGrouped)
                assertEquals(30, at.periodSeconds)
                assertEquals(OtpType.TOTP, at.type)
                // The phone is 1111111050 s behind the server: codes follow the server's time.
                val corrected = VaultAccounts(v) { 1_111_111_109L - 59 }.codesAt(59).single()
                assertEquals("07081804", corrected.code)
            }
        }
    }

    @Test
    fun migrationBatchesDuplicatesDeleteAndErrors() {
        TempDir().use { tmp ->
            tmp.vault("v.tessera").vault.use { v ->
                val accounts = VaultAccounts(v)
                val batch = encodeMigration(listOf(Links.RFC, Links.HOTP).map { CoreUriParser.accountsIn(it).single() }).single()
                assertEquals(2, accounts.add(listOf(batch)))
                assertEquals(1, accounts.add(listOf(Links.RFC, Links.NHS)), "the RFC account is already there")
                val rows = accounts.codesAt(59)
                assertEquals(3, rows.size)
                val totp = rows.first { it.issuer == "RFC" }
                assertEquals(Problem.NOT_FOUND, assertThrows(ProblemException::class.java) { accounts.nextHotp(totp.id, 59) }.problem)
                accounts.delete(totp.id)
                assertEquals(setOf("VPN", "NHSmail"), accounts.codesAt(59).map { it.issuer }.toSet())
                assertEquals(Problem.NOT_FOUND, assertThrows(ProblemException::class.java) { accounts.delete(totp.id) }.problem)
                assertEquals(Problem.NOT_FOUND, assertThrows(ProblemException::class.java) { accounts.setFavourite(totp.id, true) }.problem)
                assertEquals(Problem.INVALID_URI, assertThrows(ProblemException::class.java) { accounts.add(listOf("otpauth://totp/x?secret=!!")) }.problem)
                v.lock()
                assertEquals(Problem.LOCKED, assertThrows(ProblemException::class.java) { accounts.codesAt(59) }.problem)
            }
        }
    }
}
