package org.tessera.core.test

import java.security.KeyFactory
import java.security.KeyPairGenerator
import java.security.PublicKey
import java.security.Signature
import java.security.spec.X509EncodedKeySpec
import java.util.Base64
import java.util.concurrent.CopyOnWriteArrayList
import org.tessera.core.HttpRequest
import org.tessera.core.HttpResponse
import org.tessera.core.HttpTransport
import org.tessera.core.TesseraException

private const val B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

/** RFC 4648 Base32 with padding (the wire form of privacyIDEA signatures). */
fun base32(bytes: ByteArray): String {
    val out = StringBuilder()
    var buffer = 0
    var bits = 0
    for (b in bytes) {
        buffer = (buffer shl 8) or (b.toInt() and 0xff)
        bits += 8
        while (bits >= 5) {
            out.append(B32[(buffer shr (bits - 5)) and 31])
            bits -= 5
        }
    }
    if (bits > 0) out.append(B32[(buffer shl (5 - bits)) and 31])
    while (out.length % 8 != 0) out.append('=')
    return out.toString()
}

fun unbase32(text: String): ByteArray {
    val out = java.io.ByteArrayOutputStream()
    var buffer = 0
    var bits = 0
    for (c in text.trimEnd('=')) {
        buffer = (buffer shl 5) or B32.indexOf(c).also { require(it >= 0) }
        bits += 5
        if (bits >= 8) {
            out.write((buffer shr (bits - 8)) and 0xff)
            bits -= 8
        }
    }
    return out.toByteArray()
}

/**
 * A privacyIDEA PUSH server simulated in Kotlin behind the foreign transport: it answers the
 * rollout with its RSA public key (PKCS#1), signs challenges with java.security, and checks the
 * device's signature on every answer.
 */
class SimulatedPushServer : HttpTransport {
    private val keys = KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair()
    val requests = CopyOnWriteArrayList<HttpRequest>()
    @Volatile var devicePublicKey: PublicKey? = null
    @Volatile var acceptAnswers = true

    /** PKCS#1 RSAPublicKey DER: a 2048-bit key's SubjectPublicKeyInfo after its fixed 24-byte header. */
    private fun pkcs1(): ByteArray = keys.public.encoded.let { it.copyOfRange(24, it.size) }

    fun sign(message: String): String =
        base32(Signature.getInstance("SHA256withRSA").run { initSign(keys.private); update(message.toByteArray()); sign() })

    /** A challenge payload as the server pushes it (JSON bytes). */
    fun payload(serial: String, nonce: String, url: String, question: String = "Sign in as alice?", title: String = "privacyIDEA"): ByteArray {
        val sig = sign("$nonce|$url|$serial|$question|$title|1")
        return """{"nonce":"$nonce","serial":"$serial","url":"$url","question":"$question","title":"$title","sslverify":"1","signature":"$sig"}"""
            .toByteArray()
    }

    private fun reply(json: String) = HttpResponse(200u.toUShort(), json.toByteArray(), null)

    override fun send(request: HttpRequest): HttpResponse {
        requests.add(request)
        val p = request.params.associate { it.name to it.value }
        if (p.containsKey("enrollment_credential")) {
            if (p["enrollment_credential"] != "ONETIME42") return reply("""{"result":{"status":false,"error":{"code":905,"message":"bad credential"}}}""")
            devicePublicKey = KeyFactory.getInstance("RSA").generatePublic(X509EncodedKeySpec(Base64.getDecoder().decode(p["pubkey"])))
            val key = Base64.getEncoder().encodeToString(pkcs1())
            return reply("""{"result":{"status":true,"value":true},"detail":{"rollout_state":"enrolled","public_key":"$key"}}""")
        }
        val nonce = p["nonce"] ?: return reply("""{"result":{"status":true,"value":[]}}""")
        val signed = if (p.containsKey("decline")) "$nonce|${p["serial"]}|decline" else "$nonce|${p["serial"]}"
        val ok = Signature.getInstance("SHA256withRSA").run {
            initVerify(devicePublicKey ?: throw TesseraException.Network("not enrolled"))
            update(signed.toByteArray())
            verify(unbase32(p["signature"] ?: ""))
        }
        return reply("""{"result":{"status":true,"value":${ok && acceptAnswers}}}""")
    }
}
