package org.tessera.logic.core

import java.security.KeyFactory
import java.security.KeyPairGenerator
import java.security.PublicKey
import java.security.Signature
import java.security.spec.X509EncodedKeySpec
import java.util.Base64
import org.tessera.core.HttpRequest
import org.tessera.core.HttpResponse
import org.tessera.core.HttpTransport
import org.tessera.core.TesseraException

private const val B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

/** RFC 4648 Base32 with padding (privacyIDEA's signature encoding). */
fun base32(bytes: ByteArray): String = buildString {
    var buffer = 0
    var bits = 0
    for (b in bytes) {
        buffer = (buffer shl 8) or (b.toInt() and 0xff)
        bits += 8
        while (bits >= 5) {
            append(B32[(buffer shr (bits - 5)) and 31])
            bits -= 5
        }
    }
    if (bits > 0) append(B32[(buffer shl (5 - bits)) and 31])
    while (length % 8 != 0) append('=')
}

/** Decodes [base32]. */
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
 * A privacyIDEA PUSH server (protocol as in /work/shared/notes/privacyidea.md) behind the foreign
 * transport: rollout with its RSA key, signed challenges (optionally with number matching), the
 * poll endpoint, and signed answers checked with the device key. Its clock runs [skewSeconds]
 * ahead of [deviceNow], reported in every reply's `time` so the core measures the drift.
 */
class PrivacyIdeaSim(
    private val deviceNow: Long,
    /** How far the server's clock runs ahead of [deviceNow], in seconds. */
    @Volatile var skewSeconds: Long = 0,
    /** The enrollment link's one-time credential. */
    val credential: String = "ONETIME42",
    /** The server's URL for answers and polls. */
    val url: String = "https://pi.example.com/ttype/push",
    /** Whether the enrollment link asks for a push-service token (privacyIDEA with a Firebase gateway). */
    val pushing: Boolean = false,
) : HttpTransport {
    /** The token serial of [enrollUri]. */
    val serial = "PIPU0001ABCD"
    /** The enrollment QR code's link (poll-only, as without Firebase). */
    val enrollUri = "otpauth://pipush/alice?url=${java.net.URLEncoder.encode(url, "UTF-8")}&ttl=10&issuer=NHS%20IdP" +
        "&enrollment_credential=$credential&v=1&serial=$serial&sslverify=1" + (if (pushing) "" else "&poll_only=True")

    private val keys = KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair()
    private var devicePublicKey: PublicKey? = null

    /** Open challenges by nonce, with the option the login screen shows (number matching). */
    private val open = LinkedHashMap<String, Pair<Map<String, String>, String?>>()

    /** What the server saw, for assertions: "approved:NONCE", "declined:NONCE", "wrong:NONCE". */
    val outcomes = mutableListOf<String>()

    /** The push-service tokens the server was given: the rollout's `fbtoken`, then each verified `new_fb_token`. */
    val pushServiceTokens = mutableListOf<String>()

    /** Push-service token updates are refused (a server that is down for them). */
    @Volatile var refuseTokenUpdates = false

    /** Answers are refused (like a server that already closed the challenge). */
    @Volatile var refuseAnswers = false

    /** Forgets challenges and outcomes and answers normally again (the enrollment stays). */
    fun reset() {
        open.clear()
        outcomes.clear()
        refuseAnswers = false
        skewSeconds = 0
    }

    private fun sign(message: String): String =
        base32(Signature.getInstance("SHA256withRSA").run { initSign(keys.private); update(message.toByteArray()); sign() })

    /** Creates a challenge; with [options] the login screen shows [correct]. Returns the FCM data map. */
    fun challenge(nonce: String, question: String = "Sign in as alice from 192.0.2.7?", options: List<String>? = null, correct: String? = null): Map<String, String> {
        val title = "NHS sign-in"
        val presence = options?.joinToString(",")
        val signed = "$nonce|$url|$serial|$question|$title|1" + (presence?.let { "|$it" } ?: "")
        val data = buildMap {
            put("nonce", nonce); put("question", question); put("title", title); put("serial", serial)
            put("sslverify", "1"); put("url", url); put("signature", sign(signed))
            if (presence != null) { put("require_presence", presence); put("version", "2") }
        }
        open[nonce] = data to correct
        return data
    }

    private fun reply(value: String, detail: String? = null): HttpResponse {
        val d = detail?.let { ""","detail":$it""" } ?: ""
        return HttpResponse(200u.toUShort(), """{"result":{"status":true,"value":$value}$d,"time":${deviceNow + skewSeconds}.0}""".toByteArray(), null)
    }

    private fun verified(message: String, signature: String?): Boolean = Signature.getInstance("SHA256withRSA").run {
        initVerify(devicePublicKey ?: throw TesseraException.Network("not enrolled"))
        update(message.toByteArray())
        verify(unbase32(signature ?: ""))
    }

    private fun json(m: Map<String, String>) = String(FcmPayload.toJson(m)!!, Charsets.UTF_8)

    override fun send(request: HttpRequest): HttpResponse {
        val p = request.params.associate { it.name to it.value }
        if (p.containsKey("enrollment_credential")) {
            if (p["enrollment_credential"] != credential) {
                return HttpResponse(400u.toUShort(), """{"result":{"status":false,"error":{"code":905,"message":"bad credential"}}}""".toByteArray(), null)
            }
            pushServiceTokens += p["fbtoken"] ?: "(none)"
            devicePublicKey = KeyFactory.getInstance("RSA").generatePublic(X509EncodedKeySpec(Base64.getDecoder().decode(p["pubkey"])))
            val pkcs1 = keys.public.encoded.let { it.copyOfRange(24, it.size) } // SPKI minus its fixed 2048-bit header
            return reply("true", """{"rollout_state":"enrolled","public_key":"${Base64.getEncoder().encodeToString(pkcs1)}"}""")
        }
        if (request.method == "GET") {
            check(verified("${p["serial"]}|${p["timestamp"]}", p["signature"])) { "bad poll signature" }
            return reply(open.values.joinToString(",", "[", "]") { json(it.first) })
        }
        p["new_fb_token"]?.let { token ->
            if (refuseTokenUpdates) return HttpResponse(503u.toUShort(), "unavailable".toByteArray(), null)
            if (!verified("$token|${p["serial"]}|${p["timestamp"]}", p["signature"])) return reply("false")
            pushServiceTokens += token
            return reply("true")
        }
        val nonce = p["nonce"] ?: return reply("false")
        val (_, correct) = open[nonce] ?: return reply("false")
        if (p.containsKey("decline")) {
            if (!verified("$nonce|${p["serial"]}|decline", p["signature"]) || refuseAnswers) return reply("false")
            open.remove(nonce)
            outcomes += "declined:$nonce"
            return reply("true")
        }
        val answer = p["presence_answer"]
        val signed = if (answer != null) "$nonce|${p["serial"]}|$answer" else "$nonce|${p["serial"]}"
        if (!verified(signed, p["signature"]) || refuseAnswers) return reply("false")
        if (correct != null && answer != correct) {
            outcomes += "wrong:$nonce" // privacyIDEA keeps the challenge open for another try
            return reply("false")
        }
        open.remove(nonce)
        outcomes += "approved:$nonce"
        return reply("true")
    }
}
