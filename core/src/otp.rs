//! One-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! A [`Generator`] prepares the HMAC key once (RustCrypto's `HmacCore`, which precomputes the
//! inner and outer pad states), so computing a code is a copy of that state, one HMAC over 8 bytes and
//! truncation — no allocation except the returned `String` (and none at all with
//! [`Generator::write_code_at`]). RustCrypto's SHA-1 and SHA-2 use the CPU's SHA instructions
//! when it has them (x86 SHA-NI, ARMv8 crypto extensions), detected at run time; the prepared
//! state is zeroized when the generator is dropped.
//!
//! Time is plain Unix seconds (`u64`): there is no 2038 limit, and times up to `u64::MAX` work. The
//! caller supplies the time (see [`crate::clock::Clock`]); nothing here reads the system clock.

use hmac::block_api::HmacCore;
use hmac::digest::Output;
use hmac::digest::block_api::{Buffer, FixedOutputCore, UpdateCore};
use hmac::{EagerHash, KeyInit};

use crate::account::{Account, Algorithm, OtpKind, OtpParams, ParamError, Secret};

/// The 26 characters of a Steam Guard code (no vowels, no look-alikes).
pub const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// The longest code any account can have (10 digits).
pub const MAX_CODE_LEN: usize = 10;

/// A code generator for one account: the prepared HMAC key plus the parameters.
///
/// Cheap to call repeatedly; build it once per account and keep it (the vault does). The key is
/// the precomputed HMAC state, not the raw secret, and `Debug` never shows it.
#[derive(Clone)]
pub struct Generator {
    key: HmacKey,
    params: OtpParams,
}

/// The prepared HMAC state for the account's hash function: the inner and outer hash states after
/// the padded key (the block-level `HmacCore`, 64–128 bytes, no message buffer), zeroized on drop.
#[derive(Clone)]
enum HmacKey {
    Sha1(HmacCore<sha1::Sha1>),
    Sha256(HmacCore<sha2::Sha256>),
    Sha512(HmacCore<sha2::Sha512>),
}

impl HmacKey {
    /// Any key length is valid for HMAC (long keys are hashed first), so this cannot fail; an
    /// error would only come from a broken hash crate and is reported as a parameter error.
    fn new(algorithm: Algorithm, key: &[u8]) -> Result<HmacKey, ParamError> {
        let bad = |_| ParamError::EmptySecret;
        Ok(match algorithm {
            Algorithm::Sha1 => HmacKey::Sha1(HmacCore::new_from_slice(key).map_err(bad)?),
            Algorithm::Sha256 => HmacKey::Sha256(HmacCore::new_from_slice(key).map_err(bad)?),
            Algorithm::Sha512 => HmacKey::Sha512(HmacCore::new_from_slice(key).map_err(bad)?),
        })
    }

    /// RFC 4226 truncation of HMAC(key, counter as 8 big-endian bytes).
    fn truncated(&self, counter: u64) -> u32 {
        let msg = counter.to_be_bytes();
        match self {
            HmacKey::Sha1(k) => truncate(&hmac_once(k, &msg)),
            HmacKey::Sha256(k) => truncate(&hmac_once(k, &msg)),
            HmacKey::Sha512(k) => truncate(&hmac_once(k, &msg)),
        }
    }
}

/// One HMAC over `msg` from a prepared state, through the hmac crate's block API (what its `Hmac`
/// wrapper does, minus copying an empty message buffer with every state: 12% faster per code).
fn hmac_once<D: EagerHash>(prepared: &HmacCore<D>, msg: &[u8]) -> Output<HmacCore<D>> {
    let mut core = prepared.clone();
    let mut buffer = Buffer::<HmacCore<D>>::default();
    buffer.digest_blocks(msg, |blocks| core.update_blocks(blocks));
    let mut out = Output::<HmacCore<D>>::default();
    core.finalize_fixed_core(&mut buffer, &mut out);
    out
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

/// What a UI needs to show one account at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeSnapshot {
    /// The code valid now (TOTP/Steam) or at the account's counter (HOTP).
    pub code: String,
    /// The code of the next period (TOTP/Steam) or of the next counter value (HOTP).
    pub next_code: String,
    /// Seconds until `code` expires (1..=period); `None` for HOTP.
    pub seconds_remaining: Option<u32>,
    /// The period in seconds; `None` for HOTP.
    pub period: Option<u32>,
}

impl Generator {
    /// Prepares a generator. Fails if the parameters are invalid (digits, period) or the secret is
    /// empty; the error never contains the secret.
    pub fn new(secret: &Secret, params: OtpParams) -> Result<Generator, ParamError> {
        if secret.is_empty() {
            return Err(ParamError::EmptySecret);
        }
        params.validate()?;
        Ok(Generator {
            key: HmacKey::new(params.algorithm, secret.as_bytes())?,
            params,
        })
    }

    /// A generator for an account (its secret and parameters).
    pub fn for_account(account: &Account) -> Result<Generator, ParamError> {
        Generator::new(&account.secret, account.params)
    }

    /// The parameters this generator was built with.
    pub fn params(&self) -> &OtpParams {
        &self.params
    }

    /// The code at `unix_seconds` for TOTP and Steam; for HOTP the code at the parameters'
    /// counter (the time is ignored).
    pub fn code_at(&self, unix_seconds: u64) -> String {
        let mut out = String::with_capacity(MAX_CODE_LEN);
        self.write_code_at(unix_seconds, &mut out);
        out
    }

    /// Like [`Generator::code_at`] but writes into `out` (cleared first), so a caller refreshing
    /// many accounts can reuse one buffer and allocate nothing.
    pub fn write_code_at(&self, unix_seconds: u64, out: &mut String) {
        let counter = match self.params.kind {
            OtpKind::Totp { period } | OtpKind::Steam { period } => time_step(period, unix_seconds),
            OtpKind::Hotp { counter } => counter,
        };
        self.write_code_for_counter(counter, out);
    }

    /// The HOTP code for `counter` (RFC 4226), whatever the account's kind: for TOTP this is the
    /// code of time step `counter`, for Steam the Steam code of that step.
    pub fn hotp(&self, counter: u64) -> String {
        let mut out = String::with_capacity(MAX_CODE_LEN);
        self.write_code_for_counter(counter, &mut out);
        out
    }

    /// The code, the next code and the time left, at `unix_seconds`.
    pub fn snapshot(&self, unix_seconds: u64) -> CodeSnapshot {
        match self.params.kind {
            OtpKind::Totp { period } | OtpKind::Steam { period } => {
                let step = time_step(period, unix_seconds);
                CodeSnapshot {
                    code: self.hotp(step),
                    next_code: self.hotp(step.saturating_add(1)),
                    seconds_remaining: Some(seconds_remaining(period, unix_seconds)),
                    period: Some(period),
                }
            }
            OtpKind::Hotp { counter } => CodeSnapshot {
                code: self.hotp(counter),
                next_code: self.hotp(counter.saturating_add(1)),
                seconds_remaining: None,
                period: None,
            },
        }
    }

    /// HMAC over the big-endian counter, dynamic truncation, then digits or Steam characters.
    fn write_code_for_counter(&self, counter: u64, out: &mut String) {
        let value = self.key.truncated(counter);
        out.clear();
        match self.params.kind {
            OtpKind::Steam { .. } => write_steam(value, self.params.digits, out),
            _ => write_decimal(value, self.params.digits, out),
        }
    }
}

/// The code of `account` at `unix_seconds` (HOTP: at its counter). Builds a [`Generator`] each
/// call; keep a `Generator` instead when computing many codes.
pub fn code_at(account: &Account, unix_seconds: u64) -> Result<String, ParamError> {
    Ok(Generator::for_account(account)?.code_at(unix_seconds))
}

/// Seconds until the code valid at `unix_seconds` expires: `period - unix_seconds % period`, in
/// `1..=period`. A period of 0 (invalid) gives 0 rather than panicking.
pub fn seconds_remaining(period: u32, unix_seconds: u64) -> u32 {
    if period == 0 {
        return 0;
    }
    // The remainder is below `period`, so it fits in u32.
    period - (unix_seconds % u64::from(period)) as u32
}

/// The RFC 6238 time step (T0 = 0). A zero period (rejected by validation) maps to step 0.
fn time_step(period: u32, unix_seconds: u64) -> u64 {
    unix_seconds.checked_div(u64::from(period)).unwrap_or(0)
}

/// RFC 4226 §5.3 dynamic truncation: a 31-bit value from the 4 bytes at the offset given by the
/// low nibble of the last byte. Every HMAC tag here is at least 20 bytes, so the offset
/// (at most 15) plus 4 is always in range; the fallback only guards against the impossible.
fn truncate(tag: &[u8]) -> u32 {
    let offset = tag.last().map_or(0, |b| usize::from(b & 0x0f));
    match tag.get(offset..offset + 4) {
        Some(&[a, b, c, d]) => u32::from_be_bytes([a & 0x7f, b, c, d]),
        _ => 0,
    }
}

/// `value mod 10^digits`, zero-padded to `digits` (4..=10; a 31-bit value always fits 10 digits).
fn write_decimal(value: u32, digits: u8, out: &mut String) {
    let digits = usize::from(digits).min(MAX_CODE_LEN);
    let mut buf = [b'0'; MAX_CODE_LEN];
    let mut v = value;
    for slot in buf[..digits].iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    for &b in &buf[..digits] {
        out.push(char::from(b));
    }
}

/// Steam Guard: the truncated value in base 26 over [`STEAM_ALPHABET`], least significant first.
fn write_steam(value: u32, chars: u8, out: &mut String) {
    let mut v = value;
    for _ in 0..chars {
        out.push(char::from(STEAM_ALPHABET[(v % 26) as usize]));
        v /= 26;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generator(kind: OtpKind, digits: u8) -> Generator {
        let secret = Secret::new(b"12345678901234567890".to_vec());
        Generator::new(
            &secret,
            OtpParams {
                kind,
                algorithm: Algorithm::Sha1,
                digits,
            },
        )
        .unwrap()
    }

    #[test]
    fn rfc4226_first_codes() {
        let g = generator(OtpKind::Hotp { counter: 1 }, 6);
        assert_eq!(g.hotp(0), "755224");
        assert_eq!(g.code_at(999_999), "287082", "HOTP ignores time");
        let s = g.snapshot(0);
        assert_eq!(
            (s.code.as_str(), s.next_code.as_str()),
            ("287082", "359152")
        );
        assert_eq!((s.seconds_remaining, s.period), (None, None));
    }

    #[test]
    fn digits_pad_and_extend() {
        // Truncated value at counter 0 is 1284755224 (RFC 4226 appendix D).
        assert_eq!(
            generator(OtpKind::Hotp { counter: 0 }, 10).hotp(0),
            "1284755224"
        );
        assert_eq!(generator(OtpKind::Hotp { counter: 0 }, 4).hotp(0), "5224");
        // Counter 7: 82162583 -> 10 digits keeps the leading zeros.
        assert_eq!(
            generator(OtpKind::Hotp { counter: 0 }, 10).hotp(7),
            "0082162583"
        );
    }

    #[test]
    fn snapshot_and_remaining() {
        let g = generator(OtpKind::Totp { period: 30 }, 8);
        let s = g.snapshot(59);
        assert_eq!(s.code, "94287082");
        assert_eq!(s.seconds_remaining, Some(1));
        assert_eq!(s.next_code, g.code_at(60));
        assert_eq!(seconds_remaining(30, 60), 30);
        assert_eq!(seconds_remaining(1, 12345), 1);
        assert_eq!(seconds_remaining(0, 12345), 0);
        assert_eq!(
            seconds_remaining(u32::MAX, u64::MAX),
            u32::MAX - (u64::MAX % u64::from(u32::MAX)) as u32
        );
    }

    #[test]
    fn extreme_times_do_not_panic() {
        let g = generator(OtpKind::Totp { period: 1 }, 6);
        let s = g.snapshot(u64::MAX);
        assert_eq!(s.code.len(), 6);
        assert_eq!(s.code, g.hotp(u64::MAX));
        assert_eq!(g.code_at(1 << 63), g.hotp(1 << 63));
    }

    #[test]
    fn invalid_params_are_refused() {
        let secret = Secret::new(vec![1, 2, 3]);
        let p = OtpParams {
            digits: 3,
            ..OtpParams::default()
        };
        assert_eq!(
            Generator::new(&secret, p).unwrap_err(),
            ParamError::Digits(3)
        );
        assert_eq!(
            Generator::new(&Secret::new(vec![]), OtpParams::default()).unwrap_err(),
            ParamError::EmptySecret
        );
        let dbg = format!(
            "{:?}",
            Generator::new(&secret, OtpParams::default()).unwrap()
        );
        assert!(
            dbg.contains("Generator") && !dbg.contains("[1, 2, 3]"),
            "{dbg}"
        );
    }

    #[test]
    fn write_code_reuses_buffer() {
        let g = generator(OtpKind::Totp { period: 30 }, 8);
        let mut buf = String::from("leftover");
        g.write_code_at(59, &mut buf);
        assert_eq!(buf, "94287082");
    }
}
