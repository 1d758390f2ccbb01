package org.tessera.logic

/** An entry that was not imported, and why (never the secret). */
data class SkippedEntry(val label: String, val reason: String)

/** What an import did, as the core reports it. */
data class ImportReport(
    /** The detected or chosen format's name ("Aegis", "2FAS", "Google Authenticator"). */
    val format: String,
    /** Labels of the accounts added. */
    val imported: List<String>,
    /** Labels of accounts already in the vault, left as they were. */
    val duplicates: List<String> = emptyList(),
    /** Entries the file had that could not be taken. */
    val skipped: List<SkippedEntry> = emptyList(),
    /** What the format could not carry (e.g. icons, groups). */
    val warnings: List<String> = emptyList(),
)

/** A section of the report screen: a heading and its lines. */
data class ReportSection(val heading: String, val lines: List<String>)

/** The import report as the screen shows it: one headline, then sections that need attention first. */
data class ImportReportView(
    val headline: String,
    /** True when nothing was lost: everything was imported or already there. */
    val complete: Boolean,
    val sections: List<ReportSection>,
)

/** Builds [ImportReportView]s. Pure: the same report always reads the same. */
object ImportReportPresenter {
    /** The view of [report]. */
    fun present(report: ImportReport): ImportReportView {
        val n = report.imported.size
        val headline = when {
            n == 0 && report.duplicates.isEmpty() && report.skipped.isEmpty() ->
                "No accounts found in this ${report.format} file"
            n == 0 && report.skipped.isEmpty() -> "Nothing new: ${count(report.duplicates.size)} already in Tessera"
            else -> "Imported ${count(n)} from ${report.format}"
        }
        val sections = buildList {
            if (report.skipped.isNotEmpty()) {
                add(ReportSection("Not imported (${report.skipped.size}) — add these by hand",
                    report.skipped.map { "${it.label}: ${it.reason}" }))
            }
            if (report.warnings.isNotEmpty()) add(ReportSection("Worth knowing", report.warnings))
            if (report.duplicates.isNotEmpty()) {
                add(ReportSection("Already in Tessera (${report.duplicates.size})", report.duplicates))
            }
            if (n > 0) add(ReportSection("Imported ($n)", report.imported))
        }
        val complete = report.skipped.isEmpty() && (n > 0 || report.duplicates.isNotEmpty())
        return ImportReportView(headline, complete, sections)
    }

    private fun count(n: Int) = if (n == 1) "1 account" else "$n accounts"
}

/** The result of checking a backup file against the password the user remembers. */
sealed interface BackupCheck {
    /** The backup opens and holds [accounts] accounts; [matchesVault] when they are the vault's. */
    data class Readable(val accounts: Int, val matchesVault: Boolean) : BackupCheck
    /** It does not open: wrong password, damaged, or not a Tessera backup. */
    data class Unreadable(val problem: Problem) : BackupCheck

    /** A sentence for the verify-backup screen. */
    fun message(): String = when (this) {
        is Readable -> if (matchesVault) {
            "This backup opens with your password and holds all ${accountsText(accounts)}."
        } else {
            "This backup opens with your password and holds ${accountsText(accounts)}, " +
                "but your vault has changed since: make a new backup."
        }
        is Unreadable -> when (problem) {
            Problem.WRONG_PASSWORD -> "The password does not open this backup. Without it the backup is useless: make a new one."
            Problem.CORRUPTED -> "This file is damaged or is not a Tessera backup."
            else -> "The backup could not be checked."
        }
    }

    private fun accountsText(n: Int) = if (n == 1) "1 account" else "$n accounts"
}
