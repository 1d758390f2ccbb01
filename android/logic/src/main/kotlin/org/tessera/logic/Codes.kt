package org.tessera.logic

/** How an account's codes are made. */
enum class OtpType {
    /** Time-based (RFC 6238): a new code every period. */
    TOTP,
    /** Counter-based (RFC 4226): a new code when the user asks for one. */
    HOTP,
    /** Steam Guard: time-based, five letters and digits. */
    STEAM,
}

/**
 * One account's codes at a moment, as the core computes them (one call for the whole list).
 *
 * [code] and [nextCode] are raw (no spaces); [grouped] is the code as shown ("123 456") and
 * [spoken] the text a screen reader reads ("1 2 3, 4 5 6") — both formatted by the core.
 */
data class AccountCode(
    /** Stable identifier of the account in the vault. */
    val id: String,
    /** Who issued it ("Microsoft", "NHSmail"); may be empty. */
    val issuer: String,
    /** The account name, usually an e-mail address. */
    val accountName: String,
    /** The user's groups for this account ("Work", "Personal"). */
    val groups: List<String> = emptyList(),
    /** Pinned to the top of the list. */
    val favourite: Boolean = false,
    /** TOTP, HOTP or Steam. */
    val type: OtpType = OtpType.TOTP,
    /** The current code, raw. */
    val code: String,
    /** The current code, grouped for reading. */
    val grouped: String = code,
    /** The current code, for screen readers (digit by digit). */
    val spoken: String = code.toList().joinToString(" "),
    /** The code of the next period (time-based kinds only), raw. */
    val nextCode: String? = null,
    /** The next period's code as shown. */
    val nextGrouped: String? = nextCode,
    /** The period in seconds (time-based kinds), `null` for HOTP. */
    val periodSeconds: Int? = 30,
)

/** Where codes come from: the core's one-call `codes_at` in the app, a fake in tests. */
interface CodeSource {
    /** Every account's codes at [unixSeconds]. Throws [ProblemException] (e.g. LOCKED). */
    fun codesAt(unixSeconds: Long): List<AccountCode>

    /** Advances a HOTP account's counter and returns its codes afterwards. */
    fun nextHotp(id: String, unixSeconds: Long): AccountCode
}

/**
 * Time left of a time-based code. [secondsLeft] counts down from the period to 1; [fraction] is what
 * remains (1.0 fresh, near 0.0 about to change), for a progress ring.
 */
data class Countdown(val secondsLeft: Int, val fraction: Float, val periodSeconds: Int) {
    /** The last few seconds, when a screen shows the code in a warning colour and offers the next one. */
    val urgent: Boolean get() = secondsLeft <= URGENT_SECONDS

    companion object {
        /** Seconds before the change that count as [urgent]. */
        const val URGENT_SECONDS = 5

        /** The countdown at [nowMillis] (Unix time in milliseconds) for a period of [periodSeconds]. */
        fun at(nowMillis: Long, periodSeconds: Int): Countdown {
            require(periodSeconds > 0) { "period must be positive" }
            val periodMillis = periodSeconds * 1000L
            val into = Math.floorMod(nowMillis, periodMillis)
            val leftMillis = periodMillis - into
            val secondsLeft = ((leftMillis + 999) / 1000).toInt()
            return Countdown(secondsLeft, leftMillis.toFloat() / periodMillis, periodSeconds)
        }

        /** Unix seconds at which a code of [periodSeconds], valid at [nowMillis], changes. */
        fun nextChangeSeconds(nowMillis: Long, periodSeconds: Int): Long {
            val now = Math.floorDiv(nowMillis, 1000L)
            return (Math.floorDiv(now, periodSeconds.toLong()) + 1) * periodSeconds
        }
    }
}
