//! The Connect REST client: one `ureq` agent, basic auth, TLS roots, a timeout on every
//! call, HTTP 409 (rebalance) retried with backoff until a deadline, and HTTP statuses
//! sorted into [`MirrorError`]. Credentials live in one sensitive header value and are
//! scrubbed from anything the server sends back.

use std::fmt;
use std::thread::sleep;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde::de::DeserializeOwned;
use ureq::http::{self, header, HeaderValue, Method};
use ureq::tls::{PemItem, RootCerts, TlsConfig};

use super::ConnectOptions;
use crate::kafka::{SecretString, REDACTED};
use crate::mirror::MirrorError;

/// A successful (2xx) answer.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

pub(crate) struct RestClient {
    agent: ureq::Agent,
    /// The URL as given, without a trailing slash.
    base: String,
    /// `scheme://host[:port][/path]` for messages.
    endpoint: String,
    auth: Option<Auth>,
    opts: ConnectOptions,
}

/// The `Authorization` header and the strings that must never appear in a message.
struct Auth {
    header: SecretString,
    scrub: Vec<SecretString>,
}

impl fmt::Debug for RestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestClient")
            .field("endpoint", &self.endpoint)
            .field("auth", &self.auth.as_ref().map(|_| REDACTED))
            .field("opts", &self.opts)
            .finish()
    }
}

impl RestClient {
    pub fn new(
        url: &str,
        auth: Option<(&str, SecretString)>,
        ca_file: Option<&str>,
        insecure_skip_tls_verify: bool,
        opts: ConnectOptions,
    ) -> Result<RestClient, MirrorError> {
        let base = url.trim_end_matches('/').to_string();
        let endpoint = endpoint_of(&base)?;
        let mut tls = TlsConfig::builder().disable_verification(insecure_skip_tls_verify);
        if let Some(path) = ca_file {
            tls = tls.root_certs(read_roots(path)?);
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(opts.request_timeout))
            .tls_config(tls.build())
            .user_agent(format!("kafka-failover/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        let auth = auth.map(|(user, password)| {
            let pair = format!("{user}:{}", password.expose());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair.as_bytes());
            Auth {
                header: SecretString::new(format!("Basic {encoded}")),
                scrub: vec![
                    SecretString::new(encoded),
                    SecretString::new(password.expose()),
                ],
            }
        });
        Ok(RestClient {
            agent,
            base,
            endpoint,
            auth,
            opts,
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn options(&self) -> &ConnectOptions {
        &self.opts
    }

    /// `method path` with an optional JSON body. 2xx is returned; everything else becomes
    /// an error. 409 that is not "already exists" is retried until `retry_for` passes.
    pub fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Reply, MirrorError> {
        let what = format!("{method} {path}");
        let started = Instant::now();
        let deadline = started + self.opts.retry_for;
        let mut backoff = self.opts.retry_backoff;
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let (status, bytes) = self.once(&what, &method, path, body)?;
            if (200..300).contains(&status) {
                return Ok(Reply {
                    status,
                    body: bytes,
                });
            }
            let message = self.scrub(&error_message(&bytes));
            let now = Instant::now();
            match status {
                409 if is_rebalance(&message) => {
                    if now + backoff >= deadline {
                        return Err(MirrorError::RebalanceInProgress {
                            what,
                            attempts,
                            waited: now - started,
                            message,
                        });
                    }
                    log::debug!("{what}: HTTP 409 ({message}); retrying in {backoff:?}");
                    sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                }
                409 => return Err(MirrorError::Conflict { what, message }),
                404 => return Err(MirrorError::NotFound { what, message }),
                401 | 403 => {
                    return Err(MirrorError::Unauthorized {
                        what,
                        endpoint: self.endpoint.clone(),
                        status,
                        message,
                    })
                }
                400 => {
                    return Err(MirrorError::BadRequest {
                        what,
                        status,
                        message,
                    })
                }
                _ => {
                    return Err(MirrorError::Server {
                        what,
                        status,
                        message,
                    })
                }
            }
        }
    }

    /// [`call`](Self::call), then the body as JSON of type `T`.
    pub fn call_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, MirrorError> {
        let what = format!("{method} {path}");
        let reply = self.call(method, path, body)?;
        serde_json::from_slice(&reply.body).map_err(|e| MirrorError::InvalidResponse {
            what,
            message: format!(
                "HTTP {} with a body that is not the expected JSON ({e})",
                reply.status
            ),
        })
    }

    /// One HTTP exchange, bounded by `request_timeout`.
    fn once(
        &self,
        what: &str,
        method: &Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<(u16, Vec<u8>), MirrorError> {
        let url = format!("{}{path}", self.base);
        let mut builder = http::Request::builder()
            .method(method.clone())
            .uri(url)
            .header(header::ACCEPT, "application/json");
        if let Some(auth) = &self.auth {
            let mut value = HeaderValue::from_str(auth.header.expose()).map_err(|_| {
                MirrorError::InvalidSpec(
                    "the Connect username or password contains characters an HTTP header cannot carry"
                        .into(),
                )
            })?;
            value.set_sensitive(true);
            builder = builder.header(header::AUTHORIZATION, value);
        }
        let invalid = |e: http::Error| MirrorError::InvalidSpec(format!("{what}: {e}"));
        let sent = match (method.as_str(), body) {
            ("GET" | "DELETE", None) => self.agent.run(builder.body(()).map_err(invalid)?),
            (_, body) => {
                let bytes = match body {
                    Some(v) => serde_json::to_vec(v).expect("JSON values serialise"),
                    None => Vec::new(),
                };
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                self.agent.run(builder.body(bytes).map_err(invalid)?)
            }
        };
        let mut response = sent.map_err(|e| self.transport_error(what, e))?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(32 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| self.transport_error(what, e))?;
        Ok((status, bytes))
    }

    fn transport_error(&self, what: &str, e: ureq::Error) -> MirrorError {
        match e {
            ureq::Error::Timeout(_) => MirrorError::Timeout {
                what: what.to_string(),
                after: self.opts.request_timeout,
            },
            other => MirrorError::Transport {
                what: what.to_string(),
                endpoint: self.endpoint.clone(),
                message: self.scrub(&other.to_string()),
            },
        }
    }

    fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        if let Some(auth) = &self.auth {
            for s in &auth.scrub {
                if !s.expose().is_empty() {
                    out = out.replace(s.expose(), REDACTED);
                }
            }
        }
        out
    }
}

/// Connect's 409s: "already exists" is final; a rebalance, a stale config or no known
/// leader clear by themselves (`HerderRequestHandler`).
fn is_rebalance(message: &str) -> bool {
    !message.contains("already exists")
}

/// Connect's `{"error_code": n, "message": "…"}`, else the start of the body.
fn error_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorMessage {
        message: Option<String>,
    }
    if let Ok(ErrorMessage { message: Some(m) }) = serde_json::from_slice::<ErrorMessage>(body) {
        return m;
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// `scheme://host[:port][/path]`, refusing URLs that carry credentials (they belong under
/// `auth`, where they are never printed).
fn endpoint_of(base: &str) -> Result<String, MirrorError> {
    let uri: http::Uri = base
        .parse()
        .map_err(|e| MirrorError::InvalidSpec(format!("connect url `{base}` is not a URL: {e}")))?;
    let authority = uri
        .authority()
        .ok_or_else(|| MirrorError::InvalidSpec(format!("connect url `{base}` has no host")))?;
    if authority.as_str().contains('@') {
        return Err(MirrorError::InvalidSpec(
            "the connect url contains credentials (user@host); put them under `auth` instead"
                .into(),
        ));
    }
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => {
            return Err(MirrorError::InvalidSpec(format!(
                "connect url `{base}` must start with http:// or https://"
            )))
        }
    }
    if uri.query().is_some() {
        return Err(MirrorError::InvalidSpec(format!(
            "connect url `{base}` must not have a query"
        )));
    }
    Ok(base.to_string())
}

fn read_roots(path: &str) -> Result<RootCerts, MirrorError> {
    let tls_err = |message: String| MirrorError::Tls {
        path: path.to_string(),
        message,
    };
    let pem = std::fs::read(path).map_err(|e| tls_err(format!("cannot read it: {e}")))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let PemItem::Certificate(c) = item.map_err(|e| tls_err(format!("not valid PEM: {e}")))? {
            certs.push(c);
        }
    }
    if certs.is_empty() {
        return Err(tls_err("it holds no PEM certificate".into()));
    }
    Ok(RootCerts::new_with_certs(&certs))
}

/// A connector name as one URL path segment.
pub(crate) fn segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(segment("east-west-source"), "east-west-source");
        assert_eq!(segment("a b/c?é"), "a%20b%2Fc%3F%C3%A9");
    }

    #[test]
    fn urls_with_credentials_are_refused_without_echo() {
        let e = endpoint_of("https://ops:canary-url-pw@connect:8083").unwrap_err();
        assert!(!e.to_string().contains("canary"), "{e}");
        assert!(endpoint_of("ftp://x").is_err());
        assert!(endpoint_of("connect:8083").is_err());
        assert_eq!(
            endpoint_of("http://127.0.0.1:8083").unwrap(),
            "http://127.0.0.1:8083"
        );
    }

    #[test]
    fn error_bodies() {
        assert_eq!(
            error_message(br#"{"error_code":409,"message":"Connector a already exists"}"#),
            "Connector a already exists"
        );
        assert_eq!(error_message(b"  <html>oops</html>\n"), "<html>oops</html>");
        assert!(!is_rebalance("Connector a already exists"));
        assert!(is_rebalance(
            "Cannot complete request because of a conflicting operation (e.g. worker rebalance)"
        ));
    }

    #[test]
    fn debug_and_scrub_hide_the_password() {
        let c = RestClient::new(
            "http://127.0.0.1:1",
            Some(("ops", SecretString::new("canary-pw-123"))),
            None,
            false,
            ConnectOptions::default(),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("canary"));
        let b64 = base64::engine::general_purpose::STANDARD.encode("ops:canary-pw-123");
        let s = c.scrub(&format!("echo canary-pw-123 and Basic {b64}"));
        assert!(!s.contains("canary") && !s.contains(&b64), "{s}");
    }

    #[test]
    fn ca_file_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("ca.pem");
        std::fs::write(&f, "not a certificate\n").unwrap();
        let e = read_roots(f.to_str().unwrap()).unwrap_err();
        assert!(e.to_string().contains("holds no PEM certificate"), "{e}");
        let e = read_roots("/nonexistent/ca.pem").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("ca-file /nonexistent/ca.pem: cannot read it"),
            "{e}"
        );
    }
}
