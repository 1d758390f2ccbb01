import Foundation
import Tessera
import TesseraLogic

/// The codes list and account editing over the encrypted `Vault`: what the app's codes and
/// add-account screens use.
///
/// `codes(at:)` is one `codesAt` call for the whole list plus one `list` for the groups. HOTP rows
/// have no code until the user asks for one (`nextHOTP`, which advances the counter in the vault);
/// the last code generated in this session stays on its row. Times are the caller's: pass
/// `ServerTime`'s corrected time so that codes and countdowns follow the sign-in server's clock.
/// Thread-safe (the vault serialises its calls; the HOTP codes shown are kept under a lock).
public final class VaultAccounts: CodeSource, AccountStore {
    private let vault: Vault
    private let lock = NSLock()
    private var hotpShown: [String: String] = [:]

    /// Accounts of `vault` (unlocked).
    public init(vault: Vault) {
        self.vault = vault
    }

    /// Every account's codes at `unixSeconds` (before 1970: at 0), in the vault's list order.
    public func codes(at unixSeconds: Int64) throws -> [AccountCode] {
        let at = UInt64(max(0, unixSeconds))
        let (rows, entries) = try core { (try vault.codesAt(unixSeconds: at), try vault.list()) }
        let groups = Dictionary(entries.map { ($0.id, $0.groups) }, uniquingKeysWith: { first, _ in first })
        lock.lock(); defer { lock.unlock() }
        return rows.map { row in
            if row.otpType == .hotp {
                let shown = hotpShown[row.id] ?? ""
                return AccountCode(id: row.id, issuer: row.issuer, accountName: row.name, groups: groups[row.id] ?? [],
                                   favourite: row.favorite, type: .hotp, code: shown, grouped: formatGrouped(code: shown),
                                   spoken: formatSpoken(code: shown), periodSeconds: nil)
            }
            return AccountCode(id: row.id, issuer: row.issuer, accountName: row.name, groups: groups[row.id] ?? [],
                               favourite: row.favorite, type: row.otpType.logic, code: row.code, grouped: row.grouped,
                               spoken: row.spoken, nextCode: row.nextCode, nextGrouped: formatGrouped(code: row.nextCode),
                               periodSeconds: row.period.map { Int($0) })
        }
    }

    /// Advances HOTP account `id` in the vault (saved before the code is returned) and returns its row.
    public func nextHOTP(id: String, at unixSeconds: Int64) throws -> AccountCode {
        guard let entry = try core({ try vault.list() }).first(where: { $0.id == id }) else { throw Problem.notFound }
        guard entry.otpType == .hotp else { throw Problem.notFound }
        let code = try core { try vault.nextHotp(id: id) }
        lock.lock()
        hotpShown[id] = code
        lock.unlock()
        return AccountCode(id: id, issuer: entry.issuer, accountName: entry.name, groups: entry.groups,
                           favourite: entry.favorite, type: .hotp, code: code, grouped: formatGrouped(code: code),
                           spoken: formatSpoken(code: code), periodSeconds: nil)
    }

    /// Saves the accounts of `links` (otpauth:// or otpauth-migration://) in one transaction;
    /// returns how many were new. One bad link adds nothing (`Problem.invalidURI`).
    public func add(links: [String]) throws -> Int {
        let accounts = try links.flatMap { link in try core { try CoreURIParser.accounts(in: link) } }
        guard !accounts.isEmpty else { return 0 }
        do {
            return try vault.addAccounts(accounts: accounts).added.count
        } catch let error as TesseraError {
            // InvalidInput here: an account the vault refuses (e.g. a parameter out of range).
            throw error.isInvalidInput ? Problem.invalidURI : error.problem
        }
    }

    /// Deletes account `id` from the vault. Throws `Problem.notFound` when it is not there.
    public func delete(id: String) throws {
        try core { try vault.remove(id: id) }
        lock.lock()
        hotpShown[id] = nil
        lock.unlock()
    }

    /// Pins or unpins account `id` (saved in the vault).
    public func setFavourite(id: String, favourite: Bool) throws {
        try core { try vault.setFavorite(id: id, favorite: favourite) }
    }

    /// Replaces the groups of account `id`.
    public func setGroups(id: String, groups: [String]) throws {
        try core { try vault.setGroups(id: id, groups: groups) }
    }

    /// Counts one use of account `id`'s code (the user copied it).
    public func recordUse(id: String) throws {
        try core { try vault.recordUse(id: id) }
    }
}
