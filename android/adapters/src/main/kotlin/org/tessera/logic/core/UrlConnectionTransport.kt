package org.tessera.logic.core

import org.tessera.core.HttpParam
import org.tessera.core.HttpRequest
import org.tessera.core.HttpResponse
import org.tessera.core.HttpTransport
import org.tessera.core.TesseraException
import java.io.ByteArrayOutputStream
import java.io.IOException
import java.io.InputStream
import java.net.HttpURLConnection
import java.net.URI
import java.net.URLEncoder
import java.security.cert.X509Certificate
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLSocketFactory
import javax.net.ssl.X509TrustManager

/**
 * The core's push [HttpTransport] over `java.net.HttpURLConnection`, so on Android push traffic
 * uses the platform's TLS, trust store and network security config (a hospital's own CA installed
 * by its device management works), unlike the core's built-in client with its fixed web PKI roots.
 *
 * As the core requires: every status is a response (4xx/5xx bodies included), redirects are not
 * followed, bodies over [MAX_BODY_BYTES] are refused, and `verifyTls = false` (only when the
 * enrollment said `sslverify=0`) skips certificate checks for that one connection. Failures are
 * `TesseraException.Network` with a fixed message: parameter values (credentials, signatures)
 * never reach an error or a log.
 */
class UrlConnectionTransport(
    private val connectTimeoutMillis: Int = 15_000,
    private val readTimeoutMillis: Int = 30_000,
) : HttpTransport {
    override fun send(request: HttpRequest): HttpResponse {
        val form = encode(request.params)
        val get = when (request.method) {
            "GET" -> true
            "POST" -> false
            else -> throw TesseraException.Network("unsupported method")
        }
        val target = if (get && form.isNotEmpty()) "${request.url}?$form" else request.url
        val connection = try {
            URI(target).toURL().openConnection() as? HttpURLConnection ?: throw TesseraException.Network("not an http(s) URL")
        } catch (e: TesseraException) {
            throw e
        } catch (e: Exception) {
            throw TesseraException.Network("bad URL")
        }
        try {
            connection.instanceFollowRedirects = false
            connection.useCaches = false
            connection.connectTimeout = connectTimeoutMillis
            connection.readTimeout = readTimeoutMillis
            if (connection is HttpsURLConnection && !request.verifyTls) {
                connection.sslSocketFactory = Lax.factory
                connection.hostnameVerifier = javax.net.ssl.HostnameVerifier { _, _ -> true }
            }
            if (get) {
                connection.requestMethod = "GET"
            } else {
                val body = form.toByteArray(Charsets.UTF_8)
                connection.requestMethod = "POST"
                connection.doOutput = true
                connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                connection.setFixedLengthStreamingMode(body.size)
                connection.outputStream.use { it.write(body) }
            }
            val status = connection.responseCode
            if (status !in 100..599) throw TesseraException.Network("bad HTTP status")
            val stream = if (status >= 400) connection.errorStream else connection.inputStream
            val body = stream?.use { read(it) } ?: ByteArray(0)
            return HttpResponse(status.toUShort(), body, connection.getHeaderField("Date"))
        } catch (e: TesseraException) {
            throw e
        } catch (e: IOException) {
            throw TesseraException.Network("the connection failed")
        } finally {
            connection.disconnect()
        }
    }

    /** Reads at most [MAX_BODY_BYTES]; a longer body is refused rather than truncated. */
    private fun read(input: InputStream): ByteArray {
        val out = ByteArrayOutputStream()
        val buffer = ByteArray(8192)
        while (true) {
            val n = input.read(buffer)
            if (n < 0) return out.toByteArray()
            if (out.size() + n > MAX_BODY_BYTES) throw TesseraException.Network("the reply is too large")
            out.write(buffer, 0, n)
        }
    }

    private fun encode(params: List<HttpParam>): String = params.joinToString("&") {
        URLEncoder.encode(it.name, Charsets.UTF_8.name()) + "=" + URLEncoder.encode(it.value, Charsets.UTF_8.name())
    }

    /** A TLS socket factory that accepts any certificate, for `sslverify=0` enrollments only. */
    private object Lax : X509TrustManager {
        val factory: SSLSocketFactory by lazy {
            SSLContext.getInstance("TLS").apply { init(null, arrayOf(this@Lax), null) }.socketFactory
        }

        override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?) = Unit
        override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?) = Unit
        override fun getAcceptedIssuers(): Array<X509Certificate> = emptyArray()
    }

    companion object {
        /** Largest reply body accepted, in bytes (the core's own limit: 1 MiB). */
        const val MAX_BODY_BYTES = 1024 * 1024
    }
}
