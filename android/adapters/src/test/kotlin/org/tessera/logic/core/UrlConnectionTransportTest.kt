package org.tessera.logic.core

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.URLDecoder
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.HttpParam
import org.tessera.core.HttpRequest
import org.tessera.core.PushApprovals
import org.tessera.core.TesseraException
import org.tessera.logic.ApprovalOutcome

/** [UrlConnectionTransport] against a loopback HTTP server (JDK's own), stopped after each test. */
class UrlConnectionTransportTest {
    private fun serve(handler: (HttpExchange) -> Unit, block: (String) -> Unit) {
        val server = HttpServer.create(InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        server.createContext("/") { ex -> ex.use { handler(it) } }
        server.start()
        try {
            block("http://127.0.0.1:${server.address.port}")
        } finally {
            server.stop(0)
        }
    }

    private fun respond(ex: HttpExchange, status: Int, body: ByteArray, headers: Map<String, String> = emptyMap()) {
        headers.forEach { (k, v) -> ex.responseHeaders.add(k, v) }
        ex.sendResponseHeaders(status, if (body.isEmpty()) -1 else body.size.toLong())
        if (body.isNotEmpty()) ex.responseBody.use { it.write(body) }
    }

    private fun form(text: String?): Map<String, String> = text.orEmpty().split('&').filter { it.isNotEmpty() }.associate {
        val (k, v) = it.split('=', limit = 2)
        URLDecoder.decode(k, "UTF-8") to URLDecoder.decode(v, "UTF-8")
    }

    @Test
    fun getAndPostCarryFormEncodedParametersStatusBodyAndDate() {
        serve({ ex ->
            val params = if (ex.requestMethod == "GET") form(ex.requestURI.rawQuery) else form(String(ex.requestBody.readBytes()))
            val status = if (params["fail"] == "1") 403 else 200
            respond(ex, status, "${ex.requestMethod} ${params["a"]}|${params["b"]}".toByteArray())
        }) { base ->
            val t = UrlConnectionTransport()
            val params = listOf(HttpParam("a", "x y&z=1"), HttpParam("b", "é+/"))
            val get = t.send(HttpRequest("GET", "$base/ttype/push", params, true))
            assertEquals(200, get.status.toInt())
            assertEquals("GET x y&z=1|é+/", String(get.body))
            // The JDK server sets Date itself: it must arrive as an RFC 7231 date for the drift check.
            assertTrue(get.date.orEmpty().matches(Regex("""\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT""")), get.date)
            val post = t.send(HttpRequest("POST", "$base/ttype/push", params, true))
            assertEquals("POST x y&z=1|é+/", String(post.body))
            val refused = t.send(HttpRequest("POST", "$base/ttype/push", params + HttpParam("fail", "1"), true))
            assertEquals(403, refused.status.toInt(), "a 4xx is a response, not a transport error")
            assertEquals("POST x y&z=1|é+/", String(refused.body))
        }
    }

    @Test
    fun redirectsAreNotFollowedAndHugeBodiesRefused() {
        serve({ ex ->
            when (ex.requestURI.path) {
                "/moved" -> respond(ex, 302, ByteArray(0), mapOf("Location" to "/elsewhere"))
                "/huge" -> respond(ex, 200, ByteArray(UrlConnectionTransport.MAX_BODY_BYTES + 1))
                else -> respond(ex, 500, "followed".toByteArray())
            }
        }) { base ->
            val t = UrlConnectionTransport()
            assertEquals(302, t.send(HttpRequest("GET", "$base/moved", emptyList(), true)).status.toInt())
            assertThrows(TesseraException.Network::class.java) { t.send(HttpRequest("GET", "$base/huge", emptyList(), true)) }
        }
        // Nothing listens there any more.
        assertThrows(TesseraException.Network::class.java) {
            UrlConnectionTransport(connectTimeoutMillis = 2_000).send(HttpRequest("GET", "http://127.0.0.1:9/none", emptyList(), true))
        }
    }

    @Test
    fun aWholeEnrollmentAndApprovalOverRealHttp() {
        var sim: PrivacyIdeaSim? = null
        serve({ ex ->
            val params = if (ex.requestMethod == "GET") ex.requestURI.rawQuery else String(ex.requestBody.readBytes())
            val reply = sim!!.send(HttpRequest(ex.requestMethod, "http://127.0.0.1${ex.requestURI.path}",
                form(params).map { HttpParam(it.key, it.value) }, true))
            respond(ex, reply.status.toInt(), reply.body)
        }) { base ->
            val server = PrivacyIdeaSim(1_700_000_000, url = "$base/ttype/push").also { sim = it }
            TempDir().use { tmp ->
                tmp.vault("v.tessera").vault.use { v ->
                    PushApprovals(v, UrlConnectionTransport(), Clock.fixed(1_700_000_000u)).use { push ->
                        val source = PushApprovalSource(push)
                        assertEquals(server.serial, source.enroll(server.enrollUri))
                        server.challenge("NONCEHTTP")
                        val pending = source.pending(1_700_000_000)
                        assertEquals(listOf("NONCEHTTP"), pending.map { it.id }, "found by a signed poll over HTTP")
                        assertEquals(ApprovalOutcome.Accepted(null), source.approve("NONCEHTTP", null))
                        assertEquals(listOf("approved:NONCEHTTP"), server.outcomes)
                        assertTrue(source.pending(1_700_000_000).isEmpty())
                    }
                }
            }
        }
    }
}
