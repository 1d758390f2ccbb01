//! The account model every other module shares: what an authenticator entry *is*, independent of
//! where it is stored (vault), where it came from (URI, import) or how it is shown.
//!
//! Secrets live in [`Secret`], which zeroizes its bytes on drop and never prints them.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use zeroize::Zeroizing;

/// HMAC hash function of an OTP account (RFC 6238 §1.2 allows SHA-1, SHA-256 and SHA-512).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// HMAC-SHA-1, the default of every authenticator.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The canonical upper-case name used in otpauth URIs and JSON (`SHA1`, `SHA256`, `SHA512`).
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An algorithm name that is not SHA1, SHA256 or SHA512.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported algorithm (expected SHA1, SHA256 or SHA512)")]
pub struct UnknownAlgorithm;

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    /// Accepts `SHA1`, `SHA-1`, `sha1`, `HmacSHA1` and the same spellings of SHA256/SHA512.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_uppercase();
        let norm = norm.strip_prefix("HMAC").unwrap_or(&norm);
        match norm {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(UnknownAlgorithm),
        }
    }
}

/// How codes are derived: time-based, counter-based, or Steam Guard (time-based, 5 characters
/// from Steam's alphabet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OtpKind {
    /// RFC 6238 TOTP; `period` in seconds, at least 1.
    Totp { period: u32 },
    /// RFC 4226 HOTP; `counter` is the value the *next* code will use.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP over SHA-1 with 5 characters from `23456789BCDFGHJKMNPQRTVWXY`.
    Steam { period: u32 },
}

impl OtpKind {
    /// `totp`, `hotp` or `steam`, as in URIs and JSON.
    pub fn type_name(&self) -> &'static str {
        match self {
            OtpKind::Totp { .. } => "totp",
            OtpKind::Hotp { .. } => "hotp",
            OtpKind::Steam { .. } => "steam",
        }
    }

    /// The period in seconds for time-based kinds, `None` for HOTP.
    pub fn period(&self) -> Option<u32> {
        match *self {
            OtpKind::Totp { period } | OtpKind::Steam { period } => Some(period),
            OtpKind::Hotp { .. } => None,
        }
    }

    /// The counter for HOTP, `None` for time-based kinds.
    pub fn counter(&self) -> Option<u64> {
        match *self {
            OtpKind::Hotp { counter } => Some(counter),
            _ => None,
        }
    }
}

/// Digits allowed for TOTP/HOTP codes.
pub const DIGITS_RANGE: std::ops::RangeInclusive<u8> = 4..=10;
/// Steam Guard codes always have this many characters.
pub const STEAM_DIGITS: u8 = 5;
/// The default TOTP period in seconds.
pub const DEFAULT_PERIOD: u32 = 30;
/// The default number of digits.
pub const DEFAULT_DIGITS: u8 = 6;

/// Why a set of OTP parameters cannot produce codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// Digits outside 4–10 (or not 5 for Steam).
    #[error("digits must be between 4 and 10 (Steam: 5), got {0}")]
    Digits(u8),
    /// A period of zero seconds.
    #[error("period must be at least 1 second")]
    Period,
    /// An empty secret.
    #[error("the secret is empty")]
    EmptySecret,
}

/// The parameters that, with a secret, determine every code of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OtpParams {
    /// TOTP, HOTP or Steam, with the period or counter.
    pub kind: OtpKind,
    /// The HMAC hash function.
    pub algorithm: Algorithm,
    /// Number of digits (characters for Steam) in a code.
    pub digits: u8,
}

impl Default for OtpParams {
    fn default() -> Self {
        OtpParams {
            kind: OtpKind::Totp {
                period: DEFAULT_PERIOD,
            },
            algorithm: Algorithm::Sha1,
            digits: DEFAULT_DIGITS,
        }
    }
}

impl OtpParams {
    /// Checks the invariants the code generator relies on.
    pub fn validate(&self) -> Result<(), ParamError> {
        match self.kind {
            OtpKind::Steam { period } => {
                if period == 0 {
                    return Err(ParamError::Period);
                }
                if self.digits != STEAM_DIGITS {
                    return Err(ParamError::Digits(self.digits));
                }
            }
            OtpKind::Totp { period: 0 } => return Err(ParamError::Period),
            _ => {
                if !DIGITS_RANGE.contains(&self.digits) {
                    return Err(ParamError::Digits(self.digits));
                }
            }
        }
        Ok(())
    }
}

/// RFC 4648 Base32 without padding that ignores the unused low bits of the last character, as
/// every authenticator does (Ente exports secrets like `JCXJJXJXJCJXNNN` whose last character
/// has non-zero spare bits; they decode to the same bytes in every app).
static BASE32_LENIENT: std::sync::LazyLock<data_encoding::Encoding> =
    std::sync::LazyLock::new(|| {
        let mut spec = data_encoding::BASE32_NOPAD.specification();
        spec.check_trailing_bits = false;
        spec.encoding().unwrap_or(data_encoding::BASE32_NOPAD)
    });

/// A shared secret (the raw key bytes, not Base32). Zeroized on drop; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps raw key bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }

    /// Decodes RFC 4648 Base32, case-insensitive, ignoring spaces, dashes and `=` padding.
    pub fn from_base32(text: &str) -> Result<Self, SecretError> {
        let mut clean = Zeroizing::new(String::with_capacity(text.len()));
        for c in text.chars() {
            match c {
                ' ' | '\t' | '-' | '=' => {}
                c => clean.push(c.to_ascii_uppercase()),
            }
        }
        if clean.is_empty() {
            return Err(SecretError::Empty);
        }
        if !matches!(clean.len() % 8, 0 | 2 | 4 | 5 | 7) {
            return Err(SecretError::Base32Length);
        }
        BASE32_LENIENT
            .decode(clean.as_bytes())
            .map(Secret::new)
            .map_err(|_| SecretError::Base32)
    }

    /// The secret as upper-case Base32 without padding (the form otpauth URIs and JSON use).
    pub fn to_base32(&self) -> String {
        data_encoding::BASE32_NOPAD.encode(&self.0)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Number of key bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for an empty secret (never valid for code generation).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted {} bytes>)", self.0.len())
    }
}

/// Why a Base32 secret could not be decoded. Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Nothing left after removing spaces and padding.
    #[error("the secret is empty")]
    Empty,
    /// A character outside the Base32 alphabet.
    #[error("the secret is not valid Base32 (letters A-Z and digits 2-7)")]
    Base32,
    /// A length no Base32 encoding can have.
    #[error("the secret has an impossible Base32 length")]
    Base32Length,
}

/// One authenticator account: who it is for, its secret and how codes are computed.
///
/// `Debug` shows neither the secret nor the note (people keep backup codes in notes).
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The service (e.g. "Microsoft"); may be empty.
    pub issuer: String,
    /// The account name at the service (e.g. "jane.doe@nhs.net"); may be empty.
    pub name: String,
    /// The shared secret.
    pub secret: Secret,
    /// Kind, algorithm, digits, period or counter.
    pub params: OtpParams,
    /// Parameters of the original otpauth URI (or import) that Tessera does not interpret
    /// (e.g. `image`, `color`); kept so an export gives them back.
    pub meta: BTreeMap<String, String>,
    /// Groups or tags the user filed the account under (order kept, no duplicates).
    pub groups: Vec<String>,
    /// A free-text note.
    pub note: String,
    /// Pinned to the top of the list.
    pub favorite: bool,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &self.secret)
            .field("params", &self.params)
            .field("meta_keys", &self.meta.keys().collect::<Vec<_>>())
            .field("groups", &self.groups)
            .field(
                "note",
                &format_args!("<redacted {} chars>", self.note.chars().count()),
            )
            .field("favorite", &self.favorite)
            .finish()
    }
}

impl Account {
    /// A TOTP SHA1/6/30 account, the most common shape.
    pub fn totp(issuer: impl Into<String>, name: impl Into<String>, secret: Secret) -> Self {
        Account {
            issuer: issuer.into(),
            name: name.into(),
            secret,
            params: OtpParams::default(),
            meta: BTreeMap::new(),
            groups: Vec::new(),
            note: String::new(),
            favorite: false,
        }
    }

    /// Checks that codes can be generated (parameters valid, secret not empty).
    pub fn validate(&self) -> Result<(), ParamError> {
        if self.secret.is_empty() {
            return Err(ParamError::EmptySecret);
        }
        self.params.validate()
    }

    /// "Issuer (name)", "Issuer", or "name": a label for lists and messages (no secret).
    pub fn label(&self) -> String {
        match (self.issuer.is_empty(), self.name.is_empty()) {
            (false, false) => format!("{} ({})", self.issuer, self.name),
            (false, true) => self.issuer.clone(),
            (true, _) => self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_spellings() {
        for (s, a) in [
            ("SHA1", Algorithm::Sha1),
            ("sha-256", Algorithm::Sha256),
            ("HmacSHA512", Algorithm::Sha512),
            ("sha_1", Algorithm::Sha1),
        ] {
            assert_eq!(s.parse::<Algorithm>(), Ok(a));
        }
        assert!("MD5".parse::<Algorithm>().is_err());
    }

    #[test]
    fn base32_lenient_and_strict() {
        let s = Secret::from_base32("jbsw y3dp ehpk 3pxp").unwrap();
        assert_eq!(s.to_base32(), "JBSWY3DPEHPK3PXP");
        assert_eq!(
            Secret::from_base32("GEZDG===").unwrap().to_base32(),
            "GEZDG"
        );
        assert_eq!(
            Secret::from_base32("jcxjjxjxjcjxnnn").unwrap().as_bytes(),
            [0x48, 0xae, 0x94, 0xdd, 0x37, 0x48, 0x93, 0x76, 0xb5],
            "spare bits of the last character are ignored"
        );
        assert_eq!(Secret::from_base32("A1"), Err(SecretError::Base32));
        assert_eq!(Secret::from_base32("ABC"), Err(SecretError::Base32Length));
        assert_eq!(Secret::from_base32(" = "), Err(SecretError::Empty));
    }

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let d = format!("{:?}", Account::totp("I", "n", s));
        assert!(!d.contains("JBSW") && !d.contains("72, 101"), "{d}");
        assert!(d.contains("redacted"));
        let mut a = Account::totp("I", "n", Secret::new(vec![1; 10]));
        a.note = "backup code 1234-5678".into();
        let d = format!("{a:?}");
        assert!(!d.contains("1234-5678"), "{d}");
    }

    #[test]
    fn params_validation() {
        let mut p = OtpParams::default();
        assert!(p.validate().is_ok());
        p.digits = 11;
        assert_eq!(p.validate(), Err(ParamError::Digits(11)));
        p.digits = 6;
        p.kind = OtpKind::Totp { period: 0 };
        assert_eq!(p.validate(), Err(ParamError::Period));
        p.kind = OtpKind::Steam { period: 30 };
        assert_eq!(p.validate(), Err(ParamError::Digits(6)));
        p.digits = 5;
        assert!(p.validate().is_ok());
        p.kind = OtpKind::Hotp { counter: 0 };
        p.digits = 4;
        assert!(p.validate().is_ok());
    }
}
