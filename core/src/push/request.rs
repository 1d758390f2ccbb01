//! A sign-in request and its state machine:
//! `pending → approved | denied(not-me | cancel) | cancelled | expired | failed`, with a wrong
//! number-matching answer leaving the request pending (privacyIDEA keeps it open for a retry).

use serde::{Deserialize, Serialize};

use super::error::PushError;

/// Why the user said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclineReason {
    /// "This wasn't me": a sign-in the user did not start (possible attack; privacyIDEA
    /// `unknown_trigger`, recorded as "declined").
    NotMe,
    /// The user started it but changed their mind (privacyIDEA `cancelled`).
    Cancel,
}

impl DeclineReason {
    /// The stable name (`not-me`, `cancel`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::NotMe => "not-me",
            DeclineReason::Cancel => "cancel",
        }
    }

    /// privacyIDEA's `decline_reason` value.
    pub fn privacyidea_reason(self) -> &'static str {
        match self {
            DeclineReason::NotMe => "unknown_trigger",
            DeclineReason::Cancel => "cancelled",
        }
    }
}

impl std::str::FromStr for DeclineReason {
    type Err = PushError;
    fn from_str(s: &str) -> Result<Self, PushError> {
        match s {
            "not-me" => Ok(DeclineReason::NotMe),
            "cancel" => Ok(DeclineReason::Cancel),
            _ => Err(PushError::InvalidAnswer(format!(
                "decline reason must be not-me or cancel, not {s:?}"
            ))),
        }
    }
}

/// Where a request is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RequestState {
    /// Waiting for the user.
    Pending,
    /// The user approved and the server accepted.
    Approved,
    /// The user declined and the server recorded it.
    Denied {
        /// Why.
        reason: DeclineReason,
    },
    /// The server withdrew the request before the user answered (answered on another device,
    /// or ended on the server).
    Cancelled,
    /// The answer window closed.
    Expired,
    /// The answer could not be delivered or was refused for good.
    Failed {
        /// What happened.
        reason: String,
    },
}

impl RequestState {
    /// The stable name: pending, approved, denied, cancelled, expired, failed.
    pub fn name(&self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Denied { .. } => "denied",
            RequestState::Cancelled => "cancelled",
            RequestState::Expired => "expired",
            RequestState::Failed { .. } => "failed",
        }
    }

    /// Whether no further transition is possible.
    pub fn is_final(&self) -> bool {
        !matches!(self, RequestState::Pending)
    }
}

impl std::fmt::Display for RequestState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestState::Denied { reason } => write!(f, "denied ({})", reason.as_str()),
            RequestState::Failed { reason } => write!(f, "failed ({reason})"),
            s => f.write_str(s.name()),
        }
    }
}

/// What the user is asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestKind {
    /// Approve or deny.
    Simple,
    /// Pick the option the sign-in screen shows (privacyIDEA `require_presence`, Okta).
    ChooseOne {
        /// The options, in the server's order.
        options: Vec<String>,
    },
    /// Type the number the sign-in screen shows (Microsoft, Duo Verified Push).
    EnterNumber {
        /// How many digits.
        digits: u8,
    },
    /// After approval, show this code for the user to type at the sign-in screen
    /// (privacyIDEA `code_to_phone`).
    ShowCode {
        /// The code from the server.
        code: String,
    },
}

/// What the request says about the sign-in. privacyIDEA fills title and question only (the
/// admin templates user, client IP and browser into the question); other protocols give the
/// application, IP and location as fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestContext {
    /// Short title.
    pub title: String,
    /// The question, as sent.
    pub question: String,
    /// The application asking, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The sign-in client's IP address, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The sign-in location, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// One sign-in request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Identity: the server's nonce.
    pub id: String,
    /// The token it belongs to.
    pub serial: String,
    /// Where the answer goes.
    pub url: String,
    /// Whether to verify TLS for `url`.
    pub ssl_verify: bool,
    /// What is shown.
    pub context: RequestContext,
    /// What is asked.
    #[serde(flatten)]
    pub kind: RequestKind,
    /// Where it is.
    #[serde(flatten)]
    pub state: RequestState,
    /// When it arrived, Unix seconds (corrected clock).
    pub received_at: u64,
    /// When the answer window closes, Unix seconds.
    pub expires_at: u64,
    /// When it was answered or ended, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<u64>,
    /// Answers the server refused so far (wrong number-matching options).
    #[serde(default)]
    pub rejected_answers: Vec<String>,
    /// Whether the server signed that it understands decline reasons.
    #[serde(default)]
    pub decline_reason_supported: bool,
}

/// What the user decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Approve, with the chosen or typed answer where the kind needs one.
    Approve(Option<String>),
    /// Decline.
    Deny(DeclineReason),
}

impl PushRequest {
    /// Whether the answer window has closed at `now`.
    pub fn is_expired_at(&self, now: u64) -> bool {
        now >= self.expires_at
    }

    /// Checks that a decision may be sent now: the request is pending and not expired, and the
    /// answer fits the kind. On expiry the request moves to `Expired` and the error says so.
    pub fn check_decision(&mut self, decision: &Decision, now: u64) -> Result<(), PushError> {
        if self.state.is_final() {
            return Err(PushError::NotPending {
                id: self.id.clone(),
                state: self.state.clone(),
            });
        }
        if self.is_expired_at(now) {
            self.finish(RequestState::Expired, now);
            return Err(PushError::Expired {
                id: self.id.clone(),
                expires_at: self.expires_at,
            });
        }
        let Decision::Approve(answer) = decision else {
            return Ok(());
        };
        match (&self.kind, answer) {
            (RequestKind::Simple | RequestKind::ShowCode { .. }, None) => Ok(()),
            (RequestKind::Simple | RequestKind::ShowCode { .. }, Some(_)) => Err(
                PushError::InvalidAnswer("this request takes no answer option".into()),
            ),
            (RequestKind::ChooseOne { options }, Some(a)) if options.contains(a) => Ok(()),
            (RequestKind::ChooseOne { options }, Some(a)) => Err(PushError::InvalidAnswer(
                format!("{a:?} is not one of the options {}", options.join(", ")),
            )),
            (RequestKind::ChooseOne { options }, None) => Err(PushError::InvalidAnswer(format!(
                "pick the option shown at the sign-in screen: --answer one of {}",
                options.join(", ")
            ))),
            (RequestKind::EnterNumber { digits }, Some(a))
                if a.len() == usize::from(*digits) && a.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(())
            }
            (RequestKind::EnterNumber { digits }, _) => Err(PushError::InvalidAnswer(format!(
                "type the {digits}-digit number shown at the sign-in screen"
            ))),
        }
    }

    /// Moves to a final state (idempotent for final states: the first one wins).
    pub fn finish(&mut self, state: RequestState, now: u64) {
        if !self.state.is_final() {
            self.state = state;
            self.decided_at = Some(now);
        }
    }

    /// Applies the server's reply to an approval. `accepted`: the server took it. A refused
    /// answer to a choose-one request keeps it pending (the server keeps it open) and is
    /// remembered; otherwise the request fails.
    pub fn apply_approval(
        &mut self,
        answer: Option<&str>,
        accepted: bool,
        display_code: Option<String>,
        now: u64,
    ) -> Result<(), PushError> {
        if accepted {
            if let Some(code) = display_code {
                self.kind = RequestKind::ShowCode { code };
            }
            self.finish(RequestState::Approved, now);
            return Ok(());
        }
        if let (RequestKind::ChooseOne { .. }, Some(a)) = (&self.kind, answer) {
            self.rejected_answers.push(a.to_string());
            return Err(PushError::AnswerRejected {
                id: self.id.clone(),
                retry: true,
            });
        }
        self.finish(
            RequestState::Failed {
                reason: "the server did not accept the approval".into(),
            },
            now,
        );
        Err(PushError::AnswerRejected {
            id: self.id.clone(),
            retry: false,
        })
    }

    /// Applies the server's reply to a decline.
    pub fn apply_decline(
        &mut self,
        reason: DeclineReason,
        accepted: bool,
        now: u64,
    ) -> Result<(), PushError> {
        if accepted {
            self.finish(RequestState::Denied { reason }, now);
            Ok(())
        } else {
            self.finish(
                RequestState::Failed {
                    reason: "the server did not accept the decline".into(),
                },
                now,
            );
            Err(PushError::AnswerRejected {
                id: self.id.clone(),
                retry: false,
            })
        }
    }

    /// The code to show after approval, if any.
    pub fn display_code(&self) -> Option<&str> {
        match &self.kind {
            RequestKind::ShowCode { code } => Some(code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: RequestKind) -> PushRequest {
        PushRequest {
            id: "N1".into(),
            serial: "PIPU1".into(),
            url: "http://h/ttype/push".into(),
            ssl_verify: false,
            context: RequestContext::default(),
            kind,
            state: RequestState::Pending,
            received_at: 1000,
            expires_at: 1120,
            decided_at: None,
            rejected_answers: vec![],
            decline_reason_supported: true,
        }
    }

    fn choose() -> RequestKind {
        RequestKind::ChooseOne {
            options: vec!["61".into(), "96".into(), "71".into()],
        }
    }

    #[test]
    fn simple_approve_and_no_second_answer() {
        let mut r = req(RequestKind::Simple);
        r.check_decision(&Decision::Approve(None), 1010).unwrap();
        r.apply_approval(None, true, None, 1011).unwrap();
        assert_eq!(r.state, RequestState::Approved);
        assert_eq!(r.decided_at, Some(1011));
        let e = r
            .check_decision(&Decision::Approve(None), 1012)
            .unwrap_err();
        assert!(
            e.to_string().contains("no longer pending (it is approved)"),
            "{e}"
        );
        let e = r.check_decision(&Decision::Deny(DeclineReason::NotMe), 1012);
        assert!(matches!(e, Err(PushError::NotPending { .. })));
    }

    #[test]
    fn expiry_is_checked_before_sending() {
        let mut r = req(RequestKind::Simple);
        let e = r
            .check_decision(&Decision::Approve(None), 1120)
            .unwrap_err();
        assert!(matches!(
            e,
            PushError::Expired {
                expires_at: 1120,
                ..
            }
        ));
        assert_eq!(r.state, RequestState::Expired);
        assert!(r.check_decision(&Decision::Approve(None), 1000).is_err());
    }

    #[test]
    fn wrong_option_keeps_request_open_then_right_one_approves() {
        let mut r = req(choose());
        assert!(r.check_decision(&Decision::Approve(None), 1001).is_err());
        assert!(
            r.check_decision(&Decision::Approve(Some("12".into())), 1001)
                .is_err()
        );
        r.check_decision(&Decision::Approve(Some("96".into())), 1001)
            .unwrap();
        let e = r.apply_approval(Some("96"), false, None, 1002).unwrap_err();
        assert!(matches!(e, PushError::AnswerRejected { retry: true, .. }));
        assert_eq!(r.state, RequestState::Pending);
        assert_eq!(r.rejected_answers, ["96"]);
        r.check_decision(&Decision::Approve(Some("61".into())), 1003)
            .unwrap();
        r.apply_approval(Some("61"), true, None, 1004).unwrap();
        assert_eq!(r.state, RequestState::Approved);
    }

    #[test]
    fn simple_refusal_fails_and_code_to_phone_shows_code() {
        let mut r = req(RequestKind::Simple);
        assert!(
            r.check_decision(&Decision::Approve(Some("1".into())), 1001)
                .is_err()
        );
        let e = r.apply_approval(None, false, None, 1002).unwrap_err();
        assert!(matches!(e, PushError::AnswerRejected { retry: false, .. }));
        assert_eq!(r.state.name(), "failed");
        let mut r = req(RequestKind::Simple);
        r.apply_approval(None, true, Some("42".into()), 1002)
            .unwrap();
        assert_eq!(r.display_code(), Some("42"));
    }

    #[test]
    fn enter_number_checks_digits() {
        let mut r = req(RequestKind::EnterNumber { digits: 2 });
        assert!(
            r.check_decision(&Decision::Approve(Some("4a".into())), 1001)
                .is_err()
        );
        assert!(
            r.check_decision(&Decision::Approve(Some("123".into())), 1001)
                .is_err()
        );
        assert!(r.check_decision(&Decision::Approve(None), 1001).is_err());
        r.check_decision(&Decision::Approve(Some("42".into())), 1001)
            .unwrap();
    }

    #[test]
    fn denials_and_final_state_wins() {
        let mut r = req(RequestKind::Simple);
        r.apply_decline(DeclineReason::Cancel, true, 1001).unwrap();
        assert_eq!(r.state.to_string(), "denied (cancel)");
        r.finish(RequestState::Expired, 2000);
        assert_eq!(r.state.name(), "denied", "first final state wins");
        let mut r = req(RequestKind::Simple);
        assert!(r.apply_decline(DeclineReason::NotMe, false, 1001).is_err());
        assert_eq!(r.state.name(), "failed");
        assert!("maybe".parse::<DeclineReason>().is_err());
        assert_eq!(
            "not-me"
                .parse::<DeclineReason>()
                .unwrap()
                .privacyidea_reason(),
            "unknown_trigger"
        );
    }

    #[test]
    fn json_shape_is_flat() {
        let mut r = req(choose());
        r.apply_decline(DeclineReason::NotMe, true, 1001).unwrap();
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["state"], "denied");
        assert_eq!(v["reason"], "not-me");
        assert_eq!(v["kind"], "choose_one");
        assert_eq!(v["options"][1], "96");
        let back: PushRequest = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
    }
}
