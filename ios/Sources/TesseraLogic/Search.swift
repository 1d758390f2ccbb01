import Foundation

/// Matching and ordering for the list: case- and accent-insensitive; every word of the query must
/// match the issuer, the account name or a group ("nhs pharm" finds "NHSmail — pharmacist@nhs.net").
public enum Search {
    /// Lower case without accents ("Émile" → "emile").
    public static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }

    /// Whether `code` matches every word of `query`; a blank query matches everything.
    public static func matches(_ code: AccountCode, query: String) -> Bool {
        let words = fold(query).split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.isEmpty { return true }
        let haystack = ([code.issuer, code.accountName] + code.groups).map(fold).joined(separator: "\n")
        return words.allSatisfy { haystack.contains($0) }
    }

    /// Favourites first, then by issuer (or name), then by account name, ignoring case and accents.
    public static func ordered(_ a: AccountCode, _ b: AccountCode) -> Bool {
        if a.favourite != b.favourite { return a.favourite }
        let ta = fold(a.issuer.isEmpty ? a.accountName : a.issuer)
        let tb = fold(b.issuer.isEmpty ? b.accountName : b.issuer)
        if ta != tb { return ta < tb }
        let na = fold(a.accountName), nb = fold(b.accountName)
        if na != nb { return na < nb }
        return a.id < b.id
    }
}

/// Which accounts the list shows, besides the search.
public enum GroupFilter: Equatable, Sendable {
    /// Every account.
    case all
    /// Only favourites.
    case favourites
    /// Only accounts in the named group (case-insensitive).
    case named(String)

    /// Whether `code` passes this filter.
    public func accepts(_ code: AccountCode) -> Bool {
        switch self {
        case .all: return true
        case .favourites: return code.favourite
        case .named(let name): return code.groups.contains { Search.fold($0) == Search.fold(name) }
        }
    }
}

/// A chip in the group bar: the filter, its label, how many accounts it holds, whether selected.
public struct GroupChip: Equatable, Sendable {
    public var filter: GroupFilter
    public var label: String
    public var count: Int
    public var selected: Bool
}

/// The chips for `codes`: All, Favourites (if any), then each group alphabetically (case variants merged).
public func groupChips(_ codes: [AccountCode], selected: GroupFilter) -> [GroupChip] {
    var chips = [GroupChip(filter: .all, label: "All", count: codes.count, selected: selected == .all)]
    let favourites = codes.filter(\.favourite).count
    if favourites > 0 {
        chips.append(GroupChip(filter: .favourites, label: "Favourites", count: favourites, selected: selected == .favourites))
    }
    var byFolded: [String: (label: String, count: Int)] = [:]
    for code in codes {
        var seenHere = Set<String>()
        for g in code.groups.map({ $0.trimmingCharacters(in: .whitespaces) }) where !g.isEmpty {
            let key = Search.fold(g)
            guard seenHere.insert(key).inserted else { continue }
            let entry = byFolded[key] ?? (g, 0)
            byFolded[key] = (entry.label, entry.count + 1)
        }
    }
    for key in byFolded.keys.sorted() {
        let (label, count) = byFolded[key]!
        var isSelected = false
        if case .named(let name) = selected { isSelected = Search.fold(name) == key }
        chips.append(GroupChip(filter: .named(label), label: label, count: count, selected: isSelected))
    }
    return chips
}
