package org.tessera.core.test

import java.io.File
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.HttpRequest
import org.tessera.core.HttpResponse
import org.tessera.core.HttpTransport
import org.tessera.core.PushApprovals
import org.tessera.core.TesseraException
import org.tessera.core.createVault
import org.tessera.core.kdfInsecureForTests

/** A transport written in Kotlin that must not be reached (or fails like a dead network). */
class OfflineTransport : HttpTransport {
    val calls = AtomicInteger()
    override fun send(request: HttpRequest): HttpResponse {
        calls.incrementAndGet()
        throw TesseraException.Network("offline")
    }
}

class PushTest {
    private val dir: File = Files.createTempDirectory("tessera-push-test").toFile()

    @AfterEach fun cleanup() { dir.deleteRecursively() }

    private fun vault() = createVault(File(dir, "v.db").path, "pw", kdfInsecureForTests()).vault

    @Test
    fun `a fresh vault has no tokens, requests or history`() {
        vault().use { v ->
            val push = PushApprovals(v, OfflineTransport(), Clock.fixed(1_700_000_000u))
            assertTrue(push.tokens().isEmpty())
            assertTrue(push.requests().isEmpty())
            assertTrue(push.pending().isEmpty())
            assertTrue(push.history().isEmpty())
            assertEquals("[]", push.historyJson())
            assertEquals(0L, push.clockOffsetSeconds())
            val poll = push.poll()
            assertEquals(0u, poll.newRequests)
            assertTrue(poll.errors.isEmpty())
        }
    }

    @Test
    fun `malformed enrollment links are typed errors and never reach the network`() {
        vault().use { v ->
            val transport = OfflineTransport()
            val push = PushApprovals(v, transport, null)
            for (bad in listOf("", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", "otpauth://pipush/x", "otpauth://pipush/PIPU1?url=ftp://x")) {
                assertThrows(TesseraException.InvalidUri::class.java, { push.enroll(bad) }, bad)
            }
            assertEquals(0, transport.calls.get())
            assertTrue(push.tokens().isEmpty())
        }
    }

    @Test
    fun `a forged payload is refused with a typed error and recorded in the history`() {
        vault().use { v ->
            val push = PushApprovals(v, OfflineTransport(), Clock.fixed(1_700_000_000u))
            val forged = """{"nonce":"ABCDEFGHIJKLMNOP","serial":"PIPU0001ABCD","url":"https://pi.example.com/ttype/push",
                "question":"Sign in?","title":"privacyIDEA","sslverify":"1","signature":"AAAA"}""".toByteArray()
            assertThrows(TesseraException.InvalidInput::class.java) { push.receivePayload(forged) }
            assertThrows(TesseraException.InvalidInput::class.java) { push.receivePayload("not json".toByteArray()) }
            val history = push.history()
            assertEquals(2, history.size, history.toString())
            assertTrue(history.all { it.event == "refused" })
            assertEquals(1_700_000_000uL, history[0].at)
            assertTrue(push.pending().isEmpty(), "nothing was accepted")
            assertTrue(push.historyJson().contains("\"event\":\"refused\""))
            assertThrows(TesseraException.NotFound::class.java) { push.approve("ABCDEFGHIJKLMNOP", null) }
        }
    }

    @Test
    fun `a locked vault is a typed error`() {
        vault().use { v ->
            val push = PushApprovals(v, OfflineTransport(), null)
            v.lock()
            assertThrows(TesseraException.Locked::class.java) { push.history() }
        }
    }
}

class PushFlowTest {
    private val dir: File = Files.createTempDirectory("tessera-push-flow").toFile()
    private val url = "https://pi.example.com/ttype/push"
    private val serial = "PIPU0001ABCD"
    private val enrollUri =
        "otpauth://pipush/alice?url=https%3A%2F%2Fpi.example.com%2Fttype%2Fpush&ttl=10&issuer=privacyIDEA" +
            "&enrollment_credential=ONETIME42&v=1&serial=$serial&sslverify=1&poll_only=True"

    @AfterEach fun cleanup() { dir.deleteRecursively() }

    @Test
    fun `enroll, receive a signed request, approve and deny through a Kotlin transport`() {
        val server = SimulatedPushServer()
        createVault(File(dir, "v.db").path, "pw", kdfInsecureForTests()).vault.use { v ->
            val push = PushApprovals(v, server, Clock.fixed(1_700_000_000u))
            val token = push.enroll(enrollUri)
            assertEquals(serial, token.serial)
            assertEquals("privacyIDEA", token.issuer)
            assertEquals(listOf(serial), push.tokens().map { it.serial })
            assertTrue(push.tokens().single().pollOnly, "the link says poll_only=True")
            assertFalse(push.tokens().single().pushServiceTokenSet)
            assertThrows(TesseraException.InvalidInput::class.java) { push.enroll(enrollUri) }

            val first = push.receivePayload(server.payload(serial, "NONCEONE", url))
            assertEquals("pending", first.state)
            assertEquals("Sign in as alice?", first.question)
            assertEquals(1_700_000_120uL, first.expiresAt)
            assertEquals(listOf("NONCEONE"), push.pending().map { it.id })
            assertEquals(null, push.approve("NONCEONE", null))
            assertTrue(push.pending().isEmpty())
            assertEquals("approved", push.requests().single().state)
            // The same challenge again is a replay.
            assertThrows(TesseraException.InvalidInput::class.java) { push.receivePayload(server.payload(serial, "NONCEONE", url)) }
            assertThrows(TesseraException.InvalidInput::class.java) { push.approve("NONCEONE", null) }

            // A tampered question breaks the server signature.
            val tampered = String(server.payload(serial, "NONCETWO", url)).replace("alice", "mallory").toByteArray()
            assertThrows(TesseraException.InvalidInput::class.java) { push.receivePayload(tampered) }

            push.receivePayload(server.payload(serial, "NONCE3", url))
            val denied = push.deny("NONCE3", org.tessera.core.DeclineReason.NOT_ME)
            assertEquals("denied", denied.state)
            assertEquals("not-me", denied.stateReason)

            val events = push.history().map { it.event }
            // Refused: the replay, the second answer to a decided request, the tampered challenge.
            assertEquals(listOf("received", "approved", "refused", "refused", "refused", "received", "denied"), events)
            val json = push.historyJson()
            assertFalse(json.contains(server.sign("x").take(16)), "no signatures in the history")
            assertTrue(server.requests.all { it.url == url })
        }
    }

    @Test
    fun `the vault stays usable by another thread while an approval is on the network`() {
        val server = SimulatedPushServer()
        createVault(File(dir, "v.db").path, "pw", kdfInsecureForTests()).vault.use { v ->
            v.addUri("otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example")
            val onTheNetwork = java.util.concurrent.CountDownLatch(1)
            val codesRead = java.util.concurrent.CountDownLatch(1)
            // A slow network: the answer waits until another thread has read the codes.
            val slow = object : HttpTransport {
                override fun send(request: HttpRequest): HttpResponse {
                    if (request.params.any { it.name == "nonce" }) {
                        onTheNetwork.countDown()
                        assertTrue(codesRead.await(20, java.util.concurrent.TimeUnit.SECONDS), "the codes list was blocked")
                    }
                    return server.send(request)
                }
            }
            val push = PushApprovals(v, slow, Clock.fixed(1_700_000_000u))
            push.enroll(enrollUri)
            push.receivePayload(server.payload(serial, "NONCEONE", url))
            val reader = Thread {
                onTheNetwork.await()
                assertEquals(1, v.codesAt(1_700_000_000u).size)
                codesRead.countDown()
            }.apply { start() }
            assertEquals(null, push.approve("NONCEONE", null))
            reader.join(20_000)
            assertEquals(0L, codesRead.count, "the other thread read the codes during the approval")
            assertEquals("approved", push.requests().single().state)
        }
    }

    @Test
    fun `a server that refuses the answer and a dead network are typed errors`() {
        val server = SimulatedPushServer()
        createVault(File(dir, "v.db").path, "pw", kdfInsecureForTests()).vault.use { v ->
            val push = PushApprovals(v, server, Clock.fixed(1_700_000_000u))
            push.enroll(enrollUri)
            push.receivePayload(server.payload(serial, "NONCEONE", url))
            server.acceptAnswers = false
            assertThrows(TesseraException::class.java) { push.approve("NONCEONE", null) }
            val offline = PushApprovals(v, OfflineTransport(), Clock.fixed(1_700_000_000u))
            push.receivePayload(server.payload(serial, "NONCETWO", url))
            assertThrows(TesseraException.Network::class.java) { offline.approve("NONCETWO", null) }
            assertEquals("pending", offline.requests().first { it.id == "NONCETWO" }.state)
        }
    }
}
