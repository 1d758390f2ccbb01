package org.tessera.core.test

import java.io.File
import java.nio.file.Files
import java.security.SecureRandom
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.Cipher
import javax.crypto.spec.GCMParameterSpec
import javax.crypto.spec.SecretKeySpec
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.KeyProtector
import org.tessera.core.OtpType
import org.tessera.core.TesseraException
import org.tessera.core.Vault
import org.tessera.core.codeAt
import org.tessera.core.createVault
import org.tessera.core.kdfInsecureForTests
import org.tessera.core.parseImportFile

/** A key protector written in Kotlin: AES-GCM under a key held in memory (the Keystore's role). */
class KotlinKeyProtector : KeyProtector {
    private val key = ByteArray(32).also { SecureRandom().nextBytes(it) }
    val calls = AtomicInteger()

    override fun wrapKey(key: ByteArray): ByteArray {
        calls.incrementAndGet()
        val iv = ByteArray(12).also { SecureRandom().nextBytes(it) }
        val c = Cipher.getInstance("AES/GCM/NoPadding")
        c.init(Cipher.ENCRYPT_MODE, SecretKeySpec(this.key, "AES"), GCMParameterSpec(128, iv))
        return iv + c.doFinal(key)
    }

    override fun unwrapKey(wrapped: ByteArray): ByteArray {
        calls.incrementAndGet()
        val c = Cipher.getInstance("AES/GCM/NoPadding")
        c.init(Cipher.DECRYPT_MODE, SecretKeySpec(key, "AES"), GCMParameterSpec(128, wrapped, 0, 12))
        try {
            return c.doFinal(wrapped, 12, wrapped.size - 12)
        } catch (e: javax.crypto.AEADBadTagException) {
            throw TesseraException.KeyStore("not this device's key")
        }
    }
}

class VaultTest {
    private val dir: File = Files.createTempDirectory("tessera-vault-test").toFile()
    private fun path(name: String = "v.db") = File(dir, name).path

    @AfterEach fun cleanup() { dir.deleteRecursively() }

    private fun newVault(password: String = "correct horse") =
        createVault(path(), password, kdfInsecureForTests())

    @Test
    fun `create, add, list without secrets, codes in one call equal single codes`() {
        val created = newVault()
        assertEquals(13, created.recoveryKey.split('-').size)
        created.vault.use { v ->
            val a = account(issuer = "Bank", secret = RFC_SEED_SHA1)
            val b = account(issuer = "Mail", secret = "JBSWY3DPEHPK3PXP")
            val idA = v.add(a)
            v.add(b)
            val list = v.list()
            assertEquals(listOf("Bank", "Mail"), list.map { it.issuer })
            assertFalse(list.toString().contains(RFC_SEED_SHA1), "list carries no secret")
            val rows = v.codesAt(59u)
            assertEquals(codeAt(a, 59u), rows.first { it.id == idA }.code)
            assertEquals(codeAt(b, 59u), rows.first { it.id != idA }.code)
            assertEquals(a.secretBase32, v.account(idA).secretBase32)
            v.setClock(Clock.fixed(59u))
            assertEquals(rows, v.codesNow())
        }
    }

    @Test
    fun `wrong password is a typed error, the right one unlocks`() {
        newVault().vault.use { it.add(account()) }
        Vault.open(path()).use { v ->
            assertFalse(v.isUnlocked())
            assertThrows(TesseraException.Locked::class.java) { v.codesAt(0u) }
            assertThrows(TesseraException.WrongPassword::class.java) { v.unlockWithPassword("wrong") }
            v.unlockWithPassword("correct horse")
            assertEquals(1, v.codesAt(0u).size)
        }
    }

    @Test
    fun `a key protector written in Kotlin unlocks the vault, another device's key does not`() {
        val protector = KotlinKeyProtector()
        newVault().vault.use { v ->
            v.add(account())
            v.addProtectorSlot(protector, "this phone")
        }
        Vault.open(path()).use { v ->
            val e = assertThrows(TesseraException.KeyStore::class.java) { v.unlockWithProtector(KotlinKeyProtector()) }
            assertFalse(v.isUnlocked(), e.message)
            v.unlockWithProtector(protector)
            assertTrue(v.isUnlocked())
            assertEquals(1, v.list().size)
        }
        assertTrue(protector.calls.get() >= 2)
    }

    @Test
    fun `a protector that calls back into the vault does not deadlock`() {
        lateinit var vault: Vault
        val inner = KotlinKeyProtector()
        val reentrant = object : KeyProtector {
            override fun wrapKey(key: ByteArray): ByteArray { vault.isUnlocked(); return inner.wrapKey(key) }
            override fun unwrapKey(wrapped: ByteArray): ByteArray { vault.isUnlocked(); return inner.unwrapKey(wrapped) }
        }
        vault = newVault().vault
        vault.addProtectorSlot(reentrant, "re-entrant")
        vault.close()
        vault = Vault.open(path())
        vault.unlockWithProtector(reentrant)
        assertTrue(vault.isUnlocked())
        vault.close()
    }

    @Test
    fun `a protector that throws an unexpected exception becomes an error, not a crash`() {
        newVault().vault.use { v ->
            val bad = object : KeyProtector {
                override fun wrapKey(key: ByteArray): ByteArray = throw IllegalStateException("keystore gone")
                override fun unwrapKey(wrapped: ByteArray): ByteArray = throw IllegalStateException("keystore gone")
            }
            assertThrows(TesseraException.Internal::class.java) { v.addProtectorSlot(bad, "x") }
            assertTrue(v.isUnlocked())
        }
    }

    @Test
    fun `recovery key unlocks, lock forgets the key, shutdown refuses later calls`() {
        val created = newVault()
        created.vault.shutdown()
        assertThrows(TesseraException.Locked::class.java) { created.vault.list() }
        created.vault.close()
        Vault.open(path()).use { v ->
            assertThrows(TesseraException.WrongPassword::class.java) {
                v.unlockWithRecoveryKey("AAAA-" + created.recoveryKey.substring(5).reversed())
            }
            v.unlockWithRecoveryKey(created.recoveryKey.lowercase().replace("-", " "))
            assertTrue(v.isUnlocked())
            v.lock()
            assertFalse(v.isUnlocked())
        }
    }

    @Test
    fun `a new recovery key replaces the old one - favourite, groups, note and use count are kept`() {
        val created = newVault()
        created.vault.use { v ->
            val fresh = v.replaceRecoveryKey()
            assertFalse(fresh == created.recoveryKey)
            val id = v.addUri("otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site")
            v.setFavorite(id, true)
            v.setGroups(id, listOf("Work", "NHS"))
            v.setNote(id, "desk phone")
            v.recordUse(id)
            v.recordUse(id)
            val entry = v.list().single()
            assertTrue(entry.favorite)
            assertEquals(listOf("Work", "NHS"), entry.groups)
            assertTrue(entry.hasNote)
            assertEquals(2uL, entry.usageCount)
            assertEquals("desk phone", v.account(id).note)
            assertTrue(v.codesAt(0u).single().favorite)
            v.setNote(id, "")
            assertFalse(v.list().single().hasNote)
            assertThrows(TesseraException.NotFound::class.java) { v.setFavorite("no-such-id", true) }
            v.shutdown()
            Vault.open(path()).use { again ->
                assertThrows(TesseraException.WrongPassword::class.java) { again.unlockWithRecoveryKey(created.recoveryKey) }
                again.unlockWithRecoveryKey(fresh)
                assertTrue(again.list().single().favorite)
            }
        }
    }

    @Test
    fun `HOTP, rename, remove, not found, duplicates, links`() {
        newVault().vault.use { v ->
            val id = v.add(account(type = OtpType.HOTP, counter = 0u, issuer = "Counter"))
            assertEquals("755224", v.nextHotp(id))
            assertEquals("287082", v.nextHotp(id))
            val row = v.codesAt(0u).single()
            assertEquals("", row.code, "HOTP codes only through nextHotp")
            v.rename(id, "Renamed", "bob")
            assertEquals("Renamed", v.list().single().issuer)
            val uriId = v.addUri("otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site")
            assertThrows(TesseraException.InvalidInput::class.java) {
                v.addUri("otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site")
            }
            assertThrows(TesseraException.InvalidUri::class.java) { v.addUri("otpauth://totp/x") }
            val summary = v.addAccounts(listOf(account(issuer = "New"), v.account(uriId)))
            assertEquals(1, summary.added.size)
            assertEquals(1u, summary.duplicates)
            v.remove(id)
            assertThrows(TesseraException.NotFound::class.java) { v.remove(id) }
            assertThrows(TesseraException.NotFound::class.java) { v.nextHotp(id) }
        }
        assertThrows(TesseraException.NotFound::class.java) { Vault.open(path("missing.db")) }
        File(path("junk.db")).writeText("not a vault at all, just text ".repeat(200))
        assertThrows(TesseraException.Corrupted::class.java) { Vault.open(path("junk.db")) }
    }

    @Test
    fun `8 threads read and write one vault at once`() {
        newVault().vault.use { v ->
            v.add(account(issuer = "seed"))
            val pool = Executors.newFixedThreadPool(8)
            val futures = (0 until 8).map { t ->
                pool.submit {
                    repeat(10) { i ->
                        v.add(account(issuer = "t$t-$i", secret = org.tessera.core.secretToBase32(byteArrayOf(t.toByte(), i.toByte()) + ByteArray(18) { 7 }),
                            name = "n$t-$i"))
                        assertTrue(v.codesAt(1_000u).isNotEmpty())
                    }
                }
            }
            futures.forEach { it.get(120, TimeUnit.SECONDS) }
            pool.shutdown()
            assertEquals(81, v.list().size)
            assertEquals(81, v.codesAt(1_000u).map { it.id }.toSet().size)
        }
    }

    @Test
    fun `corpus - an Aegis export imports into the vault, its encrypted twin needs the password`() {
        val corpus = corpusDir("file import") ?: return
        val plain = File(corpus, "aegis/aegis_plain.json").readBytes()
        val parsed = parseImportFile(plain, "aegis_plain.json", null)
        assertEquals("aegis", parsed.formatId)
        assertEquals(7, parsed.accounts.size + parsed.skipped.size)
        assertTrue(parsed.accounts.any { it.issuer == "Deno" && it.secretBase32 == "4SJHB4GSD43FZBAI7C2HLRJGPQ" })
        newVault().vault.use { v ->
            val summary = v.importFile(plain, "aegis_plain.json", null)
            assertEquals(parsed.accounts.size.toUInt(), summary.added)
            assertEquals(parsed.accounts.size, v.list().size)
            val again = v.importFile(plain, "aegis_plain.json", null)
            assertEquals(0u, again.added)
            assertEquals(summary.added, again.duplicates)
        }
        val encrypted = File(corpus, "aegis/aegis_encrypted.json").readBytes()
        assertThrows(TesseraException.InvalidInput::class.java) { parseImportFile(encrypted, null, null) }
        val dec = parseImportFile(encrypted, null, "test")
        assertEquals(parsed.accounts.map { it.secretBase32 }, dec.accounts.map { it.secretBase32 })
        assertThrows(TesseraException.InvalidInput::class.java) { parseImportFile("hello".toByteArray(), null, null) }
    }
}
