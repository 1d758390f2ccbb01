//! Raivo OTP (iOS) exports: `raivo-otp-export.json` from the export ZIP, a JSON array of objects
//! whose values are all strings: `{kind TOTP|HOTP, algorithm, timer, digits, counter, issuer,
//! account, secret, pinned}`. (The ZIP itself is password-protected; unzip it first.)

use serde_json::Value;

use super::common::{self, Collector, int_of, str_of, string_of};
use super::{ImportError, Input, Parsed};
use crate::account::{Account, OtpKind};

const NAME: &str = "Raivo OTP";

/// A JSON array whose first object has Raivo's `kind`, `timer` and `secret`.
pub fn sniff(input: &Input<'_>) -> bool {
    common::sniff_json(input).is_some_and(|v| {
        v.as_array().is_some_and(|a| {
            a.first().is_some_and(|e| {
                e.get("kind").is_some() && e.get("timer").is_some() && e.get("secret").is_some()
            })
        })
    })
}

/// Parses a Raivo JSON export.
pub fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let v = common::parse_json(input, NAME)?;
    let entries = v
        .as_array()
        .ok_or_else(|| common::malformed(NAME, "not a list of entries"))?;
    let mut out = Collector::new(NAME);
    out.push_entries(entries, "issuer", "account", account)?;
    Ok(out.finish())
}

fn account(e: &Value) -> Result<Account, String> {
    let secret = common::secret_from_base32(str_of(e, "secret").unwrap_or_default())?;
    let kind = match str_of(e, "kind")
        .unwrap_or("TOTP")
        .to_ascii_uppercase()
        .as_str()
    {
        "TOTP" => OtpKind::Totp {
            period: common::period(int_of(e, "timer").unwrap_or(30))?,
        },
        "HOTP" => OtpKind::Hotp {
            counter: common::counter(int_of(e, "counter").unwrap_or(0))?,
        },
        other => return Err(format!("unsupported kind {}", common::printable(other, 16))),
    };
    let mut a = common::account(
        &string_of(e, "issuer"),
        &string_of(e, "account"),
        secret,
        kind,
        common::algorithm(str_of(e, "algorithm").unwrap_or("SHA1"))?,
        common::digits(int_of(e, "digits").unwrap_or(6))?,
    )?;
    a.favorite = common::bool_of(e, "pinned");
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::input;

    #[test]
    fn string_values_and_bad_entries() {
        let t = r#"[{"kind":"HOTP","algorithm":"SHA1","timer":"30","digits":"6","counter":"5","issuer":"I","account":"a","secret":"JBSWY3DPEHPK3PXP","pinned":"true"},
                    {"kind":"TOTP","algorithm":"SHA1","timer":"0","digits":"6","counter":"0","issuer":"Z","account":"a","secret":"JBSWY3DPEHPK3PXP","pinned":"false"},
                    {"kind":"TOTP","algorithm":"MD5","timer":"30","digits":"6","counter":"0","issuer":"M","account":"a","secret":"JBSWY3DPEHPK3PXP","pinned":"false"}]"#;
        let input = input(t.as_bytes());
        assert!(sniff(&input));
        let p = parse(&input, None).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].params.kind, OtpKind::Hotp { counter: 5 });
        assert!(p.accounts[0].favorite);
        assert_eq!(p.skipped.len(), 2);
    }
}
