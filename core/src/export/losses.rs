//! Collecting what an export format cannot carry into a few readable warnings.

use std::collections::BTreeMap;

/// How many account labels a warning names before it says "and N more".
const NAMED: usize = 3;

/// What a format dropped, grouped by kind of loss: one warning per kind, naming the accounts.
#[derive(Debug, Default)]
pub struct Losses {
    by_what: BTreeMap<String, Vec<String>>,
}

impl Losses {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes that the account `label` loses `what` (e.g. "its note", "groups").
    pub fn add(&mut self, what: impl Into<String>, label: &str) {
        let label = if label.is_empty() {
            "(unnamed)".to_string()
        } else {
            label.to_string()
        };
        self.by_what.entry(what.into()).or_default().push(label);
    }

    /// True when nothing was lost.
    pub fn is_empty(&self) -> bool {
        self.by_what.is_empty()
    }

    /// One line per kind of loss: `"<format> cannot carry <what>: 2 accounts (A, B)"`.
    pub fn into_warnings(self, format: &str) -> Vec<String> {
        self.by_what
            .into_iter()
            .map(|(what, labels)| {
                let n = labels.len();
                let mut named = labels
                    .iter()
                    .take(NAMED)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if n > NAMED {
                    named.push_str(&format!(" and {} more", n - NAMED));
                }
                let noun = if n == 1 { "account" } else { "accounts" };
                format!("{format} cannot carry {what}: {n} {noun} ({named})")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_kind_and_names_a_few() {
        let mut l = Losses::new();
        for name in ["A", "B", "C", "D", "E"] {
            l.add("notes", name);
        }
        l.add("favourites", "");
        let w = l.into_warnings("Fmt");
        assert_eq!(
            w,
            vec![
                "Fmt cannot carry favourites: 1 account ((unnamed))".to_string(),
                "Fmt cannot carry notes: 5 accounts (A, B, C and 2 more)".to_string(),
            ]
        );
    }
}
