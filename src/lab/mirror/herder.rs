//! The connectors of the lab's mirror, kept as Kafka Connect's herder keeps them:
//! configs, target states and KIP-875 offsets, with Connect's rules and messages
//! (`AbstractHerder`, `DistributedHerder`, `MirrorUtils` in Kafka). Each direction's
//! connectors share one flow (engine thread).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};

use super::config::{ConnectorConfig, ConnectorKind, MirrorConfig};
use super::engine::{self, Flow, Tp};
use super::{MirrorEnv, RunState};

/// How long pause and stop wait for the engine to finish its batch.
const APPLY_WAIT: Duration = Duration::from_secs(15);

/// A refusal, with the HTTP status Connect answers it with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// What Connect answers 500 with (e.g. offsets MM2's connectors reject).
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> u16 {
        match self {
            ApiError::NotFound(_) => 404,
            ApiError::BadRequest(_) => 400,
            ApiError::Conflict(_) => 409,
            ApiError::Internal(_) => 500,
        }
    }
}

fn not_found(name: &str) -> ApiError {
    ApiError::NotFound(format!("Connector {name} not found"))
}

/// A connector's status (Connect's `ConnectorStateInfo`, less the worker id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorStatus {
    pub name: String,
    pub kind: ConnectorKind,
    pub state: RunState,
    /// One task while not STOPPED.
    pub tasks: Vec<TaskStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskStatus {
    pub id: i32,
    /// RUNNING, PAUSED, or FAILED (with `trace`).
    pub state: String,
    pub trace: Option<String>,
}

/// A connector's definition (Connect's `ConnectorInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorInfo {
    pub name: String,
    pub kind: ConnectorKind,
    pub config: ConnectorConfig,
    /// Task ids (none while STOPPED).
    pub tasks: Vec<i32>,
}

/// One direction of the mirror, for reports and tests.
#[derive(Debug, Clone, Serialize)]
pub struct FlowReport {
    pub source_alias: String,
    pub target_alias: String,
    pub connectors: Vec<String>,
    pub copy: RunState,
    pub checkpoints: RunState,
    /// (source topic, target topic, partitions).
    pub topics: Vec<(String, String, i32)>,
    /// Next upstream offset to copy, per source partition.
    pub positions: BTreeMap<Tp, i64>,
    pub copied: u64,
    pub syncs_written: u64,
    pub checkpoints_written: u64,
    pub failed: Option<String>,
    pub last_error: Option<String>,
}

type FlowKey = (String, String);

struct Connector {
    kind: ConnectorKind,
    config: ConnectorConfig,
    parsed: MirrorConfig,
    state: RunState,
}

impl Connector {
    fn flow_key(&self) -> FlowKey {
        (
            self.parsed.source_alias.clone(),
            self.parsed.target_alias.clone(),
        )
    }
}

struct FlowEntry {
    flow: Arc<Flow>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Registry {
    connectors: BTreeMap<String, Connector>,
    flows: BTreeMap<FlowKey, FlowEntry>,
    /// Offsets of deleted source connectors: Connect keeps them under the connector's
    /// name, so one created again with that name resumes there.
    stashed: BTreeMap<String, BTreeMap<Tp, i64>>,
}

/// The lab's Connect "worker": MM2 connectors and the flows running them.
pub struct LabMirrors {
    env: Arc<MirrorEnv>,
    inner: Mutex<Registry>,
}

impl LabMirrors {
    pub fn new(env: MirrorEnv) -> LabMirrors {
        LabMirrors {
            env: Arc::new(env),
            inner: Mutex::new(Registry::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn names(&self) -> Vec<String> {
        self.lock().connectors.keys().cloned().collect()
    }

    pub fn config(&self, name: &str) -> Result<ConnectorConfig, ApiError> {
        let r = self.lock();
        let c = r.connectors.get(name).ok_or_else(|| not_found(name))?;
        Ok(c.config.clone())
    }

    pub fn info(&self, name: &str) -> Result<ConnectorInfo, ApiError> {
        info_of(&self.lock(), name)
    }

    pub fn status(&self, name: &str) -> Result<ConnectorStatus, ApiError> {
        let r = self.lock();
        let c = r.connectors.get(name).ok_or_else(|| not_found(name))?;
        let failed = match c.kind {
            ConnectorKind::Source => r
                .flows
                .get(&c.flow_key())
                .and_then(|f| f.flow.lock().failed.clone()),
            _ => None,
        };
        let tasks = match (c.state, failed) {
            (RunState::Stopped, _) => vec![],
            (_, Some(trace)) => vec![TaskStatus {
                id: 0,
                state: "FAILED".into(),
                trace: Some(trace),
            }],
            (s, None) => vec![TaskStatus {
                id: 0,
                state: s.as_str().into(),
                trace: None,
            }],
        };
        Ok(ConnectorStatus {
            name: name.to_string(),
            kind: c.kind,
            state: c.state,
            tasks,
        })
    }

    /// Creates (`initial` state, default RUNNING) or, with `allow_replace`, updates a
    /// connector. `Ok((info, created))`.
    pub fn put_config(
        &self,
        name: &str,
        mut config: ConnectorConfig,
        initial: Option<RunState>,
        allow_replace: bool,
    ) -> Result<(ConnectorInfo, bool), ApiError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::BadRequest(
                "Connector name is null or empty".into(),
            ));
        }
        match config.get("name") {
            Some(n) if n != name => {
                return Err(ApiError::BadRequest(format!(
                    "Connector name configuration ({n}) doesn't match connector name in the URL ({name})"
                )))
            }
            Some(_) => {}
            None => {
                config.insert("name".into(), name.to_string());
            }
        }
        let (kind, parsed) = self.parse(&config)?;
        let key = (parsed.source_alias.clone(), parsed.target_alias.clone());
        let mut r = self.lock();
        let existing = r.connectors.get(name);
        if existing.is_some() && !allow_replace {
            return Err(ApiError::Conflict(format!(
                "Connector {name} already exists"
            )));
        }
        if let Some(old) = existing {
            if old.kind != kind || old.flow_key() != key {
                return Err(ApiError::BadRequest(format!(
                    "the lab cannot turn connector {name} ({} {} -> {}) into a {} {} -> {}: delete it and create it again",
                    old.kind.suffix(), old.parsed.source_alias, old.parsed.target_alias,
                    kind.suffix(), key.0, key.1
                )));
            }
        }
        if kind == ConnectorKind::Source {
            if let Some((other, _)) = r.connectors.iter().find(|(n, c)| {
                n.as_str() != name && c.kind == ConnectorKind::Source && c.flow_key() == key
            }) {
                return Err(ApiError::BadRequest(format!(
                    "the lab runs one MirrorSourceConnector per direction: {other} already copies {} -> {}",
                    key.0, key.1
                )));
            }
        }
        let created = existing.is_none();
        let state = match existing {
            Some(old) => old.state,
            None => initial.unwrap_or(RunState::Running),
        };
        r.connectors.insert(
            name.to_string(),
            Connector {
                kind,
                config,
                parsed,
                state,
            },
        );
        let restore = if created && kind == ConnectorKind::Source {
            Some(r.stashed.remove(name).unwrap_or_default())
        } else {
            None
        };
        self.sync_flow(&mut r, &key, restore);
        Ok((info_of(&r, name)?, created))
    }

    /// Parses a config and checks that it points at this lab's clusters.
    fn parse(&self, config: &ConnectorConfig) -> Result<(ConnectorKind, MirrorConfig), ApiError> {
        let (kind, parsed) = MirrorConfig::parse(config).map_err(invalid_config)?;
        let mut errors = Vec::new();
        for (key, b) in [
            (
                "source.cluster.bootstrap.servers",
                parsed.source_bootstrap.as_deref(),
            ),
            (
                "target.cluster.bootstrap.servers",
                Some(parsed.target_bootstrap.as_str()),
            ),
        ] {
            if let Some(b) = b.filter(|b| self.env.cluster_of(b).is_none()) {
                let known: Vec<&str> = self.env.clusters.values().map(String::as_str).collect();
                errors.push(format!(
                    "Invalid value {b} for configuration {key}: not a cluster of this lab ({})",
                    known.join(" | ")
                ));
            }
        }
        if !errors.is_empty() {
            return Err(invalid_config(errors));
        }
        Ok((kind, parsed))
    }

    pub fn delete(&self, name: &str) -> Result<(), ApiError> {
        let mut r = self.lock();
        let c = r.connectors.remove(name).ok_or_else(|| not_found(name))?;
        let key = c.flow_key();
        if c.kind == ConnectorKind::Source {
            if let Some(f) = r.flows.get(&key) {
                let positions = std::mem::take(&mut f.flow.lock().positions);
                r.stashed.insert(name.to_string(), positions);
            }
        }
        self.sync_flow(&mut r, &key, None);
        Ok(())
    }

    /// PUT pause (PAUSED), resume (RUNNING) or stop (STOPPED). Pausing or stopping a
    /// source connector returns once its engine has finished the batch in hand.
    pub fn set_state(&self, name: &str, state: RunState) -> Result<(), ApiError> {
        let mut r = self.lock();
        let c = r.connectors.get_mut(name).ok_or_else(|| not_found(name))?;
        c.state = state;
        let (kind, key) = (c.kind, c.flow_key());
        self.sync_flow(&mut r, &key, None);
        let flow = r.flows.get(&key).map(|f| f.flow.clone());
        drop(r);
        if let (ConnectorKind::Source, Some(flow)) = (kind, flow) {
            if state != RunState::Running {
                flow.wait_applied(APPLY_WAIT);
            }
        }
        Ok(())
    }

    /// GET offsets: Connect's `ConnectorOffsets` entries, `{partition, offset}`.
    pub fn offsets(&self, name: &str) -> Result<Vec<Value>, ApiError> {
        let r = self.lock();
        let c = r.connectors.get(name).ok_or_else(|| not_found(name))?;
        let Some(f) = r.flows.get(&c.flow_key()) else {
            return Ok(vec![]);
        };
        let ctl = f.flow.lock();
        Ok(match c.kind {
            ConnectorKind::Source => ctl
                .positions
                .iter()
                .map(|((t, p), next)| {
                    json!({
                        "partition": {"cluster": c.parsed.source_alias, "partition": p, "topic": t},
                        "offset": {"offset": next - 1}
                    })
                })
                .collect(),
            kind => ctl
                .framework_offsets
                .get(&kind)
                .into_iter()
                .flat_map(|m| m.values())
                .map(|(p, o)| json!({"partition": p, "offset": o}))
                .collect(),
        })
    }

    /// PATCH offsets (KIP-875): only on a STOPPED connector. `body` is Connect's
    /// `{"offsets": [{"partition": {...}, "offset": {...} | null}]}`.
    pub fn alter_offsets(&self, name: &str, body: &Value) -> Result<String, ApiError> {
        let entries = match body.get("offsets").and_then(Value::as_array) {
            Some(a) if !a.is_empty() => a.clone(),
            _ => {
                return Err(ApiError::BadRequest(
                    "Partitions / offsets need to be provided for an alter offsets request".into(),
                ))
            }
        };
        let (kind, flow, alias) = self.stopped(name)?;
        let mut parsed = Vec::new();
        for e in &entries {
            let partition = e.get("partition").cloned().unwrap_or(Value::Null);
            let offset = e.get("offset").cloned().unwrap_or(Value::Null);
            validate(kind, &partition, &offset).map_err(ApiError::Internal)?;
            parsed.push((partition, offset));
        }
        let mut ctl = flow.lock();
        for (partition, offset) in parsed {
            match kind {
                ConnectorKind::Source => {
                    // MM2's task looks its offsets up under its own source alias only.
                    if partition["cluster"].as_str() != Some(alias.as_str()) {
                        continue;
                    }
                    let tp = (
                        partition["topic"].as_str().unwrap_or_default().to_string(),
                        partition["partition"].as_i64().unwrap_or_default() as i32,
                    );
                    match offset.get("offset").and_then(Value::as_i64) {
                        Some(n) => ctl.positions.insert(tp, n + 1),
                        None => ctl.positions.remove(&tp),
                    };
                }
                kind => {
                    let m = ctl.framework_offsets.entry(kind).or_default();
                    if offset.is_null() {
                        m.remove(&partition.to_string());
                    } else {
                        m.insert(partition.to_string(), (partition, offset));
                    }
                }
            }
        }
        Ok("The offsets for this connector have been altered successfully".into())
    }

    /// DELETE offsets (KIP-875): only on a STOPPED connector. A source connector then
    /// copies every partition from its log start again.
    pub fn reset_offsets(&self, name: &str) -> Result<String, ApiError> {
        let (kind, flow, _) = self.stopped(name)?;
        let mut ctl = flow.lock();
        match kind {
            ConnectorKind::Source => ctl.positions.clear(),
            kind => {
                ctl.framework_offsets.remove(&kind);
            }
        }
        Ok("The offsets for this connector have been reset successfully".into())
    }

    /// The connector's kind, flow and source alias, if it is STOPPED (and, for a source
    /// connector, its engine too); Connect's 400 otherwise.
    fn stopped(&self, name: &str) -> Result<(ConnectorKind, Arc<Flow>, String), ApiError> {
        let r = self.lock();
        let c = r.connectors.get(name).ok_or_else(|| not_found(name))?;
        let flow = r.flows.get(&c.flow_key()).map(|f| f.flow.clone());
        let engine_stopped = match (&flow, c.kind) {
            (Some(f), ConnectorKind::Source) => f.lock().copy_applied == RunState::Stopped,
            _ => true,
        };
        match flow {
            Some(flow) if c.state == RunState::Stopped && engine_stopped => {
                Ok((c.kind, flow, c.parsed.source_alias.clone()))
            }
            _ => Err(ApiError::BadRequest(format!(
                "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/{name}/stop' endpoint"
            ))),
        }
    }

    /// Every direction with its connectors, states, topics, positions and counters.
    pub fn flows(&self) -> Vec<FlowReport> {
        let r = self.lock();
        r.flows
            .iter()
            .map(|((source, target), f)| {
                let ctl = f.flow.lock();
                FlowReport {
                    source_alias: source.clone(),
                    target_alias: target.clone(),
                    connectors: r
                        .connectors
                        .iter()
                        .filter(|(_, c)| &c.flow_key() == &(source.clone(), target.clone()))
                        .map(|(n, _)| n.clone())
                        .collect(),
                    copy: ctl.copy,
                    checkpoints: ctl.checkpoints,
                    topics: ctl.topics.clone(),
                    positions: ctl.positions.clone(),
                    copied: ctl.copied,
                    syncs_written: ctl.syncs_written,
                    checkpoints_written: ctl.checkpoints_written,
                    failed: ctl.failed.clone(),
                    last_error: ctl.last_error.clone(),
                }
            })
            .collect()
    }

    /// Stops every engine (joins their threads). Connectors stay defined.
    pub fn shutdown(&self) {
        let mut r = self.lock();
        let keys: Vec<FlowKey> = r.flows.keys().cloned().collect();
        for k in keys {
            if let Some(f) = r.flows.remove(&k) {
                stop_flow(f);
            }
        }
    }

    /// Brings a flow in line with its connectors: starts it, updates its settings and
    /// states, or stops it when none is left. `restore`: a new source connector's
    /// offsets.
    fn sync_flow(&self, r: &mut Registry, key: &FlowKey, restore: Option<BTreeMap<Tp, i64>>) {
        let of = |k: ConnectorKind| {
            r.connectors
                .values()
                .find(|c| c.kind == k && &c.flow_key() == key)
        };
        let (source, checkpoint, heartbeat) = (
            of(ConnectorKind::Source),
            of(ConnectorKind::Checkpoint),
            of(ConnectorKind::Heartbeat),
        );
        let Some(base) = source.or(checkpoint).or(heartbeat) else {
            if let Some(f) = r.flows.remove(key) {
                stop_flow(f);
            }
            return;
        };
        let mut config = base.parsed.clone();
        if let Some(cp) = checkpoint {
            config.groups = cp.parsed.groups.clone();
            config.groups_exclude = cp.parsed.groups_exclude.clone();
            config.checkpoint_interval = cp.parsed.checkpoint_interval;
            config.emit_checkpoints = cp.parsed.emit_checkpoints;
        }
        let copy = source.map_or(RunState::Stopped, |c| c.state);
        let checkpoints = checkpoint.map_or(RunState::Stopped, |c| c.state);
        let entry = r.flows.entry(key.clone()).or_insert_with(|| {
            let flow = Flow::new(config.clone());
            let thread = engine::spawn(
                flow.clone(),
                self.env.clone(),
                format!("{}-{}", key.0, key.1),
            )
            .map_err(|e| log::error!("lab mirror: cannot start a thread: {e}"))
            .ok();
            FlowEntry { flow, thread }
        });
        let mut ctl = entry.flow.lock();
        if ctl.config != config {
            ctl.config = config;
            ctl.generation += 1;
        }
        ctl.copy = copy;
        ctl.checkpoints = checkpoints;
        if let Some(p) = restore {
            ctl.positions = p;
        }
        entry.flow.changed.notify_all();
    }
}

impl Drop for LabMirrors {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn stop_flow(mut f: FlowEntry) {
    f.flow.lock().shutdown = true;
    f.flow.changed.notify_all();
    if let Some(t) = f.thread.take() {
        let _ = t.join();
    }
}

fn info_of(r: &Registry, name: &str) -> Result<ConnectorInfo, ApiError> {
    let c = r.connectors.get(name).ok_or_else(|| not_found(name))?;
    Ok(ConnectorInfo {
        name: name.to_string(),
        kind: c.kind,
        config: c.config.clone(),
        tasks: if c.state == RunState::Stopped {
            vec![]
        } else {
            vec![0]
        },
    })
}

/// Connect's 400 for an invalid connector config.
fn invalid_config(errors: Vec<String>) -> ApiError {
    if errors.len() == 1 && errors[0].contains("contains no connector type") {
        return ApiError::BadRequest(errors[0].clone());
    }
    ApiError::BadRequest(format!(
        "Connector configuration is invalid and contains the following {} error(s):\n{}\nYou can also find the above list of errors at the endpoint `/connector-plugins/{{connectorType}}/config/validate`",
        errors.len(),
        errors.join("\n")
    ))
}

/// A JSON value as Java prints a map, list or scalar (`{cluster=east, partition=0}`).
fn java(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", java(v))).collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(java).collect::<Vec<_>>().join(", ")),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `MirrorUtils.validateSourcePartition*` / `validateSourceOffset` as each MM2
/// connector's `alterOffsets` applies them; `Err`: MM2's message.
fn validate(kind: ConnectorKind, partition: &Value, offset: &Value) -> Result<(), String> {
    if offset.is_null() {
        // Tombstones are allowed for anything.
        return Ok(());
    }
    if partition.is_null() {
        return Err("Source partitions may not be null".into());
    }
    let string_key = |key: &str| -> Result<(), String> {
        match partition.get(key) {
            None => Err(format!(
                "Source partition {} is missing the '{key}' key, which is required",
                java(partition)
            )),
            Some(Value::String(_)) => Ok(()),
            Some(v) => Err(format!(
                "Source partition {} has an invalid value {} for the '{key}' key, which must be a string",
                java(partition),
                java(v)
            )),
        }
    };
    let partition_key = || -> Result<(), String> {
        match partition.get("partition") {
            None => Err(format!(
                "Source partition {} is missing the 'partition' key, which is required",
                java(partition)
            )),
            Some(v) => match v.as_i64() {
                Some(n) if n > i32::MAX as i64 || !v.is_i64() => Err(format!(
                    "Source partition {} has an invalid value {} for the 'partition' key, which must be an integer",
                    java(partition), java(v)
                )),
                Some(n) if n < 0 => Err(format!(
                    "Source partition {} has an invalid value {} for the 'partition' key, which cannot be negative",
                    java(partition), java(v)
                )),
                Some(_) => Ok(()),
                None => Err(format!(
                    "Source partition {} has an invalid value {} for the 'partition' key, which must be an integer",
                    java(partition), java(v)
                )),
            },
        }
    };
    match kind {
        ConnectorKind::Source => {
            string_key("cluster")?;
            string_key("topic")?;
            partition_key()?;
        }
        ConnectorKind::Checkpoint => {
            string_key("group")?;
            string_key("topic")?;
            partition_key()?;
        }
        ConnectorKind::Heartbeat => {
            string_key("sourceClusterAlias")?;
            string_key("targetClusterAlias")?;
        }
    }
    let only_zero = kind != ConnectorKind::Source;
    let Some(value) = offset.get("offset") else {
        return Err(format!(
            "Source offset {} for source partition {} is missing the 'offset' key, which is required",
            java(offset),
            java(partition)
        ));
    };
    let Some(n) = value.as_i64() else {
        return Err(format!(
            "Source offset {} for source partition {} has an invalid value {} for the 'offset' key, which must be an integer",
            java(offset), java(partition), java(value)
        ));
    };
    if only_zero && n != 0 {
        return Err(format!(
            "Source offset {} for source partition {} has an invalid value {} for the 'offset' key; the only accepted value is 0",
            java(offset), java(partition), java(value)
        ));
    }
    if !only_zero && n < 0 {
        return Err(format!(
            "Source offset {} for source partition {} has an invalid value {} for the 'offset' key, which cannot be negative",
            java(offset), java(partition), java(value)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_validated_as_mm2_does() {
        let p = json!({"cluster": "east", "topic": "t", "partition": 0});
        assert_eq!(
            validate(ConnectorKind::Source, &p, &json!({"offset": 5})),
            Ok(())
        );
        assert_eq!(validate(ConnectorKind::Source, &p, &Value::Null), Ok(()));
        assert_eq!(
            validate(ConnectorKind::Source, &json!({"topic": "t", "partition": 0}), &json!({"offset": 1})),
            Err("Source partition {partition=0, topic=t} is missing the 'cluster' key, which is required".into())
        );
        assert_eq!(
            validate(ConnectorKind::Source, &json!({"cluster": "e", "topic": "t", "partition": -1}), &json!({"offset": 1})),
            Err("Source partition {cluster=e, partition=-1, topic=t} has an invalid value -1 for the 'partition' key, which cannot be negative".into())
        );
        assert_eq!(
            validate(ConnectorKind::Source, &p, &json!({"offset": -2})),
            Err("Source offset {offset=-2} for source partition {cluster=east, partition=0, topic=t} has an invalid value -2 for the 'offset' key, which cannot be negative".into())
        );
        assert!(validate(ConnectorKind::Source, &p, &json!({"offset": "5"}))
            .unwrap_err()
            .ends_with("which must be an integer"));
        assert!(validate(ConnectorKind::Source, &p, &json!({}))
            .unwrap_err()
            .contains("is missing the 'offset' key"));
        let cp = json!({"group": "g", "topic": "east.t", "partition": 1});
        assert_eq!(
            validate(ConnectorKind::Checkpoint, &cp, &json!({"offset": 0})),
            Ok(())
        );
        assert!(
            validate(ConnectorKind::Checkpoint, &cp, &json!({"offset": 3}))
                .unwrap_err()
                .ends_with("the only accepted value is 0")
        );
        let hb = json!({"sourceClusterAlias": "east", "targetClusterAlias": "west"});
        assert_eq!(
            validate(ConnectorKind::Heartbeat, &hb, &json!({"offset": 0})),
            Ok(())
        );
        assert_eq!(
            validate(
                ConnectorKind::Heartbeat,
                &Value::Null,
                &json!({"offset": 0})
            ),
            Err("Source partitions may not be null".into())
        );
    }

    fn lab() -> LabMirrors {
        // Nothing listens there: the engines run, copy nothing, and follow the states.
        let clusters = [("east", "127.0.0.1:1"), ("west", "127.0.0.1:2")]
            .into_iter()
            .map(|(n, b)| (n.to_string(), b.to_string()))
            .collect();
        LabMirrors::new(MirrorEnv {
            topic_maker: Box::new(|_, _, _| Ok(())),
            candidate_groups: vec![],
            client_timeout: Duration::from_secs(1),
            clusters,
        })
    }

    fn config(kind: ConnectorKind, source: &str, target: &str) -> ConnectorConfig {
        let port = |a: &str| {
            if a == "east" {
                "127.0.0.1:1"
            } else {
                "127.0.0.1:2"
            }
        };
        [
            ("connector.class", kind.class()),
            ("source.cluster.alias", source),
            ("target.cluster.alias", target),
            ("source.cluster.bootstrap.servers", port(source)),
            ("target.cluster.bootstrap.servers", port(target)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn connectors_follow_connects_state_machine() {
        let m = lab();
        let src = config(ConnectorKind::Source, "east", "west");
        let (info, created) = m.put_config("s", src.clone(), None, false).unwrap();
        assert!(created);
        assert_eq!(
            (info.tasks.clone(), info.config["name"].as_str()),
            (vec![0], "s")
        );
        assert_eq!(
            m.put_config("s", src.clone(), None, false).unwrap_err(),
            ApiError::Conflict("Connector s already exists".into())
        );
        // PUT on an existing connector updates it.
        let (_, created) = m.put_config("s", src.clone(), None, true).unwrap();
        assert!(!created);
        m.put_config(
            "c",
            config(ConnectorKind::Checkpoint, "east", "west"),
            Some(RunState::Paused),
            false,
        )
        .unwrap();
        assert_eq!(m.status("c").unwrap().tasks[0].state, "PAUSED");
        // A second source connector for one direction is refused; another direction is not.
        assert_eq!(
            m.put_config("s2", src, None, false).unwrap_err().status(),
            400
        );
        m.put_config(
            "r",
            config(ConnectorKind::Source, "west", "east"),
            None,
            false,
        )
        .unwrap();
        assert_eq!(m.flows().len(), 2);

        let stop_first = m.alter_offsets("s", &json!({"offsets": [{"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": 9}}]}));
        assert_eq!(stop_first.unwrap_err().status(), 400);
        m.set_state("s", RunState::Paused).unwrap();
        let s = m.status("s").unwrap();
        assert_eq!(
            (s.state, s.tasks[0].state.as_str()),
            (RunState::Paused, "PAUSED"),
            "{s:?}"
        );
        assert_eq!(
            m.reset_offsets("s").unwrap_err().status(),
            400,
            "paused is not stopped"
        );
        m.set_state("s", RunState::Stopped).unwrap();
        let s = m.status("s").unwrap();
        assert_eq!((s.state, s.tasks.len()), (RunState::Stopped, 0));
        assert!(m.info("s").unwrap().tasks.is_empty());
        let body = json!({"offsets": [
            {"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": 9}},
            {"partition": {"cluster": "elsewhere", "topic": "t", "partition": 1}, "offset": {"offset": 5}}
        ]});
        assert_eq!(
            m.alter_offsets("s", &body).unwrap(),
            "The offsets for this connector have been altered successfully"
        );
        assert_eq!(
            m.flows()[0].positions,
            BTreeMap::from([(("t".to_string(), 0), 10)])
        );
        assert_eq!(
            m.offsets("s").unwrap(),
            vec![
                json!({"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": 9}})
            ]
        );
        assert_eq!(
            m.alter_offsets("s", &json!({"offsets": []})).unwrap_err(),
            ApiError::BadRequest(
                "Partitions / offsets need to be provided for an alter offsets request".into()
            )
        );
        let bad = json!({"offsets": [{"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": -1}}]});
        assert_eq!(m.alter_offsets("s", &bad).unwrap_err().status(), 500);
        // Deleted and created again under its name, a source connector keeps its offsets.
        m.delete("s").unwrap();
        assert_eq!(
            m.status("s").unwrap_err(),
            ApiError::NotFound("Connector s not found".into())
        );
        m.put_config(
            "s",
            config(ConnectorKind::Source, "east", "west"),
            Some(RunState::Stopped),
            false,
        )
        .unwrap();
        assert_eq!(m.offsets("s").unwrap().len(), 1);
        assert_eq!(
            m.reset_offsets("s").unwrap(),
            "The offsets for this connector have been reset successfully"
        );
        assert!(m.offsets("s").unwrap().is_empty());
        m.set_state("s", RunState::Running).unwrap();
        assert_eq!(m.flows()[0].copy, RunState::Running);
        // A connector cannot change direction.
        assert_eq!(
            m.put_config(
                "s",
                config(ConnectorKind::Source, "west", "east"),
                None,
                true
            )
            .unwrap_err()
            .status(),
            400
        );
        // Configs must point at the lab's clusters.
        let mut elsewhere = config(ConnectorKind::Source, "a", "b");
        elsewhere.insert(
            "target.cluster.bootstrap.servers".into(),
            "10.0.0.1:9092".into(),
        );
        let e = m.put_config("x", elsewhere, None, false).unwrap_err();
        assert!(e.to_string().contains("10.0.0.1:9092 for configuration target.cluster.bootstrap.servers: not a cluster of this lab"), "{e}");
        for n in ["c", "r", "s"] {
            m.delete(n).unwrap();
        }
        assert!(m.flows().is_empty(), "no connector, no engine");
    }

    #[test]
    fn config_errors_read_as_connects() {
        let e = invalid_config(vec!["a".into(), "b".into()]);
        assert_eq!(e.status(), 400);
        assert!(e.to_string().starts_with(
            "Connector configuration is invalid and contains the following 2 error(s):\na\nb\n"
        ));
    }
}
