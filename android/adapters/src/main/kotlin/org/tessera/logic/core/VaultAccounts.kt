package org.tessera.logic.core

import org.tessera.core.CodeEntry
import org.tessera.core.Vault
import org.tessera.core.formatGrouped
import org.tessera.core.formatSpoken
import org.tessera.logic.AccountCode
import org.tessera.logic.AccountStore
import org.tessera.logic.CodeSource
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException
import org.tessera.core.OtpType as CoreOtpType

/**
 * The codes list and account edits over the core's encrypted [Vault]: every row from one
 * `codesAt` call (plus `list` for the groups), adds in one transaction, deletes and favourites
 * saved at once. The vault stays owned by the caller (it is shared with backups and push).
 *
 * The app passes times already corrected by [ServerClock], so codes and their countdowns agree;
 * [offsetSeconds] (0 by default) is added before codes are computed, for callers that pass the
 * phone's own time.
 *
 * HOTP rows have no code until the user asks for one ([nextHotp] advances the counter in the
 * vault); the last code generated in this session is kept in memory and shown again.
 */
class VaultAccounts(
    private val vault: Vault,
    private val offsetSeconds: () -> Long = { 0L },
) : CodeSource, AccountStore {
    private val lock = Any()
    private val hotpCodes = HashMap<String, String>()

    override fun codesAt(unixSeconds: Long): List<AccountCode> {
        val (rows, groups) = fetch(unixSeconds)
        return rows.map { row(it, groups[it.id].orEmpty()) }
    }

    override fun nextHotp(id: String, unixSeconds: Long): AccountCode {
        val entry = core { vault.list() }.firstOrNull { it.id == id } ?: throw ProblemException(Problem.NOT_FOUND)
        if (entry.otpType != CoreOtpType.HOTP) throw ProblemException(Problem.NOT_FOUND)
        val code = core { vault.nextHotp(id) }
        synchronized(lock) { hotpCodes[id] = code }
        val (rows, groups) = fetch(unixSeconds)
        val r = rows.firstOrNull { it.id == id } ?: throw ProblemException(Problem.NOT_FOUND)
        return row(r, groups[id].orEmpty())
    }

    /**
     * Adds every account of [links] (otpauth:// links and otpauth-migration:// batches). All links
     * are parsed first, so one bad link adds nothing (INVALID_URI); accounts the vault already has
     * are skipped. Returns how many were added.
     */
    override fun add(links: List<String>): Int {
        val accounts = links.flatMap { core { CoreUriParser.accountsIn(it) } }
        if (accounts.isEmpty()) return 0
        return core { vault.addAccounts(accounts) }.added.size
    }

    override fun delete(id: String) {
        core { vault.remove(id) }
        synchronized(lock) { hotpCodes.remove(id) }
    }

    override fun setFavourite(id: String, favourite: Boolean) = core { vault.setFavorite(id, favourite) }

    private fun fetch(unixSeconds: Long): Pair<List<CodeEntry>, Map<String, List<String>>> {
        val at = (unixSeconds + offsetSeconds()).coerceAtLeast(0).toULong()
        val rows = core { vault.codesAt(at) }
        val groups = core { vault.list() }.associate { it.id to it.groups }
        return rows to groups
    }

    /** A vault row as the list's [AccountCode]; HOTP rows carry the session's last code, if any. */
    private fun row(e: CodeEntry, groups: List<String>): AccountCode {
        val timeBased = e.otpType != CoreOtpType.HOTP
        val code = if (timeBased) e.code else synchronized(lock) { hotpCodes[e.id] }.orEmpty()
        return AccountCode(
            id = e.id,
            issuer = e.issuer,
            accountName = e.name,
            groups = groups,
            favourite = e.favorite,
            type = e.otpType.toLogic(),
            code = code,
            grouped = if (timeBased) e.grouped else formatGrouped(code),
            spoken = if (timeBased) e.spoken else formatSpoken(code),
            nextCode = if (timeBased) e.nextCode else null,
            nextGrouped = if (timeBased) formatGrouped(e.nextCode) else null,
            periodSeconds = if (timeBased) e.period?.toInt() else null,
        )
    }
}
