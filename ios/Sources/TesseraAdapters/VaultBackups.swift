import Foundation
import Tessera
import TesseraLogic

/// Encrypted backups, imports and backup checks over the vault: the core's `exportVault`,
/// `parseImportFile` + `Vault.addAccounts`, and `verifyBackup`.
///
/// Imports are read first and then added in one transaction, so the report can name what was
/// imported and what was already there (labels only, never secrets).
public final class VaultBackups: BackupService {
    private let vault: Vault

    /// Backups of `vault` (unlocked).
    public init(vault: Vault) {
        self.vault = vault
    }

    /// A Tessera backup of every account, encrypted with `password` (Argon2id + AES-256-GCM).
    public func export(password: String) throws -> Data {
        try core { try exportVault(vault: vault, format: .tessera, password: password) }.bytes
    }

    /// Imports a Tessera backup or another app's export. `Problem.wrongPassword` when `password`
    /// does not open it (or it is encrypted and none was given), `.corrupted` when it is no format
    /// Tessera reads or is damaged.
    public func importFile(_ data: Data, fileName: String?, password: String?) throws -> ImportReport {
        let parsed: ImportResult
        do {
            parsed = try parseImportFile(contents: data, fileName: fileName, password: password)
        } catch let error as TesseraError {
            throw VaultBackups.importProblem(error, data: data, fileName: fileName, passwordGiven: password != nil)
        }
        let skipped = parsed.skipped.map(VaultBackups.skippedEntry)
        guard !parsed.accounts.isEmpty else {
            return ImportReport(format: parsed.formatName, imported: [], skipped: skipped, warnings: parsed.warnings)
        }
        let summary = try core { try vault.addAccounts(accounts: parsed.accounts) }
        let byId = Dictionary(try core { try vault.list() }.map { ($0.id, VaultBackups.label(issuer: $0.issuer, name: $0.name)) },
                              uniquingKeysWith: { first, _ in first })
        let imported = summary.added.compactMap { byId[$0] }
        // The rest of the file's accounts were duplicates: remove each imported label once.
        var duplicates = parsed.accounts.map { VaultBackups.label(issuer: $0.issuer, name: $0.name) }
        for label in imported {
            if let i = duplicates.firstIndex(of: label) { duplicates.remove(at: i) }
        }
        return ImportReport(format: parsed.formatName, imported: imported, duplicates: duplicates, skipped: skipped,
                            warnings: parsed.warnings)
    }

    /// Opens a Tessera backup with `password` and compares it with the vault. A backup that does
    /// not open is a `.unreadable` result, not an error; a locked vault throws `Problem.locked`.
    public func verify(_ data: Data, password: String) throws -> TesseraLogic.BackupCheck {
        do {
            let check = try verifyBackup(bytes: data, password: password.isEmpty ? nil : password, vault: vault)
            return .readable(accounts: Int(check.backupAccounts), matchesVault: check.identical)
        } catch let error as TesseraError {
            switch error {
            case .WrongPassword, .Corrupted, .Unsupported, .InvalidInput:
                return .unreadable(VaultBackups.fileProblem(error, passwordGiven: !password.isEmpty))
            default:
                throw error.problem
            }
        }
    }

    /// What a failure to read a file means to the user. `InvalidInput` is an unknown or damaged
    /// file, or an encrypted one opened without a password (then the password is what is wrong).
    static func fileProblem(_ error: TesseraError, passwordGiven: Bool) -> Problem {
        switch error {
        case .WrongPassword: return .wrongPassword
        case .InvalidInput: return passwordGiven ? .corrupted : .wrongPassword
        case .Corrupted, .Unsupported: return .corrupted
        default: return error.problem
        }
    }

    /// Why an import failed. Without a password, `InvalidInput` is either an encrypted file or an
    /// unreadable one: a second read with an empty password tells them apart (an encrypted file
    /// then reports a wrong password).
    static func importProblem(_ error: TesseraError, data: Data, fileName: String?, passwordGiven: Bool) -> Problem {
        guard error.isInvalidInput, !passwordGiven else { return fileProblem(error, passwordGiven: true) }
        do {
            _ = try parseImportFile(contents: data, fileName: fileName, password: "")
            return .corrupted
        } catch let retry as TesseraError {
            if case .WrongPassword = retry { return .wrongPassword }
            return .corrupted
        } catch {
            return .corrupted
        }
    }

    /// "Issuer: name", or the name alone when there is no issuer.
    static func label(issuer: String, name: String) -> String {
        issuer.isEmpty ? name : "\(issuer): \(name)"
    }

    /// The core's "label: reason" line as a report entry.
    static func skippedEntry(_ line: String) -> SkippedEntry {
        guard let split = line.range(of: ": ", options: .backwards) else { return SkippedEntry(label: line, reason: "") }
        return SkippedEntry(label: String(line[..<split.lowerBound]), reason: String(line[split.upperBound...]))
    }
}
