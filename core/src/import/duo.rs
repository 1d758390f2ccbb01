//! Duo Mobile's internal `accounts.json`: an array of accounts, each with
//! `otpGenerator { otpSecret (Base32), counter? }`. A `counter` makes it HOTP.
//!
//! Duo's counter quirk: the file's counter is kept as it is (the corpus' `duo.json` holds 3 and
//! expects 3; Aegis' own test overwrites it, which hid the value). Duo stores no issuer.

use super::common::{
    self, lenient_int_of, push_entry, strict_secret_from_base32, unchecked_account,
};
use super::{Format, ImportError, Input, Parsed};
use crate::account::{OtpKind, OtpParams};

const NAME: &str = "Duo Mobile";

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "duo",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    common::looks_like_json_with(input.bytes, b"[", &[b"\"otpGenerator\""])
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let v = common::parse_json_str(common::require_text(input, NAME)?, NAME)?;
    let list = v
        .as_array()
        .ok_or_else(|| common::malformed(NAME, "expected a JSON array of accounts"))?;
    let mut parsed = Parsed::default();
    for (i, acc) in list.iter().enumerate() {
        let name = common::str_of(acc, "name").unwrap_or_default();
        let label = if name.is_empty() {
            format!("account {}", i + 1)
        } else {
            name.to_string()
        };
        let entry = (|| {
            let generator = acc
                .get("otpGenerator")
                .filter(|g| g.is_object())
                .ok_or_else(|| "no OTP generator (a Duo push-only account)".to_string())?;
            let secret = strict_secret_from_base32(
                common::str_of(generator, "otpSecret").unwrap_or_default(),
            )?;
            let kind = match generator.get("counter") {
                Some(c) if !c.is_null() => OtpKind::Hotp {
                    counter: common::counter_or_zero(lenient_int_of(generator, "counter"))?,
                },
                _ => OtpKind::Totp { period: 30 },
            };
            let params = OtpParams {
                kind,
                ..OtpParams::default()
            };
            unchecked_account("", name, secret, params)
        })();
        push_entry(&mut parsed, &label, entry);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{check_file, input};

    #[test]
    fn corpus_file() {
        check_file(&FORMAT, "duo/duo.json");
    }

    #[test]
    fn bad_entries_are_skipped_with_reasons() {
        let s = r#"[{"name":"a","otpGenerator":{"otpSecret":"1!!"}},
                    {"name":"b"},
                    {"name":"c","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP","counter":-4}},
                    {"name":"d","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP","counter":"7"}}]"#;
        let p = parse(&input(s.as_bytes()), None).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.accounts[0].params.kind, OtpKind::Hotp { counter: 7 });
        let reasons: Vec<_> = p.skipped.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(reasons, ["a", "b", "c"]);
        assert!(!format!("{:?}", p.skipped).contains("JBSW"));
        assert!(
            parse(
                &Input {
                    bytes: b"[{",
                    file_name: None
                },
                None
            )
            .is_err()
        );
    }
}
