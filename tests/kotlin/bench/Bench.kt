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

/** One measured case: [iters] calls of [body] make one sample. */
class Case(val name: String, val iters: Int, val body: (Int) -> Any) {
    val cpu = ArrayList<Double>()
    val wall = ArrayList<Double>()

    /** One sample: nanoseconds per call, thread CPU time and wall time. */
    fun sample(offset: Int) {
        val c0 = threads.currentThreadCpuTime
        val w0 = System.nanoTime()
        var sink = 0
        for (i in 0 until iters) sink += body(offset + i).hashCode()
        if (sink == 42) print("")
        wall.add((System.nanoTime() - w0).toDouble() / iters)
        cpu.add((threads.currentThreadCpuTime - c0).toDouble() / iters)
    }

    val median: Double get() = cpu.sorted()[cpu.size / 2]
}

fun median(xs: List<Double>) = xs.sorted()[xs.size / 2]

/**
 * Runs every case once per round, round after round, so all cases see the same machine state
 * (a busy neighbour or a JIT pause spreads over all of them instead of landing on one), and
 * reports medians over the rounds in this thread's CPU time: the FFI calls run synchronously on
 * the calling thread, so CPU time counts the Rust work too. Wall time is printed beside it.
 */
fun runRounds(cases: List<Case>, rounds: Int) {
    for (c in cases) repeat(3) { c.sample(0) } // warm-up (JIT)
    for (c in cases) { c.cpu.clear(); c.wall.clear() }
    for (r in 0 until rounds) for (c in cases) c.sample(r * c.iters)
    for (c in cases) {
        println("%-62s %9.1f µs cpu %9.1f µs wall".format(c.name, c.median / 1000, median(c.wall) / 1000))
    }
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
    val one = CodeBook(accounts.take(1))
    // Same answers before timing anything.
    val expected = kotlin.map { it.codeAt(t0) }
    check(book.currentCodesAt(t0.toULong()) == expected) { "FFI and Kotlin codes differ" }
    check(book.currentCodesJoined(t0.toULong()).split('\n') == expected) { "joined codes differ" }
    val joined500 = book.currentCodesJoined(t0.toULong())

    fun t(i: Int) = t0 + i * 30L // a new time step every call: nothing can be cached
    val ffiJoined = Case("FFI: CodeBook.currentCodesJoined + split (1 call, 500 codes)", 100) {
        book.currentCodesJoined(t(it).toULong()).split('\n')
    }
    val ffiCodes = Case("FFI: CodeBook.currentCodesAt (1 call, 500 codes)", 100) { book.currentCodesAt(t(it).toULong()) }
    val ffiRows = Case("FFI: CodeBook.codesAt (1 call, 500 full rows + next code)", 40) { book.codesAt(t(it).toULong()) }
    val kt = Case("Kotlin: javax.crypto.Mac loop, prepared Macs (500 codes)", 100) { i ->
        val time = t(i); kotlin.map { it.codeAt(time) }
    }
    val ktNaive = Case("Kotlin: Mac.getInstance+init per code (500 codes)", 20) { i ->
        val time = t(i); secrets.map { KotlinTotp(it).codeAt(time) }
    }
    val perEntry = Case("FFI: codeAt per entry (500 calls)", 3) { i ->
        val time = t(i).toULong(); accounts.map { codeAt(it, time) }
    }
    val joinedOnly = Case("  part: currentCodesJoined alone (no split)", 100) { book.currentCodesJoined(t(it).toULong()) }
    val joinedOne = Case("  part: currentCodesJoined of a 1-account book", 2000) { one.currentCodesJoined(t(it).toULong()) }
    val splitOnly = Case("  part: split of the 500-code string in Kotlin", 1000) { joined500.split('\n') }
    val trivial = Case("FFI: one trivial call (secondsRemaining)", 10_000) { secondsRemaining(30u, it.toULong()) }
    val cases = listOf(ffiJoined, ffiCodes, ffiRows, kt, ktNaive, perEntry, joinedOnly, joinedOne, splitOnly, trivial)

    val rounds = 31
    println("list refresh of $ACCOUNTS TOTP accounts (median of $rounds interleaved rounds)")
    runRounds(cases, rounds)
    // Ratios per round (the two sides measured moments apart), then the median.
    fun ratio(a: Case, b: Case) = median(a.cpu.indices.map { a.cpu[it] / b.cpu[it] })
    println()
    println("ratio Kotlin loop / FFI one call (joined codes):  %.2f (>1: FFI faster)".format(ratio(kt, ffiJoined)))
    println("ratio Kotlin loop / FFI one call (code list):     %.2f".format(ratio(kt, ffiCodes)))
    println("ratio Kotlin loop / FFI one call (full rows):     %.2f".format(ratio(kt, ffiRows)))
    println("ratio naive Kotlin / FFI one call (joined):      %.2f".format(ratio(ktNaive, ffiJoined)))
    println("one call for the list vs one call per entry:     %.1fx faster".format(ratio(perEntry, ffiCodes)))
    println("per-call FFI overhead: %.2f µs".format(trivial.median / 1000))
    book.close()
    one.close()
}
