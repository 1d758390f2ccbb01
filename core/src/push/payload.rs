//! A challenge as privacyIDEA sends it, by poll or in FCM/APNs data:
//! `{"nonce","question","title","serial","sslverify","url","signature",
//!   ["require_presence","version"], ["capabilities","capabilities_signature"]}`.
//!
//! [`parse_push_payload`] is pure (no keys, no I/O) and bounds every field: it is the fuzz target.
//! Signature checks happen later, against the enrolled token's server key.

use serde::Deserialize;

use super::enroll_uri::{check_serial, check_server_url};
use super::keys::{MAX_SIGNATURE_B32_LEN, ServerKey};

/// Largest payload accepted, in bytes.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024;
/// Longest question, in characters (privacyIDEA caps it at 512).
pub const MAX_QUESTION_CHARS: usize = 1024;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 256;
/// Most number-matching options (privacyIDEA allows 2–10).
pub const MAX_OPTIONS: usize = 10;
/// Longest number-matching option, in characters.
pub const MAX_OPTION_CHARS: usize = 32;

/// Why a payload was refused. Messages name the field, never a signature value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// Not JSON, not an object, or a field of the wrong type.
    #[error("malformed payload: {0}")]
    Malformed(String),
    /// Bigger than the limit.
    #[error("payload field {field} is too large (limit {limit})")]
    TooLarge {
        /// The offending field, or "payload".
        field: &'static str,
        /// The limit (bytes for the payload, characters or items for fields).
        limit: usize,
    },
    /// A required field is absent.
    #[error("payload lacks the field {0}")]
    Missing(&'static str),
    /// A field has an invalid value.
    #[error("payload field {field} is invalid: {why}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        why: String,
    },
    /// The server signature does not verify with the enrolled server key.
    #[error("signature does not verify for token {serial} (forged or altered request)")]
    BadSignature {
        /// The serial the payload claims.
        serial: String,
    },
    /// No enrolled token has the payload's serial.
    #[error("no enrolled token has the serial {0}")]
    UnknownSerial(String),
    /// The nonce was already answered, refused or expired here.
    #[error("replayed request {nonce} for {serial}: already {state}")]
    Replay {
        /// The serial.
        serial: String,
        /// The nonce (request id).
        nonce: String,
        /// What became of it.
        state: String,
    },
}

/// A verified-shape (not yet signature-checked) challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushPayload {
    /// The challenge nonce (base32, privacyIDEA: 32 characters); the request's identity.
    pub nonce: String,
    /// The question to show (admin-templated context: user, client IP, browser …).
    pub question: String,
    /// The title to show.
    pub title: String,
    /// The token serial.
    pub serial: String,
    /// Whether TLS must be verified when answering.
    pub ssl_verify: bool,
    /// Where the answer goes.
    pub url: String,
    /// The server's base32 signature over [`PushPayload::signed_message`].
    pub signature: String,
    /// Number-matching options (`require_presence`), if any.
    pub options: Option<Vec<String>>,
    /// The raw `require_presence` string, as signed.
    require_presence_raw: Option<String>,
    /// The server's advertised capabilities (raw JSON string), if present.
    pub capabilities: Option<String>,
    /// The detached signature over the capabilities, if present.
    pub capabilities_signature: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    nonce: Option<String>,
    question: Option<String>,
    title: Option<String>,
    serial: Option<String>,
    sslverify: Option<StrOrNum>,
    url: Option<String>,
    signature: Option<String>,
    require_presence: Option<String>,
    capabilities: Option<String>,
    capabilities_signature: Option<String>,
}

/// FCM data maps carry strings; some relays turn `"1"` into `1`.
#[derive(Deserialize)]
#[serde(untagged)]
enum StrOrNum {
    S(String),
    N(i64),
}

fn limit_chars(field: &'static str, s: &str, limit: usize) -> Result<(), PayloadError> {
    if s.chars().count() > limit {
        Err(PayloadError::TooLarge { field, limit })
    } else {
        Ok(())
    }
}

fn invalid(field: &'static str, why: impl Into<String>) -> PayloadError {
    PayloadError::Invalid {
        field,
        why: why.into(),
    }
}

/// Parses and bounds a challenge payload (JSON bytes). Never panics; refuses oversized input
/// before parsing.
pub fn parse_push_payload(bytes: &[u8]) -> Result<PushPayload, PayloadError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(PayloadError::TooLarge {
            field: "payload",
            limit: MAX_PAYLOAD_BYTES,
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| PayloadError::Malformed(e.to_string()))?;
    payload_from_value(value)
}

/// Parses one payload out of already-parsed JSON (a poll result entry).
pub fn payload_from_value(value: serde_json::Value) -> Result<PushPayload, PayloadError> {
    if !value.is_object() {
        return Err(PayloadError::Malformed("not a JSON object".into()));
    }
    let raw: Raw =
        serde_json::from_value(value).map_err(|e| PayloadError::Malformed(e.to_string()))?;

    let nonce = raw.nonce.ok_or(PayloadError::Missing("nonce"))?;
    if nonce.is_empty() || nonce.len() > 128 {
        return Err(invalid("nonce", "must be 1-128 characters"));
    }
    if !nonce
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'=')
    {
        return Err(invalid("nonce", "must be base32/alphanumeric"));
    }
    let serial = raw.serial.ok_or(PayloadError::Missing("serial"))?;
    check_serial(&serial).map_err(|w| invalid("serial", w))?;
    let url = raw.url.ok_or(PayloadError::Missing("url"))?;
    check_server_url(&url).map_err(|w| invalid("url", w))?;
    let question = raw.question.ok_or(PayloadError::Missing("question"))?;
    limit_chars("question", &question, MAX_QUESTION_CHARS)?;
    let title = raw.title.ok_or(PayloadError::Missing("title"))?;
    limit_chars("title", &title, MAX_TITLE_CHARS)?;
    let ssl_verify = match raw.sslverify {
        None => return Err(PayloadError::Missing("sslverify")),
        Some(StrOrNum::S(s)) if s == "1" => true,
        Some(StrOrNum::S(s)) if s == "0" => false,
        Some(StrOrNum::N(1)) => true,
        Some(StrOrNum::N(0)) => false,
        Some(_) => return Err(invalid("sslverify", "must be 0 or 1")),
    };
    let signature = raw.signature.ok_or(PayloadError::Missing("signature"))?;
    if signature.len() > MAX_SIGNATURE_B32_LEN {
        return Err(PayloadError::TooLarge {
            field: "signature",
            limit: MAX_SIGNATURE_B32_LEN,
        });
    }
    if signature.is_empty()
        || !signature
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b) || b == b'=')
    {
        return Err(invalid("signature", "must be padded upper-case base32"));
    }
    let options = match &raw.require_presence {
        None => None,
        Some(rp) => {
            if rp.len() > MAX_OPTIONS * (MAX_OPTION_CHARS + 1) {
                return Err(PayloadError::TooLarge {
                    field: "require_presence",
                    limit: MAX_OPTIONS,
                });
            }
            let opts: Vec<String> = rp.split(',').map(str::to_string).collect();
            if opts.len() > MAX_OPTIONS {
                return Err(PayloadError::TooLarge {
                    field: "require_presence",
                    limit: MAX_OPTIONS,
                });
            }
            if opts.len() < 2 {
                return Err(invalid("require_presence", "needs at least 2 options"));
            }
            for o in &opts {
                if o.is_empty() || o.chars().count() > MAX_OPTION_CHARS {
                    return Err(invalid("require_presence", "empty or overlong option"));
                }
                if o.chars().any(|c| c.is_control() || c == '|') {
                    return Err(invalid("require_presence", "option has control characters"));
                }
            }
            let mut sorted = opts.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() != opts.len() {
                return Err(invalid("require_presence", "options repeat"));
            }
            Some(opts)
        }
    };
    if let Some(c) = &raw.capabilities {
        limit_chars("capabilities", c, 1024)?;
    }
    if let Some(c) = &raw.capabilities_signature
        && c.len() > MAX_SIGNATURE_B32_LEN
    {
        return Err(PayloadError::TooLarge {
            field: "capabilities_signature",
            limit: MAX_SIGNATURE_B32_LEN,
        });
    }
    Ok(PushPayload {
        nonce,
        question,
        title,
        serial,
        ssl_verify,
        url,
        signature,
        options,
        require_presence_raw: raw.require_presence,
        capabilities: raw.capabilities,
        capabilities_signature: raw.capabilities_signature,
    })
}

impl PushPayload {
    /// The string the server signed:
    /// `nonce|url|serial|question|title|sslverify[|require_presence]`.
    pub fn signed_message(&self) -> String {
        let mut m = format!(
            "{}|{}|{}|{}|{}|{}",
            self.nonce,
            self.url,
            self.serial,
            self.question,
            self.title,
            if self.ssl_verify { "1" } else { "0" }
        );
        if let Some(rp) = &self.require_presence_raw {
            m.push('|');
            m.push_str(rp);
        }
        m
    }

    /// Checks the server signature with the token's server key.
    pub fn verify(&self, key: &ServerKey) -> Result<(), PayloadError> {
        if key.verify_b32(&self.signed_message(), &self.signature) {
            Ok(())
        } else {
            Err(PayloadError::BadSignature {
                serial: self.serial.clone(),
            })
        }
    }

    /// Whether the server advertises signed decline reasons for this challenge: the capabilities
    /// JSON says `decline_reason: true` and its detached signature over RFC 8785 JSON
    /// `{"capabilities":…,"nonce":…}` verifies.
    pub fn supports_decline_reason(&self, key: &ServerKey) -> bool {
        let (Some(caps), Some(sig)) = (&self.capabilities, &self.capabilities_signature) else {
            return false;
        };
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(caps)
        else {
            return false;
        };
        if map.get("decline_reason") != Some(&serde_json::Value::Bool(true)) {
            return false;
        }
        // serde_json's map is ordered by key and prints without spaces: RFC 8785 for this shape
        // (string keys, booleans, ASCII strings).
        let canonical = serde_json::json!({"capabilities": map, "nonce": self.nonce}).to_string();
        key.verify_b32(&canonical, sig)
    }

    /// Rebuilds the payload with a new signature (tests that play the server).
    #[cfg(test)]
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "nonce": self.nonce, "question": self.question, "title": self.title,
            "serial": self.serial, "sslverify": if self.ssl_verify { "1" } else { "0" },
            "url": self.url, "signature": self.signature,
        });
        if let Some(rp) = &self.require_presence_raw {
            v["require_presence"] = rp.clone().into();
            v["version"] = "2".into();
        }
        if let Some(c) = &self.capabilities {
            v["capabilities"] = c.clone().into();
        }
        if let Some(c) = &self.capabilities_signature {
            v["capabilities_signature"] = c.clone().into();
        }
        v
    }
}

#[cfg(test)]
pub(crate) mod sim {
    //! A tiny privacyIDEA stand-in for unit tests: builds signed payloads.
    use crate::push::keys::DeviceKey;

    /// A signed payload as `_build_smartphone_data` makes it.
    pub fn signed(
        server: &DeviceKey,
        serial: &str,
        nonce: &str,
        url: &str,
        options: Option<&str>,
    ) -> serde_json::Value {
        let mut v = serde_json::json!({
            "nonce": nonce, "question": "Sign in as alice from 10.0.0.7 (Firefox)?",
            "title": "privacyIDEA", "serial": serial, "sslverify": "0", "url": url,
        });
        let mut msg = format!(
            "{nonce}|{url}|{serial}|Sign in as alice from 10.0.0.7 (Firefox)?|privacyIDEA|0"
        );
        if let Some(o) = options {
            v["require_presence"] = o.into();
            v["version"] = "2".into();
            msg.push('|');
            msg.push_str(o);
        }
        v["signature"] = server.sign_b32(&msg).unwrap().into();
        v["capabilities"] = "{\"decline_reason\": true}".into();
        v["capabilities_signature"] = server
            .sign_b32(&format!(
                "{{\"capabilities\":{{\"decline_reason\":true}},\"nonce\":\"{nonce}\"}}"
            ))
            .unwrap()
            .into();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::keys::test_keys;

    const URL: &str = "http://127.0.0.1:5001/ttype/push";

    #[test]
    fn parses_and_verifies_a_signed_payload() {
        let (signer, key) = test_keys::server();
        let v = sim::signed(
            signer,
            "PIPU1",
            "RVW4KXUS6QSZ4NZHKGN64GMA5P46IMX6",
            URL,
            None,
        );
        let p = parse_push_payload(v.to_string().as_bytes()).unwrap();
        assert_eq!(p.serial, "PIPU1");
        assert!(!p.ssl_verify);
        assert!(p.options.is_none());
        p.verify(key).unwrap();
        assert!(p.supports_decline_reason(key));
        assert_eq!(p.to_json()["signature"], v["signature"]);
    }

    #[test]
    fn presence_options_are_signed_too() {
        let (signer, key) = test_keys::server();
        let v = sim::signed(signer, "PIPU1", "NONCE", URL, Some("61,96,71"));
        let p = parse_push_payload(v.to_string().as_bytes()).unwrap();
        assert_eq!(p.options.as_deref().unwrap(), ["61", "96", "71"]);
        p.verify(key).unwrap();
        let mut t = v.clone();
        t["require_presence"] = "61,96,72".into();
        let p = parse_push_payload(t.to_string().as_bytes()).unwrap();
        assert!(matches!(
            p.verify(key),
            Err(PayloadError::BadSignature { .. })
        ));
    }

    #[test]
    fn tampered_fields_fail_the_signature() {
        let (signer, key) = test_keys::server();
        let v = sim::signed(signer, "PIPU1", "NONCE", URL, None);
        for (field, value) in [
            ("question", "Sign in as mallory?"),
            ("title", "x"),
            ("nonce", "OTHER"),
            ("url", "http://evil.example/ttype/push"),
            ("sslverify", "1"),
        ] {
            let mut t = v.clone();
            t[field] = value.into();
            let p = parse_push_payload(t.to_string().as_bytes()).unwrap();
            assert!(p.verify(key).is_err(), "{field}");
        }
        let mut t = v.clone();
        t["capabilities_signature"] = v["signature"].clone();
        let p = parse_push_payload(t.to_string().as_bytes()).unwrap();
        assert!(!p.supports_decline_reason(key));
    }

    #[test]
    fn refuses_malformed_and_oversized_input() {
        let (signer, _) = test_keys::server();
        let good = sim::signed(signer, "PIPU1", "NONCE", URL, None);
        let cases: Vec<(serde_json::Value, &str)> = vec![
            (serde_json::json!([1, 2]), "not a JSON object"),
            (serde_json::json!({"nonce": 5}), "malformed"),
            (serde_json::json!({}), "lacks the field nonce"),
            (
                {
                    let mut t = good.clone();
                    t["question"] = "q".repeat(MAX_QUESTION_CHARS + 1).into();
                    t
                },
                "question is too large",
            ),
            (
                {
                    let mut t = good.clone();
                    t["title"] = "t".repeat(MAX_TITLE_CHARS + 1).into();
                    t
                },
                "title is too large",
            ),
            (
                {
                    let mut t = good.clone();
                    t["signature"] = "A".repeat(MAX_SIGNATURE_B32_LEN + 1).into();
                    t
                },
                "signature is too large",
            ),
            (
                {
                    let mut t = good.clone();
                    t["signature"] = "abc".into();
                    t
                },
                "base32",
            ),
            (
                {
                    let mut t = good.clone();
                    t["serial"] = "A|B".into();
                    t
                },
                "serial is invalid",
            ),
            (
                {
                    let mut t = good.clone();
                    t["url"] = "javascript:x".into();
                    t
                },
                "url is invalid",
            ),
            (
                {
                    let mut t = good.clone();
                    t["sslverify"] = "yes".into();
                    t
                },
                "sslverify is invalid",
            ),
            (
                {
                    let mut t = good.clone();
                    t["require_presence"] = "1,2,3,4,5,6,7,8,9,10,11".into();
                    t
                },
                "require_presence is too large",
            ),
            (
                {
                    let mut t = good.clone();
                    t["require_presence"] = "1".into();
                    t
                },
                "at least 2",
            ),
            (
                {
                    let mut t = good.clone();
                    t["require_presence"] = "1,1".into();
                    t
                },
                "repeat",
            ),
            (
                {
                    let mut t = good.clone();
                    t["require_presence"] = "1,".into();
                    t
                },
                "empty",
            ),
            (
                {
                    let mut t = good.clone();
                    t["nonce"] = "a b".into();
                    t
                },
                "nonce is invalid",
            ),
        ];
        for (v, want) in cases {
            let e = parse_push_payload(v.to_string().as_bytes())
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{v}: {e}");
        }
        let big = vec![b' '; MAX_PAYLOAD_BYTES + 1];
        assert!(matches!(
            parse_push_payload(&big),
            Err(PayloadError::TooLarge {
                field: "payload",
                ..
            })
        ));
        for junk in [
            &b""[..],
            b"\xff\xfe",
            b"{",
            b"null",
            b"\"x\"",
            b"{\"nonce\":{}}",
        ] {
            assert!(parse_push_payload(junk).is_err());
        }
    }
}
