package org.tessera.logic.core

import org.tessera.core.ExportFormat
import org.tessera.core.TesseraException
import org.tessera.core.Vault
import org.tessera.core.exportVault
import org.tessera.core.parseImportFile
import org.tessera.core.verifyBackup
import org.tessera.logic.BackupCheck
import org.tessera.logic.BackupService
import org.tessera.logic.ImportReport
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException
import org.tessera.logic.SkippedEntry

/**
 * Encrypted backups, imports and backup checks over the core's export module and the [vault]
 * (which stays owned by the caller). Backups are Tessera's own format (Argon2id + AES-256-GCM),
 * the only one that keeps everything (groups, notes, favourites, HOTP counters).
 */
class VaultBackups(private val vault: Vault) : BackupService {
    /** A Tessera backup of every account, sealed with [password] (which must not be blank). */
    override fun export(password: String): ByteArray {
        if (password.isBlank()) throw ProblemException(Problem.WRONG_PASSWORD)
        return core { exportVault(vault, ExportFormat.TESSERA, password) }.bytes
    }

    /**
     * Reads another app's export or a Tessera backup (format detected from [bytes] and [fileName])
     * and adds its accounts in one transaction. The report lists labels ("Issuer (name)"), never
     * secrets; accounts the vault already had are reported as duplicates.
     * Problems: WRONG_PASSWORD, UNKNOWN (unrecognised file or missing password), CORRUPTED.
     */
    override fun import(bytes: ByteArray, fileName: String?, password: String?): ImportReport {
        val parsed = core { parseImportFile(bytes, fileName, password?.ifEmpty { null }) }
        val summary = if (parsed.accounts.isEmpty()) null else core { vault.addAccounts(parsed.accounts) }
        val addedIds = summary?.added.orEmpty().toSet()
        val entries = if (addedIds.isEmpty()) emptyList() else core { vault.list() }
        val imported = entries.filter { it.id in addedIds }.map { label(it.issuer, it.name) }
        // The core reports duplicates by count: they are the file's labels left over once every
        // added entry's label is taken out (a multiset difference).
        val left = parsed.accounts.map { label(it.issuer, it.name) }.toMutableList()
        imported.forEach { left.remove(it) }
        return ImportReport(
            format = parsed.formatName,
            imported = imported,
            duplicates = left,
            skipped = parsed.skipped.map(::skipped),
            warnings = parsed.warnings,
        )
    }

    /**
     * Opens a Tessera backup with [password] and compares it with the vault. A wrong password or
     * a damaged file is an [BackupCheck.Unreadable] answer, not an exception; a locked vault
     * throws LOCKED.
     */
    override fun verify(bytes: ByteArray, password: String): BackupCheck = try {
        val check = verifyBackup(bytes, password.ifEmpty { null }, vault)
        BackupCheck.Readable(check.backupAccounts.toInt(), check.identical)
    } catch (e: TesseraException.WrongPassword) {
        BackupCheck.Unreadable(Problem.WRONG_PASSWORD)
    } catch (e: TesseraException.Corrupted) {
        BackupCheck.Unreadable(Problem.CORRUPTED)
    } catch (e: TesseraException.InvalidInput) {
        // Encrypted and no password typed: the password (not) given does not open it.
        BackupCheck.Unreadable(Problem.WRONG_PASSWORD)
    } catch (e: TesseraException.Unsupported) {
        BackupCheck.Unreadable(Problem.CORRUPTED)
    } catch (e: TesseraException) {
        throw ProblemException(e.toProblem(), e)
    }

    /** "Issuer (name)", like the core's report lines. */
    private fun label(issuer: String, name: String) = when {
        issuer.isBlank() -> name
        name.isBlank() -> issuer
        else -> "$issuer ($name)"
    }

    /** The core's "label: reason" line as a [SkippedEntry] (split at the first ": "). */
    private fun skipped(line: String): SkippedEntry {
        val at = line.indexOf(": ")
        return if (at < 0) SkippedEntry(line, "") else SkippedEntry(line.substring(0, at), line.substring(at + 2))
    }
}
