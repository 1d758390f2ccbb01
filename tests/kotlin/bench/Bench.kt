// JVM benchmark harness (not a test): a list-screen refresh of 500 accounts through Tessera's
// one-call API against a pure-Kotlin javax.crypto.Mac TOTP loop over the same accounts, in the
// same JVM run. Prints the per-refresh times, the ratio and the per-call FFI overhead.
package org.tessera.core.bench

import java.nio.ByteBuffer
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.random.Random
import org.tessera.core.Account
import org.tessera.core.CodeBook
import org.tessera.core.HashAlgorithm
import org.tessera.core.OtpType
import org.tessera.core.codeAt
import org.tessera.core.secondsRemaining
import org.tessera.core.secretToBase32

const val ACCOUNTS = 500

/** The same TOTP in plain Kotlin: prepared Mac per account, RFC 4226 truncation, 6 digits. */
class KotlinTotp(secret: ByteArray) {
    private val mac = Mac.getInstance("HmacSHA1").apply { init(SecretKeySpec(secret, "HmacSHA1")) }
    private val buf = ByteBuffer.allocate(8)
    fun codeAt(t: Long): String {
        buf.clear(); buf.putLong(t / 30)
        val h = mac.doFinal(buf.array())
        val o = h[h.size - 1].toInt() and 0xf
        val v = ((h[o].toInt() and 0x7f) shl 24) or ((h[o + 1].toInt() and 0xff) shl 16) or
            ((h[o + 2].toInt() and 0xff) shl 8) or (h[o + 3].toInt() and 0xff)
        return (v % 1_000_000).toString().padStart(6, '0')
    }
}

private val threads = java.lang.management.ManagementFactory.getThreadMXBean()

/**
 * Median nanoseconds per invocation of [body] over [rounds] rounds of [iters] calls, in this
 * thread's CPU time: the FFI calls run synchronously on the calling thread, so CPU time counts the
 * Rust work too, and other processes on a busy machine do not inflate either side. Wall time is
 * printed beside it.
 */
fun measure(name: String, iters: Int, rounds: Int = 9, body: (Int) -> Any): Double {
    repeat(iters) { body(it) } // warm-up
    val cpu = DoubleArray(rounds)
    val wall = DoubleArray(rounds)
    for (r in 0 until rounds) {
        val c0 = threads.currentThreadCpuTime
        val w0 = System.nanoTime()
        var sink = 0
        for (i in 0 until iters) sink += body(i).hashCode()
        if (sink == 42) print("")
        wall[r] = (System.nanoTime() - w0).toDouble() / iters
        cpu[r] = (threads.currentThreadCpuTime - c0).toDouble() / iters
    }
    cpu.sort(); wall.sort()
    val med = cpu[rounds / 2]
    println("%-58s %9.1f µs cpu %9.1f µs wall".format(name, med / 1000, wall[rounds / 2] / 1000))
    return med
}

fun main() {
    val rnd = Random(7)
    val secrets = List(ACCOUNTS) { rnd.nextBytes(20) }
    val accounts = secrets.mapIndexed { i, s ->
        Account(OtpType.TOTP, "Issuer $i", "user$i@example.com", secretToBase32(s), HashAlgorithm.SHA1,
            6u, 30u, 0u, emptyList(), "", false, emptyMap())
    }
    val kotlin = secrets.map { KotlinTotp(it) }
    val t0 = 1_700_000_000L
    val book = CodeBook(accounts)
    // Same answers before timing anything.
    check(book.currentCodesAt(t0.toULong()) == kotlin.map { it.codeAt(t0) }) { "FFI and Kotlin codes differ" }

    println("list refresh of $ACCOUNTS TOTP accounts (median per refresh)")
    check(book.currentCodesJoined(t0.toULong()).split('\n') == kotlin.map { it.codeAt(t0) }) { "joined codes differ" }
    val ffiJoined = measure("FFI: CodeBook.currentCodesJoined + split (1 call, 500 codes)", 400) {
        book.currentCodesJoined((t0 + it * 30).toULong()).split('\n')
    }
    val ffiCodes = measure("FFI: CodeBook.currentCodesAt (1 call, 500 codes)", 400) { book.currentCodesAt((t0 + it * 30).toULong()) }
    val ffiRows = measure("FFI: CodeBook.codesAt (1 call, 500 full rows + next code)", 200) { book.codesAt((t0 + it * 30).toULong()) }
    val kt = measure("Kotlin: javax.crypto.Mac loop, prepared Macs (500 codes)", 400) { i ->
        val t = t0 + i * 30; kotlin.map { it.codeAt(t) }
    }
    val ktNaive = measure("Kotlin: Mac.getInstance+init per code (500 codes)", 50) { i ->
        val t = t0 + i * 30; secrets.map { KotlinTotp(it).codeAt(t) }
    }
    val perEntry = measure("FFI: codeAt per entry (500 calls)", 20) { i ->
        val t = (t0 + i * 30).toULong(); accounts.map { codeAt(it, t) }
    }
    val overhead = measure("FFI: one trivial call (secondsRemaining)", 200_000) { secondsRemaining(30u, it.toULong()) }
    println()
    println("ratio Kotlin loop / FFI one call (joined codes):  %.2f (>1: FFI faster)".format(kt / ffiJoined))
    println("ratio Kotlin loop / FFI one call (code list):     %.2f".format(kt / ffiCodes))
    println("ratio Kotlin loop / FFI one call (full rows):     %.2f".format(kt / ffiRows))
    println("ratio naive Kotlin / FFI one call (current):     %.2f".format(ktNaive / ffiCodes))
    println("one call for the list vs one call per entry:     %.1fx faster".format(perEntry / ffiCodes))
    println("per-call FFI overhead: %.2f µs".format(overhead / 1000))
    book.close()
}
