package org.tessera.logic

/** The request on screen, with what the user has picked so far. */
data class ShownRequest(
    val request: ApprovalRequest,
    /** Seconds until it expires (0 when expired). */
    val secondsLeft: Long,
    /** The chosen option or the typed number. */
    val answer: String,
    /** Whether "Approve" is enabled: not expired, and a number chosen/typed when one is needed. */
    val canApprove: Boolean,
    /** Lines of context ("App: Outlook", "IP address: 192.0.2.1", …) in a fixed order. */
    val context: List<String>,
)

/** Where the approval screen is. */
sealed interface ApprovalPhase {
    /** Nothing pending. */
    data object Idle : ApprovalPhase
    /** A request is shown ([ApprovalState.current]). */
    data object Deciding : ApprovalPhase
    /** The answer is on its way. */
    data object Sending : ApprovalPhase
    /** Approved; [displayCode] to type on the sign-in page when the server sent one. */
    data class Approved(val displayCode: String?) : ApprovalPhase
    /** Denied; after NOT_ME the screen advises changing the password and telling IT. */
    data class Denied(val reason: DenyReason) : ApprovalPhase
    /** The request expired before an answer. */
    data object Expired : ApprovalPhase
    /** The number did not match; the user may try again while the request is open. */
    data object WrongAnswer : ApprovalPhase
    /** The answer could not be delivered. */
    data class Failed(val problem: Problem) : ApprovalPhase
}

/** Everything the approvals screen draws. */
data class ApprovalState(
    val phase: ApprovalPhase = ApprovalPhase.Idle,
    val current: ShownRequest? = null,
    /** Pending requests besides the one shown. */
    val waiting: Int = 0,
    /** Many requests in a short time: a push-bombing attack is likely; the screen says so. */
    val fatigueWarning: Boolean = false,
    /** Decisions, newest first. */
    val history: List<ApprovalRecord> = emptyList(),
)

/**
 * Sign-in approvals: the oldest pending request first, its context, number matching, an expiry
 * countdown, approve / deny ("not me" or cancel), the result, and the history.
 *
 * [refresh] asks [source] for pending requests (after a push or on a poll), [tick] runs the countdown
 * once a second. [approve] and [deny] call the server: the app calls them off the main thread.
 */
class ApprovalFlowModel(private val source: ApprovalSource) {
    /** The screen's state. */
    val state = StateHolder(ApprovalState())

    private var pending: List<ApprovalRequest> = emptyList()
    private var answer: String = ""
    /** Every request seen, by id, with its arrival time (pruned to the fatigue window). */
    private val seen = HashMap<String, Long>()

    /** Fetches pending requests and the history, then shows the oldest unexpired request. */
    fun refresh(nowMillis: Long) {
        val now = Math.floorDiv(nowMillis, 1000L)
        try {
            val all = source.pending(now)
            all.forEach { seen[it.id] = it.receivedAtSeconds }
            pending = all.filter { it.expiresAtSeconds > now }.sortedBy { it.receivedAtSeconds }
            val history = source.history().sortedByDescending { it.decidedAtSeconds }
            state.value = state.value.copy(history = history)
        } catch (e: ProblemException) {
            state.value = state.value.copy(phase = ApprovalPhase.Failed(e.problem))
            return
        }
        val shownId = state.value.current?.request?.id
        if (shownId == null || pending.none { it.id == shownId }) answer = ""
        show(now, keepPhase = state.value.phase !is ApprovalPhase.Deciding && state.value.phase !is ApprovalPhase.Idle)
    }

    /** Updates the countdown; a request that runs out becomes [ApprovalPhase.Expired]. */
    fun tick(nowMillis: Long) {
        val now = Math.floorDiv(nowMillis, 1000L)
        val cur = state.value.current ?: return
        if (state.value.phase != ApprovalPhase.Deciding && state.value.phase != ApprovalPhase.WrongAnswer) return
        if (now >= cur.request.expiresAtSeconds) {
            pending = pending.filter { it.id != cur.request.id }
            state.value = state.value.copy(phase = ApprovalPhase.Expired, current = cur.copy(secondsLeft = 0, canApprove = false))
        } else {
            state.value = state.value.copy(current = shown(cur.request, now))
        }
    }

    /** Picks an option (number matching) or sets the typed number (digits only are kept). */
    fun answer(text: String, nowMillis: Long) {
        val cur = state.value.current ?: return
        answer = when (cur.request.kind) {
            ApprovalKind.ENTER_NUMBER -> text.filter { it in '0'..'9' }.take(MAX_TYPED_DIGITS)
            ApprovalKind.CHOOSE_NUMBER -> if (text in cur.request.options) text else answer
            ApprovalKind.SIMPLE -> ""
        }
        state.value = state.value.copy(current = shown(cur.request, Math.floorDiv(nowMillis, 1000L)))
    }

    /** Approves the shown request with the chosen/typed number; does nothing when not allowed. */
    fun approve(nowMillis: Long) {
        val cur = state.value.current ?: return
        val now = Math.floorDiv(nowMillis, 1000L)
        if (now >= cur.request.expiresAtSeconds) {
            tick(nowMillis)
            return
        }
        if (!shown(cur.request, now).canApprove) return
        state.value = state.value.copy(phase = ApprovalPhase.Sending)
        val given = if (cur.request.kind == ApprovalKind.SIMPLE) null else answer
        val phase = try {
            when (val outcome = source.approve(cur.request.id, given)) {
                is ApprovalOutcome.Accepted -> ApprovalPhase.Approved(outcome.displayCode)
                ApprovalOutcome.WrongAnswer -> ApprovalPhase.WrongAnswer
            }
        } catch (e: ProblemException) {
            if (e.problem == Problem.EXPIRED) ApprovalPhase.Expired else ApprovalPhase.Failed(e.problem)
        }
        finish(cur, phase, now)
    }

    /** Denies the shown request for [reason] ("not me" reports a sign-in the user did not start). */
    fun deny(reason: DenyReason, nowMillis: Long) {
        val cur = state.value.current ?: return
        val now = Math.floorDiv(nowMillis, 1000L)
        state.value = state.value.copy(phase = ApprovalPhase.Sending)
        val phase = try {
            source.deny(cur.request.id, reason)
            ApprovalPhase.Denied(reason)
        } catch (e: ProblemException) {
            if (e.problem == Problem.EXPIRED) ApprovalPhase.Expired else ApprovalPhase.Failed(e.problem)
        }
        finish(cur, phase, now)
    }

    /** Leaves the result screen: the next pending request, or idle. */
    fun dismiss(nowMillis: Long) {
        state.value = state.value.copy(phase = ApprovalPhase.Idle, current = null)
        answer = ""
        show(Math.floorDiv(nowMillis, 1000L), keepPhase = false)
    }

    private fun finish(cur: ShownRequest, phase: ApprovalPhase, now: Long) {
        if (phase != ApprovalPhase.WrongAnswer) pending = pending.filter { it.id != cur.request.id }
        if (phase == ApprovalPhase.WrongAnswer) answer = ""
        val history = try {
            source.history().sortedByDescending { it.decidedAtSeconds }
        } catch (_: ProblemException) {
            state.value.history
        }
        state.value = state.value.copy(
            phase = phase,
            current = shown(cur.request, now),
            waiting = pending.count { it.id != cur.request.id },
            history = history,
        )
    }

    private fun show(now: Long, keepPhase: Boolean) {
        val keepId = state.value.current?.request?.id
        val next = if (keepPhase) pending.firstOrNull { it.id == keepId } ?: state.value.current?.request else pending.firstOrNull()
        state.value = state.value.copy(
            phase = when {
                keepPhase -> state.value.phase
                next == null -> ApprovalPhase.Idle
                else -> ApprovalPhase.Deciding
            },
            current = next?.let { shown(it, now) },
            waiting = pending.count { it.id != next?.id },
            fatigueWarning = fatigue(now),
        )
    }

    private fun shown(r: ApprovalRequest, now: Long): ShownRequest {
        val left = (r.expiresAtSeconds - now).coerceAtLeast(0)
        val answered = when (r.kind) {
            ApprovalKind.SIMPLE -> true
            ApprovalKind.CHOOSE_NUMBER -> answer in r.options
            ApprovalKind.ENTER_NUMBER -> answer.isNotEmpty()
        }
        val context = buildList {
            if (r.service.isNotBlank()) add("Service: ${r.service}")
            r.appName?.takeIf { it.isNotBlank() }?.let { add("App: $it") }
            r.ipAddress?.takeIf { it.isNotBlank() }?.let { add("IP address: $it") }
            r.location?.takeIf { it.isNotBlank() }?.let { add("Location: $it") }
        }
        return ShownRequest(r, left, answer, left > 0 && answered, context)
    }

    /** [FATIGUE_COUNT] or more requests (pending, expired or answered) received within [FATIGUE_WINDOW_SECONDS]. */
    private fun fatigue(now: Long): Boolean {
        val since = now - FATIGUE_WINDOW_SECONDS
        seen.values.removeAll { it < since }
        val received = HashMap(seen)
        state.value.history.forEach { received[it.id] = it.receivedAtSeconds }
        return received.values.count { it >= since } >= FATIGUE_COUNT
    }

    companion object {
        /** Requests within [FATIGUE_WINDOW_SECONDS] that trigger the push-bombing warning. */
        const val FATIGUE_COUNT = 3
        /** The window for [FATIGUE_COUNT], in seconds. */
        const val FATIGUE_WINDOW_SECONDS = 600L
        /** Longest number the user can type for ENTER_NUMBER. */
        const val MAX_TYPED_DIGITS = 8
    }
}
