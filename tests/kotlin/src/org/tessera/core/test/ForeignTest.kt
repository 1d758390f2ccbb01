package org.tessera.core.test

import java.util.concurrent.atomic.AtomicLong
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.InternalException
import org.tessera.core.LogLevel
import org.tessera.core.TesseraException
import org.tessera.core.TimeSource
import org.tessera.core.debugPanic
import org.tessera.core.installLogger
import org.tessera.core.logMessage
import org.tessera.core.parseUri
import org.tessera.core.removeLogger

class ForeignTest {
    @AfterEach fun noLogger() = removeLogger()

    @Test
    fun `Rust log records reach a logger written in Kotlin`() {
        val logger = CollectingLogger()
        assertTrue(installLogger(logger, LogLevel.DEBUG))
        logMessage(LogLevel.INFO, "hello from kotlin")
        val r = logger.records.single { it.target == "tessera::foreign" }
        assertEquals(LogLevel.INFO, r.level)
        assertEquals("hello from kotlin", r.message)
    }

    @Test
    fun `the level filter applies and removeLogger stops delivery`() {
        val logger = CollectingLogger()
        installLogger(logger, LogLevel.WARN)
        logMessage(LogLevel.DEBUG, "too verbose")
        logMessage(LogLevel.ERROR, "kept")
        assertEquals(listOf("kept"), logger.records.map { it.message })
        removeLogger()
        logMessage(LogLevel.ERROR, "after removal")
        assertEquals(1, logger.records.size)
    }

    @Test
    fun `error detail goes to the log, without the secret`() {
        val logger = CollectingLogger()
        installLogger(logger, LogLevel.DEBUG)
        assertThrows(TesseraException.InvalidUri::class.java) {
            parseUri("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=99")
        }
        val detail = logger.records.filter { it.target == "tessera::bindings" }
        assertTrue(detail.any { it.message.contains("digits") }, detail.toString())
        assertFalse(detail.any { it.message.contains("JBSWY3DPEHPK3PXP") })
    }

    @Test
    fun `a logger that throws does not break Tessera`() {
        installLogger(object : org.tessera.core.Logger {
            override fun log(record: org.tessera.core.LogRecord) = throw IllegalStateException("boom")
        }, LogLevel.TRACE)
        // The exception becomes an error inside Rust (From<UnexpectedUniFFICallbackError>); the
        // record is dropped and the Rust caller carries on.
        logMessage(LogLevel.INFO, "still fine")
        val logger = CollectingLogger()
        installLogger(logger, LogLevel.INFO)
        logMessage(LogLevel.INFO, "delivered again")
        assertEquals(listOf("delivered again"), logger.records.map { it.message })
        assertEquals("Issuer", parseUri("otpauth://totp/Issuer:a?secret=JBSWY3DPEHPK3PXP").issuer)
    }

    @Test
    fun `a time source written in Kotlin drives the clock, with offset`() {
        val now = AtomicLong(1_000L)
        val clock = Clock.withSource(object : TimeSource {
            override fun nowUnixSeconds(): ULong = now.get().toULong()
        })
        clock.use {
            assertEquals(1_000uL, it.nowUnixSeconds())
            now.set(2_000L)
            assertEquals(2_000uL, it.nowUnixSeconds())
            it.setOffsetSeconds(-30)
            assertEquals(-30L, it.offsetSeconds())
            assertEquals(1_970uL, it.nowUnixSeconds())
        }
        Clock.fixed(59u).use { assertEquals(59uL, it.nowUnixSeconds()) }
        Clock.system().use { assertTrue(it.nowUnixSeconds() > 1_700_000_000uL) }
    }

    @Test
    fun `a Rust panic becomes an exception instead of killing the JVM`() {
        assertThrows(InternalException::class.java) { debugPanic() }
        assertEquals("Issuer", parseUri("otpauth://totp/Issuer:a?secret=JBSWY3DPEHPK3PXP").issuer)
    }
}
