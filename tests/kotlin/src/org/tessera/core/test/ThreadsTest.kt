package org.tessera.core.test

import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.CodeBook
import org.tessera.core.accountToUri
import org.tessera.core.codeAt
import org.tessera.core.parseUri

class ThreadsTest {
    @Test
    fun `8 threads share one code book and parse links at once`() {
        val accounts = (0 until 40).map { account(issuer = "T$it", secret = RFC_SEED_SHA1 + "A".repeat(8 * (it % 3))) }
        val want = accounts.map { codeAt(it, 1_234_567_890u) }
        CodeBook(accounts).use { book ->
            val pool = Executors.newFixedThreadPool(8)
            val start = CountDownLatch(1)
            val futures = (0 until 8).map { t ->
                pool.submit<Int> {
                    start.await()
                    var n = 0
                    repeat(200) { i ->
                        assertEquals(want, book.codesAt(1_234_567_890u).map { it.code })
                        val a = accounts[(t + i) % accounts.size]
                        assertEquals(a, parseUri(accountToUri(a)))
                        n++
                    }
                    n
                }
            }
            start.countDown()
            assertEquals(1600, futures.sumOf { it.get(120, TimeUnit.SECONDS) })
            pool.shutdown()
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS))
        }
    }

    @Test
    fun `a closed object refuses calls instead of touching freed memory`() {
        val book = CodeBook(listOf(account()))
        book.close()
        assertThrows(IllegalStateException::class.java) { book.codesAt(0u) }
        book.close() // closing twice is harmless
    }

    @Test
    fun `many objects created and closed do not leak handles`() {
        repeat(2_000) {
            CodeBook(listOf(account(), account(issuer = "b"))).use { assertEquals(2u, it.len()) }
        }
    }
}
