//! `tessera push …`: privacyIDEA PUSH tokens from the command line.
//!
//! `enroll <otpauth://pipush/…> [--fcm-token T]`, `fcm-token <T>` (tell the servers a new
//! push-service token), `poll [--json]`, `approve <id> [--answer X] [--json]`,
//! `deny <id> --reason not-me|cancel`, `history [--json]`, `receive <file|->` (a payload handed
//! over by a push service), `status [--json]`. Answering a request that is no longer pending
//! exits non-zero with the reason. Everything is kept sealed in the vault (`--vault`, password
//! from `TESSERA_PASSWORD` or a prompt).

use std::io::Read;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use tessera_core::clock::{Clock, SystemTimeSource, TimeSource};
use tessera_core::push::transport::HttpsTransport;
use tessera_core::push::{
    DEFAULT_REQUEST_TTL_SECONDS, DeclineReason, HistoryEntry, PollOptions, PushClient, PushRequest,
    RequestKind,
};

use super::Context;

/// `tessera push …`
#[derive(clap::Subcommand, Debug)]
pub enum PushCommand {
    /// Enroll a privacyIDEA PUSH token from its otpauth://pipush/ link (generates an RSA-4096 key).
    Enroll {
        /// The otpauth://pipush/… link from the QR code.
        uri: String,
        /// The push-service (FCM/APNs) token the server pushes requests to (ignored, and
        /// no_firebase_token sent, when the link says poll_only=True).
        #[arg(long, value_name = "TOKEN")]
        fcm_token: Option<String>,
        /// Print the enrolled token as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Tell the server of every token not enrolled poll-only a new push-service (FCM/APNs) token.
    FcmToken {
        /// The new push-service token.
        token: String,
        /// Print one JSON object per token: {"serial", "outcome": updated|skipped_poll_only|failed, "reason"}.
        #[arg(long)]
        json: bool,
        /// Testing: pretend the device clock is off by this many seconds (not saved).
        #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
        simulate_clock_skew: Option<i64>,
    },
    /// Ask every enrolled token's server for sign-in requests and list them.
    Poll {
        /// Print a JSON array of requests.
        #[arg(long)]
        json: bool,
        /// Seconds a new request stays answerable (the payload carries none).
        #[arg(long, default_value_t = DEFAULT_REQUEST_TTL_SECONDS, value_name = "SECONDS")]
        ttl: u64,
        /// Do not correct the clock and retry when the server says our timestamp is off.
        #[arg(long)]
        no_resync: bool,
        /// Testing: pretend the device clock is off by this many seconds (not saved).
        #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
        simulate_clock_skew: Option<i64>,
    },
    /// Approve a pending request.
    Approve {
        /// The request id (or a unique prefix).
        id: String,
        /// The option shown at the sign-in screen (number matching).
        #[arg(long)]
        answer: Option<String>,
        /// Print {"display_code": …} (and the request) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deny a pending request.
    Deny {
        /// The request id (or a unique prefix).
        id: String,
        /// not-me (a sign-in you did not start) or cancel (you changed your mind).
        #[arg(long)]
        reason: DeclineReason,
        /// Print the request as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show every decision and refusal.
    History {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Take a push payload (JSON, as delivered by FCM/APNs) from a file or - for stdin.
    Receive {
        /// The payload file, or - for stdin.
        file: String,
        /// Seconds the request stays answerable.
        #[arg(long, default_value_t = DEFAULT_REQUEST_TTL_SECONDS, value_name = "SECONDS")]
        ttl: u64,
        /// Print the request as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show enrolled tokens and the clock offset against the server.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// A device clock off by a fixed amount (for `--simulate-clock-skew`).
struct Skewed(i64);

impl TimeSource for Skewed {
    fn now_unix_seconds(&self) -> u64 {
        let t = SystemTimeSource.now_unix_seconds();
        t.saturating_add_signed(self.0)
    }
}

/// A request as the CLI prints it.
pub fn request_json(r: &PushRequest) -> Value {
    let mut v = json!({
        "id": r.id,
        "serial": r.serial,
        "state": r.state.name(),
        "title": r.context.title,
        "question": r.context.question,
        "options": match &r.kind { RequestKind::ChooseOne { options } => json!(options), _ => Value::Null },
        "kind": match &r.kind {
            RequestKind::Simple => "simple",
            RequestKind::ChooseOne { .. } => "choose_one",
            RequestKind::EnterNumber { .. } => "enter_number",
            RequestKind::ShowCode { .. } => "show_code",
        },
        "received_at": r.received_at,
        "expires_at": r.expires_at,
        "decided_at": r.decided_at,
        "display_code": r.display_code(),
        "rejected_answers": r.rejected_answers,
        "app": r.context.app,
        "ip": r.context.ip,
        "location": r.context.location,
    });
    match &r.state {
        tessera_core::push::RequestState::Denied { reason } => v["reason"] = json!(reason.as_str()),
        tessera_core::push::RequestState::Failed { reason } => v["reason"] = json!(reason),
        _ => {}
    }
    v
}

fn print_request(r: &PushRequest) {
    let answer = match &r.kind {
        RequestKind::ChooseOne { options } => format!("  pick one of: {}", options.join(" ")),
        RequestKind::EnterNumber { digits } => format!("  type the {digits}-digit number"),
        RequestKind::ShowCode { code } => format!("  code: {code}"),
        RequestKind::Simple => String::new(),
    };
    println!(
        "{}  {}  {}: {}{}  (expires {})",
        r.id, r.state, r.context.title, r.context.question, answer, r.expires_at
    );
}

fn history_json(h: &HistoryEntry) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(h)?)
}

impl PushCommand {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        // Tokens (with their private keys), requests and history are sealed in the vault.
        let mut vault = super::vault::unlock(ctx)?;
        let transport = HttpsTransport::default();
        let skew = match &self {
            PushCommand::Poll {
                simulate_clock_skew: Some(s),
                ..
            }
            | PushCommand::FcmToken {
                simulate_clock_skew: Some(s),
                ..
            } => Some(*s),
            _ => None,
        };
        let clock = match skew {
            Some(s) => Clock::new(Arc::new(Skewed(s))),
            None => Clock::system(),
        };
        let mut client = PushClient::new(&mut vault, &transport, clock)?;
        if skew.is_some() {
            client.set_persist_clock_offset(false);
        }
        match self {
            PushCommand::Enroll {
                uri,
                fcm_token,
                json,
            } => {
                let t = client
                    .enroll_with_push_service_token(uri.trim(), fcm_token.as_deref())
                    .context("enrollment failed")?;
                if json {
                    println!(
                        "{}",
                        json!({"serial": t.serial, "label": t.label, "issuer": t.issuer, "url": t.url, "ssl_verify": t.ssl_verify})
                    );
                } else {
                    println!("enrolled {} ({}, {})", t.serial, t.issuer, t.label);
                }
            }
            PushCommand::FcmToken { token, json, .. } => {
                let r = client.update_push_service_token(&token)?;
                let mut rows: Vec<(String, &str, Option<String>)> = Vec::new();
                rows.extend(r.updated.iter().map(|s| (s.clone(), "updated", None)));
                rows.extend(
                    r.skipped_poll_only
                        .iter()
                        .map(|s| (s.clone(), "skipped_poll_only", None)),
                );
                rows.extend(
                    r.errors
                        .iter()
                        .map(|(s, e)| (s.clone(), "failed", Some(e.to_string()))),
                );
                rows.sort();
                for (serial, outcome, reason) in &rows {
                    if json {
                        println!(
                            "{}",
                            json!({"serial": serial, "outcome": outcome, "reason": reason})
                        );
                    } else {
                        println!("{serial}  {}", outcome.replace('_', " "));
                    }
                }
                if rows.is_empty() && !json {
                    println!("no push tokens are enrolled");
                }
                if let Some((serial, e)) = r.errors.first() {
                    bail!(
                        "push-service token update failed for {serial}: {e}{}",
                        if r.errors.len() > 1 {
                            format!(" (and {} more tokens)", r.errors.len() - 1)
                        } else {
                            String::new()
                        }
                    );
                }
            }
            PushCommand::Poll {
                json,
                ttl,
                no_resync,
                ..
            } => {
                let report = client.poll(PollOptions {
                    ttl_seconds: ttl,
                    resync_clock: !no_resync,
                })?;
                if json {
                    let arr: Vec<Value> = report.requests.iter().map(request_json).collect();
                    println!("{}", Value::Array(arr));
                } else {
                    for r in &report.requests {
                        print_request(r);
                    }
                }
                for why in &report.refused {
                    eprintln!("tessera: refused a push request: {why}");
                }
                if let Some((serial, e)) = report.errors.first() {
                    bail!(
                        "poll failed for {serial}: {e}{}",
                        if report.errors.len() > 1 {
                            format!(" (and {} more tokens)", report.errors.len() - 1)
                        } else {
                            String::new()
                        }
                    );
                }
            }
            PushCommand::Approve { id, answer, json } => {
                let out = client.approve(&id, answer.as_deref())?;
                if json {
                    println!(
                        "{}",
                        json!({"display_code": out.display_code, "request": request_json(&out.request)})
                    );
                } else if let Some(code) = &out.display_code {
                    println!("approved; enter this code at the sign-in screen: {code}");
                } else {
                    println!("approved");
                }
            }
            PushCommand::Deny { id, reason, json } => {
                let r = client.deny(&id, reason)?;
                if json {
                    println!("{}", request_json(&r));
                } else {
                    println!("denied ({})", reason.as_str());
                }
            }
            PushCommand::History { json } => {
                let h = client.history()?;
                if json {
                    let arr = h
                        .iter()
                        .map(history_json)
                        .collect::<anyhow::Result<Vec<_>>>()?;
                    println!("{}", Value::Array(arr));
                } else {
                    for e in &h {
                        println!("{}", history_json(e)?);
                    }
                }
            }
            PushCommand::Receive { file, ttl, json } => {
                let mut bytes = Vec::new();
                let limit = 64 * 1024;
                if file == "-" {
                    std::io::stdin().take(limit).read_to_end(&mut bytes)?;
                } else {
                    std::fs::File::open(&file)
                        .with_context(|| format!("cannot open {file}"))?
                        .take(limit)
                        .read_to_end(&mut bytes)?;
                }
                let r = client.receive(&bytes, ttl)?;
                if json {
                    println!("{}", request_json(&r));
                } else {
                    print_request(&r);
                }
            }
            PushCommand::Status { json } => {
                let tokens = client.tokens()?;
                let offset = client.clock_offset_seconds();
                if json {
                    let t: Vec<Value> = tokens
                        .iter()
                        .map(|t| json!({"serial": t.serial, "label": t.label, "issuer": t.issuer, "url": t.url, "ssl_verify": t.ssl_verify, "enrolled_at": t.enrolled_at, "poll_only": t.poll_only, "push_service_token_set": t.push_service_token.is_some()}))
                        .collect();
                    println!("{}", json!({"tokens": t, "clock_offset_seconds": offset}));
                } else {
                    for t in &tokens {
                        println!("{}  {}  {}  {}", t.serial, t.issuer, t.label, t.url);
                    }
                    println!("clock offset against the server: {offset} s");
                }
            }
        }
        Ok(())
    }
}
