package org.tessera.core.test

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.CodeBook
import org.tessera.core.HashAlgorithm
import org.tessera.core.OtpType
import org.tessera.core.TesseraException
import org.tessera.core.codeAt
import org.tessera.core.formatGrouped
import org.tessera.core.formatSpoken
import org.tessera.core.hotpCode
import org.tessera.core.secondsRemaining
import org.tessera.core.secretToBase32
import org.tessera.core.validateAccount

class CodesTest {
    private val rfc6238 = listOf(
        59L to listOf("94287082", "46119246", "90693936"),
        1111111109L to listOf("07081804", "68084774", "25091201"),
        1111111111L to listOf("14050471", "67062674", "99943326"),
        1234567890L to listOf("89005924", "91819424", "93441116"),
        2000000000L to listOf("69279037", "90698825", "38618901"),
        20000000000L to listOf("65353130", "77737706", "47863826"),
    )

    private fun rfcTotp(index: Int, seed: String, alg: HashAlgorithm) {
        val acc = account(secret = seed, algorithm = alg, digits = 8u)
        for ((t, codes) in rfc6238) {
            assertEquals(codes[index], codeAt(acc, t.toULong()), "$alg at $t")
        }
    }

    @Test fun `RFC 6238 TOTP vectors SHA1`() = rfcTotp(0, RFC_SEED_SHA1, HashAlgorithm.SHA1)

    @Test fun `RFC 6238 TOTP vectors SHA256`() = rfcTotp(1, RFC_SEED_SHA256, HashAlgorithm.SHA256)

    @Test fun `RFC 6238 TOTP vectors SHA512`() = rfcTotp(2, RFC_SEED_SHA512, HashAlgorithm.SHA512)

    @Test
    fun `RFC 4226 HOTP vectors, by hotpCode and by the account counter`() {
        val want = listOf("755224", "287082", "359152", "969429", "338314",
            "254676", "287922", "162583", "399871", "520489")
        val acc = account(type = OtpType.HOTP)
        want.forEachIndexed { i, code ->
            assertEquals(code, hotpCode(acc, i.toULong()))
            assertEquals(code, codeAt(account(type = OtpType.HOTP, counter = i.toULong()), 0u))
        }
    }

    @Test
    fun `Steam Guard codes match the Steam app`() {
        val steam = account(secret = "63BEDWCQZKTQWPESARIERL5DTTQFCJTK", type = OtpType.STEAM, digits = 5u)
        assertEquals("FR8RV", codeAt(steam, 1511200518u))
        assertEquals("9P3VP", codeAt(steam, 1511200714u))
    }

    @Test
    fun `secret bytes to Base32 (Vec u8 in the signature)`() {
        assertEquals(RFC_SEED_SHA1, secretToBase32("12345678901234567890".toByteArray()))
    }

    @Test
    fun `formatting for eyes and screen readers, seconds remaining`() {
        assertEquals("123 456", formatGrouped("123456"))
        assertEquals("1234 5678", formatGrouped("12345678"))
        assertEquals("1 2 3, 4 5 6", formatSpoken("123456"))
        assertEquals(30u, secondsRemaining(30u, 60u))
        assertEquals(1u, secondsRemaining(30u, 59u))
    }

    @Test
    fun `invalid parameters are typed InvalidInput errors`() {
        assertThrows(TesseraException.InvalidInput::class.java) { codeAt(account(digits = 11u), 0u) }
        assertThrows(TesseraException.InvalidInput::class.java) { codeAt(account(period = 0u), 0u) }
        val e = assertThrows(TesseraException.InvalidInput::class.java) {
            validateAccount(account(secret = "NOT*BASE32*SECRETX"))
        }
        assertTrue("NOT*BASE32" !in (e.message ?: ""), "the secret never appears in the message")
    }

    @Test
    fun `code book computes every row in one call, equal to single codes`() {
        val accounts = (0 until 50).map { i ->
            account(secret = secretToBase32(ByteArray(20) { (it * 7 + i).toByte() }), issuer = "S$i",
                algorithm = HashAlgorithm.entries[i % 3], digits = (6 + i % 3).toUByte())
        }
        CodeBook(accounts).use { book ->
            assertEquals(50u, book.len())
            val rows = book.codesAt(1_700_000_000u)
            assertEquals(50, rows.size)
            rows.forEachIndexed { i, row ->
                assertEquals(i.toString(), row.id)
                assertEquals("S$i", row.issuer)
                assertEquals(codeAt(accounts[i], 1_700_000_000u), row.code)
                assertEquals(codeAt(accounts[i], 1_700_000_030u), row.nextCode)
                assertEquals(formatGrouped(row.code), row.grouped)
                assertEquals(formatSpoken(row.code), row.spoken)
                assertEquals(10u, row.secondsRemaining)
                assertEquals(30u, row.period)
            }
            assertEquals(rows.map { it.code }, book.currentCodesAt(1_700_000_000u))
            assertEquals(rows.map { it.code }, book.currentCodesJoined(1_700_000_000u).split('\n'))
        }
        CodeBook(emptyList()).use { empty -> assertEquals("", empty.currentCodesJoined(1_700_000_000u)) }
    }

    @Test
    fun `code book HOTP row has no countdown, and an invalid account fails the whole book`() {
        CodeBook(listOf(account(type = OtpType.HOTP, counter = 1u))).use { book ->
            val row = book.codesAt(0u).single()
            assertEquals("287082", row.code)
            assertEquals("359152", row.nextCode)
            assertNull(row.secondsRemaining)
            assertNull(row.period)
            assertEquals(OtpType.HOTP, row.otpType)
        }
        assertThrows(TesseraException.InvalidInput::class.java) {
            CodeBook(listOf(account(), account(secret = "")))
        }
    }
}
