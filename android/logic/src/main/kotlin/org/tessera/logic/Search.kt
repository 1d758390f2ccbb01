package org.tessera.logic

import java.text.Normalizer

/**
 * Matching and ordering of accounts for the list: case- and accent-insensitive, every word of the
 * query must match the issuer, the account name or a group ("nhs pharm" finds "NHSmail —
 * pharmacist@nhs.net").
 */
object Search {
    private val marks = Regex("\\p{Mn}+")

    /** Lower case without accents, for comparisons ("Émile" → "emile"). */
    fun fold(text: String): String =
        marks.replace(Normalizer.normalize(text, Normalizer.Form.NFD), "").lowercase()

    /** Whether [code] matches every word of [query]; a blank query matches everything. */
    fun matches(code: AccountCode, query: String): Boolean {
        val words = fold(query).split(' ', '\t').filter { it.isNotEmpty() }
        if (words.isEmpty()) return true
        val haystack = buildString {
            append(fold(code.issuer)).append('\n').append(fold(code.accountName))
            code.groups.forEach { append('\n').append(fold(it)) }
        }
        return words.all { haystack.contains(it) }
    }

    /** Favourites first, then by issuer, then by account name, ignoring case and accents. */
    val order: Comparator<AccountCode> =
        compareByDescending<AccountCode> { it.favourite }
            .thenBy { fold(it.issuer.ifEmpty { it.accountName }) }
            .thenBy { fold(it.accountName) }
            .thenBy { it.id }
}

/** Which accounts the list shows, besides the search. */
sealed interface GroupFilter {
    /** Every account. */
    data object All : GroupFilter
    /** Only favourites. */
    data object Favourites : GroupFilter
    /** Only accounts in the named group. */
    data class Named(val name: String) : GroupFilter

    /** Whether [code] passes this filter. */
    fun accepts(code: AccountCode): Boolean = when (this) {
        All -> true
        Favourites -> code.favourite
        is Named -> code.groups.any { it.equals(name, ignoreCase = true) }
    }
}

/** A chip in the group bar: the filter, its label and how many accounts it holds. */
data class GroupChip(val filter: GroupFilter, val label: String, val count: Int, val selected: Boolean)

/** The chips for [codes]: All, Favourites (if any), then each group alphabetically. */
fun groupChips(codes: List<AccountCode>, selected: GroupFilter): List<GroupChip> {
    val chips = mutableListOf(GroupChip(GroupFilter.All, "All", codes.size, selected == GroupFilter.All))
    val favourites = codes.count { it.favourite }
    if (favourites > 0) {
        chips += GroupChip(GroupFilter.Favourites, "Favourites", favourites, selected == GroupFilter.Favourites)
    }
    val byFolded = linkedMapOf<String, Pair<String, Int>>()
    codes.flatMap { c -> c.groups.map { it.trim() }.filter { it.isNotEmpty() }.distinctBy { Search.fold(it) } }
        .forEach { g ->
            val key = Search.fold(g)
            val (label, n) = byFolded[key] ?: (g to 0)
            byFolded[key] = label to n + 1
        }
    byFolded.entries.sortedBy { it.key }.forEach { (_, v) ->
        val filter = GroupFilter.Named(v.first)
        val isSelected = selected is GroupFilter.Named && selected.name.equals(v.first, ignoreCase = true)
        chips += GroupChip(filter, v.first, v.second, isSelected)
    }
    return chips
}
