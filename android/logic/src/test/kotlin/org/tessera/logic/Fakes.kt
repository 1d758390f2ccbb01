package org.tessera.logic

/** A code source whose codes are derived from the time, counting calls. */
class FakeCodeSource(var accounts: MutableList<AccountCode>) : CodeSource {
    val asked = mutableListOf<Long>()
    var failWith: Problem? = null
    var hotpCounter = 0

    override fun codesAt(unixSeconds: Long): List<AccountCode> {
        failWith?.let { throw ProblemException(it) }
        asked += unixSeconds
        return accounts.map { a ->
            val p = a.periodSeconds ?: return@map a
            val step = Math.floorDiv(unixSeconds, p.toLong())
            val code = codeFor(a.id, step)
            val next = codeFor(a.id, step + 1)
            a.copy(code = code, grouped = code.take(3) + " " + code.drop(3), nextCode = next,
                nextGrouped = next.take(3) + " " + next.drop(3))
        }
    }

    override fun nextHotp(id: String, unixSeconds: Long): AccountCode {
        failWith?.let { throw ProblemException(it) }
        val a = accounts.first { it.id == id }
        hotpCounter++
        return a.copy(code = codeFor(id, hotpCounter.toLong()), grouped = codeFor(id, hotpCounter.toLong()))
    }

    companion object {
        fun codeFor(id: String, step: Long): String =
            Math.floorMod((id.hashCode() * 31L + step) * 7919L, 1_000_000L).toString().padStart(6, '0')

        fun totp(id: String, issuer: String, name: String, groups: List<String> = emptyList(), favourite: Boolean = false, period: Int = 30) =
            AccountCode(id = id, issuer = issuer, accountName = name, groups = groups, favourite = favourite,
                code = "000000", periodSeconds = period)
    }
}

/** An approval server kept in memory. */
class FakeApprovalSource : ApprovalSource {
    val requests = mutableListOf<ApprovalRequest>()
    val records = mutableListOf<ApprovalRecord>()
    val approvals = mutableListOf<Pair<String, String?>>()
    val denials = mutableListOf<Pair<String, DenyReason>>()
    var correctAnswer: String? = null
    var displayCode: String? = null
    var now = 0L
    var failWith: Problem? = null

    override fun pending(nowSeconds: Long) = requests.filter { it.expiresAtSeconds > nowSeconds }

    override fun approve(id: String, answer: String?): ApprovalOutcome {
        failWith?.let { throw ProblemException(it) }
        val r = requests.firstOrNull { it.id == id } ?: throw ProblemException(Problem.ALREADY_ANSWERED)
        approvals += id to answer
        if (correctAnswer != null && answer != correctAnswer) return ApprovalOutcome.WrongAnswer
        requests.remove(r)
        records += ApprovalRecord(id, r.title, r.service, Decision.APPROVED, r.receivedAtSeconds, now)
        return ApprovalOutcome.Accepted(displayCode)
    }

    override fun deny(id: String, reason: DenyReason) {
        failWith?.let { throw ProblemException(it) }
        val r = requests.firstOrNull { it.id == id } ?: throw ProblemException(Problem.ALREADY_ANSWERED)
        denials += id to reason
        requests.remove(r)
        val d = if (reason == DenyReason.NOT_ME) Decision.DENIED_NOT_ME else Decision.DENIED_CANCEL
        records += ApprovalRecord(id, r.title, r.service, d, r.receivedAtSeconds, now)
    }

    override fun history() = records.toList()
}
