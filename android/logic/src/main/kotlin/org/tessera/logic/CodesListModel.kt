package org.tessera.logic

/** One row of the codes list, ready to draw. */
data class CodeRow(
    /** The account's id (for copy, HOTP and details). */
    val id: String,
    /** Issuer, or the account name when there is no issuer. */
    val title: String,
    /** The account name under the title (empty when it is already the title). */
    val subtitle: String,
    /** The code as shown ("123 456"). */
    val grouped: String,
    /** What a screen reader says for the row: who, then the code digit by digit, then time left. */
    val accessibilityLabel: String,
    /** The next period's code as shown, when the current one is about to change. */
    val nextGrouped: String?,
    /** Time left for time-based codes; `null` for HOTP. */
    val countdown: Countdown?,
    /** TOTP, HOTP or Steam. */
    val type: OtpType,
    /** Pinned to the top. */
    val favourite: Boolean,
)

/** Why the list is empty, so the screen can say something useful. */
enum class EmptyReason {
    /** The vault has no accounts yet: show how to add one (and the Microsoft 365 / NHSmail guide). */
    NO_ACCOUNTS,
    /** Accounts exist but none matches the search or group. */
    NO_MATCHES,
}

/** Everything the codes screen draws. */
data class CodesState(
    val rows: List<CodeRow> = emptyList(),
    val groups: List<GroupChip> = emptyList(),
    val query: String = "",
    val filter: GroupFilter = GroupFilter.All,
    /** Non-null when [rows] is empty. */
    val empty: EmptyReason? = EmptyReason.NO_ACCOUNTS,
    /** Set when the codes could not be read (e.g. LOCKED). */
    val problem: Problem? = null,
)

/** What to put on the clipboard after a tap, and for how long. */
data class CopyRequest(
    /** The raw code (no spaces). */
    val text: String,
    /** True when the current code was about to change and the next one was copied instead. */
    val isNextCode: Boolean,
    /** Clear the clipboard after this many milliseconds (codes are secrets for their lifetime). */
    val clearAfterMillis: Long,
)

/**
 * The codes list: live countdown, next code, tap to copy, search and groups.
 *
 * Drive it with [tick] once a second (and on resume). It asks [source] for codes only when a period
 * boundary has passed or the data changed ([invalidate]) — one FFI call for all accounts — and
 * computes the countdown locally in between.
 */
class CodesListModel(
    private val source: CodeSource,
    /** Clipboard lifetime of a copied code, in milliseconds. */
    private val clipboardMillis: Long = 30_000,
) {
    /** The screen's state. */
    val state = StateHolder(CodesState())

    private var codes: List<AccountCode> = emptyList()
    private var refreshAtSeconds: Long = Long.MIN_VALUE
    private var lastNowMillis: Long = 0

    /** Number of times the source was asked for codes (for tests and diagnostics). */
    var fetches: Int = 0
        private set

    /** Recomputes the state for [nowMillis]; fetches codes only when they may have changed. */
    fun tick(nowMillis: Long) {
        lastNowMillis = nowMillis
        val nowSeconds = Math.floorDiv(nowMillis, 1000L)
        if (nowSeconds >= refreshAtSeconds) {
            try {
                codes = source.codesAt(nowSeconds)
                fetches++
                refreshAtSeconds = codes.mapNotNull { c -> c.periodSeconds?.let { Countdown.nextChangeSeconds(nowMillis, it) } }
                    .minOrNull() ?: Long.MAX_VALUE
            } catch (e: ProblemException) {
                codes = emptyList()
                refreshAtSeconds = Long.MIN_VALUE
                state.value = state.value.copy(rows = emptyList(), groups = emptyList(), empty = null, problem = e.problem)
                return
            }
        }
        publish()
    }

    /** Forget cached codes (after adding, editing, deleting or importing accounts) and refresh. */
    fun invalidate(nowMillis: Long) {
        refreshAtSeconds = Long.MIN_VALUE
        tick(nowMillis)
    }

    /** Filters by [query] (every word must match issuer, account or group). */
    fun search(query: String) {
        state.value = state.value.copy(query = query)
        publish()
    }

    /** Shows only [filter]'s accounts. */
    fun select(filter: GroupFilter) {
        state.value = state.value.copy(filter = filter)
        publish()
    }

    /**
     * The code to copy for a tap on [id] at [nowMillis]: the current code, or the next one when the
     * current code changes within [Countdown.URGENT_SECONDS] (it would be stale before it is pasted).
     * `null` if the account is unknown or has no code yet (an HOTP account before its first code).
     */
    fun copy(id: String, nowMillis: Long): CopyRequest? {
        val c = codes.firstOrNull { it.id == id }?.takeIf { it.code.isNotEmpty() } ?: return null
        val period = c.periodSeconds
        val next = c.nextCode
        if (period != null && next != null && Countdown.at(nowMillis, period).secondsLeft <= COPY_NEXT_SECONDS) {
            return CopyRequest(next, isNextCode = true, clearAfterMillis = clipboardMillis)
        }
        return CopyRequest(c.code, isNextCode = false, clearAfterMillis = clipboardMillis)
    }

    /** Generates the next HOTP code of [id] (the counter advances in the vault). */
    fun nextHotp(id: String, nowMillis: Long) {
        try {
            val updated = source.nextHotp(id, Math.floorDiv(nowMillis, 1000L))
            codes = codes.map { if (it.id == id) updated else it }
            publish()
        } catch (e: ProblemException) {
            state.value = state.value.copy(problem = e.problem)
        }
    }

    private fun publish() {
        val s = state.value
        val chips = groupChips(codes, s.filter)
        // A filter whose group vanished (last account deleted) falls back to All.
        val filter = if (chips.any { it.selected }) s.filter else GroupFilter.All
        val visible = codes.filter { filter.accepts(it) && Search.matches(it, s.query) }.sortedWith(Search.order)
        val rows = visible.map { row(it) }
        state.value = s.copy(
            rows = rows,
            groups = if (filter == s.filter) chips else groupChips(codes, filter),
            filter = filter,
            empty = when {
                rows.isNotEmpty() -> null
                codes.isEmpty() -> EmptyReason.NO_ACCOUNTS
                else -> EmptyReason.NO_MATCHES
            },
            problem = null,
        )
    }

    private fun row(c: AccountCode): CodeRow {
        val countdown = c.periodSeconds?.let { Countdown.at(lastNowMillis, it) }
        val title = c.issuer.ifBlank { c.accountName }
        val subtitle = if (c.issuer.isBlank()) "" else c.accountName
        val who = listOf(title, subtitle).filter { it.isNotBlank() }.joinToString(", ")
        val time = when {
            countdown == null -> "press to generate the next code"
            countdown.secondsLeft == 1 -> "1 second left"
            else -> "${countdown.secondsLeft} seconds left"
        }
        return CodeRow(
            id = c.id,
            title = title,
            subtitle = subtitle,
            grouped = c.grouped,
            accessibilityLabel = "$who. Code ${c.spoken}. $time",
            nextGrouped = if (countdown != null && countdown.urgent) c.nextGrouped else null,
            countdown = countdown,
            type = c.type,
            favourite = c.favourite,
        )
    }

    companion object {
        /** Seconds before the change when a tap copies the next code instead of the current one. */
        const val COPY_NEXT_SECONDS = 2
    }
}
