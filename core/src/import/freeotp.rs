//! FreeOTP before 2.0: the app's `shared_prefs/tokens.xml`, one token JSON per `issuer:label` key
//! plus `tokenOrder`. A token is `{algo, counter, digits, issuerExt, issuerInt, label, period,
//! secret: [signed bytes], type}`; `issuerAlt`/`labelAlt` hold names the user edited.
//!
//! FreeOTP's HOTP counter quirk: FreeOTP 1.x increments the counter *before* computing a code, so
//! it stores one less than the counter of the next code. The importer keeps the stored value (as
//! Aegis does and as `expected.json` records: the corpus file holds 10299 for the vector's 10300),
//! so the user's next code is at worst one step behind — inside any server's look-ahead window —
//! never a skipped one.
//!
//! The token JSON is shared with FreeOTP+ ([`super::freeotp_plus`]) and FreeOTP 2 metadata.

use super::common::{self, contains, lenient_int_of, push_entry, unchecked_account};
use super::{Format, ImportError, Input, Parsed, android_prefs};
use crate::account::{Account, Algorithm, OtpKind, OtpParams, Secret};

const NAME: &str = "FreeOTP";

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "freeotp",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    android_prefs::looks_like(input.bytes)
        && contains(input.bytes, b"tokenOrder")
        && contains(input.bytes, b"&quot;secret&quot;")
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    parse_prefs(input, NAME)
}

/// Reads a FreeOTP-style `tokens.xml` (also FreeOTP+'s internal file).
pub(crate) fn parse_prefs(input: &Input<'_>, format: &'static str) -> Result<Parsed, ImportError> {
    let prefs = android_prefs::strings(common::require_text(input, format)?, format)?;
    let mut parsed = Parsed::default();
    for (key, value) in prefs.iter().filter(|(k, _)| k != "tokenOrder") {
        let entry = serde_json::from_str::<serde_json::Value>(value)
            .map_err(|_| "the token is not valid JSON".to_string())
            .and_then(|token| {
                let secret = common::secret_from_signed_bytes(token.get("secret"))?;
                token_account(&token, secret)
            });
        push_entry(&mut parsed, key, entry);
    }
    if parsed.accounts.is_empty() && parsed.skipped.is_empty() {
        return Err(common::malformed(format, "no tokens in the file"));
    }
    Ok(parsed)
}

/// Builds an account from FreeOTP token metadata and its secret.
pub(crate) fn token_account(token: &serde_json::Value, secret: Secret) -> Result<Account, String> {
    let first = |keys: &[&str]| {
        keys.iter()
            .map(|k| common::str_of(token, k).unwrap_or_default())
            .find(|s| !s.is_empty())
            .unwrap_or("")
    };
    let issuer = common::clean_text(first(&["issuerAlt", "issuerExt", "issuerInt"]))?;
    let name = common::clean_text(first(&["labelAlt", "label"]))?;
    let algorithm = match token.get("algo").and_then(|a| a.as_str()) {
        None => Algorithm::Sha1,
        Some(a) => a
            .parse::<Algorithm>()
            .map_err(|_| "unsupported algorithm (expected SHA1, SHA256 or SHA512)".to_string())?,
    };
    let kind = match common::str_of(token, "type")
        .unwrap_or_default()
        .to_ascii_uppercase()
        .as_str()
    {
        "TOTP" | "" => OtpKind::Totp {
            period: common::period_or(lenient_int_of(token, "period"), 30),
        },
        "HOTP" => OtpKind::Hotp {
            counter: common::counter_or_zero(lenient_int_of(token, "counter"))?,
        },
        _ => return Err("unsupported token type".into()),
    };
    let digits = common::digits_or(lenient_int_of(token, "digits"), 6);
    // Already clean: cleaning again changes nothing.
    unchecked_account(
        &issuer,
        &name,
        secret,
        OtpParams {
            kind,
            algorithm,
            digits,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{check_file, input};

    #[test]
    fn corpus_file() {
        check_file(&FORMAT, "freeotp/freeotp.xml");
    }

    #[test]
    fn bad_tokens_are_skipped() {
        let t = |json: &str| {
            format!(
                "<string name=\"x\">{}</string>",
                json.replace('"', "&quot;")
            )
        };
        let x = format!(
            "<map>{}{}{}{}{}<string name=\"tokenOrder\">[]</string></map>",
            t(r#"{"secret":[1,2,3,4,5,6,7,8,9,10],"period":0}"#),
            t(r#"{"secret":[1,2,3,4,5,6,7,8,9,10],"algo":"MD5"}"#),
            t(r#"{"secret":[999]}"#),
            t("not json"),
            t(r#"{"secret":[-1,2,3,4,5,6,7,8,9,10],"type":"HOTP","counter":5,"labelAlt":"me"}"#),
        );
        let p = parse(&input(x.as_bytes()), None).unwrap();
        assert_eq!(p.skipped.len(), 4, "{:?}", p.skipped);
        assert!(p.skipped[0].reason.contains("period"));
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].name, "me");
        assert_eq!(p.accounts[0].secret.as_bytes()[0], 255);
        assert_eq!(p.accounts[0].params.kind, OtpKind::Hotp { counter: 5 });
        assert!(parse(&input(b"<map/>"), None).is_err());
    }
}
