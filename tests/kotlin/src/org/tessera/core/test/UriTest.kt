package org.tessera.core.test

import java.io.File
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.HashAlgorithm
import org.tessera.core.OtpType
import org.tessera.core.TesseraException
import org.tessera.core.accountToUri
import org.tessera.core.decodeMigration
import org.tessera.core.encodeMigration
import org.tessera.core.parseUri

class UriTest {
    @Test
    fun `parses a full TOTP link`() {
        val a = parseUri("otpauth://totp/ACME%20Co:john.doe@example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60")
        assertEquals(OtpType.TOTP, a.otpType)
        assertEquals("ACME Co", a.issuer)
        assertEquals("john.doe@example.com", a.name)
        assertEquals("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ", a.secretBase32)
        assertEquals(HashAlgorithm.SHA256, a.algorithm)
        assertEquals(8.toUByte(), a.digits)
        assertEquals(60u, a.period)
    }

    @Test
    fun `parses HOTP with counter and Steam links`() {
        val h = parseUri("otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&counter=42")
        assertEquals(OtpType.HOTP, h.otpType)
        assertEquals(42uL, h.counter)
        val s = parseUri("steam://63BEDWCQZKTQWPESARIERL5DTTQFCJTK")
        assertEquals(OtpType.STEAM, s.otpType)
        assertEquals(5.toUByte(), s.digits)
    }

    @Test
    fun `account to link and back is the same account`() {
        val a = account(issuer = "Bank & Co", name = "jane doe", algorithm = HashAlgorithm.SHA512, digits = 8u, period = 45u)
        val uri = accountToUri(a)
        assertTrue(uri.startsWith("otpauth://totp/"), uri)
        assertEquals(a, parseUri(uri))
    }

    @Test
    fun `bad links are typed InvalidUri errors`() {
        for (bad in listOf(
            "https://example.com/?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/x?issuer=NoSecret",
            "otpauth://xotp/x?secret=JBSWY3DPEHPK3PXP",
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12",
            "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC",
        )) {
            assertThrows(TesseraException.InvalidUri::class.java, { parseUri(bad) }, bad)
        }
    }

    @Test
    fun `error messages never contain the secret`() {
        val e = assertThrows(TesseraException.InvalidUri::class.java) {
            parseUri("otpauth://totp/Bank:alice?secret=SECRETSECRET189&issuer=Bank")
        }
        val msg = e.message ?: ""
        assertFalse("SECRETSECRET" in msg || "alice" in msg, msg)
        assertEquals("invalid link", msg, "a fixed message per variant; the reason goes to the log")
    }

    @Test
    fun `migration link from the README samples decodes, and encode-decode round trips`() {
        val accounts = decodeMigration("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC")
        assertEquals(1, accounts.size)
        assertEquals("Example", accounts[0].issuer)
        assertEquals("alice@google.com", accounts[0].name)
        assertEquals("JBSWY3DPEHPK3PXP", accounts[0].secretBase32)
        val mine = listOf(account(issuer = "A"), account(issuer = "B", type = OtpType.HOTP, counter = 7u))
        val back = encodeMigration(mine).flatMap { decodeMigration(it) }
        assertEquals(mine.map { it.issuer to it.secretBase32 }, back.map { it.issuer to it.secretBase32 })
        assertEquals(7uL, back[1].counter)
    }

    @Test
    fun `corpus - Google Authenticator export file decodes to the published accounts`() {
        val dir = corpusDir("migration import") ?: return
        val folder = File(dir, "google-authenticator-migration/extract_otp_secrets")
        val links = File(folder, "example_export.txt").readLines().map { it.trim() }
            .filter { it.startsWith("otpauth-migration://") }
        val accounts = links.flatMap { decodeMigration(it) }
        val expected = Regex("\"secret\": \"([A-Z2-7]+)\"").findAll(File(folder, "example_output.json").readText())
            .map { it.groupValues[1] }.toList()
        assertTrue(accounts.isNotEmpty())
        assertEquals(expected.sorted(), accounts.map { it.secretBase32 }.sorted())
    }

    @Test
    fun `corpus - every otpauth link in the plain list parses and round trips`() {
        val dir = corpusDir("URI list") ?: return
        val lines = File(dir, "otpauth-uri-list/plain.txt").readLines().filter { it.startsWith("otpauth://") }
        assertTrue(lines.size >= 5)
        for (line in lines) {
            val a = parseUri(line)
            assertEquals(a, parseUri(accountToUri(a)), line.substringBefore('?'))
        }
    }
}
