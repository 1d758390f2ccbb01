//! Verified backups: open a backup and say how it differs from the accounts it should hold.
//!
//! Accounts are paired first by exact equality, then by secret (the same secret with other
//! fields changed is one account that *differs*, not one missing and one extra). What is left
//! is missing from the backup (in the vault only) or extra (in the backup only). Results name
//! accounts by label and fields by name — never secrets.

use serde::Serialize;

use super::backup::{self, BackupError};
use crate::account::Account;
use crate::import::Skipped;

/// One account present on both sides whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The account's label in the vault.
    pub label: String,
    /// The fields that differ: `issuer`, `name`, `type`, `algorithm`, `digits`, `period`,
    /// `counter`, `meta`, `groups`, `note`, `favorite`.
    pub fields: Vec<&'static str>,
}

/// How a set of backed-up accounts compares with the expected ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Accounts identical on both sides.
    pub matching: usize,
    /// Labels of accounts expected (in the vault) but absent from the backup.
    pub missing: Vec<String>,
    /// Labels of accounts in the backup but not expected.
    pub extra: Vec<String>,
    /// Accounts with the same secret on both sides but other fields changed.
    pub differing: Vec<Difference>,
}

impl Comparison {
    /// True when both sides hold exactly the same accounts.
    pub fn is_identical(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.differing.is_empty()
    }
}

/// The result of checking a backup file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// Whether the backup was encrypted.
    pub encrypted: bool,
    /// Number of accounts read from the backup.
    pub backup_accounts: usize,
    /// The comparison with the expected accounts.
    #[serde(flatten)]
    pub comparison: Comparison,
    /// Backup entries that could not be read at all.
    pub unreadable: Vec<SkippedEntry>,
}

/// A backup entry that could not be read (serializable form of [`Skipped`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedEntry {
    /// Label or position.
    pub label: String,
    /// Why.
    pub reason: String,
}

impl From<Skipped> for SkippedEntry {
    fn from(s: Skipped) -> Self {
        SkippedEntry {
            label: s.label,
            reason: s.reason,
        }
    }
}

impl Verification {
    /// True when the backup restores exactly the expected accounts.
    pub fn is_identical(&self) -> bool {
        self.comparison.is_identical() && self.unreadable.is_empty()
    }
}

/// Names of the fields in which `a` and `b` differ (the secret is not compared here).
pub fn differing_fields(a: &Account, b: &Account) -> Vec<&'static str> {
    let (pa, pb) = (&a.params, &b.params);
    [
        ("issuer", a.issuer != b.issuer),
        ("name", a.name != b.name),
        ("type", pa.kind.type_name() != pb.kind.type_name()),
        ("algorithm", pa.algorithm != pb.algorithm),
        ("digits", pa.digits != pb.digits),
        ("period", pa.kind.period() != pb.kind.period()),
        ("counter", pa.kind.counter() != pb.kind.counter()),
        ("meta", a.meta != b.meta),
        ("groups", a.groups != b.groups),
        ("note", a.note != b.note),
        ("favorite", a.favorite != b.favorite),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect()
}

fn label(a: &Account) -> String {
    let l = a.label();
    if l.is_empty() { "(unnamed)".into() } else { l }
}

/// Compares the accounts of a backup with the `expected` ones (usually the vault's).
pub fn compare(backup: &[Account], expected: &[Account]) -> Comparison {
    let mut used = vec![false; backup.len()];
    let mut pending = Vec::new();
    let mut out = Comparison::default();
    for e in expected {
        match (0..backup.len()).find(|&i| !used[i] && backup[i] == *e) {
            Some(i) => {
                used[i] = true;
                out.matching += 1;
            }
            None => pending.push(e),
        }
    }
    for e in pending {
        let same_secret = |i: &usize| !used[*i] && backup[*i].secret == e.secret;
        // Prefer the candidate with the fewest differences.
        let best = (0..backup.len())
            .filter(same_secret)
            .min_by_key(|&i| differing_fields(&backup[i], e).len());
        match best {
            Some(i) => {
                used[i] = true;
                out.differing.push(Difference {
                    label: label(e),
                    fields: differing_fields(e, &backup[i]),
                });
            }
            None => out.missing.push(label(e)),
        }
    }
    out.extra = backup
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(a, _)| label(a))
        .collect();
    out
}

/// Opens a Tessera backup and compares it with `expected`.
pub fn verify_backup(
    bytes: &[u8],
    password: Option<&str>,
    expected: &[Account],
) -> Result<Verification, BackupError> {
    let contents = backup::open(bytes, password)?;
    Ok(Verification {
        encrypted: contents.encrypted,
        backup_accounts: contents.accounts.len(),
        comparison: compare(&contents.accounts, expected),
        unreadable: contents.skipped.into_iter().map(Into::into).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{OtpKind, Secret};
    use crate::export::backup::KdfParams;
    use crate::export::fixtures;

    #[test]
    fn identical_sets_match_in_any_order() {
        let a = fixtures::rich();
        let mut b = a.clone();
        b.reverse();
        let c = compare(&b, &a);
        assert!(c.is_identical());
        assert_eq!(c.matching, a.len());
    }

    #[test]
    fn reports_missing_extra_and_differing() {
        let vault = fixtures::rich();
        let mut backup = vault.clone();
        backup.remove(2); // Airbnb missing from the backup
        backup[0].note = "changed".into();
        backup[0].favorite = false;
        backup[3].params.kind = OtpKind::Hotp { counter: 49 }; // Air Canada, index shifted
        backup.push(Account::totp(
            "New",
            "one",
            Secret::from_base32("MFRGGZDFMZTWQ2LK").unwrap(),
        ));
        let c = compare(&backup, &vault);
        assert!(!c.is_identical());
        assert_eq!(c.missing, vec!["Airbnb (Elijah)"]);
        assert_eq!(c.extra, vec!["New (one)"]);
        assert_eq!(
            c.differing,
            vec![
                Difference {
                    label: "Deno (Mason)".into(),
                    fields: vec!["note", "favorite"]
                },
                Difference {
                    label: "Air Canada (Benjamin)".into(),
                    fields: vec!["counter"]
                },
            ]
        );
        assert_eq!(c.matching, vault.len() - 3);
    }

    #[test]
    fn duplicates_are_counted_not_merged() {
        let one = fixtures::aegis_vectors()[0].clone();
        let c = compare(std::slice::from_ref(&one), &[one.clone(), one.clone()]);
        assert_eq!(c.matching, 1);
        assert_eq!(c.missing, vec!["Deno (Mason)"]);
    }

    #[test]
    fn verifies_a_backup_file_without_leaking_secrets() {
        let kdf = KdfParams {
            m_cost_kib: 64,
            t_cost: 1,
            p_cost: 1,
        };
        let vault = fixtures::rich();
        let bytes = backup::write(&vault, Some(("pw", kdf))).unwrap().bytes;
        let v = verify_backup(&bytes, Some("pw"), &vault).unwrap();
        assert!(v.is_identical() && v.encrypted);
        assert_eq!(v.backup_accounts, vault.len());

        let mut changed = vault.clone();
        changed[3].params.kind = OtpKind::Hotp { counter: 2 };
        let v = verify_backup(&bytes, Some("pw"), &changed).unwrap();
        assert!(!v.is_identical());
        let json = serde_json::to_string(&v).unwrap();
        assert!(json.contains("\"counter\""), "{json}");
        for a in &vault {
            assert!(!json.contains(&a.secret.to_base32()));
        }
        assert!(matches!(
            verify_backup(&bytes, Some("nope"), &vault),
            Err(BackupError::WrongPassword)
        ));
    }
}
