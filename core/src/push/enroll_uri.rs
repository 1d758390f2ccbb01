//! The enrollment link in privacyIDEA's QR code:
//! `otpauth://pipush/<label>?url=…&ttl=10&issuer=…&enrollment_credential=…&v=1&serial=…&sslverify=0&poll_only=True`
//! (`pia://pipush/…` when the server is told to use that scheme).

use super::error::PushError;

/// Longest link accepted, in bytes (a real one is about 300).
pub const MAX_URI_LEN: usize = 4096;

/// A parsed `otpauth://pipush/` link. `Debug` hides the enrollment credential.
#[derive(Clone, PartialEq, Eq)]
pub struct EnrollmentUri {
    /// Token serial (`PIPU…`).
    pub serial: String,
    /// Where step 2 of the rollout, polls and answers go (`https://server/ttype/push`).
    pub url: String,
    /// The one-time secret proving the holder scanned the QR code.
    pub enrollment_credential: String,
    /// Whether TLS certificates must be verified for `url` (`sslverify`, default true).
    pub ssl_verify: bool,
    /// The label shown to the user (URL-decoded path).
    pub label: String,
    /// The issuer (`issuer`, default "privacyIDEA").
    pub issuer: String,
    /// Minutes the server gives the phone to finish the rollout (`ttl`, default 10).
    pub ttl_minutes: u64,
    /// Whether the server only supports polling (no Firebase).
    pub poll_only: bool,
    /// Protocol version (`v`), must be 1.
    pub version: u32,
}

impl std::fmt::Debug for EnrollmentUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollmentUri")
            .field("serial", &self.serial)
            .field("url", &self.url)
            .field("ssl_verify", &self.ssl_verify)
            .field("label", &self.label)
            .field("issuer", &self.issuer)
            .field("poll_only", &self.poll_only)
            .finish_non_exhaustive()
    }
}

fn bad(msg: impl Into<String>) -> PushError {
    PushError::InvalidEnrollmentUri(msg.into())
}

/// Checks a server URL from a link or payload: http(s), a host, printable, bounded.
pub(crate) fn check_server_url(url: &str) -> Result<(), String> {
    if url.len() > 2048 {
        return Err("url is longer than 2048 bytes".into());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("url must start with https:// or http://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("url has no host".into());
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("url contains spaces or control characters".into());
    }
    Ok(())
}

/// Checks a serial: 1–64 printable ASCII characters without `|` (it is part of signed strings).
pub(crate) fn check_serial(serial: &str) -> Result<(), String> {
    if serial.is_empty() || serial.len() > 64 {
        return Err("serial must be 1-64 characters".into());
    }
    if !serial.bytes().all(|b| b.is_ascii_graphic() && b != b'|') {
        return Err("serial contains characters outside printable ASCII".into());
    }
    Ok(())
}

impl EnrollmentUri {
    /// Parses an `otpauth://pipush/…` (or `pia://pipush/…`) link.
    pub fn parse(uri: &str) -> Result<Self, PushError> {
        if uri.len() > MAX_URI_LEN {
            return Err(bad(format!("longer than {MAX_URI_LEN} bytes")));
        }
        let rest = strip_prefix_ci(uri, "otpauth://pipush/")
            .or_else(|| strip_prefix_ci(uri, "pia://pipush/"))
            .ok_or_else(|| bad("not an otpauth://pipush/ link"))?;
        let (label_raw, query) = rest.split_once('?').unwrap_or((rest, ""));
        let label: String = form_urlencoded::parse(format!("l={label_raw}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let mut serial = None;
        let mut url = None;
        let mut credential = None;
        let mut ssl_verify = true;
        let mut issuer = "privacyIDEA".to_string();
        let mut ttl_minutes = 10;
        let mut poll_only = false;
        let mut version = 1;
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "serial" => serial = Some(v.into_owned()),
                "url" => url = Some(v.into_owned()),
                "enrollment_credential" => credential = Some(v.into_owned()),
                "sslverify" => {
                    ssl_verify = match v.as_ref() {
                        "0" => false,
                        "1" => true,
                        _ => return Err(bad("sslverify must be 0 or 1")),
                    }
                }
                "issuer" => issuer = v.into_owned(),
                "ttl" => ttl_minutes = v.parse().map_err(|_| bad("ttl is not a number"))?,
                "poll_only" => poll_only = v.eq_ignore_ascii_case("true") || v.as_ref() == "1",
                "v" => version = v.parse().map_err(|_| bad("v is not a number"))?,
                _ => {}
            }
        }
        if version != 1 {
            return Err(bad(format!("protocol version {version} is not supported")));
        }
        let serial = serial.ok_or_else(|| bad("missing serial"))?;
        check_serial(&serial).map_err(bad)?;
        let url = url.ok_or_else(|| bad("missing url"))?;
        check_server_url(&url).map_err(bad)?;
        let enrollment_credential =
            credential.ok_or_else(|| bad("missing enrollment_credential"))?;
        if enrollment_credential.is_empty()
            || enrollment_credential.len() > 256
            || !enrollment_credential
                .bytes()
                .all(|b| b.is_ascii_alphanumeric())
        {
            return Err(bad("enrollment_credential is malformed"));
        }
        if issuer.len() > 256 || label.len() > 256 {
            return Err(bad("issuer or label is longer than 256 bytes"));
        }
        Ok(EnrollmentUri {
            label: if label.is_empty() {
                serial.clone()
            } else {
                label
            },
            serial,
            url,
            enrollment_credential,
            ssl_verify,
            issuer,
            ttl_minutes,
            poll_only,
            version,
        })
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = "otpauth://pipush/PIPU00009402?url=http%3A//127.0.0.1%3A5001/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=aa70d326ea8e924ee117de85c93c7d751f8f3467&v=1&serial=PIPU00009402&sslverify=0&poll_only=True";

    #[test]
    fn parses_a_real_link() {
        let u = EnrollmentUri::parse(REAL).unwrap();
        assert_eq!(u.serial, "PIPU00009402");
        assert_eq!(u.url, "http://127.0.0.1:5001/ttype/push");
        assert!(!u.ssl_verify);
        assert!(u.poll_only);
        assert_eq!(u.ttl_minutes, 10);
        assert_eq!(u.label, "PIPU00009402");
        assert_eq!(
            u.enrollment_credential,
            "aa70d326ea8e924ee117de85c93c7d751f8f3467"
        );
        assert!(!format!("{u:?}").contains("aa70d326"), "credential hidden");
    }

    #[test]
    fn refuses_broken_links() {
        for (uri, why) in [
            ("otpauth://totp/x?secret=AAAA", "not an otpauth://pipush/"),
            (
                "otpauth://pipush/X?url=http%3A//h/p&enrollment_credential=ab",
                "missing serial",
            ),
            (
                "otpauth://pipush/X?serial=S&enrollment_credential=ab",
                "missing url",
            ),
            (
                "otpauth://pipush/X?serial=S&url=ftp%3A//h/&enrollment_credential=ab",
                "https://",
            ),
            (
                "otpauth://pipush/X?serial=S&url=http%3A//h/",
                "enrollment_credential",
            ),
            (
                "otpauth://pipush/X?serial=S%7CT&url=http%3A//h/&enrollment_credential=ab",
                "serial",
            ),
            (
                "otpauth://pipush/X?serial=S&url=http%3A//h/&enrollment_credential=ab&v=2",
                "version 2",
            ),
            (
                "otpauth://pipush/X?serial=S&url=http%3A//h/&enrollment_credential=ab&sslverify=x",
                "sslverify",
            ),
        ] {
            let e = EnrollmentUri::parse(uri).unwrap_err().to_string();
            assert!(e.contains(why), "{uri}: {e}");
        }
        let long = format!("{REAL}&x={}", "a".repeat(MAX_URI_LEN));
        assert!(EnrollmentUri::parse(&long).is_err());
    }
}
