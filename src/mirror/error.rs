//! The one error type of the mirror layer. Messages name the operation, the endpoint (URL
//! without credentials, or file path) and what the other side said; never a password.

use std::path::PathBuf;
use std::time::Duration;

use crate::kafka::SecretError;

#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// HTTP 404: the connector (or the REST path) does not exist.
    #[error("{what}: not found (HTTP 404){}", detail(message))]
    NotFound { what: String, message: String },

    /// HTTP 409 that is not a rebalance, e.g. "Connector x already exists".
    #[error("{what}: conflict (HTTP 409): {message}")]
    Conflict { what: String, message: String },

    /// HTTP 409 "conflicting operation (e.g. worker rebalance)" that did not clear before
    /// the retry deadline.
    #[error("{what}: Connect is still rebalancing after {attempts} attempts over {}: {message}", secs(*waited))]
    RebalanceInProgress {
        what: String,
        attempts: u32,
        waited: Duration,
        message: String,
    },

    /// HTTP 401 or 403. The message never contains the credentials.
    #[error("{what}: {endpoint} refused the credentials (HTTP {status}){}; check the mirror's `auth` (username and the password's env/file)", detail(message))]
    Unauthorized {
        what: String,
        endpoint: String,
        status: u16,
        message: String,
    },

    /// HTTP 400: Connect refused the request as given. Among others, KIP-875's offsets
    /// API answers this when the connector is not STOPPED.
    #[error("{what}: Connect refused the request (HTTP {status}): {message}")]
    BadRequest {
        what: String,
        status: u16,
        message: String,
    },

    /// Any other non-success status (500 included).
    #[error("{what}: Connect answered HTTP {status}{}", detail(message))]
    Server {
        what: String,
        status: u16,
        message: String,
    },

    /// No (complete) answer in time, or a state not reached in time.
    #[error("{what}: timed out after {}", secs(*after))]
    Timeout { what: String, after: Duration },

    /// Connection refused, DNS, TLS handshake, broken connection.
    #[error("{what}: cannot reach {endpoint}: {message}")]
    Transport {
        what: String,
        endpoint: String,
        message: String,
    },

    /// A success status with a body that is not what Connect sends.
    #[error("{what}: unexpected answer from Connect: {message}")]
    InvalidResponse { what: String, message: String },

    /// A connector or task is FAILED while waiting for another state.
    #[error("connector `{connector}`{} is FAILED{}", task.map(|t| format!(" task {t}")).unwrap_or_default(), detail(trace))]
    ConnectorFailed {
        connector: String,
        task: Option<u32>,
        trace: String,
    },

    #[error("{path}: {message}")]
    Io {
        path: PathBuf,
        message: String,
        #[source]
        source: std::io::Error,
    },

    /// The reload command failed or timed out. `restored` says whether the previous file
    /// was put back.
    #[error("reload command `{command}` {status}{}; {}", detail(stderr), if *restored { "the previous file was restored (run the reload command again if MM2 is down)" } else { "the previous file could NOT be restored" })]
    ReloadFailed {
        command: String,
        /// "exited with status 3", "was killed by a signal", "timed out after 30s".
        status: String,
        stderr: String,
        restored: bool,
    },

    /// The file changed on disk between reading and writing it.
    #[error("{path} changed while it was being edited; nothing was written, try again")]
    ConcurrentEdit { path: PathBuf },

    /// The Connect REST password cannot be read.
    #[error("mirror `{mirror}`: the Connect password (`auth.password`) {reason}")]
    Secret {
        mirror: String,
        reason: String,
        /// The underlying error, whose wording speaks of clusters.
        cause: Box<SecretError>,
    },

    /// The `ca-file` cannot be used.
    #[error("ca-file {path}: {message}")]
    Tls { path: String, message: String },

    /// The topology asks for something this driver cannot express.
    #[error("{0}")]
    InvalidSpec(String),

    /// The operation has no meaning for this driver.
    #[error("the {driver} driver cannot {operation}")]
    Unsupported {
        driver: &'static str,
        operation: &'static str,
    },
}

impl MirrorError {
    /// True for KIP-875's refusal to touch the offsets of a connector that is not STOPPED.
    pub fn is_not_stopped(&self) -> bool {
        matches!(self, MirrorError::BadRequest { message, .. } if message.contains("STOPPED"))
    }

    pub(crate) fn io(path: impl Into<PathBuf>, what: &str, source: std::io::Error) -> MirrorError {
        MirrorError::Io {
            path: path.into(),
            message: format!("{what}: {source}"),
            source,
        }
    }
}

fn detail(message: &str) -> String {
    if message.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", message.trim())
    }
}

fn secs(d: Duration) -> String {
    humantime::format_duration(Duration::from_millis(d.as_millis() as u64)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_well() {
        let e = MirrorError::NotFound {
            what: "GET /connectors/a/status".into(),
            message: "Connector a not found".into(),
        };
        assert_eq!(
            e.to_string(),
            "GET /connectors/a/status: not found (HTTP 404): Connector a not found"
        );
        let e = MirrorError::Timeout {
            what: "PUT /connectors/a/pause".into(),
            after: Duration::from_millis(1500),
        };
        assert_eq!(
            e.to_string(),
            "PUT /connectors/a/pause: timed out after 1s 500ms"
        );
        let e = MirrorError::ConnectorFailed {
            connector: "a".into(),
            task: Some(0),
            trace: "java.lang.RuntimeException: boom".into(),
        };
        assert_eq!(
            e.to_string(),
            "connector `a` task 0 is FAILED: java.lang.RuntimeException: boom"
        );
        let e = MirrorError::BadRequest {
            what: "PATCH /connectors/a/offsets".into(),
            status: 400,
            message:
                "Connectors must be in the STOPPED state before their offsets can be modified."
                    .into(),
        };
        assert!(e.is_not_stopped());
    }
}
