package org.tessera.logic

/** How the user answers a sign-in request. */
enum class ApprovalKind {
    /** Approve or deny. */
    SIMPLE,
    /** Pick the number the sign-in page shows, from a few choices (number matching). */
    CHOOSE_NUMBER,
    /** Type the number the sign-in page shows. */
    ENTER_NUMBER,
}

/** A pending sign-in request, with the context the user needs to judge it. Times in Unix seconds. */
data class ApprovalRequest(
    val id: String,
    /** Short title from the server ("Sign in to NHSmail"). */
    val title: String,
    /** The question ("Is this you signing in?"). */
    val question: String,
    val kind: ApprovalKind = ApprovalKind.SIMPLE,
    /** The choices for [ApprovalKind.CHOOSE_NUMBER], in the server's (random) order. */
    val options: List<String> = emptyList(),
    /** Which service or server asks (issuer of the push token). */
    val service: String = "",
    /** Where the sign-in comes from, when the protocol says. */
    val appName: String? = null,
    val ipAddress: String? = null,
    val location: String? = null,
    val receivedAtSeconds: Long,
    val expiresAtSeconds: Long,
)

/** Why the user said no. */
enum class DenyReason {
    /** "This wasn't me": someone else has the password; reported to the server. */
    NOT_ME,
    /** The user started it but changed their mind. */
    CANCEL,
}

/** What the server said to an approval. */
sealed interface ApprovalOutcome {
    /** Accepted; [displayCode] is shown when the server sends one (code-to-phone). */
    data class Accepted(val displayCode: String?) : ApprovalOutcome
    /** The number did not match; the server keeps the request open for another try. */
    data object WrongAnswer : ApprovalOutcome
}

/** The user's decision on a request, as kept in the history. */
enum class Decision { APPROVED, DENIED_NOT_ME, DENIED_CANCEL, EXPIRED, FAILED }

/** One line of the approvals history. */
data class ApprovalRecord(
    val id: String,
    val title: String,
    val service: String,
    val decision: Decision,
    /** Unix seconds when the request arrived. */
    val receivedAtSeconds: Long,
    /** Unix seconds of the decision (or of the expiry). */
    val decidedAtSeconds: Long,
)

/** Where requests come from and answers go: the core's push module in the app, a fake in tests. */
interface ApprovalSource {
    /** Requests still pending (polls the server when there is no push service). */
    fun pending(nowSeconds: Long): List<ApprovalRequest>

    /** Approves [id], with the chosen or typed number when the request needs one. */
    fun approve(id: String, answer: String?): ApprovalOutcome

    /** Denies [id] for [reason]. */
    fun deny(id: String, reason: DenyReason)

    /** Every decision so far, in any order. */
    fun history(): List<ApprovalRecord>
}
