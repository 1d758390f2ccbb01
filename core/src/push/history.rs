//! The record of every decision and refusal: what was asked, what happened, when.

use serde::{Deserialize, Serialize};

use super::request::{DeclineReason, PushRequest, RequestContext};

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum HistoryEvent {
    /// A verified request arrived.
    Received,
    /// The user approved and the server accepted.
    Approved {
        /// The option picked or number typed, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<String>,
        /// The code the server asked to show, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        display_code: Option<String>,
    },
    /// The user declined and the server recorded it.
    Denied {
        /// Why.
        reason: DeclineReason,
    },
    /// The server did not accept an answer.
    AnswerRejected {
        /// The answer sent, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<String>,
        /// Whether the request stays open.
        retry: bool,
    },
    /// The request expired unanswered (or an answer came too late).
    Expired,
    /// The server withdrew the request.
    Cancelled,
    /// Sending failed (network, server error); the request may stay pending.
    Failed {
        /// What happened.
        reason: String,
    },
    /// Input was refused (forged signature, unknown serial, malformed, replay, clock skew …).
    Refused {
        /// Why.
        reason: String,
    },
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When, Unix seconds (corrected clock).
    pub at: u64,
    /// The token serial, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// The request id (nonce), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// What the request said, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<RequestContext>,
    /// What happened.
    #[serde(flatten)]
    pub event: HistoryEvent,
}

impl HistoryEntry {
    /// An entry about a known request.
    pub fn for_request(request: &PushRequest, event: HistoryEvent, at: u64) -> Self {
        HistoryEntry {
            at,
            serial: Some(request.serial.clone()),
            request_id: Some(request.id.clone()),
            context: Some(request.context.clone()),
            event,
        }
    }

    /// A refusal of input that did not become a request. Long claims are cut to 64 characters.
    pub fn refused(
        serial: Option<&str>,
        request_id: Option<&str>,
        reason: String,
        at: u64,
    ) -> Self {
        let cut = |s: &str| s.chars().take(64).collect::<String>();
        HistoryEntry {
            at,
            serial: serial.map(cut),
            request_id: request_id.map(cut),
            context: None,
            event: HistoryEvent::Refused { reason },
        }
    }
}
