//! The push client: enrollment, polling, receiving pushed payloads, approving and denying,
//! over a [`PushStore`] and a [`Transport`], with every outcome written to the history.

use std::collections::BTreeSet;

use crate::clock::Clock;

use super::drift;
use super::enroll_uri::EnrollmentUri;
use super::error::PushError;
use super::history::{HistoryEntry, HistoryEvent};
use super::keys::DeviceKey;
use super::messages::{self, Answer};
use super::payload::{PayloadError, PushPayload, parse_push_payload};
use super::request::{
    Decision, DeclineReason, PushRequest, RequestContext, RequestKind, RequestState,
};
use super::store::{PushStore, Records};
use super::token::PushToken;
use super::transport::Transport;

/// How to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// Seconds a new request stays answerable (the payload has none; privacyIDEA's default is
    /// [`super::DEFAULT_REQUEST_TTL_SECONDS`]).
    pub ttl_seconds: u64,
    /// On a "timestamp not in valid range" refusal, correct the clock from the reply and retry once.
    pub resync_clock: bool,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            ttl_seconds: super::DEFAULT_REQUEST_TTL_SECONDS,
            resync_clock: true,
        }
    }
}

/// What a poll found.
#[derive(Debug)]
pub struct PollReport {
    /// Pending requests and those decided in the last day, oldest first.
    pub requests: Vec<PushRequest>,
    /// How many requests were new.
    pub new_requests: usize,
    /// Challenges refused (bad signature, malformed …), with the reason.
    pub refused: Vec<String>,
    /// Tokens whose poll failed, with the error.
    pub errors: Vec<(String, PushError)>,
    /// The clock offset after the poll (seconds, server minus device).
    pub clock_offset_seconds: i64,
}

/// What an approval produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproveOutcome {
    /// The request after the approval.
    pub request: PushRequest,
    /// The code to show the user, if the server sent one (privacyIDEA code-to-phone).
    pub display_code: Option<String>,
}

/// What a push-service token update did, token by token.
#[derive(Debug, Default)]
pub struct TokenUpdateReport {
    /// Serials whose server now holds the new token.
    pub updated: Vec<String>,
    /// Serials enrolled poll-only: their server never pushes, so it was not told.
    pub skipped_poll_only: Vec<String>,
    /// Serials whose update failed, with the error (also in the history).
    pub errors: Vec<(String, PushError)>,
}

/// Requests decided longer ago than this are left out of poll results (seconds).
const RECENT_SECONDS: u64 = 86_400;

/// Push approvals for all tokens in a store.
pub struct PushClient<'a> {
    store: &'a mut dyn PushStore,
    transport: &'a dyn Transport,
    clock: Clock,
    persist_offset: bool,
}

impl std::fmt::Debug for PushClient<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushClient")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl<'a> PushClient<'a> {
    /// A client over `store` and `transport`. The clock gets the stored drift correction.
    pub fn new(
        store: &'a mut dyn PushStore,
        transport: &'a dyn Transport,
        clock: Clock,
    ) -> Result<Self, PushError> {
        let offset = Records::new(store).clock_offset()?;
        clock.set_offset_seconds(offset);
        Ok(PushClient {
            store,
            transport,
            clock,
            persist_offset: true,
        })
    }

    /// Whether measured drift is saved for later runs (default true; off when simulating a bad
    /// clock).
    pub fn set_persist_clock_offset(&mut self, persist: bool) {
        self.persist_offset = persist;
    }

    /// The corrected clock (apply it to TOTP codes).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The drift correction in seconds (server minus device).
    pub fn clock_offset_seconds(&self) -> i64 {
        self.clock.offset_seconds()
    }

    fn records(&mut self) -> Records<'_> {
        Records::new(&mut *self.store)
    }

    fn record(&mut self, entry: HistoryEntry) {
        if let Err(e) = self.records().append_history(&entry) {
            log::warn!("push: could not record history: {e}");
        }
    }

    fn observe_server_time(&mut self, server_time: Option<f64>) {
        let Some(t) = server_time else { return };
        let offset = drift::measured_offset(&self.clock, t);
        if drift::apply(&self.clock, offset) {
            log::info!("push: clock offset against the server is now {offset} s");
            if self.persist_offset
                && let Err(e) = self.records().save_clock_offset(offset)
            {
                log::warn!("push: could not save the clock offset: {e}");
            }
        }
    }

    /// Enrolls from an `otpauth://pipush/` link with a fresh RSA-4096 key (slow: seconds), for
    /// polling only (the server is told `no_firebase_token`).
    pub fn enroll(&mut self, uri: &str) -> Result<PushToken, PushError> {
        self.enroll_with_push_service_token(uri, None)
    }

    /// Enrolls like [`PushClient::enroll`], giving the server the app's push-service (FCM/APNs)
    /// token so it can push requests; `None`, or a link with `poll_only=True`, sends
    /// `no_firebase_token` (the app then polls).
    pub fn enroll_with_push_service_token(
        &mut self,
        uri: &str,
        push_service_token: Option<&str>,
    ) -> Result<PushToken, PushError> {
        let parsed = EnrollmentUri::parse(uri)?;
        if let Some(t) = push_service_token {
            messages::check_push_service_token(t)?;
        }
        if self.records().token(&parsed.serial)?.is_some() {
            return Err(PushError::AlreadyEnrolled(parsed.serial));
        }
        self.enroll_with_key(parsed, DeviceKey::generate()?, push_service_token)
    }

    /// Enrolls with a given device key (tests; platforms that generate keys themselves) and an
    /// optional push-service token (see [`PushClient::enroll_with_push_service_token`]).
    pub fn enroll_with_key(
        &mut self,
        uri: EnrollmentUri,
        device_key: DeviceKey,
        push_service_token: Option<&str>,
    ) -> Result<PushToken, PushError> {
        if self.records().token(&uri.serial)?.is_some() {
            return Err(PushError::AlreadyEnrolled(uri.serial));
        }
        let request = messages::enroll_request(&uri, &device_key, push_service_token)?;
        let sent = messages::rollout_fbtoken(&uri, push_service_token);
        let stored_push_token = (sent != messages::NO_FIREBASE_TOKEN).then(|| sent.to_string());
        let reply = messages::parse_reply(&self.transport.send(&request)?)?;
        self.observe_server_time(reply.server_time);
        let server_key = messages::parse_enroll_reply(reply)?;
        let token = PushToken {
            serial: uri.serial,
            url: uri.url,
            ssl_verify: uri.ssl_verify,
            label: uri.label,
            issuer: uri.issuer,
            enrolled_at: self.clock.now(),
            device_key,
            server_key,
            poll_only: uri.poll_only,
            push_service_token: stored_push_token,
        };
        self.records().save_token(&token)?;
        log::info!("push: enrolled {}", token.serial);
        Ok(token)
    }

    /// The enrolled tokens.
    pub fn tokens(&mut self) -> Result<Vec<PushToken>, PushError> {
        self.records().tokens()
    }

    /// All known requests, oldest first (expired ones are marked as such first).
    pub fn requests(&mut self) -> Result<Vec<PushRequest>, PushError> {
        self.expire_overdue()?;
        self.records().requests()
    }

    /// The history, oldest first.
    pub fn history(&mut self) -> Result<Vec<HistoryEntry>, PushError> {
        self.records().history()
    }

    fn expire_overdue(&mut self) -> Result<(), PushError> {
        let now = self.clock.now();
        for mut r in self.records().requests()? {
            if !r.state.is_final() && r.is_expired_at(now) {
                r.finish(RequestState::Expired, now);
                self.records().save_request(&r)?;
                self.record(HistoryEntry::for_request(&r, HistoryEvent::Expired, now));
            }
        }
        Ok(())
    }

    /// Polls every token's server for open challenges. A token whose poll fails does not stop
    /// the others; its error is in the report.
    pub fn poll(&mut self, options: PollOptions) -> Result<PollReport, PushError> {
        let mut report = PollReport {
            requests: Vec::new(),
            new_requests: 0,
            refused: Vec::new(),
            errors: Vec::new(),
            clock_offset_seconds: 0,
        };
        for token in self.records().tokens()? {
            if let Err(e) = self.poll_token(&token, options, &mut report) {
                let now = self.clock.now();
                let entry = match &e {
                    PushError::ClockSkew { .. } => {
                        HistoryEntry::refused(Some(&token.serial), None, e.to_string(), now)
                    }
                    _ => HistoryEntry {
                        at: now,
                        serial: Some(token.serial.clone()),
                        request_id: None,
                        context: None,
                        event: HistoryEvent::Failed {
                            reason: format!("poll: {e}"),
                        },
                    },
                };
                self.record(entry);
                report.errors.push((token.serial.clone(), e));
            }
        }
        self.expire_overdue()?;
        let now = self.clock.now();
        report.requests = self
            .records()
            .requests()?
            .into_iter()
            .filter(|r| {
                !r.state.is_final() || r.decided_at.unwrap_or(r.received_at) + RECENT_SECONDS > now
            })
            .collect();
        report.clock_offset_seconds = self.clock.offset_seconds();
        Ok(report)
    }

    fn poll_token(
        &mut self,
        token: &PushToken,
        options: PollOptions,
        report: &mut PollReport,
    ) -> Result<(), PushError> {
        let mut retried = false;
        let reply = loop {
            let req = messages::poll_request(
                &token.url,
                token.ssl_verify,
                &token.serial,
                &token.device_key,
                self.clock.now(),
            )?;
            let reply = messages::parse_reply(&self.transport.send(&req)?)?;
            if reply.is_timestamp_refusal() {
                let measured = reply
                    .server_time
                    .map(|t| drift::measured_offset(&self.clock, t))
                    .unwrap_or(self.clock.offset_seconds());
                if options.resync_clock && !retried && reply.server_time.is_some() {
                    self.observe_server_time(reply.server_time);
                    retried = true;
                    continue;
                }
                return Err(PushError::ClockSkew {
                    offset_seconds: measured - self.clock.offset_seconds(),
                });
            }
            self.observe_server_time(reply.server_time);
            break reply;
        };
        let entries = messages::parse_poll_reply(reply)?;
        let mut seen = BTreeSet::new();
        for entry in entries {
            let outcome = entry.and_then(|p| {
                if p.serial != token.serial {
                    return Err(PayloadError::Invalid {
                        field: "serial",
                        why: format!(
                            "poll for {} returned a request for another token",
                            token.serial
                        ),
                    });
                }
                seen.insert(p.nonce.clone());
                self.accept_payload(p, options.ttl_seconds, false)
            });
            match outcome {
                Ok(Some(_)) => report.new_requests += 1,
                Ok(None) => {}
                Err(e) => {
                    // accept_payload records its own refusals; parse errors are recorded here.
                    if !matches!(
                        e,
                        PayloadError::BadSignature { .. } | PayloadError::UnknownSerial(_)
                    ) {
                        let now = self.clock.now();
                        self.record(HistoryEntry::refused(
                            Some(&token.serial),
                            None,
                            e.to_string(),
                            now,
                        ));
                    }
                    report.refused.push(e.to_string());
                }
            }
        }
        // Pending requests the server no longer lists: answered elsewhere, withdrawn or expired.
        let now = self.clock.now();
        for mut r in self.records().requests()? {
            if r.serial == token.serial && !r.state.is_final() && !seen.contains(&r.id) {
                let (state, event) = if r.is_expired_at(now) {
                    (RequestState::Expired, HistoryEvent::Expired)
                } else {
                    (RequestState::Cancelled, HistoryEvent::Cancelled)
                };
                r.finish(state, now);
                self.records().save_request(&r)?;
                self.record(HistoryEntry::for_request(&r, event, now));
            }
        }
        Ok(())
    }

    /// Tells the server of every token not enrolled poll-only the app's new push-service
    /// (FCM/APNs) token, signed with that token's device key (privacyIDEA `new_fb_token`; the
    /// server accepts a timestamp within ±5 minutes of its clock). Poll-only tokens are skipped:
    /// their server has no push gateway for them, so the device identifier would only leak. A
    /// token whose update fails does not stop the others; its error is in the report and the
    /// history, and its stored push-service token stays the old one.
    pub fn update_push_service_token(
        &mut self,
        new_token: &str,
    ) -> Result<TokenUpdateReport, PushError> {
        messages::check_push_service_token(new_token)?;
        let mut report = TokenUpdateReport::default();
        for mut token in self.records().tokens()? {
            if token.poll_only {
                report.skipped_poll_only.push(token.serial.clone());
                continue;
            }
            match self.send_token_update(&token, new_token) {
                Ok(()) => {
                    token.push_service_token = Some(new_token.to_string());
                    self.records().save_token(&token)?;
                    log::info!("push: {} has the new push-service token", token.serial);
                    report.updated.push(token.serial.clone());
                }
                Err(e) => {
                    let now = self.clock.now();
                    self.record(HistoryEntry {
                        at: now,
                        serial: Some(token.serial.clone()),
                        request_id: None,
                        context: None,
                        event: HistoryEvent::Failed {
                            reason: format!("push-service token update: {e}"),
                        },
                    });
                    report.errors.push((token.serial.clone(), e));
                }
            }
        }
        Ok(report)
    }

    fn send_token_update(&mut self, token: &PushToken, new_token: &str) -> Result<(), PushError> {
        let req = messages::token_update_request(
            &token.url,
            token.ssl_verify,
            &token.serial,
            new_token,
            &token.device_key,
            self.clock.now(),
        )?;
        let reply = messages::parse_reply(&self.transport.send(&req)?)?;
        self.observe_server_time(reply.server_time);
        messages::parse_token_update_reply(reply)
    }

    /// Takes a payload handed over by the app (FCM/APNs data): parses, verifies and stores it.
    /// A nonce seen before is a replay unless the request is still pending (then it is returned).
    pub fn receive(&mut self, payload: &[u8], ttl_seconds: u64) -> Result<PushRequest, PushError> {
        let p = match parse_push_payload(payload) {
            Ok(p) => p,
            Err(e) => {
                let now = self.clock.now();
                self.record(HistoryEntry::refused(None, None, e.to_string(), now));
                return Err(e.into());
            }
        };
        let (serial, nonce) = (p.serial.clone(), p.nonce.clone());
        match self.accept_payload(p, ttl_seconds, true)? {
            Some(r) => Ok(r),
            None => self
                .records()
                .request(&serial, &nonce)?
                .ok_or(PushError::UnknownRequest(nonce)),
        }
    }

    /// Verifies and stores one payload. Ok(Some) for a new request, Ok(None) for a duplicate.
    fn accept_payload(
        &mut self,
        p: PushPayload,
        ttl_seconds: u64,
        replay_is_error: bool,
    ) -> Result<Option<PushRequest>, PayloadError> {
        let now = self.clock.now();
        let token = match self.records().token(&p.serial) {
            Ok(Some(t)) => t,
            Ok(None) | Err(_) => {
                let e = PayloadError::UnknownSerial(p.serial.chars().take(64).collect());
                self.record(HistoryEntry::refused(
                    Some(&p.serial),
                    Some(&p.nonce),
                    e.to_string(),
                    now,
                ));
                return Err(e);
            }
        };
        if let Err(e) = p.verify(&token.server_key) {
            self.record(HistoryEntry::refused(
                Some(&p.serial),
                Some(&p.nonce),
                e.to_string(),
                now,
            ));
            return Err(e);
        }
        if let Ok(Some(existing)) = self.records().request(&p.serial, &p.nonce) {
            if !existing.state.is_final() || !replay_is_error {
                return Ok(None);
            }
            let e = PayloadError::Replay {
                serial: p.serial.clone(),
                nonce: p.nonce.clone(),
                state: existing.state.to_string(),
            };
            self.record(HistoryEntry::refused(
                Some(&p.serial),
                Some(&p.nonce),
                e.to_string(),
                now,
            ));
            return Err(e);
        }
        let decline_reason_supported = p.supports_decline_reason(&token.server_key);
        let request = PushRequest {
            id: p.nonce,
            serial: p.serial,
            url: p.url,
            ssl_verify: p.ssl_verify,
            context: RequestContext {
                title: p.title,
                question: p.question,
                ..RequestContext::default()
            },
            kind: match p.options {
                Some(options) => RequestKind::ChooseOne { options },
                None => RequestKind::Simple,
            },
            state: RequestState::Pending,
            received_at: now,
            expires_at: now.saturating_add(ttl_seconds),
            decided_at: None,
            rejected_answers: Vec::new(),
            decline_reason_supported,
        };
        if let Err(e) = self.records().save_request(&request) {
            return Err(PayloadError::Malformed(format!(
                "could not store the request: {e}"
            )));
        }
        self.record(HistoryEntry::for_request(
            &request,
            HistoryEvent::Received,
            now,
        ));
        Ok(Some(request))
    }

    /// Finds a request by id or unique id prefix (case-insensitive).
    pub fn find_request(&mut self, id: &str) -> Result<PushRequest, PushError> {
        let want = id.to_ascii_uppercase();
        if want.is_empty() {
            return Err(PushError::UnknownRequest(String::new()));
        }
        let all = self.records().requests()?;
        if let Some(r) = all.iter().find(|r| r.id == want) {
            return Ok(r.clone());
        }
        let mut hits = all.into_iter().filter(|r| r.id.starts_with(&want));
        match (hits.next(), hits.next()) {
            (Some(r), None) => Ok(r),
            (Some(_), Some(_)) => Err(PushError::UnknownRequest(format!(
                "{id} (ambiguous prefix)"
            ))),
            _ => Err(PushError::UnknownRequest(id.chars().take(64).collect())),
        }
    }

    /// Checks a decision against the request, recording refusals; returns the request and token.
    fn prepare(
        &mut self,
        id: &str,
        decision: &Decision,
    ) -> Result<(PushRequest, PushToken), PushError> {
        let mut r = self.find_request(id)?;
        let now = self.clock.now();
        if let Err(e) = r.check_decision(decision, now) {
            let event = if matches!(e, PushError::Expired { .. }) {
                self.records().save_request(&r)?;
                HistoryEvent::Expired
            } else {
                HistoryEvent::Refused {
                    reason: e.to_string(),
                }
            };
            self.record(HistoryEntry::for_request(&r, event, now));
            return Err(e);
        }
        let token = self
            .records()
            .token(&r.serial)?
            .ok_or_else(|| PushError::UnknownSerial(r.serial.clone()))?;
        Ok((r, token))
    }

    /// Sends an answer; network and server errors are recorded and leave the request pending.
    fn send_answer(
        &mut self,
        r: &PushRequest,
        token: &PushToken,
        answer: &Answer,
    ) -> Result<messages::AnswerReply, PushError> {
        let req = messages::answer_request(
            &r.url,
            r.ssl_verify,
            &r.serial,
            &r.id,
            &token.device_key,
            answer,
        )?;
        let result = self
            .transport
            .send(&req)
            .and_then(|resp| messages::parse_reply(&resp))
            .and_then(|reply| {
                self.observe_server_time(reply.server_time);
                messages::parse_answer_reply(reply)
            });
        if let Err(e) = &result {
            let now = self.clock.now();
            self.record(HistoryEntry::for_request(
                r,
                HistoryEvent::Failed {
                    reason: e.to_string(),
                },
                now,
            ));
        }
        result
    }

    /// Approves request `id` (`answer`: the number-matching option, where asked).
    pub fn approve(&mut self, id: &str, answer: Option<&str>) -> Result<ApproveOutcome, PushError> {
        let decision = Decision::Approve(answer.map(str::to_string));
        let (mut r, token) = self.prepare(id, &decision)?;
        let reply = self.send_answer(&r, &token, &Answer::Accept(answer.map(str::to_string)))?;
        let now = self.clock.now();
        let result = r.apply_approval(answer, reply.accepted, reply.display_code.clone(), now);
        self.records().save_request(&r)?;
        let event = match &result {
            Ok(()) => HistoryEvent::Approved {
                answer: answer.map(str::to_string),
                display_code: reply.display_code.clone(),
            },
            Err(PushError::AnswerRejected { retry, .. }) => HistoryEvent::AnswerRejected {
                answer: answer.map(str::to_string),
                retry: *retry,
            },
            Err(e) => HistoryEvent::Failed {
                reason: e.to_string(),
            },
        };
        self.record(HistoryEntry::for_request(&r, event, now));
        result?;
        Ok(ApproveOutcome {
            display_code: r.display_code().map(str::to_string),
            request: r,
        })
    }

    /// Declines request `id`. The reason is signed and sent when the server advertised that it
    /// understands reasons; it is always recorded here.
    pub fn deny(&mut self, id: &str, reason: DeclineReason) -> Result<PushRequest, PushError> {
        let (mut r, token) = self.prepare(id, &Decision::Deny(reason))?;
        let wire_reason = r.decline_reason_supported.then_some(reason);
        let reply = self.send_answer(&r, &token, &Answer::Decline(wire_reason))?;
        let now = self.clock.now();
        let result = r.apply_decline(reason, reply.accepted, now);
        self.records().save_request(&r)?;
        let event = match &result {
            Ok(()) => HistoryEvent::Denied { reason },
            Err(e) => HistoryEvent::Failed {
                reason: e.to_string(),
            },
        };
        self.record(HistoryEntry::for_request(&r, event, now));
        result.map(|()| r)
    }
}
