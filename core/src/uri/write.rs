//! Writing an [`Account`] back as an `otpauth://` URI.

use crate::account::{Account, OtpKind};

use super::percent::encode_into;

/// Parameter names the writer produces itself; `meta` entries with these names are not written
/// (they would contradict the account).
const KNOWN: [&str; 7] = [
    "secret",
    "issuer",
    "algorithm",
    "digits",
    "period",
    "counter",
    "encoder",
];

/// The account as an `otpauth://` URI that [`super::parse`] reads back to the same account
/// (issuer, name, secret, parameters and `meta`; groups, note and favourite are not part of a URI).
///
/// Shape: `otpauth://{totp|hotp|steam}/{issuer}:{name}?secret=…&issuer=…&algorithm=…&digits=…`
/// then `period=…` (totp/steam) or `counter=…` (hotp), then the `meta` parameters in name order.
/// The label and values are percent-encoded (spaces as `%20`). Steam accounts are written as
/// `otpauth://steam/` (what Aegis and Ente write and read). An issuer containing `:` is left out
/// of the label (the `issuer` parameter carries it); a *name* containing `:` cannot round-trip,
/// because the Key Uri Format forbids it in the label.
pub fn to_uri(account: &Account) -> String {
    let secret = account.secret.to_base32();
    let mut out = String::with_capacity(64 + secret.len() + account.issuer.len() * 2);
    out.push_str("otpauth://");
    out.push_str(account.params.kind.type_name());
    out.push('/');
    if !account.issuer.is_empty() && !account.issuer.contains(':') {
        encode_into(&account.issuer, &mut out);
        out.push(':');
    }
    encode_into(&account.name, &mut out);
    out.push_str("?secret=");
    out.push_str(&secret);
    if !account.issuer.is_empty() {
        out.push_str("&issuer=");
        encode_into(&account.issuer, &mut out);
    }
    out.push_str("&algorithm=");
    out.push_str(account.params.algorithm.as_str());
    out.push_str("&digits=");
    out.push_str(&account.params.digits.to_string());
    match account.params.kind {
        OtpKind::Totp { period } | OtpKind::Steam { period } => {
            out.push_str("&period=");
            out.push_str(&period.to_string());
        }
        OtpKind::Hotp { counter } => {
            out.push_str("&counter=");
            out.push_str(&counter.to_string());
        }
    }
    for (key, value) in &account.meta {
        if KNOWN.iter().any(|k| k.eq_ignore_ascii_case(key)) || key.is_empty() {
            continue;
        }
        out.push('&');
        encode_into(key, &mut out);
        out.push('=');
        encode_into(value, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::account::{Algorithm, OtpParams, Secret};

    use super::super::parse;
    use super::*;

    #[test]
    fn writes_every_parameter() {
        let mut a = Account::totp(
            "ACME Co",
            "jane doe@x.org",
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        );
        a.meta.insert("image".into(), "https://x/y.png".into());
        a.meta.insert("secret".into(), "ignored".into());
        let uri = to_uri(&a);
        assert_eq!(
            uri,
            "otpauth://totp/ACME%20Co:jane%20doe@x.org?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co\
             &algorithm=SHA1&digits=6&period=30&image=https%3A%2F%2Fx%2Fy.png"
        );
        a.meta.remove("secret");
        assert_eq!(parse(&uri).unwrap(), a);
    }

    #[test]
    fn hotp_steam_and_colon_issuer_round_trip() {
        let secret = Secret::new(vec![7; 20]);
        let mut a = Account::totp("A:B", "n", secret);
        assert_eq!(parse(&to_uri(&a)).unwrap(), a);
        a.params = OtpParams {
            kind: OtpKind::Hotp { counter: u64::MAX },
            algorithm: Algorithm::Sha512,
            digits: 10,
        };
        assert_eq!(parse(&to_uri(&a)).unwrap(), a);
        a.params = OtpParams {
            kind: OtpKind::Steam { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: 5,
        };
        assert_eq!(parse(&to_uri(&a)).unwrap(), a);
    }
}
