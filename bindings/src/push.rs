//! Push sign-in approvals (privacyIDEA PUSH tokens) over the vault: the vault keeps the tokens
//! (with their private keys), the requests and the history; HTTP goes through a foreign
//! [`HttpTransport`] (OkHttp, URLSession) or, by default, Tessera's built-in HTTPS client.
//!
//! The push records are read and written through the vault one operation at a time, so the vault
//! is never locked while a request is on the network: the codes list stays live during a slow
//! poll, and a transport may call the `Vault`. Push calls are serialised among themselves (one
//! `PushApprovals` runs one operation at a time), so a poll and an approval never interleave
//! their record updates. Keys, signatures and one-time credentials never appear in errors or logs.

use std::sync::{Arc, Mutex};

use tessera_core::clock::Clock as CoreClock;
use tessera_core::push::messages::{
    HttpRequest as CoreHttpRequest, HttpResponse as CoreHttpResponse, MAX_REPLY_BYTES, Method,
};
use tessera_core::push::transport::HttpsTransport;
use tessera_core::push::{
    DeclineReason as CoreDeclineReason, HistoryEntry, HistoryEvent, PollOptions, PushClient,
    PushError, PushRequest as CoreRequest, PushStore, PushToken, RequestKind, RequestState,
    Transport,
};
use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::error::{TesseraError, internal, invalid_input, invalid_uri};
use crate::vault::Vault;

/// One HTTP request for an [`HttpTransport`] to carry. `Debug` hides parameter values (they hold
/// one-time credentials and signatures).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// `GET` (parameters in the query string) or `POST` (form-encoded body).
    pub method: String,
    /// Absolute URL without query.
    pub url: String,
    /// Query (GET) or form (POST) parameters, in order; encode them
    /// `application/x-www-form-urlencoded`.
    pub params: Vec<HttpParam>,
    /// Whether to verify the server's TLS certificate (false only when the enrollment said so).
    pub verify_tls: bool,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("params", &names)
            .field("verify_tls", &self.verify_tls)
            .finish()
    }
}

/// One query or form parameter.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpParam {
    /// The name.
    pub name: String,
    /// The value (may be a credential or signature: never log it).
    pub value: String,
}

/// What the server answered: any status is a response (a 4xx is not a transport error);
/// redirects must not be followed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body (at most 1 MiB; a longer one is refused).
    pub body: Vec<u8>,
    /// The `Date` header, if any (used to measure clock drift).
    pub date: Option<String>,
}

/// Carries HTTP requests for push approvals, implemented by the app (OkHttp, URLSession).
/// Throw `TesseraError.Network` when the connection or TLS fails.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    /// Sends `request` and returns the server's response.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TesseraError>;
}

/// Core's transport over a foreign one.
struct Foreign(Arc<dyn HttpTransport>);

impl Transport for Foreign {
    fn send(&self, request: &CoreHttpRequest) -> Result<CoreHttpResponse, PushError> {
        let r = HttpRequest {
            method: match request.method {
                Method::Get => "GET".into(),
                Method::Post => "POST".into(),
            },
            url: request.url.clone(),
            params: request
                .params
                .iter()
                .map(|(name, value)| HttpParam {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            verify_tls: request.verify_tls,
        };
        let reply = self
            .0
            .send(r)
            .map_err(|e| PushError::Transport(format!("the app's transport failed: {e}")))?;
        if reply.body.len() > MAX_REPLY_BYTES {
            return Err(PushError::Transport("the reply is too large".into()));
        }
        Ok(CoreHttpResponse {
            status: reply.status,
            body: reply.body,
            date: reply.date,
        })
    }
}

/// Why the user declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DeclineReason {
    /// "This wasn't me": a sign-in the user did not start (possible attack).
    NotMe,
    /// The user started it but changed their mind.
    Cancel,
}

impl From<DeclineReason> for CoreDeclineReason {
    fn from(r: DeclineReason) -> Self {
        match r {
            DeclineReason::NotMe => CoreDeclineReason::NotMe,
            DeclineReason::Cancel => CoreDeclineReason::Cancel,
        }
    }
}

/// What a request asks the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PushRequestKind {
    /// Approve or deny.
    Simple,
    /// Pick the option the sign-in screen shows (`options`).
    ChooseOne,
    /// Type the number the sign-in screen shows (`digits` long).
    EnterNumber,
    /// After approval, show the returned code for the user to type at the sign-in screen.
    ShowCode,
}

/// A sign-in request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushRequest {
    /// The request id (the server's nonce): pass it to `approve`/`deny`.
    pub id: String,
    /// The token serial it belongs to.
    pub serial: String,
    /// `pending`, `approved`, `denied`, `cancelled`, `expired` or `failed`.
    pub state: String,
    /// Why it was denied (`not-me`, `cancel`) or failed, when it was.
    pub state_reason: Option<String>,
    /// Short title.
    pub title: String,
    /// The question, as the server sent it.
    pub question: String,
    /// The application asking, if known.
    pub app: Option<String>,
    /// The sign-in client's IP address, if known.
    pub ip: Option<String>,
    /// The sign-in location, if known.
    pub location: Option<String>,
    /// What is asked.
    pub kind: PushRequestKind,
    /// The options to choose from (`ChooseOne`), else empty.
    pub options: Vec<String>,
    /// Digits to type (`EnterNumber`), else 0.
    pub digits: u8,
    /// When it arrived, Unix seconds (corrected clock).
    pub received_at: u64,
    /// When the answer window closes, Unix seconds.
    pub expires_at: u64,
    /// When it was answered or ended, Unix seconds.
    pub decided_at: Option<u64>,
    /// The code to show after approval (`ShowCode`, once approved).
    pub display_code: Option<String>,
}

impl From<&CoreRequest> for PushRequest {
    fn from(r: &CoreRequest) -> Self {
        let (kind, options, digits) = match &r.kind {
            RequestKind::Simple => (PushRequestKind::Simple, Vec::new(), 0),
            RequestKind::ChooseOne { options } => (PushRequestKind::ChooseOne, options.clone(), 0),
            RequestKind::EnterNumber { digits } => {
                (PushRequestKind::EnterNumber, Vec::new(), *digits)
            }
            RequestKind::ShowCode { .. } => (PushRequestKind::ShowCode, Vec::new(), 0),
        };
        let state_reason = match &r.state {
            RequestState::Denied { reason } => Some(reason.as_str().to_string()),
            RequestState::Failed { reason } => Some(reason.clone()),
            _ => None,
        };
        PushRequest {
            id: r.id.clone(),
            serial: r.serial.clone(),
            state: r.state.name().to_string(),
            state_reason,
            title: r.context.title.clone(),
            question: r.context.question.clone(),
            app: r.context.app.clone(),
            ip: r.context.ip.clone(),
            location: r.context.location.clone(),
            kind,
            options,
            digits,
            received_at: r.received_at,
            expires_at: r.expires_at,
            decided_at: r.decided_at,
            display_code: r.display_code().map(str::to_string),
        }
    }
}

/// One history entry: a decision, a refusal or a failure.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushHistoryEntry {
    /// When, Unix seconds (corrected clock).
    pub at: u64,
    /// `received`, `approved`, `denied`, `answer_rejected`, `expired`, `cancelled`, `failed` or
    /// `refused` (forged, malformed, replayed or unknown input).
    pub event: String,
    /// The reason (denied, failed, refused) or the answer given (approved), if any.
    pub detail: Option<String>,
    /// The token serial, when known.
    pub serial: Option<String>,
    /// The request id, when known.
    pub request_id: Option<String>,
    /// The request's title, when known.
    pub title: Option<String>,
}

impl From<&HistoryEntry> for PushHistoryEntry {
    fn from(h: &HistoryEntry) -> Self {
        let (event, detail) = match &h.event {
            HistoryEvent::Received => ("received", None),
            HistoryEvent::Approved { answer, .. } => ("approved", answer.clone()),
            HistoryEvent::Denied { reason } => ("denied", Some(reason.as_str().to_string())),
            HistoryEvent::AnswerRejected { answer, .. } => ("answer_rejected", answer.clone()),
            HistoryEvent::Expired => ("expired", None),
            HistoryEvent::Cancelled => ("cancelled", None),
            HistoryEvent::Failed { reason } => ("failed", Some(reason.clone())),
            HistoryEvent::Refused { reason } => ("refused", Some(reason.clone())),
        };
        PushHistoryEntry {
            at: h.at,
            event: event.to_string(),
            detail,
            serial: h.serial.clone(),
            request_id: h.request_id.clone(),
            title: h.context.as_ref().map(|c| c.title.clone()),
        }
    }
}

/// An enrolled push token (no key material).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushTokenInfo {
    /// Serial (`PIPU…`).
    pub serial: String,
    /// Label to show.
    pub label: String,
    /// Issuer to show.
    pub issuer: String,
    /// The server URL polls and answers go to.
    pub url: String,
    /// When it was enrolled, Unix seconds.
    pub enrolled_at: u64,
    /// Enrolled poll-only: the server never pushes, the app polls for its requests.
    #[uniffi(default = false)]
    pub poll_only: bool,
    /// Whether the server knows this device's push-service (FCM/APNs) token.
    #[uniffi(default = false)]
    pub push_service_token_set: bool,
}

impl From<&PushToken> for PushTokenInfo {
    fn from(t: &PushToken) -> Self {
        PushTokenInfo {
            serial: t.serial.clone(),
            label: t.label.clone(),
            issuer: t.issuer.clone(),
            url: t.url.clone(),
            enrolled_at: t.enrolled_at,
            poll_only: t.poll_only,
            push_service_token_set: t.push_service_token.is_some(),
        }
    }
}

/// What a poll found.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PollResult {
    /// Pending requests and those decided in the last day, oldest first.
    pub requests: Vec<PushRequest>,
    /// How many requests were new.
    pub new_requests: u32,
    /// Challenges refused (bad signature, malformed …), with the reason (also in the history).
    pub refused: Vec<String>,
    /// Tokens whose poll failed, as `serial: reason`.
    pub errors: Vec<String>,
    /// The clock offset after the poll (seconds, server minus device).
    pub clock_offset_seconds: i64,
}

/// What became of one token in [`PushApprovals::update_push_service_token`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PushTokenUpdateOutcome {
    /// The server now holds the new push-service token.
    Updated,
    /// Enrolled poll-only: the server never pushes, so it was not told.
    SkippedPollOnly,
    /// The update failed (network, refused signature or timestamp); the server keeps the old
    /// token. Also recorded in the history.
    Failed {
        /// Why, without the token itself.
        reason: String,
    },
}

/// One token's result of a push-service token update.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushTokenUpdate {
    /// Serial (`PIPU…`).
    pub serial: String,
    /// What happened.
    pub outcome: PushTokenUpdateOutcome,
}

fn push_error(e: PushError) -> TesseraError {
    log::debug!(target: "tessera::bindings", "push: {e}");
    match e {
        PushError::InvalidEnrollmentUri(_) => invalid_uri("not a usable otpauth://pipush link"),
        PushError::Payload(_) => invalid_input("the push request was refused"),
        PushError::BadResponse(_)
        | PushError::Server { .. }
        | PushError::ClockSkew { .. }
        | PushError::Transport(_) => TesseraError::Network,
        PushError::AlreadyEnrolled(_) => invalid_input("the token is already enrolled"),
        PushError::UnknownSerial(_) | PushError::UnknownRequest(_) => TesseraError::NotFound,
        PushError::NotPending { .. } | PushError::Expired { .. } => {
            invalid_input("the request is no longer pending")
        }
        PushError::InvalidAnswer(_) => invalid_input("the answer does not fit the request"),
        PushError::AnswerRejected { retry: true, .. } => {
            invalid_input("the server refused that answer; try again")
        }
        PushError::AnswerRejected { retry: false, .. } => TesseraError::Network,
        PushError::InvalidPushServiceToken(_) => {
            invalid_input("not a usable push-service (FCM/APNs) token")
        }
        other => internal("push", &other),
    }
}

/// The push records in the vault's sealed blob store, taking the vault's lock for each read or
/// write only (never across a network call).
struct VaultRecords {
    vault: Arc<Vault>,
}

impl VaultRecords {
    /// Runs one of core's `PushStore` operations on the vault (its `impl PushStore for Vault`)
    /// under the vault's lock; a locked or shut vault is a store error.
    fn on_vault<R>(
        &self,
        op: impl FnOnce(&mut tessera_core::vault::Vault) -> Result<R, PushError>,
    ) -> Result<R, PushError> {
        self.vault
            .with(|v| Ok(op(v)))
            .map_err(|e| PushError::Store(e.to_string()))?
    }
}

impl PushStore for VaultRecords {
    fn put(&mut self, namespace: &str, key: &str, value: &[u8]) -> Result<(), PushError> {
        self.on_vault(|v| PushStore::put(v, namespace, key, value))
    }
    fn get(&self, namespace: &str, key: &str) -> Result<Option<Zeroizing<Vec<u8>>>, PushError> {
        self.on_vault(|v| PushStore::get(v, namespace, key))
    }
    fn list(&self, namespace: &str) -> Result<Vec<String>, PushError> {
        self.on_vault(|v| PushStore::list(v, namespace))
    }
    fn delete(&mut self, namespace: &str, key: &str) -> Result<(), PushError> {
        self.on_vault(|v| PushStore::delete(v, namespace, key))
    }
}

/// Push approvals over an unlocked vault. Thread-safe: calls run one at a time, and the vault
/// stays usable by other threads while one waits for the server.
#[derive(uniffi::Object)]
pub struct PushApprovals {
    vault: Arc<Vault>,
    transport: Box<dyn Transport + Send + Sync>,
    clock: CoreClock,
    /// Serialises push operations (their record updates are read-modify-write).
    serial: Mutex<()>,
}

impl std::fmt::Debug for PushApprovals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushApprovals").finish_non_exhaustive()
    }
}

impl PushApprovals {
    /// Runs `f` with a push client over the vault's records (see [`VaultRecords`]).
    fn run<R>(
        &self,
        f: impl FnOnce(&mut PushClient<'_>) -> Result<R, PushError>,
    ) -> Result<R, TesseraError> {
        let _one_at_a_time = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        if !self.vault.is_unlocked() {
            return Err(TesseraError::Locked);
        }
        let mut records = VaultRecords {
            vault: Arc::clone(&self.vault),
        };
        let transport: &dyn Transport = &*self.transport;
        // Log records wait until the call ends: a foreign logger calling back into this object
        // would otherwise wait for itself.
        let outcome = crate::logging::deferred(|| {
            PushClient::new(&mut records, transport, self.clock.clone()).and_then(|mut c| f(&mut c))
        });
        // The vault may have been locked by another thread while this call was on the network.
        outcome.map_err(|e| match e {
            PushError::Store(_) if !self.vault.is_unlocked() => TesseraError::Locked,
            e => push_error(e),
        })
    }
}

#[uniffi::export]
impl PushApprovals {
    /// Push approvals stored in `vault`, over `transport` (the built-in HTTPS client with a 30 s
    /// timeout when none) and `clock` (the system clock when none; its offset is corrected by
    /// the server's time and shared with everything using the same clock).
    #[uniffi::constructor]
    pub fn new(
        vault: Arc<Vault>,
        transport: Option<Arc<dyn HttpTransport>>,
        clock: Option<Arc<Clock>>,
    ) -> Arc<Self> {
        let transport: Box<dyn Transport + Send + Sync> = match transport {
            Some(t) => Box::new(Foreign(t)),
            None => Box::new(HttpsTransport::default()),
        };
        Arc::new(PushApprovals {
            vault,
            transport,
            clock: clock.map_or_else(CoreClock::system, |c| c.inner.clone()),
            serial: Mutex::new(()),
        })
    }

    /// Enrolls the token of an `otpauth://pipush/…` link (generates the device key, sends it to
    /// the server, stores the token). Errors: `InvalidUri`, `InvalidInput` (already enrolled),
    /// `Network`, `Locked`.
    pub fn enroll(&self, uri: String) -> Result<PushTokenInfo, TesseraError> {
        self.run(|c| c.enroll(&uri).map(|t| PushTokenInfo::from(&t)))
    }

    /// Enrolls like [`PushApprovals::enroll`] and gives the server the app's push-service token
    /// (FCM registration token or APNs device token) so it can push requests. `None`, or a link
    /// the server marked `poll_only`, enrolls for polling (`no_firebase_token`). Errors: as
    /// `enroll`, plus `InvalidInput` for an unusable token (empty, over 1024 bytes, spaces or
    /// non-ASCII).
    pub fn enroll_with_push_token(
        &self,
        uri: String,
        push_service_token: Option<String>,
    ) -> Result<PushTokenInfo, TesseraError> {
        self.run(|c| {
            c.enroll_with_push_service_token(&uri, push_service_token.as_deref())
                .map(|t| PushTokenInfo::from(&t))
        })
    }

    /// Hands the app's new push-service token (FCM `onNewToken`, APNs registration) to the
    /// server of every token not enrolled poll-only, signed with that token's device key.
    /// Returns one result per enrolled token; a failure of one does not stop the others and is
    /// not thrown. Errors: `InvalidInput` (unusable token), `Locked`.
    pub fn update_push_service_token(
        &self,
        token: String,
    ) -> Result<Vec<PushTokenUpdate>, TesseraError> {
        self.run(|c| {
            let r = c.update_push_service_token(&token)?;
            let mut out: Vec<PushTokenUpdate> = Vec::new();
            out.extend(r.updated.into_iter().map(|serial| PushTokenUpdate {
                serial,
                outcome: PushTokenUpdateOutcome::Updated,
            }));
            out.extend(
                r.skipped_poll_only
                    .into_iter()
                    .map(|serial| PushTokenUpdate {
                        serial,
                        outcome: PushTokenUpdateOutcome::SkippedPollOnly,
                    }),
            );
            out.extend(r.errors.into_iter().map(|(serial, e)| PushTokenUpdate {
                serial,
                outcome: PushTokenUpdateOutcome::Failed {
                    reason: e.to_string(),
                },
            }));
            out.sort_by(|a, b| a.serial.cmp(&b.serial));
            Ok(out)
        })
    }

    /// The enrolled tokens.
    pub fn tokens(&self) -> Result<Vec<PushTokenInfo>, TesseraError> {
        self.run(|c| Ok(c.tokens()?.iter().map(PushTokenInfo::from).collect()))
    }

    /// Takes a payload the app received (FCM/APNs data as JSON bytes): checks its signature and
    /// stores the request. A refusal is recorded in the history. Errors: `InvalidInput` (forged,
    /// malformed, unknown token, replayed).
    pub fn receive_payload(&self, payload: Vec<u8>) -> Result<PushRequest, TesseraError> {
        self.run(|c| {
            c.receive(&payload, tessera_core::push::DEFAULT_REQUEST_TTL_SECONDS)
                .map(|r| PushRequest::from(&r))
        })
    }

    /// Polls every token's server for challenges. Per-token failures are reported in
    /// `errors`, not thrown.
    pub fn poll(&self) -> Result<PollResult, TesseraError> {
        self.run(|c| {
            let r = c.poll(PollOptions::default())?;
            Ok(PollResult {
                requests: r.requests.iter().map(PushRequest::from).collect(),
                new_requests: u32::try_from(r.new_requests).unwrap_or(u32::MAX),
                refused: r.refused,
                errors: r.errors.iter().map(|(s, e)| format!("{s}: {e}")).collect(),
                clock_offset_seconds: r.clock_offset_seconds,
            })
        })
    }

    /// Every stored request (overdue ones marked expired), oldest first.
    pub fn requests(&self) -> Result<Vec<PushRequest>, TesseraError> {
        self.run(|c| Ok(c.requests()?.iter().map(PushRequest::from).collect()))
    }

    /// The requests waiting for the user.
    pub fn pending(&self) -> Result<Vec<PushRequest>, TesseraError> {
        self.run(|c| {
            Ok(c.requests()?
                .iter()
                .filter(|r| r.state == RequestState::Pending)
                .map(PushRequest::from)
                .collect())
        })
    }

    /// Approves request `id` (`answer`: the option chosen or number typed, where asked); returns
    /// the code to show the user, if the server sent one. Errors: `NotFound`, `InvalidInput`
    /// (not pending, wrong or missing answer), `Network`.
    pub fn approve(
        &self,
        id: String,
        answer: Option<String>,
    ) -> Result<Option<String>, TesseraError> {
        self.run(|c| c.approve(&id, answer.as_deref()).map(|o| o.display_code))
    }

    /// Declines request `id` for `reason`. Errors: `NotFound`, `InvalidInput`, `Network`.
    pub fn deny(&self, id: String, reason: DeclineReason) -> Result<PushRequest, TesseraError> {
        self.run(|c| c.deny(&id, reason.into()).map(|r| PushRequest::from(&r)))
    }

    /// Every decision and refusal, oldest first.
    pub fn history(&self) -> Result<Vec<PushHistoryEntry>, TesseraError> {
        self.run(|c| Ok(c.history()?.iter().map(PushHistoryEntry::from).collect()))
    }

    /// The history as a JSON array (the CLI's `push history --json` shape).
    pub fn history_json(&self) -> Result<String, TesseraError> {
        let h = self.run(|c| c.history())?;
        serde_json::to_string(&h).map_err(|e| internal("push history", &e))
    }

    /// The stored clock correction against the push servers, in seconds (server minus device).
    pub fn clock_offset_seconds(&self) -> Result<i64, TesseraError> {
        self.run(|c| Ok(c.clock_offset_seconds()))
    }
}
