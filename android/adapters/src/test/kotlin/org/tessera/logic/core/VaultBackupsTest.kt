package org.tessera.logic.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.logic.BackupCheck
import org.tessera.logic.ImportReportPresenter
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException

/** Backups, imports and backup checks through [VaultBackups] against the real library. */
class VaultBackupsTest {
    @Test
    fun backupVerifiesThenRestoresIntoASecondVault() {
        TempDir().use { tmp ->
            tmp.vault("a.tessera").vault.use { a ->
                val accounts = VaultAccounts(a)
                accounts.add(listOf(Links.RFC, Links.NHS))
                accounts.setFavourite(accounts.codesAt(59).first { it.issuer == "NHSmail" }.id, true)
                val backups = VaultBackups(a)
                val bytes = backups.export("correct horse")
                assertFalse(String(bytes, Charsets.ISO_8859_1).contains("GEZDGNBVGY3TQOJQ"), "no secret in clear")
                assertEquals(BackupCheck.Readable(2, matchesVault = true), backups.verify(bytes, "correct horse"))

                tmp.vault("b.tessera").vault.use { b ->
                    val report = VaultBackups(b).import(bytes, "tessera-backup.json", "correct horse")
                    assertEquals(listOf("NHSmail (jo.bloggs@nhs.net)", "RFC (alice@example.com)"), report.imported.sorted())
                    assertTrue(report.duplicates.isEmpty())
                    assertTrue(report.skipped.isEmpty())
                    assertTrue(ImportReportPresenter.present(report).complete)
                    val restored = VaultAccounts(b).codesAt(59)
                    assertEquals("94287082", restored.first { it.issuer == "RFC" }.code)
                    assertTrue(restored.first { it.issuer == "NHSmail" }.favourite, "a Tessera backup keeps favourites")
                    assertEquals(BackupCheck.Readable(2, matchesVault = true), VaultBackups(b).verify(bytes, "correct horse"))

                    val again = VaultBackups(b).import(bytes, "tessera-backup.json", "correct horse")
                    assertTrue(again.imported.isEmpty())
                    assertEquals(2, again.duplicates.size)
                    assertEquals("Nothing new: 2 accounts already in Tessera", ImportReportPresenter.present(again).headline)
                }

                accounts.add(listOf(Links.HOTP))
                assertEquals(BackupCheck.Readable(2, matchesVault = false), backups.verify(bytes, "correct horse"))
            }
        }
    }

    @Test
    fun wrongPasswordsAndDamagedFilesAreTheRightProblems() {
        TempDir().use { tmp ->
            tmp.vault("a.tessera").vault.use { a ->
                VaultAccounts(a).add(listOf(Links.RFC))
                val backups = VaultBackups(a)
                val bytes = backups.export("correct horse")
                assertEquals(BackupCheck.Unreadable(Problem.WRONG_PASSWORD), backups.verify(bytes, "battery staple"))
                assertEquals(BackupCheck.Unreadable(Problem.WRONG_PASSWORD), backups.verify(bytes, ""))
                val damaged = bytes.copyOf(bytes.size / 2)
                assertEquals(BackupCheck.Unreadable(Problem.CORRUPTED), backups.verify(damaged, "correct horse"))
                assertEquals(BackupCheck.Unreadable(Problem.CORRUPTED), backups.verify("hello".toByteArray(), "x"))
                val e = assertThrows(ProblemException::class.java) { backups.import(bytes, "b.json", "battery staple") }
                assertEquals(Problem.WRONG_PASSWORD, e.problem)
                assertEquals(Problem.WRONG_PASSWORD, assertThrows(ProblemException::class.java) { backups.export(" ") }.problem)
                a.lock()
                assertEquals(Problem.LOCKED, assertThrows(ProblemException::class.java) { backups.verify(bytes, "correct horse") }.problem)
            }
        }
    }

    @Test
    fun otherAppsExportsImportWithAReport() {
        TempDir().use { tmp ->
            tmp.vault("a.tessera").vault.use { a ->
                // A plain otpauth list, one link per line (what many apps export).
                val file = "${Links.NHS}\n${Links.RFC}\n".toByteArray()
                val report = VaultBackups(a).import(file, "export.txt", null)
                assertEquals(2, report.imported.size, report.toString())
                assertTrue(report.format.isNotBlank())
                assertEquals(2, VaultAccounts(a).codesAt(59).size)
            }
        }
    }
}
