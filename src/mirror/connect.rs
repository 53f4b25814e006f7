//! The Connect REST driver: MirrorMaker 2 as three Kafka Connect connectors
//! (MirrorSourceConnector, MirrorCheckpointConnector, MirrorHeartbeatConnector).
//!
//! Endpoints (Kafka Connect REST API, KIP-875 for stop and offsets, KIP-980 for
//! `initial_state`): `GET /connectors?expand=status&expand=info`,
//! `GET /connectors/{n}/status`, `PUT /connectors/{n}/pause|resume|stop`,
//! `PUT /connectors/{n}/config`, `POST /connectors`, `DELETE /connectors/{n}`,
//! `GET|PATCH|DELETE /connectors/{n}/offsets`.
//!
//! Without `ca-file`, HTTPS endpoints are verified against Mozilla's roots (webpki-roots),
//! not the system store.

mod http;

use std::collections::BTreeMap;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};
use ureq::http::Method;

use self::http::{segment, RestClient};
use super::mm2_config::{ConnectorConfig, ConnectorNameSet};
use super::offsets::ConnectorOffsets;
use super::status::{
    first_line, ConnectorKind, ConnectorState, ConnectorStatus, DriverKind, MirrorRuntimeStatus,
    TaskStatus,
};
use super::{InitialState, MirrorDriver, MirrorError};
use crate::kafka::{is_sensitive_property, resolve_secret, SecretError, REDACTED};
use crate::topology::{ConnectDriver, Mirror};

/// Time bounds of the Connect driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Longest one HTTP exchange may take (connect, send, answer, body).
    pub request_timeout: Duration,
    /// How long HTTP 409 (rebalance in progress) is retried before giving up.
    pub retry_for: Duration,
    /// First wait between 409 retries; doubles up to 2 s.
    pub retry_backoff: Duration,
    /// Pause between status polls in `wait_for_state`.
    pub poll_interval: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            request_timeout: Duration::from_secs(10),
            retry_for: Duration::from_secs(30),
            retry_backoff: Duration::from_millis(200),
            poll_interval: Duration::from_millis(500),
        }
    }
}

/// One mirror's connectors on one Connect cluster.
#[derive(Debug)]
pub struct ConnectRestDriver {
    mirror_name: String,
    names: ConnectorNameSet,
    client: RestClient,
}

impl ConnectRestDriver {
    /// Reads the REST password (env or file) and the `ca-file` now; contacts nothing.
    pub fn new(
        mirror_name: &str,
        mirror: &Mirror,
        spec: &ConnectDriver,
        opts: ConnectOptions,
    ) -> Result<ConnectRestDriver, MirrorError> {
        let auth = match &spec.auth {
            Some(a) => {
                let password = resolve_secret(mirror_name, "auth.password", &a.password)
                    .map_err(|e| secret_error(mirror_name, e))?;
                Some((a.username.as_str(), password))
            }
            None => None,
        };
        let client = RestClient::new(
            &spec.url,
            auth,
            spec.ca_file.as_deref(),
            spec.insecure_skip_tls_verify,
            opts,
        )?;
        Ok(ConnectRestDriver {
            mirror_name: mirror_name.to_string(),
            names: ConnectorNameSet::resolve(mirror, &spec.connectors),
            client,
        })
    }

    /// The mirror's connector names (the topology's, or `<source>-<target>-<kind>`).
    pub fn names(&self) -> &ConnectorNameSet {
        &self.names
    }

    /// `GET /connectors`: every connector name on the Connect cluster.
    pub fn connector_names(&self) -> Result<Vec<String>, MirrorError> {
        self.client.call_json(Method::GET, "/connectors", None)
    }

    /// Every connector on the cluster with status and (redacted) config, in one call.
    pub fn list(&self) -> Result<BTreeMap<String, ConnectorStatus>, MirrorError> {
        let path = "/connectors?expand=status&expand=info";
        let raw: BTreeMap<String, Expanded> = self.client.call_json(Method::GET, path, None)?;
        Ok(raw
            .into_iter()
            .map(|(name, e)| {
                let config = e.info.map(|i| i.config);
                let kind = self.kind_of(&name, config.as_ref());
                let mut s = match e.status {
                    Some(st) => st.into_status(kind),
                    None => ConnectorStatus::absent(&name, kind),
                };
                s.name = name.clone();
                s.config = config.map(redact);
                (name, s)
            })
            .collect())
    }

    /// `GET /connectors/{name}/status` (no config).
    pub fn connector_status(&self, name: &str) -> Result<ConnectorStatus, MirrorError> {
        let path = format!("/connectors/{}/status", segment(name));
        let raw: RawStatus = self.client.call_json(Method::GET, &path, None)?;
        Ok(raw.into_status(self.kind_of(name, None)))
    }

    /// `GET /connectors/{name}/config`, unredacted: may hold secrets, never print it.
    pub fn connector_config(&self, name: &str) -> Result<ConnectorConfig, MirrorError> {
        let path = format!("/connectors/{}/config", segment(name));
        self.client.call_json(Method::GET, &path, None)
    }

    /// `PUT /connectors/{name}/pause|resume|stop` for one connector.
    pub fn pause_connector(&self, name: &str) -> Result<(), MirrorError> {
        self.put_verb(name, "pause")
    }
    pub fn resume_connector(&self, name: &str) -> Result<(), MirrorError> {
        self.put_verb(name, "resume")
    }
    pub fn stop_connector(&self, name: &str) -> Result<(), MirrorError> {
        self.put_verb(name, "stop")
    }

    /// Polls one connector until it and its tasks are in `state`.
    pub fn wait_for_connector(
        &self,
        name: &str,
        state: &ConnectorState,
        timeout: Duration,
    ) -> Result<ConnectorStatus, MirrorError> {
        self.poll(
            &format!("waiting for connector `{name}` to be {state}"),
            timeout,
            || {
                let s = match self.connector_status(name) {
                    Err(MirrorError::NotFound { .. }) if *state == ConnectorState::Absent => {
                        return Ok(Some(ConnectorStatus::absent(
                            name,
                            self.kind_of(name, None),
                        )))
                    }
                    other => other?,
                };
                check_failed(&s, state)?;
                Ok(s.is_settled_in(state).then_some(s))
            },
        )
    }

    fn put_verb(&self, name: &str, verb: &str) -> Result<(), MirrorError> {
        let path = format!("/connectors/{}/{verb}", segment(name));
        self.client.call(Method::PUT, &path, None).map(|_| ())
    }

    /// The mirror's connectors that exist, source first. The source connector must exist.
    fn present(&self) -> Result<Vec<String>, MirrorError> {
        let all = self.connector_names()?;
        if !all.contains(&self.names.source) {
            return Err(self.source_missing());
        }
        Ok(self
            .names
            .iter()
            .filter(|(_, n)| all.iter().any(|a| a == n))
            .map(|(_, n)| n.to_string())
            .collect())
    }

    fn source_missing(&self) -> MirrorError {
        MirrorError::NotFound {
            what: format!("mirror `{}`", self.mirror_name),
            message: format!(
                "its source connector `{}` does not exist on {}",
                self.names.source,
                self.client.endpoint()
            ),
        }
    }

    fn kind_of(&self, name: &str, config: Option<&ConnectorConfig>) -> Option<ConnectorKind> {
        self.names.kind_of(name).or_else(|| {
            let class = config?.get("connector.class")?;
            ConnectorKind::ALL
                .into_iter()
                .find(|k| k.class_name() == class || k.class_name().ends_with(&format!(".{class}")))
        })
    }

    /// Calls `probe` every `poll_interval` until it returns Some, fails, or `timeout` ends.
    fn poll<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: impl FnMut() -> Result<Option<T>, MirrorError>,
    ) -> Result<T, MirrorError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(done) = probe()? {
                return Ok(done);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(MirrorError::Timeout {
                    what: what.to_string(),
                    after: timeout,
                });
            }
            sleep(self.client.options().poll_interval.min(deadline - now));
        }
    }
}

impl MirrorDriver for ConnectRestDriver {
    fn kind(&self) -> DriverKind {
        DriverKind::Connect
    }

    fn mirror_name(&self) -> &str {
        &self.mirror_name
    }

    fn endpoint(&self) -> String {
        self.client.endpoint().to_string()
    }

    fn status(&self) -> Result<MirrorRuntimeStatus, MirrorError> {
        let mut all = self.list()?;
        let connectors = self
            .names
            .iter()
            .map(|(kind, name)| match all.remove(name) {
                Some(mut s) => {
                    s.kind = Some(kind);
                    s
                }
                None => ConnectorStatus::absent(name, Some(kind)),
            })
            .collect();
        Ok(MirrorRuntimeStatus {
            mirror: self.mirror_name.clone(),
            driver: DriverKind::Connect,
            endpoint: self.endpoint(),
            connectors,
            flows: Vec::new(),
            notes: Vec::new(),
        })
    }

    fn pause(&self) -> Result<(), MirrorError> {
        self.present()?
            .iter()
            .try_for_each(|n| self.pause_connector(n))
    }

    fn resume(&self) -> Result<(), MirrorError> {
        self.present()?
            .iter()
            .try_for_each(|n| self.resume_connector(n))
    }

    fn stop(&self) -> Result<(), MirrorError> {
        self.present()?
            .iter()
            .try_for_each(|n| self.stop_connector(n))
    }

    fn wait_for_state(
        &self,
        state: &ConnectorState,
        timeout: Duration,
    ) -> Result<MirrorRuntimeStatus, MirrorError> {
        let what = format!("waiting for mirror `{}` to be {state}", self.mirror_name);
        self.poll(&what, timeout, || {
            let st = self.status()?;
            if *state == ConnectorState::Absent {
                let gone = st.present().next().is_none();
                return Ok(gone.then_some(st));
            }
            if st.connectors[0].state == ConnectorState::Absent {
                return Err(self.source_missing());
            }
            for c in st.present() {
                check_failed(c, state)?;
            }
            let settled = st.present().all(|c| c.is_settled_in(state));
            Ok(settled.then_some(st))
        })
    }

    fn put_config(&self, name: &str, config: &ConnectorConfig) -> Result<bool, MirrorError> {
        let path = format!("/connectors/{}/config", segment(name));
        let body = serde_json::to_value(config).expect("a string map serialises");
        let reply = self.client.call(Method::PUT, &path, Some(&body))?;
        Ok(reply.status == 201)
    }

    fn create(
        &self,
        name: &str,
        config: &ConnectorConfig,
        initial: Option<InitialState>,
    ) -> Result<(), MirrorError> {
        let mut body = json!({"name": name, "config": config});
        if let Some(s) = initial {
            body["initial_state"] = Value::from(s.as_str());
        }
        self.client
            .call(Method::POST, "/connectors", Some(&body))
            .map(|_| ())
    }

    fn delete(&self, name: &str) -> Result<(), MirrorError> {
        let path = format!("/connectors/{}", segment(name));
        self.client.call(Method::DELETE, &path, None).map(|_| ())
    }

    fn get_offsets(&self, name: &str) -> Result<ConnectorOffsets, MirrorError> {
        let path = format!("/connectors/{}/offsets", segment(name));
        self.client.call_json(Method::GET, &path, None)
    }

    fn set_offsets(&self, name: &str, offsets: &ConnectorOffsets) -> Result<String, MirrorError> {
        let path = format!("/connectors/{}/offsets", segment(name));
        let body = serde_json::to_value(offsets).expect("offsets serialise");
        let m: Message = self.client.call_json(Method::PATCH, &path, Some(&body))?;
        Ok(m.message.unwrap_or_default())
    }

    fn reset_offsets(&self, name: &str) -> Result<String, MirrorError> {
        let path = format!("/connectors/{}/offsets", segment(name));
        let m: Message = self.client.call_json(Method::DELETE, &path, None)?;
        Ok(m.message.unwrap_or_default())
    }
}

/// A FAILED connector or task is an error unless FAILED is what is awaited.
fn check_failed(s: &ConnectorStatus, awaited: &ConnectorState) -> Result<(), MirrorError> {
    if *awaited == ConnectorState::Failed {
        return Ok(());
    }
    match s.failure() {
        Some((task, trace)) => Err(MirrorError::ConnectorFailed {
            connector: s.name.clone(),
            task,
            trace,
        }),
        None => Ok(()),
    }
}

fn redact(config: ConnectorConfig) -> BTreeMap<String, String> {
    config
        .into_iter()
        .map(|(k, v)| {
            let v = if is_sensitive_property(&k) {
                REDACTED.to_string()
            } else {
                v
            };
            (k, v)
        })
        .collect()
}

fn secret_error(mirror: &str, e: SecretError) -> MirrorError {
    let reason = match &e {
        SecretError::EnvMissing { var, .. } => format!("comes from ${var}, which is not set"),
        SecretError::EnvEmpty { var, .. } => format!("comes from ${var}, which is empty"),
        SecretError::FileUnreadable { path, reason, .. } => format!("cannot read {path}: {reason}"),
        SecretError::FileTooOpen { path, mode, .. } => {
            format!("{path} is readable by group or others (mode {mode:o}); run `chmod 600 {path}`")
        }
        SecretError::Inline { .. } => "is written inline in the topology".to_string(),
    };
    MirrorError::Secret {
        mirror: mirror.to_string(),
        reason,
        cause: Box::new(e),
    }
}

// ---- Connect's JSON ----

#[derive(Deserialize)]
struct Expanded {
    status: Option<RawStatus>,
    info: Option<RawInfo>,
}

#[derive(Deserialize)]
struct RawInfo {
    #[serde(default)]
    config: ConnectorConfig,
}

#[derive(Deserialize)]
struct RawStatus {
    name: String,
    connector: RawState,
    #[serde(default)]
    tasks: Vec<RawTask>,
}

#[derive(Deserialize)]
struct RawState {
    state: String,
    worker_id: Option<String>,
    trace: Option<String>,
}

#[derive(Deserialize)]
struct RawTask {
    id: u32,
    state: String,
    worker_id: Option<String>,
    trace: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    message: Option<String>,
}

impl RawStatus {
    fn into_status(self, kind: Option<ConnectorKind>) -> ConnectorStatus {
        ConnectorStatus {
            name: self.name,
            kind,
            state: ConnectorState::parse(&self.connector.state),
            worker_id: self.connector.worker_id,
            trace: self.connector.trace.as_deref().and_then(first_line),
            tasks: self
                .tasks
                .into_iter()
                .map(|t| TaskStatus {
                    id: t.id,
                    state: ConnectorState::parse(&t.state),
                    worker_id: t.worker_id,
                    trace: t.trace.as_deref().and_then(first_line),
                })
                .collect(),
            config: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_json_is_parsed() {
        let raw: RawStatus = serde_json::from_str(
            r#"{"name":"a","connector":{"state":"RUNNING","worker_id":"w1:8083"},
                "tasks":[{"id":0,"state":"RUNNING","worker_id":"w1:8083"},
                         {"id":1,"state":"FAILED","worker_id":"w2:8083",
                          "trace":"org.apache.kafka.connect.errors.ConnectException: boom\n\tat x.y(Z.java:1)\n"}],
                "type":"source"}"#,
        )
        .unwrap();
        let s = raw.into_status(Some(ConnectorKind::Source));
        assert_eq!(s.state, ConnectorState::Running);
        assert_eq!(s.tasks[1].state, ConnectorState::Failed);
        assert_eq!(
            s.tasks[1].trace.as_deref(),
            Some("org.apache.kafka.connect.errors.ConnectException: boom")
        );
        assert_eq!(s.failure().unwrap().0, Some(1));
        assert!(check_failed(&s, &ConnectorState::Running).is_err());
        assert!(check_failed(&s, &ConnectorState::Failed).is_ok());
    }

    #[test]
    fn secret_looking_config_values_are_redacted() {
        let c: ConnectorConfig = [
            ("source.cluster.sasl.jaas.config", "x password=\"canary\";"),
            ("source.cluster.ssl.truststore.password", "canary"),
            ("topics", "a.*"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let r = redact(c);
        assert_eq!(r["topics"], "a.*");
        assert!(!format!("{r:?}").contains("canary"));
    }
}
