//! `otpauth://` URIs (Google's Key Uri Format, with what real apps add) and Bitwarden's
//! `steam://SECRET`: parsing into an [`Account`] and writing one back.
//!
//! The parser accepts what real exporters write and refuses what is broken:
//! - label `issuer:name` (`:` literal or `%3A`); the `issuer` parameter wins over the label prefix
//!   (a different prefix gives [`UriWarning::IssuerMismatch`]); a label with two colons is refused;
//!   leading spaces of the name are removed;
//! - query values are form-decoded (`+` is a space), percent-escapes are UTF-8;
//! - the secret is Base32, case-insensitive, `=` padding and spaces ignored;
//! - defaults SHA1 / 6 digits / 30 s; Ente's literal `null` counts as absent;
//! - `otpauth://steam/…`, `otpauth://totp/…&encoder=steam` and `steam://SECRET` are Steam Guard;
//! - `hotp` requires `counter`;
//! - parameters Tessera does not interpret (`image`, `color`, …) are kept in [`Account::meta`] and
//!   written back by [`to_uri`].
//!
//! Error messages name the problem and never contain the secret.

pub(crate) mod percent;
mod write;

pub use write::to_uri;

use std::collections::BTreeMap;
use std::fmt;

use zeroize::Zeroizing;

use crate::account::{
    Account, Algorithm, DEFAULT_DIGITS, DEFAULT_PERIOD, OtpKind, OtpParams, ParamError,
    STEAM_DIGITS, Secret, SecretError,
};

/// Secrets shorter than this many bytes (80 bits, the size of Google's own examples) get a
/// [`UriWarning::WeakSecret`]. RFC 4226 asks for at least 128 bits, but most real 80-bit secrets
/// would then warn.
pub const WEAK_SECRET_BYTES: usize = 10;

/// Why a URI is not a usable account. Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// Not `otpauth://` or `steam://`.
    #[error(
        "not an otpauth:// URI (expected otpauth://totp/…, otpauth://hotp/…, otpauth://steam/… or steam://…)"
    )]
    Scheme,
    /// An `otpauth-migration://` link, which holds a batch of accounts.
    #[error(
        "this is a Google Authenticator migration link (otpauth-migration://), not a single account; import it as a migration batch"
    )]
    MigrationUri,
    /// Nothing between `otpauth://` and the label.
    #[error("the OTP type is missing (expected otpauth://totp/, hotp/ or steam/)")]
    MissingType,
    /// A type other than totp, hotp or steam.
    #[error("unknown OTP type {0} (expected totp, hotp or steam)")]
    UnknownType(String),
    /// No `secret` parameter.
    #[error("the secret parameter is missing")]
    MissingSecret,
    /// The secret is not valid Base32.
    #[error("invalid secret: {0}")]
    Secret(#[from] SecretError),
    /// An `hotp` URI without `counter`.
    #[error("an hotp URI needs a counter parameter")]
    MissingCounter,
    /// More than one `:` in the label.
    #[error("the label has more than one ':' (neither issuer nor account name may contain ':')")]
    LabelColons,
    /// A parameter given twice.
    #[error("the {0} parameter appears more than once")]
    Duplicate(&'static str),
    /// A bad `%` escape or non-UTF-8 bytes.
    #[error("bad percent-encoding in the {0}")]
    Encoding(&'static str),
    /// Not SHA1, SHA256 or SHA512.
    #[error("unsupported algorithm {0} (expected SHA1, SHA256 or SHA512)")]
    Algorithm(String),
    /// A number parameter that is not a number in range.
    #[error("{name} must be a whole number {range}, got {value}")]
    Number {
        /// `digits`, `period` or `counter`.
        name: &'static str,
        /// What is allowed, e.g. "from 1 to 4294967295".
        range: &'static str,
        /// The value as written (shortened, quoted).
        value: String,
    },
    /// Parameters that cannot produce codes (digits, period).
    #[error(transparent)]
    Params(#[from] ParamError),
}

/// Something accepted but worth telling the user about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriWarning {
    /// The label prefix and the `issuer` parameter differ; the parameter was used.
    IssuerMismatch {
        /// The issuer in the label (`Bank` in `Bank:alice`).
        label: String,
        /// The `issuer` parameter, which Tessera uses.
        parameter: String,
    },
    /// A secret shorter than [`WEAK_SECRET_BYTES`].
    WeakSecret {
        /// The secret's length in bits.
        bits: usize,
    },
    /// A known parameter that does not apply (e.g. `period` on hotp, `digits=6` on Steam).
    IgnoredParameter {
        /// The parameter name.
        name: &'static str,
        /// Why it was ignored.
        why: &'static str,
    },
    /// A parameter written as the literal `null` (Ente does this); the default was used.
    NullValue {
        /// The parameter name.
        name: &'static str,
    },
}

impl UriWarning {
    /// A stable snake_case code: `issuer_mismatch`, `weak_secret`, `ignored_parameter`,
    /// `null_value`.
    pub fn code(&self) -> &'static str {
        match self {
            UriWarning::IssuerMismatch { .. } => "issuer_mismatch",
            UriWarning::WeakSecret { .. } => "weak_secret",
            UriWarning::IgnoredParameter { .. } => "ignored_parameter",
            UriWarning::NullValue { .. } => "null_value",
        }
    }
}

impl fmt::Display for UriWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UriWarning::IssuerMismatch { label, parameter } => write!(
                f,
                "the label says issuer {label:?} but the issuer parameter says {parameter:?}; using {parameter:?}"
            ),
            UriWarning::WeakSecret { bits } => write!(
                f,
                "the secret has only {bits} bits (RFC 4226 asks for at least 128)"
            ),
            UriWarning::IgnoredParameter { name, why } => {
                write!(f, "the {name} parameter was ignored: {why}")
            }
            UriWarning::NullValue { name } => {
                write!(f, "the {name} parameter is \"null\"; using the default")
            }
        }
    }
}

/// Parses an `otpauth://` or `steam://` URI into an account (warnings dropped).
pub fn parse(text: &str) -> Result<Account, UriError> {
    parse_with_warnings(text).map(|(account, _)| account)
}

/// Parses an `otpauth://` or `steam://` URI into an account, with what was accepted but odd.
pub fn parse_with_warnings(text: &str) -> Result<(Account, Vec<UriWarning>), UriError> {
    let text = text.trim();
    let (scheme, rest) = text.split_once("://").ok_or(UriError::Scheme)?;
    if scheme.eq_ignore_ascii_case("otpauth") {
        parse_otpauth(rest)
    } else if scheme.eq_ignore_ascii_case("steam") {
        parse_steam(rest)
    } else if scheme.eq_ignore_ascii_case("otpauth-migration") {
        Err(UriError::MigrationUri)
    } else {
        Err(UriError::Scheme)
    }
}

/// The secret of a URI as its author wrote it, normalized: upper case, without spaces, dashes or
/// `=` padding. It names the same key bytes as `parse(text)?.secret.to_base32()`, but keeps the
/// author's last character when its unused low bits are not zero (`…NNN` rather than the canonical
/// `…NNI`), so a tool showing the secret shows what the user typed. `None` when the URI does not
/// parse. Zeroized on drop.
pub fn secret_text(text: &str) -> Option<Zeroizing<String>> {
    let account = parse(text).ok()?;
    let trimmed = text.trim();
    let (scheme, rest) = trimmed.split_once("://")?;
    let raw = if scheme.eq_ignore_ascii_case("steam") {
        rest.trim_end_matches('/')
    } else {
        let query = rest
            .split_once('#')
            .map_or(rest, |(r, _)| r)
            .split_once('?')?
            .1;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.eq_ignore_ascii_case("secret").then_some(value)
        })?
    };
    let decoded = Zeroizing::new(
        percent::decode(raw, !scheme.eq_ignore_ascii_case("steam"))
            .ok()?
            .into_owned(),
    );
    let mut out = Zeroizing::new(String::with_capacity(decoded.len()));
    for c in decoded.chars() {
        if !matches!(c, ' ' | '\t' | '-' | '=') {
            out.push(c.to_ascii_uppercase());
        }
    }
    // Only if it really is the same key (it always is for a URI that parsed).
    (Secret::from_base32(&out).ok()? == account.secret).then_some(out)
}

/// `steam://SECRET` (Bitwarden): a Steam Guard account with issuer "Steam" and no name.
fn parse_steam(rest: &str) -> Result<(Account, Vec<UriWarning>), UriError> {
    let raw = rest.trim_end_matches('/');
    let decoded = Zeroizing::new(
        percent::decode(raw, false)
            .map_err(|_| UriError::Encoding("secret"))?
            .into_owned(),
    );
    let secret = Secret::from_base32(&decoded)?;
    let mut warnings = Vec::new();
    weak_secret_warning(&secret, &mut warnings);
    let mut account = Account::totp("Steam", "", secret);
    account.params = OtpParams {
        kind: OtpKind::Steam {
            period: DEFAULT_PERIOD,
        },
        algorithm: Algorithm::Sha1,
        digits: STEAM_DIGITS,
    };
    account.validate()?;
    Ok((account, warnings))
}

/// The known parameters, as found in the query (raw, still encoded).
#[derive(Default)]
struct Known<'a> {
    secret: Option<&'a str>,
    issuer: Option<&'a str>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
    counter: Option<&'a str>,
    encoder: Option<&'a str>,
}

fn set_once<'a>(
    slot: &mut Option<&'a str>,
    value: &'a str,
    name: &'static str,
) -> Result<(), UriError> {
    if slot.replace(value).is_some() {
        return Err(UriError::Duplicate(name));
    }
    Ok(())
}

fn parse_otpauth(rest: &str) -> Result<(Account, Vec<UriWarning>), UriError> {
    // A fragment is never part of an otpauth URI's meaning.
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (type_name, raw_label) = path.split_once('/').unwrap_or((path, ""));

    enum Type {
        Totp,
        Hotp,
        Steam,
    }
    let otp_type = if type_name.is_empty() {
        return Err(UriError::MissingType);
    } else if type_name.eq_ignore_ascii_case("totp") {
        Type::Totp
    } else if type_name.eq_ignore_ascii_case("hotp") {
        Type::Hotp
    } else if type_name.eq_ignore_ascii_case("steam") {
        Type::Steam
    } else {
        return Err(UriError::UnknownType(shown(type_name)));
    };

    // Label: issuer prefix and account name.
    let label = percent::decode(raw_label, false).map_err(|_| UriError::Encoding("label"))?;
    let (label_issuer, name) = match label.split_once(':') {
        Some((_, after)) if after.contains(':') => return Err(UriError::LabelColons),
        Some((issuer, name)) => (Some(issuer), name),
        None => (None, label.as_ref()),
    };
    let name = name.trim_start();

    // Query: known parameters by name, the rest into meta.
    let mut known = Known::default();
    let mut meta = BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent::decode(raw_key, true).map_err(|_| UriError::Encoding("query"))?;
        // Compared without allocating: parsing many URIs (imports) stays fast.
        let slot = match key.len() {
            6 if key.eq_ignore_ascii_case("secret") => Some((&mut known.secret, "secret")),
            6 if key.eq_ignore_ascii_case("issuer") => Some((&mut known.issuer, "issuer")),
            9 if key.eq_ignore_ascii_case("algorithm") => Some((&mut known.algorithm, "algorithm")),
            6 if key.eq_ignore_ascii_case("digits") => Some((&mut known.digits, "digits")),
            6 if key.eq_ignore_ascii_case("period") => Some((&mut known.period, "period")),
            7 if key.eq_ignore_ascii_case("counter") => Some((&mut known.counter, "counter")),
            7 if key.eq_ignore_ascii_case("encoder") => Some((&mut known.encoder, "encoder")),
            _ => None,
        };
        match slot {
            Some((slot, name)) => set_once(slot, value, name)?,
            None => {
                let value =
                    percent::decode(value, true).map_err(|_| UriError::Encoding("query"))?;
                meta.insert(key.into_owned(), value.into_owned());
            }
        }
    }

    let mut warnings = Vec::new();
    let is_steam = matches!(otp_type, Type::Steam)
        || known
            .encoder
            .is_some_and(|e| e.eq_ignore_ascii_case("steam"));

    // Required parameters before any value: a missing one is the clearest message.
    let raw_secret = known.secret.ok_or(UriError::MissingSecret)?;
    if matches!(otp_type, Type::Hotp) && !is_steam && known.counter.is_none() {
        return Err(UriError::MissingCounter);
    }
    // The secret, decoded into zeroized memory.
    let secret_text =
        percent::decode(raw_secret, true).map_err(|_| UriError::Encoding("secret"))?;
    let secret = Secret::from_base32(&secret_text);
    if let std::borrow::Cow::Owned(decoded) = secret_text {
        // A decoded copy of the secret was made (it had escapes): wipe it.
        drop(Zeroizing::new(decoded));
    }
    let secret = secret?;
    weak_secret_warning(&secret, &mut warnings);

    let issuer_param = match known.issuer {
        Some(raw) => Some(percent::decode(raw, true).map_err(|_| UriError::Encoding("issuer"))?),
        None => None,
    };
    let issuer = match (
        issuer_param.as_deref().filter(|p| !p.is_empty()),
        label_issuer,
    ) {
        (Some(param), Some(prefix)) => {
            if !prefix.is_empty() && prefix != param {
                warnings.push(UriWarning::IssuerMismatch {
                    label: prefix.to_string(),
                    parameter: param.to_string(),
                });
            }
            param.to_string()
        }
        (Some(param), None) => param.to_string(),
        (None, prefix) => prefix.unwrap_or("").to_string(),
    };

    if let Some(encoder) = known.encoder.filter(|_| !is_steam) {
        // An encoder Tessera does not know: keep it for the round trip.
        let value = percent::decode(encoder, true).map_err(|_| UriError::Encoding("encoder"))?;
        meta.insert("encoder".to_string(), value.into_owned());
    }

    let algorithm = match non_null(known.algorithm, "algorithm", &mut warnings)? {
        Some(a) => Some(algorithm_of(&a).ok_or_else(|| UriError::Algorithm(shown(&a)))?),
        None => None,
    };
    let digits = match non_null(known.digits, "digits", &mut warnings)? {
        Some(d) => Some(
            d.parse::<u8>()
                .map_err(|_| number_error("digits", "from 4 to 10", &d))?,
        ),
        None => None,
    };
    let period = match non_null(known.period, "period", &mut warnings)? {
        Some(p) => Some(
            p.parse::<u32>()
                .map_err(|_| number_error("period", "from 1 to 4294967295 (seconds)", &p))?,
        ),
        None => None,
    };

    let params = if is_steam {
        if digits.is_some_and(|d| d != STEAM_DIGITS) {
            warnings.push(UriWarning::IgnoredParameter {
                name: "digits",
                why: "Steam codes always have 5 characters",
            });
        }
        if algorithm.is_some_and(|a| a != Algorithm::Sha1) {
            warnings.push(UriWarning::IgnoredParameter {
                name: "algorithm",
                why: "Steam codes always use SHA1",
            });
        }
        OtpParams {
            kind: OtpKind::Steam {
                period: period.unwrap_or(DEFAULT_PERIOD),
            },
            algorithm: Algorithm::Sha1,
            digits: STEAM_DIGITS,
        }
    } else {
        let kind = match otp_type {
            Type::Hotp => {
                let raw = known.counter.ok_or(UriError::MissingCounter)?;
                let c = percent::decode(raw, true).map_err(|_| UriError::Encoding("counter"))?;
                let counter = c
                    .parse::<u64>()
                    .map_err(|_| number_error("counter", "from 0 to 18446744073709551615", &c))?;
                if period.is_some() {
                    warnings.push(UriWarning::IgnoredParameter {
                        name: "period",
                        why: "hotp codes do not depend on time",
                    });
                }
                OtpKind::Hotp { counter }
            }
            _ => OtpKind::Totp {
                period: period.unwrap_or(DEFAULT_PERIOD),
            },
        };
        OtpParams {
            kind,
            algorithm: algorithm.unwrap_or_default(),
            digits: digits.unwrap_or(DEFAULT_DIGITS),
        }
    };
    if known.counter.is_some() && !matches!(params.kind, OtpKind::Hotp { .. }) {
        warnings.push(UriWarning::IgnoredParameter {
            name: "counter",
            why: "only hotp codes use a counter",
        });
    }

    let account = Account {
        issuer,
        name: name.to_string(),
        secret,
        params,
        meta,
        groups: Vec::new(),
        note: String::new(),
        favorite: false,
    };
    account.validate()?;
    Ok((account, warnings))
}

/// The common spellings without allocating, then every spelling [`Algorithm`] accepts.
fn algorithm_of(text: &str) -> Option<Algorithm> {
    if text.eq_ignore_ascii_case("SHA1") {
        Some(Algorithm::Sha1)
    } else if text.eq_ignore_ascii_case("SHA256") {
        Some(Algorithm::Sha256)
    } else if text.eq_ignore_ascii_case("SHA512") {
        Some(Algorithm::Sha512)
    } else {
        text.parse().ok()
    }
}

/// Decodes an optional parameter; the literal `null` (any case) counts as absent, with a warning.
fn non_null<'a>(
    raw: Option<&'a str>,
    name: &'static str,
    warnings: &mut Vec<UriWarning>,
) -> Result<Option<std::borrow::Cow<'a, str>>, UriError> {
    let Some(raw) = raw else { return Ok(None) };
    let value = percent::decode(raw, true).map_err(|_| UriError::Encoding(name))?;
    if value.eq_ignore_ascii_case("null") {
        warnings.push(UriWarning::NullValue { name });
        return Ok(None);
    }
    Ok(Some(value))
}

fn weak_secret_warning(secret: &Secret, warnings: &mut Vec<UriWarning>) {
    if secret.len() < WEAK_SECRET_BYTES {
        warnings.push(UriWarning::WeakSecret {
            bits: secret.len() * 8,
        });
    }
}

fn number_error(name: &'static str, range: &'static str, value: &str) -> UriError {
    UriError::Number {
        name,
        range,
        value: shown(value),
    }
}

/// A user-supplied value for an error message: quoted when short (at most 12 characters, control
/// characters replaced), otherwise only its length — so a message stays one short line and a
/// secret pasted into the wrong parameter is not echoed.
fn shown(value: &str) -> String {
    const MAX: usize = 12;
    let count = value.chars().count();
    if count > MAX {
        return format!("(a value of {count} characters)");
    }
    let clean: String = value
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!("\"{clean}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_and_defaults() {
        let a = parse("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!((a.issuer.as_str(), a.name.as_str()), ("", "alice"));
        assert_eq!(a.params, OtpParams::default());
        let a = parse("otpauth://totp?secret=JBSWY3DPEHPK3PXP&issuer=X").unwrap();
        assert_eq!((a.issuer.as_str(), a.name.as_str()), ("X", ""));
    }

    #[test]
    fn errors_never_show_the_secret() {
        for bad in [
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PX1",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXPA",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP%ZZ",
            "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=11",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=JBSWY3DPEHPK3PXP",
        ] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(!e.contains("JBSWY3DP"), "{bad}: {e}");
            assert!(!e.contains('\n'));
        }
    }

    #[test]
    fn duplicates_and_unknown_encoder() {
        assert_eq!(
            parse("otpauth://totp/a?secret=AAAAAAAAAAAAAAAA&digits=6&digits=8"),
            Err(UriError::Duplicate("digits"))
        );
        let a = parse("otpauth://totp/a?secret=AAAAAAAAAAAAAAAA&encoder=base64").unwrap();
        assert_eq!(a.meta.get("encoder").map(String::as_str), Some("base64"));
        assert_eq!(a.params.kind, OtpKind::Totp { period: 30 });
    }

    #[test]
    fn steam_forces_its_shape() {
        let (a, w) = parse_with_warnings(
            "otpauth://steam/Steam:me?secret=AAAAAAAAAAAAAAAA&digits=6&algorithm=SHA256",
        )
        .unwrap();
        assert_eq!(a.params.digits, 5);
        assert_eq!(a.params.algorithm, Algorithm::Sha1);
        assert_eq!(w.len(), 2);
        let (a, w) = parse_with_warnings("steam://AAAAAAAAAAAAAAAA/").unwrap();
        assert_eq!(a.params.kind, OtpKind::Steam { period: 30 });
        assert!(w.is_empty());
    }

    #[test]
    fn shown_values_are_short() {
        assert_eq!(shown("six"), "\"six\"");
        assert_eq!(shown(&"x".repeat(100)), "(a value of 100 characters)");
        assert_eq!(shown("a\nb"), "\"a?b\"");
    }
}
