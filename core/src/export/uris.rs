//! A plain list of `otpauth://` URIs, one per line (what many apps and password managers read).
//!
//! A URI carries issuer, name, secret, type, algorithm, digits, period or counter and the
//! `meta` parameters. It cannot carry groups, notes or favourites; Steam accounts are written
//! as `otpauth://steam/…`, which Aegis and Ente read but many apps do not; an account name
//! containing `:` does not survive the label. Each of these is a warning naming the accounts.

use zeroize::Zeroizing;

use super::{Exported, Losses};
use crate::account::{Account, OtpKind};
use crate::uri;

/// Notes what an otpauth URI cannot carry for `a`.
pub(crate) fn uri_losses(a: &Account, losses: &mut Losses) {
    let label = a.label();
    if !a.groups.is_empty() {
        losses.add("groups", &label);
    }
    if !a.note.is_empty() {
        losses.add("notes", &label);
    }
    if a.favorite {
        losses.add("favourites", &label);
    }
}

/// Writes one URI per line (LF line ends, a final newline).
pub fn write(accounts: &[Account]) -> Exported {
    let mut losses = Losses::new();
    let mut out = Zeroizing::new(Vec::with_capacity(accounts.len() * 160));
    for a in accounts {
        uri_losses(a, &mut losses);
        let label = a.label();
        if matches!(a.params.kind, OtpKind::Steam { .. }) {
            losses.add(
                "Steam as a standard type (written as otpauth://steam/)",
                &label,
            );
        }
        if a.name.contains(':') {
            losses.add(
                "a ':' in an account name (the name will read differently)",
                &label,
            );
        }
        let line = Zeroizing::new(uri::to_uri(a));
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    Exported {
        bytes: out,
        warnings: losses.into_warnings("An otpauth URI"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures;

    #[test]
    fn one_uri_per_line_that_parses_back() {
        let accounts = fixtures::rich();
        let e = write(&accounts);
        let text = std::str::from_utf8(&e.bytes).unwrap();
        assert!(text.ends_with('\n'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), accounts.len());
        for (line, a) in lines.iter().zip(&accounts) {
            let back = uri::parse(line).unwrap();
            assert_eq!(back.secret, a.secret);
            assert_eq!(back.params, a.params, "{}", a.label());
            assert_eq!(back.meta, a.meta);
            if !a.name.contains(':') {
                assert_eq!((&back.issuer, &back.name), (&a.issuer, &a.name));
            }
        }
        let w = e.warnings.join("\n");
        for expected in [
            "groups: 2 accounts",
            "notes: 2 accounts",
            "favourites: 2 accounts",
            "Steam",
            "':'",
        ] {
            assert!(
                w.contains(expected),
                "missing warning {expected:?} in:\n{w}"
            );
        }
        assert!(!w.contains("JBSWY3DP"));
    }
}
