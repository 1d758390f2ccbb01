import Foundation
import Tessera
import TesseraLogic

/// Accounts held in memory (nothing saved) with their codes from the core's `CodeBook`: every row in
/// one FFI call, HMAC keys prepared once per change. For SwiftUI previews, demos and tests that need
/// no vault file; the app itself uses `VaultAccounts`. Thread-safe.
public final class AccountList: CodeSource, AccountStore {
    private let lock = NSLock()
    private var ids: [String] = []
    private var accounts: [Account] = []
    private var book: CodeBook?
    private var nextId = 1

    /// An empty list.
    public init() {}

    /// The accounts with their ids (secrets included: never log them).
    public func snapshot() -> [(id: String, account: Account)] {
        lock.lock(); defer { lock.unlock() }
        return Array(zip(ids, accounts)).map { (id: $0.0, account: $0.1) }
    }

    /// Every account's codes at `unixSeconds`, from one `CodeBook` call.
    public func codes(at unixSeconds: Int64) throws -> [AccountCode] {
        lock.lock(); defer { lock.unlock() }
        let entries = try core { try codeBook().codesAt(unixSeconds: UInt64(max(0, unixSeconds))) }
        return try entries.map(row)
    }

    /// Advances HOTP account `id`'s counter (in memory) and returns its row.
    public func nextHOTP(id: String, at unixSeconds: Int64) throws -> AccountCode {
        lock.lock(); defer { lock.unlock() }
        guard let i = ids.firstIndex(of: id), accounts[i].otpType == .hotp else { throw Problem.notFound }
        accounts[i] = accounts[i].with(counter: accounts[i].counter + 1)
        book = nil
        return try row(try core { try codeBook().codesAt(unixSeconds: UInt64(max(0, unixSeconds))) }[i])
    }

    /// Adds the accounts of `links` that are not there yet; one bad link adds nothing.
    public func add(links: [String]) throws -> Int {
        // Parse everything first: one bad link adds nothing.
        let parsed = try links.flatMap { link in try core { try CoreURIParser.accounts(in: link) } }
        lock.lock(); defer { lock.unlock() }
        var added = 0
        for candidate in parsed where !accounts.contains(where: {
            $0.secretBase32 == candidate.secretBase32 && $0.issuer == candidate.issuer && $0.name == candidate.name
        }) {
            _ = try core { try CodeBook(accounts: [candidate]) } // refuses an account that cannot make codes
            ids.append("a\(nextId)")
            nextId += 1
            accounts.append(candidate)
            added += 1
        }
        book = nil
        return added
    }

    /// Removes account `id`; `Problem.notFound` when it is not there.
    public func delete(id: String) throws {
        lock.lock(); defer { lock.unlock() }
        guard let i = ids.firstIndex(of: id) else { throw Problem.notFound }
        ids.remove(at: i)
        accounts.remove(at: i)
        book = nil
    }

    /// Pins or unpins account `id` (in memory).
    public func setFavourite(id: String, favourite: Bool) throws {
        lock.lock(); defer { lock.unlock() }
        guard let i = ids.firstIndex(of: id) else { throw Problem.notFound }
        accounts[i] = accounts[i].with(favorite: favourite)
        book = nil
    }

    private func codeBook() throws -> CodeBook {
        if let book { return book }
        let made = try CodeBook(accounts: accounts)
        book = made
        return made
    }

    /// A CodeBook row (its id is the position in the book) as the list's `AccountCode`.
    private func row(_ e: CodeEntry) throws -> AccountCode {
        guard let i = Int(e.id), ids.indices.contains(i) else { throw Problem.unknown }
        let timeBased = e.otpType != .hotp
        return AccountCode(id: ids[i], issuer: e.issuer, accountName: e.name, groups: accounts[i].groups,
                           favourite: e.favorite, type: e.otpType.logic, code: e.code, grouped: e.grouped,
                           spoken: e.spoken, nextCode: timeBased ? e.nextCode : nil,
                           nextGrouped: timeBased ? formatGrouped(code: e.nextCode) : nil,
                           periodSeconds: e.period.map { Int($0) })
    }
}
