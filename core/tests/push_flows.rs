//! PushClient end to end against an in-process privacyIDEA stand-in (the same wire format and
//! rules as privacyIDEA 3.14's pushtoken.py: signed challenges, signatures tried against every
//! open challenge, ±60 s poll window, presence answers, code-to-phone, decline reasons).
//! The real server is exercised by tests/push/run; this runs in `cargo test` with no network.

use std::sync::{Arc, Mutex};

use data_encoding::{BASE32, BASE64};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use serde_json::{Value, json};
use tessera_core::clock::{Clock, FixedTimeSource, TimeSource};
use tessera_core::push::keys::{DeviceKey, ServerKey};
use tessera_core::push::messages::{HttpRequest, HttpResponse, Method};
use tessera_core::push::{
    DeclineReason, EnrollmentUri, HistoryEvent, MemoryStore, PollOptions, PushClient, PushError,
    RequestState, Transport,
};

const URL: &str = "http://127.0.0.1:5001/ttype/push";
const SERIAL: &str = "PIPU0001";

struct Challenge {
    nonce: String,
    options: Option<Vec<String>>,
    correct: Option<String>,
    code: Option<String>,
    status: &'static str,
    expires_at: u64,
}

struct Server {
    key: DeviceKey,
    device: Option<ServerKey>,
    challenges: Vec<Challenge>,
    time: Arc<FixedTimeSource>,
    tamper: bool,
    answers: Vec<Vec<(String, String)>>,
    offline: bool,
    fbtoken: Option<String>,
}

struct Fake(Mutex<Server>);

fn now(s: &Server) -> u64 {
    s.time.now_unix_seconds()
}

fn pkcs1_of(key: &DeviceKey) -> Vec<u8> {
    let private = rsa::RsaPrivateKey::from_pkcs8_der(key.pkcs8_der()).unwrap();
    rsa::RsaPublicKey::from(&private)
        .to_pkcs1_der()
        .unwrap()
        .into_vec()
}

fn reply(s: &Server, status: bool, value: Value, detail: Value) -> HttpResponse {
    let body = json!({"result": {"status": status, "value": value}, "detail": detail, "time": now(s) as f64 + 0.25});
    HttpResponse {
        status: 200,
        body: body.to_string().into_bytes(),
        date: None,
    }
}

fn error(s: &Server, code: i64, message: &str) -> HttpResponse {
    let body = json!({"result": {"status": false, "error": {"code": code, "message": message}}, "time": now(s) as f64});
    HttpResponse {
        status: 400,
        body: body.to_string().into_bytes(),
        date: None,
    }
}

impl Transport for Fake {
    fn send(&self, req: &HttpRequest) -> Result<HttpResponse, PushError> {
        let mut s = self.0.lock().unwrap();
        if s.offline {
            return Err(PushError::Transport("connection refused".into()));
        }
        assert_eq!(req.url, URL);
        assert!(!req.verify_tls, "sslverify=0 is honoured");
        let get = |k: &str| {
            req.params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
        };
        if let Some(pubkey) = get("pubkey") {
            assert_eq!(get("enrollment_credential").as_deref(), Some("c0ffee"));
            s.fbtoken = get("fbtoken");
            let spki = BASE64.decode(pubkey.as_bytes()).unwrap();
            let pk = rsa::RsaPublicKey::from_public_key_der(&spki).unwrap();
            s.device =
                Some(ServerKey::from_pkcs1_der(pk.to_pkcs1_der().unwrap().as_bytes()).unwrap());
            let b64 = BASE64.encode(&pkcs1_of(&s.key));
            let wrapped: Vec<&str> = b64
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect();
            let detail = json!({"public_key": wrapped.join("\n"), "rollout_state": "enrolled", "serial": SERIAL});
            return Ok(reply(&s, true, json!(true), detail));
        }
        let device = s.device.clone().expect("enrolled");
        let serial = get("serial").unwrap();
        let sig = get("signature").unwrap();
        if let Some(new) = get("new_fb_token") {
            // pushtoken.py _handle_firebase_update: ±5 min window, then the signature.
            let ts = get("timestamp").unwrap();
            let t = humantime::parse_rfc3339(&ts).unwrap();
            let t = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
            if t.abs_diff(now(&s)) > 300 {
                return Ok(error(
                    &s,
                    10,
                    &format!("Timestamp {ts} not in valid range."),
                ));
            }
            if serial != SERIAL || !device.verify_b32(&format!("{new}|{serial}|{ts}"), &sig) {
                return Ok(error(&s, 10, "Could not verify signature!"));
            }
            s.fbtoken = Some(new);
            return Ok(reply(&s, true, json!(true), json!({})));
        }
        if req.method == Method::Get {
            let ts = get("timestamp").unwrap();
            if serial != SERIAL || !device.verify_b32(&format!("{serial}|{ts}"), &sig) {
                return Ok(error(&s, 10, "Could not verify signature!"));
            }
            let t = humantime::parse_rfc3339(&ts).unwrap();
            let t = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
            if t.abs_diff(now(&s)) > 60 {
                return Ok(error(
                    &s,
                    10,
                    &format!("Timestamp {ts} not in valid range."),
                ));
            }
            let n = now(&s);
            let mut list = Vec::new();
            for c in s
                .challenges
                .iter()
                .filter(|c| c.status == "pending" && c.expires_at > n)
            {
                let question = "Sign in as alice from 10.1.2.3 (Firefox)?";
                let mut m = format!("{}|{URL}|{SERIAL}|{question}|privacyIDEA|0", c.nonce);
                let mut v = json!({"nonce": c.nonce, "question": question, "title": "privacyIDEA",
                    "serial": SERIAL, "sslverify": "0", "url": URL});
                if let Some(o) = &c.options {
                    v["require_presence"] = o.join(",").into();
                    v["version"] = "2".into();
                    m = format!("{m}|{}", o.join(","));
                }
                v["signature"] = s.key.sign_b32(&m).unwrap().into();
                v["capabilities"] = "{\"decline_reason\": true}".into();
                v["capabilities_signature"] = s
                    .key
                    .sign_b32(&format!(
                        "{{\"capabilities\":{{\"decline_reason\":true}},\"nonce\":\"{}\"}}",
                        c.nonce
                    ))
                    .unwrap()
                    .into();
                if s.tamper {
                    v["question"] = "Sign in as mallory?".into();
                }
                list.push(v);
            }
            return Ok(reply(&s, true, Value::Array(list), json!({})));
        }
        s.answers.push(req.params.clone());
        let n = now(&s);
        let presence = get("presence_answer");
        let decline_reason = get("decline_reason");
        for c in s
            .challenges
            .iter_mut()
            .filter(|c| c.status == "pending" && c.expires_at > n)
        {
            let mut m = format!("{}|{serial}", c.nonce);
            if get("decline").is_some() {
                m.push_str("|decline");
                if let Some(r) = &decline_reason {
                    m = format!("{m}|{r}");
                }
            } else if let Some(p) = &presence {
                m = format!("{m}|{p}");
            }
            if !device.verify_b32(&m, &sig) {
                continue;
            }
            if get("decline").is_some() {
                c.status = if decline_reason.as_deref() == Some("cancelled") {
                    "cancelled"
                } else {
                    "declined"
                };
                return Ok(reply_owned(n, true, json!({})));
            }
            if c.correct.is_some() && presence != c.correct {
                return Ok(reply_owned(n, false, json!({})));
            }
            c.status = "accept";
            let detail = match &c.code {
                Some(code) => json!({"display_code": code, "message": "Enter the code to log in"}),
                None => json!({}),
            };
            return Ok(reply_owned(n, true, detail));
        }
        Ok(reply_owned(n, false, json!({})))
    }
}

fn reply_owned(now: u64, value: bool, detail: Value) -> HttpResponse {
    let body =
        json!({"result": {"status": true, "value": value}, "detail": detail, "time": now as f64});
    HttpResponse {
        status: 200,
        body: body.to_string().into_bytes(),
        date: None,
    }
}

struct World {
    fake: Fake,
    time: Arc<FixedTimeSource>,
    store: MemoryStore,
    device_clock: Arc<FixedTimeSource>,
}

const T0: u64 = 1_800_000_000;

fn world() -> World {
    let time = Arc::new(FixedTimeSource::new(T0));
    let fake = Fake(Mutex::new(Server {
        key: DeviceKey::generate_with_bits(2048).unwrap(),
        device: None,
        challenges: Vec::new(),
        time: time.clone(),
        tamper: false,
        answers: Vec::new(),
        offline: false,
        fbtoken: None,
    }));
    World {
        fake,
        time,
        store: MemoryStore::default(),
        device_clock: Arc::new(FixedTimeSource::new(T0)),
    }
}

impl World {
    fn client(&mut self) -> PushClient<'_> {
        PushClient::new(
            &mut self.store,
            &self.fake,
            Clock::new(self.device_clock.clone()),
        )
        .unwrap()
    }
    fn challenge(&self, nonce: &str, options: Option<(&str, &str)>, code: Option<&str>) {
        let mut s = self.fake.0.lock().unwrap();
        let expires_at = now(&s) + 120;
        s.challenges.push(Challenge {
            nonce: nonce.into(),
            options: options.map(|(all, _)| all.split(',').map(String::from).collect()),
            correct: options.map(|(_, c)| c.to_string()),
            code: code.map(String::from),
            status: "pending",
            expires_at,
        });
    }
    fn status(&self, nonce: &str) -> &'static str {
        let s = self.fake.0.lock().unwrap();
        s.challenges
            .iter()
            .find(|c| c.nonce == nonce)
            .unwrap()
            .status
    }
    fn advance(&self, secs: u64) {
        self.time.set(self.time.now_unix_seconds() + secs);
        self.device_clock
            .set(self.device_clock.now_unix_seconds() + secs);
    }
}

fn enrolled() -> World {
    enrolled_with(true, None)
}

fn enrolled_with(poll_only: bool, push_token: Option<&str>) -> World {
    let mut w = world();
    let uri = format!(
        "otpauth://pipush/{SERIAL}?url={}&ttl=10&issuer=privacyIDEA&enrollment_credential=c0ffee&v=1&serial={SERIAL}&sslverify=0&poll_only={}",
        "http%3A//127.0.0.1%3A5001/ttype/push",
        if poll_only { "True" } else { "False" }
    );
    let key = DeviceKey::generate_with_bits(2048).unwrap();
    let mut c = w.client();
    let t = c
        .enroll_with_key(EnrollmentUri::parse(&uri).unwrap(), key, push_token)
        .unwrap();
    assert_eq!(t.serial, SERIAL);
    assert!(!format!("{t:?}").contains("pkcs8"));
    let again = c.enroll_with_key(
        EnrollmentUri::parse(&uri).unwrap(),
        DeviceKey::generate_with_bits(2048).unwrap(),
        None,
    );
    assert!(matches!(again, Err(PushError::AlreadyEnrolled(_))));
    w
}

fn server_fbtoken(w: &World) -> Option<String> {
    w.fake.0.lock().unwrap().fbtoken.clone()
}

#[test]
fn push_service_token_at_rollout_and_update() {
    // Poll-only enrollment: the server gets no_firebase_token and is never told a new token.
    let mut w = enrolled_with(true, Some("fcm-at-rollout"));
    assert_eq!(server_fbtoken(&w).as_deref(), Some("no_firebase_token"));
    let report = w.client().update_push_service_token("fcm-2").unwrap();
    assert_eq!(report.skipped_poll_only, [SERIAL]);
    assert!(report.updated.is_empty() && report.errors.is_empty());
    assert_eq!(server_fbtoken(&w).as_deref(), Some("no_firebase_token"));

    // A pushing server gets the token at rollout and each update, signed and in its window.
    let mut w = enrolled_with(false, Some("fcm-at-rollout"));
    assert_eq!(server_fbtoken(&w).as_deref(), Some("fcm-at-rollout"));
    let stored = |w: &mut World| w.client().tokens().unwrap()[0].push_service_token.clone();
    assert_eq!(stored(&mut w).as_deref(), Some("fcm-at-rollout"));
    let report = w.client().update_push_service_token("fcm-2").unwrap();
    assert_eq!(report.updated, [SERIAL]);
    assert!(report.errors.is_empty());
    assert_eq!(server_fbtoken(&w).as_deref(), Some("fcm-2"));
    assert_eq!(stored(&mut w).as_deref(), Some("fcm-2"));

    // Refused (device clock 6 min behind, outside the ±5 min window): recorded per token, the
    // stored token stays; the reply's time corrects the clock so the next update goes through.
    w.device_clock.set(w.device_clock.now_unix_seconds() - 360);
    let mut c = w.client();
    c.set_persist_clock_offset(false);
    let report = c.update_push_service_token("fcm-3").unwrap();
    assert!(report.updated.is_empty());
    assert_eq!(report.errors.len(), 1);
    assert!(
        matches!(&report.errors[0], (s, PushError::Server { code: 10, .. }) if s == SERIAL),
        "{:?}",
        report.errors
    );
    assert!(!report.errors[0].1.to_string().contains("fcm-3"));
    let report = c.update_push_service_token("fcm-3").unwrap();
    assert_eq!(report.updated, [SERIAL], "{:?}", report.errors);
    assert_eq!(server_fbtoken(&w).as_deref(), Some("fcm-3"));
    let h = w.client().history().unwrap();
    assert!(h.iter().any(|e| matches!(&e.event,
        HistoryEvent::Failed { reason } if reason.starts_with("push-service token update"))));
    assert!(!format!("{h:?}").contains("fcm-3"));

    // Offline: an error for the token, nothing stored; a bad token is refused before sending.
    w.fake.0.lock().unwrap().offline = true;
    let report = w.client().update_push_service_token("fcm-4").unwrap();
    assert!(matches!(report.errors[..], [(_, PushError::Transport(_))]));
    assert_eq!(stored(&mut w).as_deref(), Some("fcm-3"));
    assert!(matches!(
        w.client().update_push_service_token("has space"),
        Err(PushError::InvalidPushServiceToken(_))
    ));
}

#[test]
fn approve_deny_and_replay() {
    let mut w = enrolled();
    w.challenge("AAAA", None, None);
    w.challenge("BBBB", None, None);
    w.challenge("CCCC", None, None);
    let report = w.client().poll(PollOptions::default()).unwrap();
    assert_eq!(report.new_requests, 3);
    let r = &report.requests[0];
    assert_eq!(r.expires_at, T0 + 120);
    assert_eq!(r.context.title, "privacyIDEA");
    assert!(r.decline_reason_supported);
    assert_eq!(
        w.client()
            .poll(PollOptions::default())
            .unwrap()
            .new_requests,
        0,
        "de-dup by nonce"
    );

    let out = w.client().approve("aaaa", None).unwrap();
    assert_eq!(out.request.state, RequestState::Approved);
    assert_eq!(w.status("AAAA"), "accept");
    let again = w.client().approve("AAAA", None).unwrap_err();
    assert!(again.to_string().contains("no longer pending"), "{again}");

    w.client().deny("BBBB", DeclineReason::NotMe).unwrap();
    assert_eq!(w.status("BBBB"), "declined");
    w.client().deny("CCCC", DeclineReason::Cancel).unwrap();
    assert_eq!(w.status("CCCC"), "cancelled");

    let h = w.client().history().unwrap();
    let events: Vec<&HistoryEvent> = h.iter().map(|e| &e.event).collect();
    assert!(events.contains(&&HistoryEvent::Denied {
        reason: DeclineReason::NotMe
    }));
    assert!(events.contains(&&HistoryEvent::Denied {
        reason: DeclineReason::Cancel
    }));
    assert!(events.iter().any(
        |e| matches!(e, HistoryEvent::Refused { reason } if reason.contains("no longer pending"))
    ));
}

#[test]
fn number_matching_and_code_to_phone() {
    let mut w = enrolled();
    w.challenge("PRES", Some(("61,96,71", "96")), None);
    w.challenge("CODE", None, Some("42"));
    w.client().poll(PollOptions::default()).unwrap();
    let e = w.client().approve("PRES", Some("61")).unwrap_err();
    assert!(matches!(e, PushError::AnswerRejected { retry: true, .. }));
    assert_eq!(w.status("PRES"), "pending");
    let r = w.client().find_request("PRES").unwrap();
    assert_eq!(r.state, RequestState::Pending);
    assert_eq!(r.rejected_answers, ["61"]);
    assert!(
        w.client().approve("PRES", Some("99")).is_err(),
        "not an option"
    );
    w.client().approve("PRES", Some("96")).unwrap();
    assert_eq!(w.status("PRES"), "accept");
    let out = w.client().approve("CODE", None).unwrap();
    assert_eq!(out.display_code.as_deref(), Some("42"));
}

#[test]
fn expiry_withdrawal_and_network_errors() {
    let mut w = enrolled();
    w.challenge("EXP1", None, None);
    w.challenge("GONE", None, None);
    w.challenge("NETW", None, None);
    w.client()
        .poll(PollOptions {
            ttl_seconds: 30,
            resync_clock: true,
        })
        .unwrap();
    // Answered elsewhere: the server stops listing it before it expires.
    w.fake
        .0
        .lock()
        .unwrap()
        .challenges
        .retain(|c| c.nonce != "GONE");
    w.client().poll(PollOptions::default()).unwrap();
    assert_eq!(
        w.client().find_request("GONE").unwrap().state,
        RequestState::Cancelled
    );
    // The network fails: the request stays pending and the failure is recorded.
    w.fake.0.lock().unwrap().offline = true;
    assert!(matches!(
        w.client().approve("NETW", None),
        Err(PushError::Transport(_))
    ));
    assert_eq!(
        w.client().find_request("NETW").unwrap().state,
        RequestState::Pending
    );
    w.fake.0.lock().unwrap().offline = false;
    w.advance(31);
    let e = w.client().approve("EXP1", None).unwrap_err();
    assert!(matches!(e, PushError::Expired { .. }), "{e}");
    assert_eq!(
        w.client().find_request("EXP1").unwrap().state,
        RequestState::Expired
    );
    assert!(
        w.fake.0.lock().unwrap().answers.is_empty(),
        "nothing late was sent"
    );
}

#[test]
fn tampered_forged_replayed_and_unknown_payloads_are_refused() {
    let mut w = enrolled();
    w.challenge("TAMP", None, None);
    w.fake.0.lock().unwrap().tamper = true;
    let report = w.client().poll(PollOptions::default()).unwrap();
    assert_eq!(report.new_requests, 0);
    assert!(report.refused[0].contains("signature does not verify"));
    w.fake.0.lock().unwrap().tamper = false;
    let report = w.client().poll(PollOptions::default()).unwrap();
    assert_eq!(report.new_requests, 1);

    // A payload handed over by a push service: genuine, duplicate, replay, forged, unknown.
    let genuine = {
        let s = w.fake.0.lock().unwrap();
        let m =
            format!("TAMP|{URL}|{SERIAL}|Sign in as alice from 10.1.2.3 (Firefox)?|privacyIDEA|0");
        json!({"nonce": "TAMP", "question": "Sign in as alice from 10.1.2.3 (Firefox)?", "title": "privacyIDEA",
               "serial": SERIAL, "sslverify": "0", "url": URL, "signature": s.key.sign_b32(&m).unwrap()})
    };
    let bytes = genuine.to_string().into_bytes();
    assert_eq!(
        w.client().receive(&bytes, 120).unwrap().state,
        RequestState::Pending
    );
    w.client().deny("TAMP", DeclineReason::Cancel).unwrap();
    let e = w.client().receive(&bytes, 120).unwrap_err().to_string();
    assert!(e.contains("replayed"), "{e}");
    let mut forged = genuine.clone();
    forged["signature"] = BASE32.encode(&[0u8; 256]).into();
    let e = w
        .client()
        .receive(forged.to_string().as_bytes(), 120)
        .unwrap_err()
        .to_string();
    assert!(e.contains("signature does not verify"), "{e}");
    let mut unknown = genuine.clone();
    unknown["serial"] = "PIPU9999".into();
    let e = w
        .client()
        .receive(unknown.to_string().as_bytes(), 120)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no enrolled token"), "{e}");
    let e = w
        .client()
        .receive(b"{\"nonce\":", 120)
        .unwrap_err()
        .to_string();
    assert!(e.contains("malformed"), "{e}");
    let refused = w
        .client()
        .history()
        .unwrap()
        .into_iter()
        .filter(|h| matches!(h.event, HistoryEvent::Refused { .. }))
        .count();
    assert_eq!(
        refused, 5,
        "tamper, replay, forged, unknown, malformed are all recorded"
    );
}

#[test]
fn clock_skew_is_measured_and_corrected() {
    let mut w = enrolled();
    w.challenge("SKEW", None, None);
    w.device_clock.set(T0 - 300);
    let e = w
        .client()
        .poll(PollOptions {
            ttl_seconds: 120,
            resync_clock: false,
        })
        .unwrap();
    match &e.errors[..] {
        [(_, PushError::ClockSkew { offset_seconds })] => assert_eq!(*offset_seconds, 300),
        other => panic!("expected a clock-skew error, got {other:?}"),
    }
    let report = w.client().poll(PollOptions::default()).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.clock_offset_seconds, 300);
    assert_eq!(
        report.requests[0].received_at, T0,
        "requests are stamped with corrected time"
    );
    // The correction is saved and applied to the next client's clock (and so to TOTP).
    let c = w.client();
    assert_eq!(c.clock_offset_seconds(), 300);
    assert_eq!(c.clock().now(), T0);
}
