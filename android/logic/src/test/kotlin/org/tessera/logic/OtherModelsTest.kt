package org.tessera.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class OtherModelsTest {
    private val preview = AccountPreview("NHSmail", "p@nhs.net", OtpType.TOTP, 6, 30, "SHA1")

    private class Parser(val preview: AccountPreview) : UriParser {
        val seen = mutableListOf<String>()
        override fun parse(uri: String): List<AccountPreview> {
            seen += uri
            if (!uri.startsWith("otpauth://totp/") && !uri.startsWith("otpauth-migration://")) {
                throw ProblemException(Problem.INVALID_URI)
            }
            return if (uri.startsWith("otpauth-migration://")) listOf(preview, preview.copy(issuer = "GitHub")) else listOf(preview)
        }
    }

    @Test
    fun pastedTextWithNoiseAndSeveralLinks() {
        val parser = Parser(preview)
        val m = AddAccountModel(parser)
        m.submitText("  Your key: otpauth://totp/NHSmail:p@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail  \n\notpauth-migration://offline?data=abc\n")
        val s = m.state.value as AddState.Found
        assertEquals(3, s.accounts.size)
        assertEquals("otpauth://totp/NHSmail:p@nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=NHSmail", s.links[0])
    }

    @Test
    fun invalidLinesAreNamedByNumber() {
        val m = AddAccountModel(Parser(preview))
        m.submitText("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\nhello\notpauth://hotp/B\n")
        assertEquals(AddState.Invalid(listOf(2, 3), Problem.INVALID_URI), m.state.value)
        m.submitText("   \n ")
        assertEquals(AddState.Empty, m.state.value)
    }

    @Test
    fun repeatedScansAreIgnoredUntilReset() {
        val parser = Parser(preview)
        val m = AddAccountModel(parser)
        repeat(5) { m.scanned("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP") }
        assertEquals(1, parser.seen.size)
        m.reset()
        m.scanned("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP")
        assertEquals(2, parser.seen.size)
        assertNull(AddAccountModel.extractLink("no link here"))
    }

    @Test
    fun importReportPutsWhatNeedsAttentionFirst() {
        val v = ImportReportPresenter.present(ImportReport("Aegis", imported = listOf("A", "B"),
            duplicates = listOf("C"), skipped = listOf(SkippedEntry("Bank", "unsupported algorithm MD5")),
            warnings = listOf("Icons are not imported")))
        assertEquals("Imported 2 accounts from Aegis", v.headline)
        assertFalse(v.complete)
        assertEquals(listOf("Not imported (1) — add these by hand", "Worth knowing", "Already in Tessera (1)", "Imported (2)"),
            v.sections.map { it.heading })
        assertEquals(listOf("Bank: unsupported algorithm MD5"), v.sections[0].lines)
    }

    @Test
    fun importReportHeadlines() {
        assertEquals("No accounts found in this 2FAS file", ImportReportPresenter.present(ImportReport("2FAS", emptyList())).headline)
        val dup = ImportReportPresenter.present(ImportReport("2FAS", emptyList(), duplicates = listOf("A")))
        assertEquals("Nothing new: 1 account already in Tessera", dup.headline)
        assertTrue(dup.complete)
        assertEquals("Imported 1 account from Aegis", ImportReportPresenter.present(ImportReport("Aegis", listOf("A"))).headline)
    }

    @Test
    fun backupCheckMessages() {
        assertEquals("This backup opens with your password and holds all 12 accounts.", BackupCheck.Readable(12, true).message())
        assertTrue(BackupCheck.Readable(11, false).message().contains("make a new backup"))
        assertTrue(BackupCheck.Unreadable(Problem.WRONG_PASSWORD).message().startsWith("The password does not open"))
    }

    @Test
    fun lockPolicyUsesMonotonicTimeAndTheChosenDelay() {
        val p = LockPolicy(biometricLock = true, autoLock = AutoLock.AFTER_1_MINUTE)
        assertTrue(p.mustUnlock())
        p.unlocked()
        assertFalse(p.mustUnlock())
        p.backgrounded(1_000)
        p.foregrounded(60_999)
        assertFalse(p.mustUnlock(), "59.999 s away: still unlocked")
        p.backgrounded(100_000)
        p.foregrounded(160_000)
        assertTrue(p.mustUnlock())
        p.unlocked()
        p.autoLock = AutoLock.IMMEDIATELY
        p.backgrounded(200_000)
        assertTrue(p.mustUnlock())
        val never = LockPolicy(biometricLock = true, autoLock = AutoLock.NEVER)
        never.unlocked(); never.backgrounded(0); never.foregrounded(Long.MAX_VALUE / 2)
        assertFalse(never.mustUnlock())
        assertFalse(LockPolicy(biometricLock = false, autoLock = AutoLock.IMMEDIATELY).mustUnlock())
    }

    @Test
    fun timeDriftLevels() {
        assertEquals(DriftLevel.UNKNOWN, TimeDrift.of(null, false).level)
        assertEquals(TimeDrift(DriftLevel.OK, "Clock is correct"), TimeDrift.of(-3, false))
        assertEquals(TimeDrift(DriftLevel.WARNING, "Phone clock is 12 seconds behind; codes may be refused"), TimeDrift.of(12, false))
        assertEquals(TimeDrift(DriftLevel.BAD, "Phone clock is 1 seconds ahead; codes are corrected").level, TimeDrift.of(-95, true).level)
        assertEquals("Phone clock is 95 seconds ahead; codes are corrected", TimeDrift.of(-95, true).message)
    }
}

class ManualEntryTest {
    @Test
    fun buildsALinkFromWhatTheSignInPageShows() {
        assertEquals("otpauth://totp/Microsoft:jo.bloggs%40nhs.net?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft".replace("%40", "@"),
            ManualEntry.toUri("Microsoft", "jo.bloggs@nhs.net", "jbsw y3dp-ehpk 3pxp"))
        assertEquals("otpauth://totp/Caf%C3%A9%20Bank?secret=ABC&digits=8&period=60",
            ManualEntry.toUri(" ", "Café Bank", "abc", digits = 8, periodSeconds = 60))
        assertEquals("otpauth://totp/A%3AB:x?secret=S&issuer=A%3AB", ManualEntry.toUri("A:B", "x", "s"))
    }
}
