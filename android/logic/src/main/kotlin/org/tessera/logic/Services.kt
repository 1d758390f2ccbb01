package org.tessera.logic

/** Adds and edits accounts: the core's vault in the app. */
interface AccountStore {
    /** Saves the accounts in [links] (otpauth:// or otpauth-migration://); returns how many were new. */
    fun add(links: List<String>): Int

    /** Deletes an account. */
    fun delete(id: String)

    /** Pins or unpins an account. */
    fun setFavourite(id: String, favourite: Boolean)
}

/** Encrypted backups and imports from other apps: the core's export/import in the app. */
interface BackupService {
    /** An encrypted backup of the whole vault, sealed with [password]. */
    fun export(password: String): ByteArray

    /** Imports another app's export (or a Tessera backup); [password] when the file is encrypted. */
    fun import(bytes: ByteArray, fileName: String?, password: String?): ImportReport

    /** Opens [bytes] with [password] without importing, and compares it with the vault. */
    fun verify(bytes: ByteArray, password: String): BackupCheck
}

/** Push payloads from FCM/APNs, handed to the core (which verifies and stores them). */
fun interface PushInbox {
    /** Delivers one push message's data; returns the new request's id, or `null` if it was dropped. */
    fun deliver(data: Map<String, String>): String?

    /**
     * The push service (FCM `onNewToken`) gave the app a new token: tell the sign-in servers, so
     * they push to it. The default (an inbox that cannot register tokens) tells no one.
     */
    fun pushServiceTokenChanged(token: String): PushTokenRegistration = PushTokenRegistration(0, 0, emptyList())
}

/**
 * What telling the servers a new push-service token did: how many tokens' servers now hold it,
 * how many were skipped (enrolled poll-only: their server never pushes), and the serials whose
 * server could not be told (network, refused; they keep the old token until the next change).
 */
data class PushTokenRegistration(val updated: Int, val skippedPollOnly: Int, val failed: List<String>)

/** The clock offset the core measured against the sign-in server. */
interface TimeService {
    /** Server minus phone, in seconds; `null` before the first measurement. */
    fun offsetSeconds(): Long?

    /** Whether codes are corrected by the offset. */
    fun correctionEnabled(): Boolean
}

/**
 * Builds an otpauth:// link from what a sign-in page shows under "Can't scan the QR code?"
 * (account name and secret key), so typed accounts go through the same parser as scanned ones.
 */
object ManualEntry {
    /** The link for a TOTP account; spaces and dashes in [secret] are dropped, letters upper-cased. */
    fun toUri(issuer: String, accountName: String, secret: String, digits: Int = 6, periodSeconds: Int = 30): String {
        val cleanSecret = secret.filterNot { it.isWhitespace() || it == '-' }.uppercase()
        val label = if (issuer.isBlank()) encode(accountName.trim()) else encode(issuer.trim()) + ":" + encode(accountName.trim())
        val query = buildList {
            add("secret=$cleanSecret")
            if (issuer.isNotBlank()) add("issuer=" + encode(issuer.trim()))
            if (digits != 6) add("digits=$digits")
            if (periodSeconds != 30) add("period=$periodSeconds")
        }.joinToString("&")
        return "otpauth://totp/$label?$query"
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters and '@'. */
    private fun encode(s: String): String = buildString {
        for (b in s.toByteArray(Charsets.UTF_8)) {
            val c = b.toInt() and 0xff
            val ch = c.toChar()
            if (ch.isLetterOrDigit() && c < 0x80 || ch in "-._~@") append(ch) else append('%').append("%02X".format(c))
        }
    }
}
