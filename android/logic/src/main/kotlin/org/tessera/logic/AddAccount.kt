package org.tessera.logic

/** What the core found in a scanned or pasted link, shown before the account is saved. */
data class AccountPreview(
    val issuer: String,
    val accountName: String,
    val type: OtpType,
    val digits: Int,
    /** Seconds, for time-based kinds. */
    val periodSeconds: Int?,
    /** "SHA1", "SHA256" or "SHA512". */
    val algorithm: String,
)

/** Parses links: the core's `parse_uri` in the app (otpauth:// and otpauth-migration://). */
interface UriParser {
    /** The accounts in [uri] (a migration link may hold many). Throws [ProblemException] (INVALID_URI). */
    fun parse(uri: String): List<AccountPreview>
}

/** Where the add-account screen is. */
sealed interface AddState {
    /** Waiting for a scan or a pasted link. */
    data object Empty : AddState
    /** Found these accounts; the user confirms. */
    data class Found(val accounts: List<AccountPreview>, val links: List<String>) : AddState
    /** Some lines of the input were not links Tessera understands (1-based line numbers). */
    data class Invalid(val lines: List<Int>, val problem: Problem) : AddState
}

/**
 * Add account by camera scan or pasted/typed text. Pasted text may hold several links, one per line,
 * with stray spaces or a "Secret key:" prefix from a web page; each line is parsed by the core.
 * Repeated scans of the same QR code (a camera reports a code many times a second) are ignored.
 */
class AddAccountModel(private val parser: UriParser) {
    /** The screen's state. */
    val state = StateHolder<AddState>(AddState.Empty)
    private var lastScan: String? = null

    /** Text pasted or typed by the user. */
    fun submitText(text: String) {
        val lines = text.lines().map { it.trim() }.withIndex().filter { it.value.isNotEmpty() }
        if (lines.isEmpty()) {
            state.value = AddState.Empty
            return
        }
        val found = mutableListOf<AccountPreview>()
        val links = mutableListOf<String>()
        val bad = mutableListOf<Int>()
        var problem = Problem.INVALID_URI
        for ((index, line) in lines) {
            val link = extractLink(line)
            if (link == null) {
                bad += index + 1
                continue
            }
            try {
                found += parser.parse(link)
                links += link
            } catch (e: ProblemException) {
                bad += index + 1
                problem = e.problem
            }
        }
        state.value = if (bad.isEmpty()) AddState.Found(found, links) else AddState.Invalid(bad, problem)
    }

    /** A QR code the camera decoded; the same payload twice in a row is ignored. */
    fun scanned(payload: String) {
        if (payload == lastScan) return
        lastScan = payload
        submitText(payload)
    }

    /** Back to scanning (after a save or a cancel). */
    fun reset() {
        lastScan = null
        state.value = AddState.Empty
    }

    companion object {
        private val link = Regex("otpauth(-migration)?://\\S+", RegexOption.IGNORE_CASE)

        /** The otpauth link in [line], ignoring text around it; `null` when there is none. */
        fun extractLink(line: String): String? = link.find(line)?.value
    }
}
