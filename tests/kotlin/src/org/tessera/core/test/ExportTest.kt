package org.tessera.core.test

import java.io.File
import java.nio.file.Files
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.ExportFormat
import org.tessera.core.TesseraException
import org.tessera.core.createVault
import org.tessera.core.decodeMigration
import org.tessera.core.exportAccounts
import org.tessera.core.exportVault
import org.tessera.core.kdfInsecureForTests
import org.tessera.core.parseImportFile
import org.tessera.core.parseUri
import org.tessera.core.verifyBackup

class ExportTest {
    private val dir: File = Files.createTempDirectory("tessera-export-test").toFile()
    private fun path(name: String) = File(dir, name).path

    @AfterEach fun cleanup() { dir.deleteRecursively() }

    private val bank = account(issuer = "Bank", name = "alice", secret = RFC_SEED_SHA1)
    private val mail = account(issuer = "Mail", name = "bob", secret = "JBSWY3DPEHPK3PXP", digits = 8u)

    private fun vaultWith(name: String, vararg accounts: org.tessera.core.Account) =
        createVault(path(name), "pw", kdfInsecureForTests()).vault.also { v ->
            accounts.forEach { v.add(it) }
        }

    @Test
    fun `encrypted backup round trips through import, verifies identical, wrong password typed`() {
        vaultWith("a.db", bank, mail).use { v ->
            val out = exportVault(v, ExportFormat.TESSERA, "backup pw")
            val text = String(out.bytes, Charsets.UTF_8)
            assertFalse(text.contains(RFC_SEED_SHA1), "encrypted backup holds no secret in clear")
            val check = verifyBackup(out.bytes, "backup pw", v)
            assertTrue(check.identical, check.lines.toString())
            assertTrue(check.encrypted)
            assertEquals(2u, check.backupAccounts)
            assertEquals(2u, check.matching)
            assertThrows(TesseraException.WrongPassword::class.java) { verifyBackup(out.bytes, "nope", v) }
            vaultWith("b.db").use { w ->
                val summary = w.importFile(out.bytes, "backup.tessera", "backup pw")
                assertEquals(2u, summary.added)
                assertEquals(setOf("Bank", "Mail"), w.list().map { it.issuer }.toSet())
                assertEquals(RFC_SEED_SHA1, w.account(w.list().first { it.issuer == "Bank" }.id).secretBase32)
                assertTrue(verifyBackup(out.bytes, "backup pw", w).identical)
            }
        }
    }

    @Test
    fun `verify reports a changed vault by counts without names`() {
        vaultWith("a.db", bank, mail).use { v ->
            val backup = exportVault(v, ExportFormat.TESSERA, null).bytes
            val mailId = v.list().first { it.issuer == "Mail" }.id
            v.remove(mailId)
            v.add(account(issuer = "Shop", name = "carol", secret = "MFRGGZDFMZTWQ2LK"))
            val check = verifyBackup(backup, null, v)
            assertFalse(check.identical)
            assertFalse(check.encrypted)
            assertEquals(1u, check.missing, check.lines.toString())
            assertEquals(1u, check.extra)
            assertEquals(1u, check.matching)
            assertFalse(check.lines.joinToString().contains("Shop"), "lines carry no account names")
            assertFalse(check.lines.joinToString().contains("bob"))
            assertThrows(TesseraException.Corrupted::class.java) { verifyBackup("not a backup".toByteArray(), null, v) }
        }
    }

    @Test
    fun `aegis, otpauth list and migration exports carry the accounts`() {
        val accounts = listOf(bank, mail)
        val aegis = exportAccounts(accounts, ExportFormat.AEGIS, null)
        val aegisText = String(aegis.bytes, Charsets.UTF_8)
        assertTrue(aegisText.contains("\"db\""))
        assertTrue(aegisText.contains(RFC_SEED_SHA1))
        val imported = parseImportFile(aegis.bytes, "aegis.json", null)
        assertEquals("aegis", imported.formatId)
        assertEquals(accounts.map { it.secretBase32 }.toSet(), imported.accounts.map { it.secretBase32 }.toSet())

        val sealed = exportAccounts(accounts, ExportFormat.AEGIS, "aegis pw")
        assertFalse(String(sealed.bytes, Charsets.UTF_8).contains(RFC_SEED_SHA1))
        assertEquals(2, parseImportFile(sealed.bytes, "aegis.json", "aegis pw").accounts.size)
        assertThrows(TesseraException.WrongPassword::class.java) { parseImportFile(sealed.bytes, "aegis.json", "bad") }

        val lines = String(exportAccounts(accounts, ExportFormat.URIS, null).bytes, Charsets.UTF_8)
            .lines().filter { it.isNotBlank() }
        assertEquals(2, lines.size)
        assertEquals(listOf("Bank", "Mail"), lines.map { parseUri(it).issuer })
        assertEquals(8u.toUByte(), parseUri(lines[1]).digits)

        val migration = String(exportAccounts(accounts, ExportFormat.GOOGLE_MIGRATION, null).bytes, Charsets.UTF_8)
            .lines().filter { it.isNotBlank() }
        assertTrue(migration.all { it.startsWith("otpauth-migration://") })
        assertEquals(listOf(RFC_SEED_SHA1, "JBSWY3DPEHPK3PXP"), migration.flatMap { decodeMigration(it) }.map { it.secretBase32 })

        assertThrows(TesseraException.InvalidInput::class.java) { exportAccounts(accounts, ExportFormat.URIS, "pw") }
    }
}
