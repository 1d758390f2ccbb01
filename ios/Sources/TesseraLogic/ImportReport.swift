import Foundation

/// An entry that was not imported, and why (never the secret).
public struct SkippedEntry: Equatable, Sendable {
    public var label: String
    public var reason: String
    public init(label: String, reason: String) { self.label = label; self.reason = reason }
}

/// What an import did, as the core reports it.
public struct ImportReport: Equatable, Sendable {
    /// The detected or chosen format's name ("Aegis", "2FAS").
    public var format: String
    /// Labels of the accounts added.
    public var imported: [String]
    /// Labels of accounts already in the vault, left as they were.
    public var duplicates: [String]
    /// Entries that could not be taken.
    public var skipped: [SkippedEntry]
    /// What the format could not carry.
    public var warnings: [String]

    public init(format: String, imported: [String], duplicates: [String] = [], skipped: [SkippedEntry] = [], warnings: [String] = []) {
        self.format = format
        self.imported = imported
        self.duplicates = duplicates
        self.skipped = skipped
        self.warnings = warnings
    }
}

/// A section of the report screen: a heading and its lines.
public struct ReportSection: Equatable, Sendable {
    public var heading: String
    public var lines: [String]
}

/// The import report as shown: one headline, then the sections that need attention first.
public struct ImportReportView: Equatable, Sendable {
    public var headline: String
    /// True when nothing was lost: everything was imported or already there.
    public var complete: Bool
    public var sections: [ReportSection]

    /// The view of `report`.
    public init(_ report: ImportReport) {
        let n = report.imported.count
        if n == 0 && report.duplicates.isEmpty && report.skipped.isEmpty {
            headline = "No accounts found in this \(report.format) file"
        } else if n == 0 && report.skipped.isEmpty {
            headline = "Nothing new: \(accountsText(report.duplicates.count)) already in Tessera"
        } else {
            headline = "Imported \(accountsText(n)) from \(report.format)"
        }
        var sections: [ReportSection] = []
        if !report.skipped.isEmpty {
            sections.append(ReportSection(heading: "Not imported (\(report.skipped.count)) — add these by hand",
                                          lines: report.skipped.map { "\($0.label): \($0.reason)" }))
        }
        if !report.warnings.isEmpty { sections.append(ReportSection(heading: "Worth knowing", lines: report.warnings)) }
        if !report.duplicates.isEmpty {
            sections.append(ReportSection(heading: "Already in Tessera (\(report.duplicates.count))", lines: report.duplicates))
        }
        if n > 0 { sections.append(ReportSection(heading: "Imported (\(n))", lines: report.imported)) }
        self.sections = sections
        complete = report.skipped.isEmpty && (n > 0 || !report.duplicates.isEmpty)
    }
}

/// The result of checking a backup file with the password the user remembers.
public enum BackupCheck: Equatable, Sendable {
    /// The backup opens and holds `accounts` accounts; `matchesVault` when they are the vault's.
    case readable(accounts: Int, matchesVault: Bool)
    /// It does not open: wrong password, damaged, or not a Tessera backup.
    case unreadable(Problem)

    /// A sentence for the verify-backup screen.
    public var message: String {
        switch self {
        case .readable(let n, true):
            return "This backup opens with your password and holds all \(accountsText(n))."
        case .readable(let n, false):
            return "This backup opens with your password and holds \(accountsText(n)), but your vault has changed since: make a new backup."
        case .unreadable(.wrongPassword):
            return "The password does not open this backup. Without it the backup is useless: make a new one."
        case .unreadable(.corrupted):
            return "This file is damaged or is not a Tessera backup."
        case .unreadable:
            return "The backup could not be checked."
        }
    }
}

func accountsText(_ n: Int) -> String { n == 1 ? "1 account" : "\(n) accounts" }
