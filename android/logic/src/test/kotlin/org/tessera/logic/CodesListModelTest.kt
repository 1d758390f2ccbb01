package org.tessera.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class CodesListModelTest {
    private val t0 = 30_000L * 56_666_667 + 10_000 // 10 s into a 30 s period

    private fun source() = FakeCodeSource(mutableListOf(
        FakeCodeSource.totp("a", "NHSmail", "pharmacist@nhs.net", listOf("Work")),
        FakeCodeSource.totp("b", "GitHub", "dev", listOf("Personal"), favourite = true),
        FakeCodeSource.totp("c", "Émile Bank", "emile", listOf("personal")),
        AccountCode(id = "h", issuer = "VPN", accountName = "me", type = OtpType.HOTP, code = "111111", periodSeconds = null),
    ))

    @Test
    fun countdownCountsDownFromThePeriod() {
        val start = 30_000L * 56_666_667 // a period boundary
        assertEquals(30, Countdown.at(start, 30).secondsLeft)
        assertEquals(1.0f, Countdown.at(start, 30).fraction)
        assertEquals(21, Countdown.at(start + 9_000, 30).secondsLeft)
        assertEquals(1, Countdown.at(start + 29_999, 30).secondsLeft)
        assertTrue(Countdown.at(start + 25_000, 30).urgent)
        assertFalse(Countdown.at(start + 24_000, 30).urgent)
        assertEquals(start / 1000 + 30, Countdown.nextChangeSeconds(start + 1, 30))
        assertEquals(start / 1000 + 30, Countdown.nextChangeSeconds(start, 30))
    }

    @Test
    fun fetchesOnlyWhenAPeriodChanges() {
        val src = source()
        val m = CodesListModel(src)
        val start = 30_000L * 56_666_667
        for (s in 0 until 30) m.tick(start + s * 1000L)
        assertEquals(1, m.fetches, "one FFI call for a whole period")
        m.tick(start + 30_000)
        assertEquals(2, m.fetches)
        assertEquals(listOf(start / 1000, start / 1000 + 30), src.asked)
        m.invalidate(start + 31_000)
        assertEquals(3, m.fetches, "invalidate refetches at once")
    }

    @Test
    fun mixedPeriodsRefreshAtTheEarliestChange() {
        val src = FakeCodeSource(mutableListOf(
            FakeCodeSource.totp("a", "A", "a", period = 30), FakeCodeSource.totp("b", "B", "b", period = 60)))
        val m = CodesListModel(src)
        val start = 60_000L * 28_333_334
        m.tick(start)
        m.tick(start + 29_000)
        assertEquals(1, m.fetches)
        m.tick(start + 30_000)
        assertEquals(2, m.fetches)
    }

    @Test
    fun rowsAreOrderedFavouritesFirstThenByIssuer() {
        val m = CodesListModel(source())
        m.tick(t0)
        assertEquals(listOf("GitHub", "Émile Bank", "NHSmail", "VPN"), m.state.value.rows.map { it.title })
        assertNull(m.state.value.empty)
    }

    @Test
    fun searchMatchesEveryWordIgnoringCaseAndAccents() {
        val m = CodesListModel(source())
        m.tick(t0)
        m.search("nhs PHARM")
        assertEquals(listOf("a"), m.state.value.rows.map { it.id })
        m.search("emile")
        assertEquals(listOf("c"), m.state.value.rows.map { it.id })
        m.search("work")
        assertEquals(listOf("a"), m.state.value.rows.map { it.id }, "groups are searched too")
        m.search("nothing-like-this")
        assertEquals(EmptyReason.NO_MATCHES, m.state.value.empty)
        m.search("  ")
        assertEquals(4, m.state.value.rows.size)
    }

    @Test
    fun groupChipsMergeCaseVariantsAndFilter() {
        val m = CodesListModel(source())
        m.tick(t0)
        val chips = m.state.value.groups
        assertEquals(listOf("All", "Favourites", "Personal", "Work"), chips.map { it.label })
        assertEquals(listOf(4, 1, 2, 1), chips.map { it.count })
        m.select(GroupFilter.Named("PERSONAL"))
        assertEquals(setOf("b", "c"), m.state.value.rows.map { it.id }.toSet())
        assertTrue(m.state.value.groups.single { it.label == "Personal" }.selected)
        m.select(GroupFilter.Favourites)
        assertEquals(listOf("b"), m.state.value.rows.map { it.id })
    }

    @Test
    fun aVanishedGroupFallsBackToAll() {
        val src = source()
        val m = CodesListModel(src)
        m.tick(t0)
        m.select(GroupFilter.Named("Work"))
        src.accounts.removeIf { it.id == "a" }
        m.invalidate(t0 + 1000)
        assertEquals(GroupFilter.All, m.state.value.filter)
        assertEquals(3, m.state.value.rows.size)
    }

    @Test
    fun copyGivesTheCurrentCodeOrTheNextOneAtTheVeryEnd() {
        val m = CodesListModel(source(), clipboardMillis = 20_000)
        val start = 30_000L * 56_666_667
        m.tick(start + 10_000)
        val step = start / 1000 / 30
        val now = m.copy("a", start + 10_000)!!
        assertEquals(FakeCodeSource.codeFor("a", step), now.text)
        assertFalse(now.isNextCode)
        assertEquals(20_000, now.clearAfterMillis)
        val late = m.copy("a", start + 28_500)!!
        assertTrue(late.isNextCode)
        assertEquals(FakeCodeSource.codeFor("a", step + 1), late.text)
        assertNull(m.copy("missing", start))
    }

    @Test
    fun nextCodeIsShownOnlyWhenUrgent() {
        val m = CodesListModel(source())
        val start = 30_000L * 56_666_667
        m.tick(start + 10_000)
        assertNull(m.state.value.rows.first { it.id == "a" }.nextGrouped)
        m.tick(start + 26_000)
        val row = m.state.value.rows.first { it.id == "a" }
        assertEquals(4, row.countdown!!.secondsLeft)
        val next = FakeCodeSource.codeFor("a", start / 1000 / 30 + 1)
        assertEquals(next.take(3) + " " + next.drop(3), row.nextGrouped)
    }

    @Test
    fun accessibilityLabelSaysWhoTheDigitsAndTimeLeft() {
        val src = FakeCodeSource(mutableListOf(
            AccountCode(id = "x", issuer = "NHSmail", accountName = "p@nhs.net", code = "123456",
                spoken = "1 2 3, 4 5 6", periodSeconds = null, type = OtpType.HOTP)))
        val m = CodesListModel(src)
        m.tick(t0)
        assertEquals("NHSmail, p@nhs.net. Code 1 2 3, 4 5 6. press to generate the next code",
            m.state.value.rows.single().accessibilityLabel)
        val start = 30_000L * 56_666_667
        val src2 = FakeCodeSource(mutableListOf(FakeCodeSource.totp("y", "", "bob@example.com")))
        val m2 = CodesListModel(src2)
        m2.tick(start + 29_000)
        val row = m2.state.value.rows.single()
        assertEquals("bob@example.com", row.title)
        assertEquals("", row.subtitle)
        assertTrue(row.accessibilityLabel.endsWith("1 second left"), row.accessibilityLabel)
    }

    @Test
    fun hotpAdvancesOnlyThatAccount() {
        val src = source()
        val m = CodesListModel(src)
        m.tick(t0)
        val before = m.state.value.rows.associate { it.id to it.grouped }
        m.nextHotp("h", t0)
        val after = m.state.value.rows.associate { it.id to it.grouped }
        assertEquals(FakeCodeSource.codeFor("h", 1), after["h"])
        assertEquals(before - "h", after - "h")
        assertNull(m.state.value.rows.first { it.id == "h" }.countdown)
    }

    @Test
    fun aLockedVaultIsAProblemNotACrash() {
        val src = source()
        src.failWith = Problem.LOCKED
        val m = CodesListModel(src)
        m.tick(t0)
        assertEquals(Problem.LOCKED, m.state.value.problem)
        assertTrue(m.state.value.rows.isEmpty())
        src.failWith = null
        m.tick(t0 + 1000)
        assertNull(m.state.value.problem, "retries on the next tick")
        assertEquals(4, m.state.value.rows.size)
    }

    @Test
    fun emptyVaultSaysNoAccounts() {
        val m = CodesListModel(FakeCodeSource(mutableListOf()))
        m.tick(t0)
        assertEquals(EmptyReason.NO_ACCOUNTS, m.state.value.empty)
    }

    @Test
    fun stateHolderNotifiesOnChangeOnly() {
        val h = StateHolder(1)
        val seen = mutableListOf<Int>()
        val sub = h.subscribe { seen += it }
        h.value = 1
        h.value = 2
        sub.close()
        h.value = 3
        assertEquals(listOf(1, 2), seen)
    }
}
