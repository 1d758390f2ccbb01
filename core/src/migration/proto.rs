//! The protobuf messages of Google Authenticator's export, derived by hand with `prost` (the
//! schema is small and fixed, so no `protoc` build step). Field numbers as in Aegis'
//! `google_auth.proto` plus `unique_id = 8` (newer exports); see `shared/corpus/FORMATS.md` §2.
//!
//! Enum fields are kept as raw `i32` so unknown values reach the converter, which reports them
//! instead of failing the whole payload.

use zeroize::Zeroize;

/// `MigrationPayload`: one QR code of an export.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MigrationPayload {
    /// The accounts in this QR code.
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<OtpParameters>,
    /// Format version: 1, or 2 in newer exports (which add `unique_id` and drop `batch_id`).
    #[prost(int32, tag = "2")]
    pub version: i32,
    /// How many QR codes the export has.
    #[prost(int32, tag = "3")]
    pub batch_size: i32,
    /// This QR code's position, 0-based.
    #[prost(int32, tag = "4")]
    pub batch_index: i32,
    /// Shared by all QR codes of one export.
    #[prost(int32, tag = "5")]
    pub batch_id: i32,
}

/// `OtpParameters`: one account. The secret is zeroized on drop.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OtpParameters {
    /// Raw key bytes (not Base32).
    #[prost(bytes = "vec", tag = "1")]
    pub secret: Vec<u8>,
    /// The account name, often "Issuer:account".
    #[prost(string, tag = "2")]
    pub name: String,
    /// The issuer.
    #[prost(string, tag = "3")]
    pub issuer: String,
    /// 0 unspecified (SHA1), 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
    #[prost(int32, tag = "4")]
    pub algorithm: i32,
    /// 0 unspecified (6), 1 six, 2 eight.
    #[prost(int32, tag = "5")]
    pub digits: i32,
    /// 0 unspecified (TOTP), 1 HOTP, 2 TOTP.
    #[prost(int32, tag = "6")]
    pub otp_type: i32,
    /// The HOTP counter.
    #[prost(int64, tag = "7")]
    pub counter: i64,
    /// A 19-character id in newer exports.
    #[prost(string, tag = "8")]
    pub unique_id: String,
}

impl Drop for OtpParameters {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

/// Algorithm values.
pub mod algorithm {
    /// Not set: SHA1.
    pub const UNSPECIFIED: i32 = 0;
    /// HMAC-SHA1.
    pub const SHA1: i32 = 1;
    /// HMAC-SHA256.
    pub const SHA256: i32 = 2;
    /// HMAC-SHA512.
    pub const SHA512: i32 = 3;
    /// MD5 (mOTP-era; not an HMAC Tessera supports).
    pub const MD5: i32 = 4;
}

/// Digit count values.
pub mod digits {
    /// Not set: 6.
    pub const UNSPECIFIED: i32 = 0;
    /// 6 digits.
    pub const SIX: i32 = 1;
    /// 8 digits.
    pub const EIGHT: i32 = 2;
}

/// OTP type values.
pub mod otp_type {
    /// Not set: TOTP.
    pub const UNSPECIFIED: i32 = 0;
    /// HOTP.
    pub const HOTP: i32 = 1;
    /// TOTP.
    pub const TOTP: i32 = 2;
}
