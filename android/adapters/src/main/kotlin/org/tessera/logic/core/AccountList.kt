package org.tessera.logic.core

import org.tessera.core.Account
import org.tessera.core.CodeBook
import org.tessera.core.CodeEntry
import org.tessera.logic.AccountCode
import org.tessera.logic.AccountStore
import org.tessera.logic.CodeSource
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException
import org.tessera.core.OtpType as CoreOtpType

/**
 * Accounts held in memory with their codes from the core's [CodeBook]: every row in one FFI call,
 * the HMAC keys prepared once per change. It is the [CodeSource] and [AccountStore] of the app until
 * the vault is exported through the bindings (then the vault's own code book replaces it), and the
 * real-library fixture of the logic tests.
 *
 * Thread-safe: the app reads codes on the main thread and saves from a background one.
 */
class AccountList(initial: List<Account> = emptyList()) : CodeSource, AccountStore, AutoCloseable {
    private val lock = Any()
    private val ids = mutableListOf<String>()
    private val accounts = mutableListOf<Account>()
    private var book: CodeBook? = null
    private var nextId = 1

    init {
        initial.forEach { insert(it) }
    }

    /** The accounts, in insertion order (with their secrets: never log them). */
    fun snapshot(): List<Pair<String, Account>> = synchronized(lock) { ids.zip(accounts) }

    override fun codesAt(unixSeconds: Long): List<AccountCode> = synchronized(lock) {
        val rows = core { codeBook().codesAt(unixSeconds.coerceAtLeast(0).toULong()) }
        rows.map { row(it) }
    }

    override fun nextHotp(id: String, unixSeconds: Long): AccountCode = synchronized(lock) {
        val i = ids.indexOf(id)
        if (i < 0) throw ProblemException(Problem.NOT_FOUND)
        val a = accounts[i]
        if (a.otpType != CoreOtpType.HOTP) throw ProblemException(Problem.NOT_FOUND)
        accounts[i] = a.copy(counter = a.counter + 1u)
        invalidate()
        row(core { codeBook().codesAt(unixSeconds.coerceAtLeast(0).toULong()) }[i])
    }

    override fun add(links: List<String>): Int {
        // Parse everything first: one bad link adds nothing.
        val parsed = links.flatMap { core { CoreUriParser.accountsIn(it) } }
        return synchronized(lock) {
            parsed.count { candidate ->
                val duplicate = accounts.any { it.secretBase32 == candidate.secretBase32 && it.issuer == candidate.issuer && it.name == candidate.name }
                if (!duplicate) insert(candidate)
                !duplicate
            }
        }
    }

    override fun delete(id: String) = synchronized(lock) {
        val i = ids.indexOf(id)
        if (i < 0) throw ProblemException(Problem.NOT_FOUND)
        ids.removeAt(i)
        accounts.removeAt(i)
        invalidate()
    }

    override fun setFavourite(id: String, favourite: Boolean) = synchronized(lock) {
        val i = ids.indexOf(id)
        if (i < 0) throw ProblemException(Problem.NOT_FOUND)
        accounts[i] = accounts[i].copy(favorite = favourite)
        invalidate()
    }

    /** Releases the native code book. */
    override fun close() = synchronized(lock) { invalidate() }

    private fun insert(account: Account) {
        core { CodeBook(listOf(account)).close() } // refuses an account that cannot make codes
        ids += "a${nextId++}"
        accounts += account
        invalidate()
    }

    private fun invalidate() {
        book?.close()
        book = null
    }

    private fun codeBook(): CodeBook = book ?: CodeBook(accounts.toList()).also { book = it }

    /** A CodeBook row (its id is the position in the book) as the list's [AccountCode]. */
    private fun row(e: CodeEntry): AccountCode {
        val i = e.id.toIntOrNull()?.takeIf { it in ids.indices } ?: throw ProblemException(Problem.UNKNOWN)
        val timeBased = e.otpType != CoreOtpType.HOTP
        return AccountCode(
            id = ids[i],
            issuer = e.issuer,
            accountName = e.name,
            groups = accounts[i].groups,
            favourite = e.favorite,
            type = e.otpType.toLogic(),
            code = e.code,
            grouped = e.grouped,
            spoken = e.spoken,
            nextCode = if (timeBased) e.nextCode else null,
            nextGrouped = if (timeBased) org.tessera.core.formatGrouped(e.nextCode) else null,
            periodSeconds = e.period?.toInt(),
        )
    }
}
