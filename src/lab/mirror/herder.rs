//! The connectors of the lab's mirror, kept as Kafka Connect's herder keeps them:
//! configs, target states and KIP-875 offsets, with Connect's rules and messages
//! (`AbstractHerder`, `DistributedHerder`, `MirrorUtils` in Kafka). Each direction's
//! connectors share one flow (engine thread).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Serialize;

use super::config::{ConnectorConfig, ConnectorKind, MirrorConfig};
use super::engine;
use super::flow::{Flow, Tp};
use super::{MirrorEnv, RunState};

/// How long pause and stop wait for the engine to finish its batch.
// Connect answers a pause or stop at once (202) and the task stops soon after; the lab
// waits a little for its engine so tests see no copy after the call, but not for an
// engine stuck on a source that is gone (it copies nothing then anyway).
const APPLY_WAIT: Duration = Duration::from_secs(3);

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

pub(super) fn not_found(name: &str) -> ApiError {
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

pub(super) struct Connector {
    pub(super) kind: ConnectorKind,
    config: ConnectorConfig,
    pub(super) parsed: MirrorConfig,
    pub(super) state: RunState,
}

impl Connector {
    pub(super) fn flow_key(&self) -> FlowKey {
        (
            self.parsed.source_alias.clone(),
            self.parsed.target_alias.clone(),
        )
    }
}

pub(super) struct FlowEntry {
    pub(super) flow: Arc<Flow>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
pub(super) struct Registry {
    pub(super) connectors: BTreeMap<String, Connector>,
    pub(super) flows: BTreeMap<FlowKey, FlowEntry>,
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

    /// The lab took `cluster` down (or brought it back).
    pub fn set_down(&self, cluster: &str, down: bool) {
        let mut d = self.env.down.write().unwrap_or_else(|e| e.into_inner());
        if down {
            d.insert(cluster.to_string());
        } else {
            d.remove(cluster);
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Registry> {
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
                    old.kind.as_str(), old.parsed.source_alias, old.parsed.target_alias,
                    kind.as_str(), key.0, key.1
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
            // An end that is down copies nothing; its engine may still be stuck in a
            // call to it (as a real task is), and Connect answers at once anyway.
            let down = {
                let c = flow.lock();
                c.config
                    .source_bootstrap
                    .as_deref()
                    .is_some_and(|b| self.env.is_down(b))
                    || self.env.is_down(&c.config.target_bootstrap)
            };
            if state != RunState::Running && !down {
                flow.wait_applied(APPLY_WAIT);
            }
        }
        Ok(())
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
                        .filter(|(_, c)| c.flow_key() == (source.clone(), target.clone()))
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

#[cfg(test)]
mod tests;
