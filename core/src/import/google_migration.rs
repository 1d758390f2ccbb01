//! Google Authenticator exports as text: one or more `otpauth-migration://offline?data=…` URIs,
//! one per line (what a QR scanner gives for each code of an export; several exports may be
//! combined). Decoding is [`crate::migration::decode_all`], which also checks that every code of
//! a multi-code export is present.

use super::common::{self, Collector};
use super::{ImportError, Input, Parsed, Skipped};

const NAME: &str = "Google Authenticator export";

/// True when the first content line is an `otpauth-migration://` URI.
pub fn sniff(input: &Input<'_>) -> bool {
    if input.bytes.len() > common::MAX_INPUT_BYTES || !common::is_text(input) {
        return false;
    }
    common::text(input)
        .and_then(|t| common::content_lines(t).next())
        .is_some_and(is_migration)
}

fn is_migration(line: &str) -> bool {
    line.get(..20)
        .is_some_and(|p| p.eq_ignore_ascii_case("otpauth-migration://"))
}

/// Decodes every migration line together; any other line is skipped with a reason.
pub fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    let t = common::text(input).ok_or_else(|| common::malformed(NAME, "not UTF-8 text"))?;
    let mut out = Collector::new(NAME);
    let mut uris = Vec::new();
    let mut others = Vec::new();
    for (i, line) in common::content_lines(t).enumerate() {
        out.check_count(i + 1)?;
        if is_migration(line) {
            uris.push(line);
        } else {
            others.push(Skipped {
                label: format!("line {}", i + 1),
                reason: "not an otpauth-migration:// link".into(),
            });
        }
    }
    let batch =
        crate::migration::decode_all(&uris).map_err(|e| common::malformed(NAME, e.to_string()))?;
    out.check_count(batch.accounts.len() + batch.skipped.len() + others.len())?;
    out.extend(Parsed {
        accounts: batch.accounts,
        skipped: batch
            .skipped
            .into_iter()
            .map(|(label, reason)| Skipped { label, reason })
            .chain(others)
            .collect(),
        warnings: vec![
            "Google Authenticator exports carry no period: every time-based account uses 30 s"
                .into(),
        ],
    })?;
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn bad_payloads_are_errors_not_panics() {
        for t in [
            "otpauth-migration://offline?data=invaliddata",
            "otpauth-migration://offline?data=rSQ04U9PcneFhvjOxzmevg%3D%3D",
            "otpauth-migration://offline?datafail=AAAA",
            "otpauth-migration://offline?data=XXXX",
        ] {
            assert!(sniff(&input(t)));
            assert!(parse(&input(t), None).is_err(), "{t}");
        }
        assert!(!sniff(&input(
            "QR-Code:otpauth-migration://offline?data=AAAA"
        )));
    }

    #[test]
    fn round_trip_through_the_encoder() {
        let secret = crate::account::Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let a = crate::account::Account::totp("Issuer", "me", secret);
        let enc = crate::migration::encode(std::slice::from_ref(&a));
        let text = format!("# two lines\n{}\nnot a link\n", enc.uris.join("\n"));
        let p = parse(&input(&text), None).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].secret, a.secret);
        assert_eq!(p.skipped.len(), 1);
    }
}
