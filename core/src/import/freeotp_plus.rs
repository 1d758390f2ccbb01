//! FreeOTP+: its JSON export `{"tokenOrder": [...], "tokens": [FreeOTP token JSON]}` and its
//! internal `tokens.xml` (the FreeOTP 1.x layout, read by [`super::freeotp`]).
//! HOTP counters are kept as stored, as for FreeOTP 1.x.

use super::common::{self, push_entry};
use super::{Format, ImportError, Input, Parsed, android_prefs, freeotp};

const NAME: &str = "FreeOTP+";

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "freeotp-plus",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    common::looks_like_json_with(input.bytes, b"{", &[b"\"tokenOrder\"", b"\"tokens\""])
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    if android_prefs::looks_like(input.bytes) {
        return freeotp::parse_prefs(input, NAME);
    }
    let v = common::parse_json_str(common::require_text(input, NAME)?, NAME)?;
    let tokens = v
        .get("tokens")
        .and_then(|t| t.as_array())
        .ok_or_else(|| common::malformed(NAME, "no \"tokens\" array"))?;
    let mut parsed = Parsed::default();
    for (i, token) in tokens.iter().enumerate() {
        let label = match (
            common::str_of(token, "issuerExt").unwrap_or_default(),
            common::str_of(token, "label").unwrap_or_default(),
        ) {
            ("", "") => format!("token {}", i + 1),
            (i, "") => i.to_string(),
            ("", l) => l.to_string(),
            (i, l) => format!("{i}:{l}"),
        };
        let entry = common::secret_from_signed_bytes(token.get("secret"))
            .and_then(|secret| freeotp::token_account(token, secret));
        push_entry(&mut parsed, &label, entry);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{check_file, input};

    #[test]
    fn corpus_files() {
        check_file(&FORMAT, "freeotp-plus/freeotp_plus.json");
        // The internal file is FreeOTP 1.x's layout: detection names it FreeOTP, and both read it.
        let p = check_file(&freeotp::FORMAT, "freeotp-plus/freeotp_plus_internal.xml");
        if let Some(bytes) =
            crate::import::test_support::read("freeotp-plus/freeotp_plus_internal.xml")
        {
            let q = parse(&input(&bytes), None).unwrap();
            assert_eq!(q.accounts, p.unwrap().accounts);
        }
    }

    #[test]
    fn hostile_inputs() {
        let run = |s: &str| parse(&input(s.as_bytes()), None);
        assert!(run(r#"{"tokenOrder":[],"tokens":{}}"#).is_err());
        assert!(run(r#"{"tokenOrder":[],"tokens":[{"secret":"#).is_err());
        let p =
            run(r#"{"tokenOrder":[],"tokens":[{"secret":[1,2],"digits":4000000000}]}"#).unwrap();
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].reason.contains("digits"));
    }
}
