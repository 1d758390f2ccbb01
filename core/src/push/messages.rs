//! privacyIDEA's PUSH wire messages: request builders and reply parsers, with no I/O.
//!
//! | step | request | signed string |
//! |---|---|---|
//! | rollout | `POST url enrollment_credential, serial, fbtoken, pubkey` | — |
//! | poll | `GET url?serial&timestamp&signature` | `serial|timestamp` |
//! | accept | `POST url serial, nonce, signature [, presence_answer]` | `nonce|serial[|answer]` |
//! | decline | `POST url serial, nonce, decline=1 [, decline_reason], signature` | `nonce|serial|decline[|reason]` |
//! | push-service token update | `POST url new_fb_token, serial, timestamp, signature` | `new_fb_token|serial|timestamp` |

use serde_json::Value;

use super::drift;
use super::enroll_uri::EnrollmentUri;
use super::error::PushError;
use super::keys::{DeviceKey, ServerKey};
use super::payload::{PayloadError, PushPayload, payload_from_value};
use super::request::DeclineReason;

/// Largest reply body read, in bytes.
pub const MAX_REPLY_BYTES: usize = 1024 * 1024;
/// Most challenges accepted from one poll.
pub const MAX_POLL_ENTRIES: usize = 100;
/// privacyIDEA's token for "no Firebase": the phone polls.
pub const NO_FIREBASE_TOKEN: &str = "no_firebase_token";
/// Longest push-service (FCM/APNs) token accepted, in bytes (an FCM token is about 160).
pub const MAX_PUSH_SERVICE_TOKEN_LEN: usize = 1024;

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Parameters go in the query string.
    Get,
    /// Parameters go in a form-encoded body.
    Post,
}

/// A request for a [`super::Transport`] to carry. `Debug` hides parameter values (they hold
/// one-time credentials and signatures).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL without query.
    pub url: String,
    /// Query (GET) or form (POST) parameters, in order.
    pub params: Vec<(String, String)>,
    /// Whether to verify the server's TLS certificate.
    pub verify_tls: bool,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.params.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("params", &names)
            .field("verify_tls", &self.verify_tls)
            .finish()
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Body (at most [`MAX_REPLY_BYTES`]).
    pub body: Vec<u8>,
    /// The `Date` header, if any.
    pub date: Option<String>,
}

fn p(k: &str, v: impl Into<String>) -> (String, String) {
    (k.to_string(), v.into())
}

/// Checks a push-service (FCM/APNs) token before it goes on the wire: 1 to
/// [`MAX_PUSH_SERVICE_TOKEN_LEN`] printable ASCII characters without spaces. The error never
/// repeats the token (it identifies the device).
pub fn check_push_service_token(token: &str) -> Result<(), PushError> {
    if token.is_empty() {
        return Err(PushError::InvalidPushServiceToken("it is empty".into()));
    }
    if token.len() > MAX_PUSH_SERVICE_TOKEN_LEN {
        return Err(PushError::InvalidPushServiceToken(format!(
            "it is longer than {MAX_PUSH_SERVICE_TOKEN_LEN} bytes"
        )));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(PushError::InvalidPushServiceToken(
            "it holds spaces, control or non-ASCII characters".into(),
        ));
    }
    Ok(())
}

/// The `fbtoken` a rollout sends: the push-service token, or [`NO_FIREBASE_TOKEN`] when there is
/// none or the server said it only supports polling (`poll_only`).
pub fn rollout_fbtoken<'t>(uri: &EnrollmentUri, push_service_token: Option<&'t str>) -> &'t str {
    match push_service_token {
        Some(t) if !uri.poll_only => t,
        _ => NO_FIREBASE_TOKEN,
    }
}

/// Step 2 of the rollout: send the device's public key with the one-time credential and the
/// push-service token ([`rollout_fbtoken`]).
pub fn enroll_request(
    uri: &EnrollmentUri,
    device: &DeviceKey,
    push_service_token: Option<&str>,
) -> Result<HttpRequest, PushError> {
    if let Some(t) = push_service_token {
        check_push_service_token(t)?;
    }
    Ok(HttpRequest {
        method: Method::Post,
        url: uri.url.clone(),
        params: vec![
            p("enrollment_credential", uri.enrollment_credential.clone()),
            p("serial", uri.serial.clone()),
            p("fbtoken", rollout_fbtoken(uri, push_service_token)),
            p("pubkey", device.public_spki_base64()),
        ],
        verify_tls: uri.ssl_verify,
    })
}

/// A signed update of the push-service token the server holds for `serial` (privacyIDEA checks
/// the timestamp against a ±5 minute window; same ISO 8601 form as the poll).
pub fn token_update_request(
    url: &str,
    ssl_verify: bool,
    serial: &str,
    new_token: &str,
    device: &DeviceKey,
    unix_seconds: u64,
) -> Result<HttpRequest, PushError> {
    check_push_service_token(new_token)?;
    let timestamp = drift::iso_timestamp(unix_seconds);
    let signature = device.sign_b32(&format!("{new_token}|{serial}|{timestamp}"))?;
    Ok(HttpRequest {
        method: Method::Post,
        url: url.to_string(),
        params: vec![
            p("new_fb_token", new_token),
            p("serial", serial),
            p("timestamp", timestamp),
            p("signature", signature),
        ],
        verify_tls: ssl_verify,
    })
}

/// Reads the reply to a push-service token update: `result.value` must be true.
pub fn parse_token_update_reply(reply: Reply) -> Result<(), PushError> {
    let reply = reply.ok()?;
    if reply.value.as_bool() == Some(true) {
        Ok(())
    } else {
        Err(PushError::BadResponse(
            "the server did not confirm the push-service token update".into(),
        ))
    }
}

/// A signed poll for the open challenges of one token at `unix_seconds`.
pub fn poll_request(
    url: &str,
    ssl_verify: bool,
    serial: &str,
    device: &DeviceKey,
    unix_seconds: u64,
) -> Result<HttpRequest, PushError> {
    let timestamp = drift::iso_timestamp(unix_seconds);
    let signature = device.sign_b32(&format!("{serial}|{timestamp}"))?;
    Ok(HttpRequest {
        method: Method::Get,
        url: url.to_string(),
        params: vec![
            p("serial", serial),
            p("timestamp", timestamp),
            p("signature", signature),
        ],
        verify_tls: ssl_verify,
    })
}

/// The phone's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Accept, with the number-matching option if the challenge has options.
    Accept(Option<String>),
    /// Decline; the reason is sent only when the server signed that it understands reasons.
    Decline(Option<DeclineReason>),
}

/// A signed answer to the challenge `nonce` of `serial`, sent to `url`.
pub fn answer_request(
    url: &str,
    ssl_verify: bool,
    serial: &str,
    nonce: &str,
    device: &DeviceKey,
    answer: &Answer,
) -> Result<HttpRequest, PushError> {
    let mut params = vec![p("serial", serial), p("nonce", nonce)];
    let signed = match answer {
        Answer::Accept(None) => format!("{nonce}|{serial}"),
        Answer::Accept(Some(option)) => {
            params.push(p("presence_answer", option.clone()));
            format!("{nonce}|{serial}|{option}")
        }
        Answer::Decline(None) => {
            params.push(p("decline", "1"));
            format!("{nonce}|{serial}|decline")
        }
        Answer::Decline(Some(reason)) => {
            let r = reason.privacyidea_reason();
            params.push(p("decline", "1"));
            params.push(p("decline_reason", r));
            format!("{nonce}|{serial}|decline|{r}")
        }
    };
    params.push(p("signature", device.sign_b32(&signed)?));
    Ok(HttpRequest {
        method: Method::Post,
        url: url.to_string(),
        params,
        verify_tls: ssl_verify,
    })
}

/// A privacyIDEA JSON reply, read but not yet judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The server's clock (`time`, else `Date`), for drift.
    pub server_time: Option<f64>,
    /// `result.status`.
    pub status: bool,
    /// `result.value`.
    pub value: Value,
    /// `detail`.
    pub detail: Value,
    /// `result.error` as (code, message) when status is false.
    pub error: Option<(i64, String)>,
}

impl Reply {
    /// The reply, or the server's error.
    pub fn ok(self) -> Result<Reply, PushError> {
        match (&self.error, self.status) {
            (Some((code, message)), _) => Err(PushError::Server {
                code: *code,
                message: message.clone(),
            }),
            (None, false) => Err(PushError::Server {
                code: 0,
                message: "request failed".into(),
            }),
            (None, true) => Ok(self),
        }
    }

    /// Whether this is privacyIDEA's "timestamp not in valid range" poll refusal.
    pub fn is_timestamp_refusal(&self) -> bool {
        matches!(&self.error, Some((10, m)) if m.contains("Timestamp") && m.contains("range"))
    }
}

/// Reads the JSON envelope of any privacyIDEA reply.
pub fn parse_reply(resp: &HttpResponse) -> Result<Reply, PushError> {
    if resp.body.len() > MAX_REPLY_BYTES {
        return Err(PushError::BadResponse("reply is too large".into()));
    }
    let v: Value = serde_json::from_slice(&resp.body).map_err(|_| {
        PushError::BadResponse(format!("HTTP {} with a body that is not JSON", resp.status))
    })?;
    let json_time = v.get("time").and_then(Value::as_f64);
    let server_time = drift::server_time(json_time, resp.date.as_deref());
    let result = v
        .get("result")
        .ok_or_else(|| PushError::BadResponse(format!("HTTP {}: no result", resp.status)))?;
    let status = result
        .get("status")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let error = result.get("error").map(|e| {
        let code = e.get("code").and_then(Value::as_i64).unwrap_or(0);
        let message: String = e
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("unspecified error")
            .chars()
            .take(300)
            .collect();
        (code, message)
    });
    Ok(Reply {
        server_time,
        status,
        value: result.get("value").cloned().unwrap_or(Value::Null),
        detail: v.get("detail").cloned().unwrap_or(Value::Null),
        error,
    })
}

/// The rollout reply: the server's public key for this token.
pub fn parse_enroll_reply(reply: Reply) -> Result<ServerKey, PushError> {
    let reply = reply.ok()?;
    let detail = &reply.detail;
    if let Some(state) = detail.get("rollout_state").and_then(Value::as_str)
        && state != "enrolled"
    {
        return Err(PushError::BadResponse(format!(
            "rollout state is {state:?}, not enrolled"
        )));
    }
    let key = detail
        .get("public_key")
        .and_then(Value::as_str)
        .ok_or_else(|| PushError::BadResponse("rollout reply has no public_key".into()))?;
    ServerKey::from_base64(key)
}

/// The poll reply: one parse result per challenge (bad entries do not hide good ones).
pub fn parse_poll_reply(reply: Reply) -> Result<Vec<Result<PushPayload, PayloadError>>, PushError> {
    let reply = reply.ok()?;
    let Value::Array(items) = reply.value else {
        return Err(PushError::BadResponse("poll value is not a list".into()));
    };
    if items.len() > MAX_POLL_ENTRIES {
        return Err(PushError::BadResponse(format!(
            "poll returned more than {MAX_POLL_ENTRIES} challenges"
        )));
    }
    Ok(items.into_iter().map(payload_from_value).collect())
}

/// What the server said to an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerReply {
    /// `result.value`: the answer matched an open challenge.
    pub accepted: bool,
    /// `detail.display_code` (code-to-phone), if any.
    pub display_code: Option<String>,
}

/// Reads the reply to an accept or decline.
pub fn parse_answer_reply(reply: Reply) -> Result<AnswerReply, PushError> {
    let reply = reply.ok()?;
    let accepted = reply.value.as_bool().unwrap_or(false);
    let display_code = reply
        .detail
        .get("display_code")
        .and_then(|c| match c {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|c| {
            !c.is_empty() && c.len() <= 16 && c.chars().all(|ch| ch.is_ascii_alphanumeric())
        });
    Ok(AnswerReply {
        accepted,
        display_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::keys::test_keys;

    fn resp(body: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            body: body.as_bytes().to_vec(),
            date: None,
        }
    }

    #[test]
    fn answers_are_signed_as_privacyidea_checks_them() {
        let dev = test_keys::device();
        let pubkey = device_public();
        let cases = [
            (Answer::Accept(None), "N|S"),
            (Answer::Accept(Some("61".into())), "N|S|61"),
            (Answer::Decline(None), "N|S|decline"),
            (
                Answer::Decline(Some(DeclineReason::NotMe)),
                "N|S|decline|unknown_trigger",
            ),
            (
                Answer::Decline(Some(DeclineReason::Cancel)),
                "N|S|decline|cancelled",
            ),
        ];
        for (answer, signed) in cases {
            let r = answer_request("http://h/ttype/push", false, "S", "N", dev, &answer).unwrap();
            assert_eq!(r.method, Method::Post);
            assert!(
                pubkey.verify_b32(signed, &param(&r, "signature").unwrap()),
                "{signed}"
            );
            assert!(!format!("{r:?}").contains(&param(&r, "signature").unwrap()));
        }
        let r = poll_request("http://h/ttype/push", true, "S", dev, 784_111_777).unwrap();
        assert_eq!(
            param(&r, "timestamp").unwrap(),
            "1994-11-06T08:49:37.000000Z"
        );
        assert!(pubkey.verify_b32(
            "S|1994-11-06T08:49:37.000000Z",
            &param(&r, "signature").unwrap()
        ));
        assert!(r.verify_tls);
    }

    fn param(r: &HttpRequest, k: &str) -> Option<String> {
        r.params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    }

    fn device_public() -> ServerKey {
        use rsa::pkcs1::EncodeRsaPublicKey;
        let private = <rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_der(
            test_keys::device().pkcs8_der(),
        )
        .unwrap();
        ServerKey::from_pkcs1_der(
            rsa::RsaPublicKey::from(&private)
                .to_pkcs1_der()
                .unwrap()
                .as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn token_updates_are_signed_over_token_serial_and_timestamp() {
        let dev = test_keys::device();
        let pubkey = device_public();
        let fcm = "fcm:APA91b-Example_token.1";
        let r =
            token_update_request("http://h/ttype/push", false, "S", fcm, dev, 784_111_777).unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "http://h/ttype/push");
        assert!(!r.verify_tls);
        let names: Vec<&str> = r.params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["new_fb_token", "serial", "timestamp", "signature"]);
        assert_eq!(param(&r, "new_fb_token").unwrap(), fcm);
        // The same timestamp form as the poll, which privacyIDEA's isoparse reads as UTC.
        assert_eq!(
            param(&r, "timestamp").unwrap(),
            "1994-11-06T08:49:37.000000Z"
        );
        let sig = param(&r, "signature").unwrap();
        assert!(pubkey.verify_b32(&format!("{fcm}|S|1994-11-06T08:49:37.000000Z"), &sig));
        // Any other message (other serial, time or token) does not verify.
        assert!(!pubkey.verify_b32(&format!("{fcm}|S|1994-11-06T08:49:38.000000Z"), &sig));
        assert!(!pubkey.verify_b32(&format!("S|{fcm}|1994-11-06T08:49:37.000000Z"), &sig));
        let debug = format!("{r:?}");
        assert!(!debug.contains(fcm) && !debug.contains(&sig), "{debug}");
        for bad in ["", "has space", "tab\there", "ünicode", &"x".repeat(1025)] {
            let e = token_update_request("http://h", true, "S", bad, dev, 1).unwrap_err();
            assert!(matches!(e, PushError::InvalidPushServiceToken(_)), "{e}");
            if !bad.is_empty() {
                assert!(!e.to_string().contains(bad), "{e}");
            }
        }
    }

    #[test]
    fn rollout_sends_the_push_service_token_unless_poll_only() {
        let dev = test_keys::device();
        let mut uri = EnrollmentUri::parse(
            "otpauth://pipush/PIPU1?url=http%3A//127.0.0.1%3A5001/ttype/push&enrollment_credential=aa&v=1&serial=PIPU1&sslverify=0&poll_only=False",
        )
        .unwrap();
        let fb = |r: HttpRequest| param(&r, "fbtoken").unwrap();
        assert_eq!(fb(enroll_request(&uri, dev, Some("tok")).unwrap()), "tok");
        assert_eq!(
            fb(enroll_request(&uri, dev, None).unwrap()),
            NO_FIREBASE_TOKEN
        );
        assert!(enroll_request(&uri, dev, Some("a b")).is_err());
        uri.poll_only = true;
        assert_eq!(
            fb(enroll_request(&uri, dev, Some("tok")).unwrap()),
            NO_FIREBASE_TOKEN
        );
    }

    #[test]
    fn token_update_replies_are_judged() {
        let ok = parse_reply(&resp(r#"{"result":{"status":true,"value":true}}"#)).unwrap();
        assert!(parse_token_update_reply(ok).is_ok());
        let no = parse_reply(&resp(r#"{"result":{"status":true,"value":false}}"#)).unwrap();
        assert!(matches!(
            parse_token_update_reply(no),
            Err(PushError::BadResponse(_))
        ));
        // What privacyIDEA 3.14 answers to a bad signature or unknown serial, and to a stale time.
        for body in [
            r#"{"result":{"status":false,"error":{"code":10,"message":"Could not verify signature!"}}}"#,
            r#"{"result":{"status":false,"error":{"code":10,"message":"Timestamp 2020-01-01T00:00:00.000000Z not in valid range."}}}"#,
        ] {
            let r = parse_reply(&resp(body)).unwrap();
            assert!(matches!(
                parse_token_update_reply(r),
                Err(PushError::Server { code: 10, .. })
            ));
        }
    }

    #[test]
    fn replies_are_read() {
        let r = parse_reply(&resp(r#"{"result":{"status":false,"error":{"code":10,"message":"Timestamp 2026 not in valid range."}},"time":1700000000.5}"#)).unwrap();
        assert!(r.is_timestamp_refusal());
        assert_eq!(r.server_time, Some(1_700_000_000.5));
        assert!(matches!(r.ok(), Err(PushError::Server { code: 10, .. })));
        let r = parse_reply(&resp(
            r#"{"result":{"status":true,"value":true},"detail":{"display_code":"42"}}"#,
        ))
        .unwrap();
        assert_eq!(
            parse_answer_reply(r).unwrap(),
            AnswerReply {
                accepted: true,
                display_code: Some("42".into())
            }
        );
        let r = parse_reply(&resp(r#"{"result":{"status":true,"value":{"a":1}}}"#)).unwrap();
        assert!(parse_poll_reply(r).is_err());
        let r = parse_reply(&resp(
            r#"{"result":{"status":true,"value":[{"nonce":1}, 5]}}"#,
        ))
        .unwrap();
        let entries = parse_poll_reply(r).unwrap();
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(Result::is_err));
        assert!(parse_reply(&resp("<html>")).is_err());
        assert!(parse_reply(&resp("{}")).is_err());
        let r = parse_reply(&resp(
            r#"{"result":{"status":true,"value":true},"detail":{"rollout_state":"clientwait"}}"#,
        ))
        .unwrap();
        assert!(parse_enroll_reply(r).is_err());
    }
}
