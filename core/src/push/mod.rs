//! Push sign-in approvals over privacyIDEA PUSH tokens.
//!
//! The protocol logic is free of I/O: it builds [`messages::HttpRequest`]s and reads
//! [`messages::HttpResponse`]s; a [`transport::Transport`] carries them (the default blocking HTTPS
//! client is behind the `http` feature). [`client::PushClient`] ties the pieces together over a
//! [`store::PushStore`] (the vault in the CLI, memory in tests).
//!
//! - [`enroll_uri`]: the `otpauth://pipush/…` enrollment link.
//! - [`keys`]: the device's RSA-4096 key and the server's public key (PKCS#1 v1.5, SHA-256).
//! - [`payload`]: a challenge as the server sends it; [`parse_push_payload`] is the fuzz target.
//! - [`messages`]: request builders and response parsers for enrollment, poll and answers.
//! - [`request`]: a sign-in request, its kind and the state machine.
//! - [`history`]: every decision and refusal, with context and time.
//! - [`drift`]: clock offset against the server, and the poll timestamp.
//! - [`token`]: an enrolled token (serial, server, keys).
//! - [`store`]: persistence behind a small trait.
//! - [`client`]: enrollment, polling, receiving, approving and denying.
//! - `vault_store`: [`store::PushStore`] over the vault's sealed blobs (feature `vault`).

pub mod client;
pub mod drift;
pub mod enroll_uri;
pub mod error;
pub mod history;
pub mod keys;
pub mod messages;
pub mod payload;
pub mod request;
pub mod store;
pub mod token;
pub mod transport;
#[cfg(feature = "vault")]
pub mod vault_store;

pub use client::{ApproveOutcome, PollOptions, PollReport, PushClient, TokenUpdateReport};
pub use enroll_uri::EnrollmentUri;
pub use error::PushError;
pub use history::{HistoryEntry, HistoryEvent};
pub use payload::{PayloadError, PushPayload, parse_push_payload};
pub use request::{
    Decision, DeclineReason, PushRequest, RequestContext, RequestKind, RequestState,
};
pub use store::{MemoryStore, PushStore, stored_clock_offset};
pub use token::PushToken;
pub use transport::Transport;

/// The server's default answer window for a challenge (`DefaultChallengeValidityTime`), in
/// seconds. The payload carries no expiry, so a request is stamped with this unless told otherwise.
pub const DEFAULT_REQUEST_TTL_SECONDS: u64 = 120;
