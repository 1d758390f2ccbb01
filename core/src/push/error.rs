//! What can go wrong with push approvals. Messages name the problem, never a key or signature.

use super::payload::PayloadError;
use super::request::RequestState;

/// Errors of enrollment, polling and answering.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The enrollment link is not a usable `otpauth://pipush/` link.
    #[error("invalid push enrollment link: {0}")]
    InvalidEnrollmentUri(String),
    /// A challenge payload was malformed or failed a check (signature, serial, size …).
    #[error("refused push request: {0}")]
    Payload(#[from] PayloadError),
    /// The server answered something this client cannot read.
    #[error("unexpected server response: {0}")]
    BadResponse(String),
    /// The server reported an error (privacyIDEA `result.error`).
    #[error("server refused: {message} (code {code})")]
    Server {
        /// privacyIDEA's error code (e.g. 10 for a failed poll check, 601 for a repeated rollout).
        code: i64,
        /// The server's message.
        message: String,
    },
    /// The poll timestamp was outside the server's ±60 s window; the clock is off.
    #[error(
        "server refused the poll: our timestamp is outside its ±60 s window (clock off by about {offset_seconds} s)"
    )]
    ClockSkew {
        /// Measured server time minus our time, in seconds.
        offset_seconds: i64,
    },
    /// The network or TLS failed.
    #[error("network error: {0}")]
    Transport(String),
    /// Key generation, encoding or signing failed.
    #[error("key error: {0}")]
    Key(String),
    /// A token with this serial is already enrolled.
    #[error("token {0} is already enrolled")]
    AlreadyEnrolled(String),
    /// No enrolled token has this serial.
    #[error("unknown token serial {0}")]
    UnknownSerial(String),
    /// No request has this id (or the prefix is ambiguous).
    #[error("no push request {0}")]
    UnknownRequest(String),
    /// The request was already answered, withdrawn or expired.
    #[error("push request {id} is no longer pending (it is {state})")]
    NotPending {
        /// The request id.
        id: String,
        /// Its current state.
        state: RequestState,
    },
    /// The answer window closed before the answer.
    #[error("push request {id} expired at {expires_at} (unix seconds); not answered")]
    Expired {
        /// The request id.
        id: String,
        /// When it expired, Unix seconds.
        expires_at: u64,
    },
    /// The answer does not fit the request (missing option, option not offered …).
    #[error("invalid answer: {0}")]
    InvalidAnswer(String),
    /// The server did not accept the answer.
    #[error("server did not accept the answer to {id}{}", if *.retry { "; the request stays open, try again" } else { "" })]
    AnswerRejected {
        /// The request id.
        id: String,
        /// Whether the request stays open for another answer (wrong number-matching option).
        retry: bool,
    },
    /// A push-service (FCM/APNs) token is unusable; the message never repeats the token.
    #[error("invalid push-service token: {0}")]
    InvalidPushServiceToken(String),
    /// The store failed.
    #[error("store error: {0}")]
    Store(String),
}
