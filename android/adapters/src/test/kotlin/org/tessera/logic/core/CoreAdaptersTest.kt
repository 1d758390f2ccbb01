package org.tessera.logic.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.encodeMigration
import org.tessera.logic.AddAccountModel
import org.tessera.logic.AddState
import org.tessera.logic.CodesListModel
import org.tessera.logic.OtpType
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException

/** The view models over the real library: a vault-backed [VaultAccounts], codes and errors end to end. */
class CoreAdaptersTest {
    private val rfcLink = Links.RFC
    private val nhsLink = Links.NHS
    private val hotpLink = Links.HOTP

    /** Runs [block] with accounts over a fresh vault in a temporary directory. */
    private fun withAccounts(block: (VaultAccounts) -> Unit) = TempDir().use { tmp ->
        tmp.vault("v.tessera").vault.use { v -> block(VaultAccounts(v)) }
    }

    @Test
    fun codesListShowsRfc6238CodesGroupedAndSpokenByTheCore() {
        withAccounts { list ->
            assertEquals(1, list.add(listOf(rfcLink)))
            val model = CodesListModel(list)
            model.tick(59_000) // RFC 6238: T = 59 s
            val row = model.state.value.rows.single()
            assertEquals("RFC", row.title)
            assertEquals("alice@example.com", row.subtitle)
            assertEquals("9428 7082", row.grouped)
            assertTrue(row.accessibilityLabel.startsWith("RFC, alice@example.com. Code 9 4 2 8"), row.accessibilityLabel)
            assertEquals(1, row.countdown!!.secondsLeft)
            assertEquals(OtpType.TOTP, row.type)
            val copy = model.copy(row.id, 40_000)!! // 20 s left in the same period: the current code
            assertEquals("94287082", copy.text)
            assertEquals(false, copy.isNextCode)
        }
    }

    @Test
    fun copyNearTheEndGivesTheCoresNextCode() {
        withAccounts { list ->
            list.add(listOf(rfcLink))
            val model = CodesListModel(list)
            model.tick(1_111_111_109_000) // RFC 6238: 07081804 at T=1111111109, next period 14050471
            val id = model.state.value.rows.single().id
            val copy = model.copy(id, 1_111_111_109_500)!!
            assertTrue(copy.isNextCode, "1 s left: the next code")
            assertEquals("14050471", copy.text)
            assertEquals("1405 0471", model.state.value.rows.single().nextGrouped)
        }
    }

    @Test
    fun oneCoreCallPerPeriodForTheWholeList() {
        withAccounts { list ->
            list.add(listOf(rfcLink, nhsLink))
            val model = CodesListModel(list)
            for (s in 60L until 90L) model.tick(s * 1000)
            assertEquals(1, model.fetches)
            assertEquals(2, model.state.value.rows.size)
        }
    }

    @Test
    fun hotpAdvancesThroughRfc4226Vectors() {
        withAccounts { list ->
            list.add(listOf(hotpLink))
            val model = CodesListModel(list)
            model.tick(0)
            val row = model.state.value.rows.single()
            assertEquals("", row.grouped, "no HOTP code until the user asks for one")
            assertNull(model.copy(row.id, 0), "nothing to copy yet")
            assertNull(row.countdown)
            model.nextHotp(row.id, 0)
            assertEquals("755 224", model.state.value.rows.single().grouped) // counter 0
            model.nextHotp(row.id, 0)
            assertEquals("287 082", model.state.value.rows.single().grouped) // counter 1
            model.invalidate(1_000)
            assertEquals("287 082", model.state.value.rows.single().grouped, "the last code stays on screen")
            model.nextHotp(row.id, 2_000)
            assertEquals("359 152", model.state.value.rows.single().grouped) // counter 2
            assertEquals("359152", model.copy(row.id, 2_000)!!.text)
        }
    }

    @Test
    fun addAccountPreviewsLinksAndMigrationBatches() {
        val model = AddAccountModel(CoreUriParser())
        model.submitText("Key: $nhsLink")
        val found = model.state.value as AddState.Found
        assertEquals("NHSmail", found.accounts.single().issuer)
        assertEquals(30, found.accounts.single().periodSeconds)
        assertEquals("SHA1", found.accounts.single().algorithm)

        val accounts = listOf(nhsLink, rfcLink).map { CoreUriParser.accountsIn(it).single() }
        val batch = encodeMigration(accounts).single()
        model.reset()
        model.scanned(batch)
        assertEquals(listOf("NHSmail", "RFC"), (model.state.value as AddState.Found).accounts.map { it.issuer })
    }

    @Test
    fun badLinksBecomeInvalidUriProblems() {
        val model = AddAccountModel(CoreUriParser())
        model.submitText("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=99\notpauth://totp/ok?secret=JBSWY3DPEHPK3PXP")
        assertEquals(AddState.Invalid(listOf(1), Problem.INVALID_URI), model.state.value)
        withAccounts { list ->
            val e = assertThrows(ProblemException::class.java) { list.add(listOf(nhsLink, "otpauth://totp/x?secret=!!")) }
            assertEquals(Problem.INVALID_URI, e.problem)
            assertTrue(list.codesAt(0).isEmpty(), "one bad link adds nothing")
        }
    }

    @Test
    fun duplicatesAreNotAddedTwiceAndDeleteAndFavouriteWork() {
        withAccounts { list ->
            assertEquals(2, list.add(listOf(nhsLink, rfcLink)))
            assertEquals(0, list.add(listOf(nhsLink)))
            val model = CodesListModel(list)
            model.tick(59_000)
            val rfcId = model.state.value.rows.first { it.title == "RFC" }.id
            list.setFavourite(rfcId, true)
            model.invalidate(60_000)
            assertEquals(listOf("RFC", "NHSmail"), model.state.value.rows.map { it.title })
            list.delete(rfcId)
            model.invalidate(61_000)
            assertEquals(listOf("NHSmail"), model.state.value.rows.map { it.title })
            assertEquals(Problem.NOT_FOUND, assertThrows(ProblemException::class.java) { list.delete(rfcId) }.problem)
        }
    }
}
