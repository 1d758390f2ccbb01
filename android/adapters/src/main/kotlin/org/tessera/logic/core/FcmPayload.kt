package org.tessera.logic.core

/**
 * privacyIDEA sends a PUSH challenge through FCM as a data message whose keys are the challenge's
 * JSON fields (`nonce`, `question`, `title`, `serial`, `url`, `sslverify`, `signature`, and with
 * number matching `require_presence`), every value a string. The core reads the challenge as a
 * JSON object: this turns the data map back into one, byte for byte what the server signed.
 */
object FcmPayload {
    /** Largest data map accepted, in characters of keys and values (FCM itself caps it at 4 KB). */
    const val MAX_CHARS = 16 * 1024

    /** The JSON object of [data] as UTF-8 bytes, or `null` when it is larger than [MAX_CHARS]. */
    fun toJson(data: Map<String, String>): ByteArray? {
        if (data.entries.sumOf { it.key.length.toLong() + it.value.length } > MAX_CHARS) return null
        val out = StringBuilder("{")
        data.entries.forEachIndexed { i, (k, v) ->
            if (i > 0) out.append(',')
            quote(out, k)
            out.append(':')
            quote(out, v)
        }
        return out.append('}').toString().toByteArray(Charsets.UTF_8)
    }

    /** Appends [s] as a JSON string (RFC 8259: quote, backslash and control characters escaped). */
    private fun quote(out: StringBuilder, s: String) {
        out.append('"')
        for (c in s) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c < ' ' -> out.append("\\u").append("%04x".format(c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }
}
