//! Steam Guard files: the Steam mobile app's `Steamguard-<steamid>` JSON (an `accounts` map, or a
//! single account in old versions) and Steam Desktop Authenticator `.maFile`s (a single account).
//! Each account has `shared_secret` (Base64) and `account_name`.

use super::common::{self, push_entry, secret_from_base64, unchecked_account};
use super::{Format, ImportError, Input, Parsed};
use crate::account::{Algorithm, OtpKind, OtpParams, STEAM_DIGITS};

const NAME: &str = "Steam";

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "steam",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    common::looks_like_json_with(input.bytes, b"{", &[b"\"shared_secret\""])
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let v = common::parse_json_str(common::require_text(input, NAME)?, NAME)?;
    let mut parsed = Parsed::default();
    match v.get("accounts") {
        Some(serde_json::Value::Object(map)) => {
            for (key, acc) in map {
                take(&mut parsed, key, acc);
            }
        }
        Some(_) => return Err(common::malformed(NAME, "\"accounts\" is not an object")),
        None if v.get("shared_secret").is_some() => take(&mut parsed, "account 1", &v),
        None => return Err(common::malformed(NAME, "no Steam account in the file")),
    }
    Ok(parsed)
}

fn take(parsed: &mut Parsed, fallback: &str, acc: &serde_json::Value) {
    let name = common::str_of(acc, "account_name").unwrap_or_default();
    let label = if name.is_empty() { fallback } else { name };
    let entry = (|| {
        let secret = match acc.get("shared_secret").and_then(|s| s.as_str()) {
            Some(s) => secret_from_base64(s)?,
            None => return Err("no shared_secret (not a Steam Guard account)".to_string()),
        };
        let params = OtpParams {
            kind: OtpKind::Steam { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: STEAM_DIGITS,
        };
        unchecked_account("Steam", name, secret, params)
    })();
    push_entry(parsed, label, entry);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{check_file, input};

    #[test]
    fn corpus_files() {
        check_file(&FORMAT, "steam/steam.json");
        check_file(&FORMAT, "steam/steam_old.json");
    }

    fn run(s: &str) -> Result<Parsed, ImportError> {
        parse(&input(s.as_bytes()), None)
    }

    #[test]
    fn hostile_inputs() {
        assert!(run("{\"shared_secret\":").is_err());
        assert!(run("[1,2]").is_err());
        let p = run(r#"{"accounts":{"a":{"account_name":"x","shared_secret":"!!notb64"},"b":{"account_name":"y"}}}"#)
            .unwrap();
        assert!(p.accounts.is_empty());
        assert_eq!(p.skipped.len(), 2);
        assert!(p.skipped[0].reason.contains("Base64"));
        // Deep nesting is refused by serde_json's recursion limit, not a stack overflow.
        let deep = format!(
            "{{\"shared_secret\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(run(&deep).is_err());
    }
}
