//! Carrying [`HttpRequest`]s. The protocol never touches the network itself; an app may plug in
//! its platform client (OkHttp, URLSession) through [`Transport`]. The default blocking client,
//! [`HttpsTransport`] (ureq + rustls on ring), is behind the `http` feature.

use super::error::PushError;
use super::messages::{HttpRequest, HttpResponse};

/// Sends one request and returns the reply, whatever its HTTP status. Implementations must
/// honour [`HttpRequest::verify_tls`], follow no redirects, and cap the body at
/// [`super::messages::MAX_REPLY_BYTES`].
pub trait Transport {
    /// Sends `request`. Errors are network or TLS failures, described without parameter values.
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, PushError>;
}

#[cfg(feature = "http")]
pub use https::HttpsTransport;

#[cfg(feature = "http")]
mod https {
    use std::time::Duration;

    use super::*;
    use crate::push::messages::{MAX_REPLY_BYTES, Method};

    /// Blocking HTTPS (and plain HTTP) over ureq with rustls on ring. Two agents: one verifies
    /// certificates against the web PKI roots, one does not (for enrollments with `sslverify=0`).
    pub struct HttpsTransport {
        verifying: ureq::Agent,
        lax: ureq::Agent,
    }

    impl std::fmt::Debug for HttpsTransport {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("HttpsTransport").finish_non_exhaustive()
        }
    }

    impl Default for HttpsTransport {
        fn default() -> Self {
            Self::new(Duration::from_secs(30))
        }
    }

    fn agent(verify: bool, timeout: Duration) -> ureq::Agent {
        let tls = ureq::tls::TlsConfig::builder()
            .disable_verification(!verify)
            .build();
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .tls_config(tls)
            .user_agent("tessera-push/0.1")
            .build()
            .into()
    }

    impl HttpsTransport {
        /// A client whose every request gives up after `timeout`.
        pub fn new(timeout: Duration) -> Self {
            HttpsTransport {
                verifying: agent(true, timeout),
                lax: agent(false, timeout),
            }
        }
    }

    impl Transport for HttpsTransport {
        fn send(&self, request: &HttpRequest) -> Result<HttpResponse, PushError> {
            let agent = if request.verify_tls {
                &self.verifying
            } else {
                &self.lax
            };
            let pairs = request.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            let result = match request.method {
                Method::Get => agent.get(&request.url).query_pairs(pairs).call(),
                Method::Post => agent.post(&request.url).send_form(pairs),
            };
            let mut resp = result.map_err(|e| PushError::Transport(describe(&e)))?;
            let status = resp.status().as_u16();
            let date = resp
                .headers()
                .get("date")
                .and_then(|d| d.to_str().ok())
                .map(str::to_string);
            let body = resp
                .body_mut()
                .with_config()
                .limit(MAX_REPLY_BYTES as u64)
                .read_to_vec()
                .map_err(|e| PushError::Transport(describe(&e)))?;
            Ok(HttpResponse { status, body, date })
        }
    }

    /// An error description without URLs' query strings (which carry signatures).
    fn describe(e: &ureq::Error) -> String {
        let s = e.to_string();
        match s.find('?') {
            Some(i) => format!("{}…", &s[..i]),
            None => s,
        }
    }
}
