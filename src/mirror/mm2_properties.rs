//! The dedicated-mode driver: MirrorMaker 2 run from an `mm2.properties` file
//! (`connect-mirror-maker.sh mm2.properties`). The tool edits the file's `A->B.enabled`
//! and `A->B.topics|topics.exclude|groups` keys, preserving every other byte, writes it
//! atomically after a `FILE.bak-<timestamp>` backup, and runs the topology's reload
//! command; when that fails or times out, the previous file is put back.
//!
//! Dedicated mode has no REST status, so this driver knows only what the file says: which
//! flows are enabled. It cannot see connectors or tasks, and says so in its status.
//! MM2 keeps emitting heartbeats for a disabled flow (MirrorMakerConfig.clusterPairs),
//! which is harmless.

mod apply;
pub mod props;

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde::Serialize;

use self::apply::{run_reload, write_atomic, write_backup, FileMeta};
pub use self::props::PropertiesDoc;
use super::mm2_config::{ConnectorConfig, MM2_DEFAULT_TOPICS_EXCLUDE};
use super::offsets::ConnectorOffsets;
use super::status::{ConnectorState, DriverKind, FlowStatus, MirrorRuntimeStatus};
use super::{InitialState, MirrorDriver, MirrorError};
use crate::topology::{Mirror, Mm2PropertiesDriver};

/// Time bounds of the dedicated-mode driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mm2Options {
    /// Longest the reload command may run; it is killed (with its children) after that.
    pub reload_timeout: Duration,
    /// Pause between reads of the file in `wait_for_state`.
    pub poll_interval: Duration,
}

impl Default for Mm2Options {
    fn default() -> Self {
        Mm2Options {
            reload_timeout: Duration::from_secs(120),
            poll_interval: Duration::from_millis(500),
        }
    }
}

/// Changes to one `SOURCE->TARGET` flow. `None` leaves a key as it is; an empty list
/// means "everything" for `topics`/`groups` (written as `.*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FlowEdit {
    pub source_alias: String,
    pub target_alias: String,
    pub enabled: Option<bool>,
    pub topics: Option<Vec<String>>,
    pub topics_exclude: Option<Vec<String>>,
    pub groups: Option<Vec<String>>,
}

impl FlowEdit {
    pub fn new(source_alias: &str, target_alias: &str) -> FlowEdit {
        FlowEdit {
            source_alias: source_alias.to_string(),
            target_alias: target_alias.to_string(),
            ..FlowEdit::default()
        }
    }

    pub fn enabled(mut self, on: bool) -> FlowEdit {
        self.enabled = Some(on);
        self
    }

    pub fn topics(mut self, include: Vec<String>, exclude: Vec<String>) -> FlowEdit {
        self.topics = Some(include);
        self.topics_exclude = Some(exclude);
        self
    }

    pub fn groups(mut self, include: Vec<String>) -> FlowEdit {
        self.groups = Some(include);
        self
    }

    fn prefix(&self) -> String {
        format!("{}->{}.", self.source_alias, self.target_alias)
    }
}

/// One key the edit changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyChange {
    pub key: String,
    pub old: Option<String>,
    pub new: String,
}

/// What an applied edit did: for the plan, the journal and undo
/// ([`Mm2PropertiesFileDriver::restore`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mm2Change {
    pub file: PathBuf,
    /// The previous file; None when nothing changed (nothing was written or reloaded).
    pub backup: Option<PathBuf>,
    pub changes: Vec<KeyChange>,
}

/// One mirror's flow in one `mm2.properties`.
#[derive(Debug, Clone)]
pub struct Mm2PropertiesFileDriver {
    mirror_name: String,
    file: PathBuf,
    reload: String,
    source_alias: String,
    target_alias: String,
    opts: Mm2Options,
}

impl Mm2PropertiesFileDriver {
    pub fn new(
        mirror_name: &str,
        mirror: &Mirror,
        spec: &Mm2PropertiesDriver,
        opts: Mm2Options,
    ) -> Mm2PropertiesFileDriver {
        Mm2PropertiesFileDriver {
            mirror_name: mirror_name.to_string(),
            file: PathBuf::from(&spec.file),
            reload: spec.reload.clone(),
            source_alias: mirror.source_alias().to_string(),
            target_alias: mirror.target_alias().to_string(),
            opts,
        }
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The mirror's flow, `(source alias, target alias)`.
    pub fn flow(&self) -> (&str, &str) {
        (&self.source_alias, &self.target_alias)
    }

    /// The file as it is now, and its bytes.
    pub fn read(&self) -> Result<(PropertiesDoc, Vec<u8>), MirrorError> {
        let bytes =
            std::fs::read(&self.file).map_err(|e| MirrorError::io(&self.file, "cannot read", e))?;
        Ok((PropertiesDoc::parse(&bytes), bytes))
    }

    /// The keys `edits` would change, without writing anything.
    pub fn plan(&self, edits: &[FlowEdit]) -> Result<Vec<KeyChange>, MirrorError> {
        let (mut doc, _) = self.read()?;
        edit_doc(&mut doc, edits)
    }

    /// Applies `edits` to the file (backup, atomic write), then runs the reload command.
    /// Nothing changes and nothing is reloaded when the file already says what `edits` say.
    /// A failing or timed-out reload puts the previous file back and returns
    /// [`MirrorError::ReloadFailed`].
    pub fn apply(&self, edits: &[FlowEdit]) -> Result<Mm2Change, MirrorError> {
        let (mut doc, original) = self.read()?;
        let changes = edit_doc(&mut doc, edits)?;
        if changes.is_empty() {
            return Ok(Mm2Change {
                file: self.file.clone(),
                backup: None,
                changes,
            });
        }
        let backup = self.replace_and_reload(&original, &doc.to_bytes())?;
        Ok(Mm2Change {
            file: self.file.clone(),
            backup: Some(backup),
            changes,
        })
    }

    /// Undo: puts `backup`'s content back (itself backed up first) and reloads.
    pub fn restore(&self, backup: &Path) -> Result<Mm2Change, MirrorError> {
        let wanted =
            std::fs::read(backup).map_err(|e| MirrorError::io(backup, "cannot read", e))?;
        let (_, original) = self.read()?;
        let saved = self.replace_and_reload(&original, &wanted)?;
        Ok(Mm2Change {
            file: self.file.clone(),
            backup: Some(saved),
            changes: Vec::new(),
        })
    }

    /// Every flow the file mentions (`clusters` pairs with any `A->B.` key), the mirror's
    /// own flow first.
    pub fn flows(&self) -> Result<Vec<FlowStatus>, MirrorError> {
        let (doc, _) = self.read()?;
        let mut pairs: Vec<(String, String)> = vec![self.flow_pair()];
        for key in doc.keys() {
            if let Some((pair, _)) = key.split_once('.') {
                if let Some((a, b)) = pair.split_once("->") {
                    let p = (a.to_string(), b.to_string());
                    if !pairs.contains(&p) {
                        pairs.push(p);
                    }
                }
            }
        }
        Ok(pairs.iter().map(|(a, b)| flow_status(&doc, a, b)).collect())
    }

    fn flow_pair(&self) -> (String, String) {
        (self.source_alias.clone(), self.target_alias.clone())
    }

    fn set_enabled(&self, on: bool) -> Result<(), MirrorError> {
        let edit = FlowEdit::new(&self.source_alias, &self.target_alias).enabled(on);
        self.apply(&[edit]).map(|_| ())
    }

    /// Backup, write, reload; on reload failure write `original` back.
    fn replace_and_reload(&self, original: &[u8], new: &[u8]) -> Result<PathBuf, MirrorError> {
        // Edit the real file behind a symlink, not the link.
        let path = std::fs::canonicalize(&self.file)
            .map_err(|e| MirrorError::io(&self.file, "cannot resolve", e))?;
        let meta = FileMeta::of(&path)?;
        let now = std::fs::read(&path).map_err(|e| MirrorError::io(&path, "cannot read", e))?;
        if now != original {
            return Err(MirrorError::ConcurrentEdit { path });
        }
        let backup = write_backup(&path, original, meta)?;
        write_atomic(&path, new, meta)?;
        if let Err(failure) = run_reload(&self.reload, self.opts.reload_timeout) {
            let restored = write_atomic(&path, original, meta).is_ok();
            return Err(MirrorError::ReloadFailed {
                command: self.reload.clone(),
                status: failure.status,
                stderr: failure.stderr,
                restored,
            });
        }
        Ok(backup)
    }
}

fn edit_doc(doc: &mut PropertiesDoc, edits: &[FlowEdit]) -> Result<Vec<KeyChange>, MirrorError> {
    let clusters = cluster_list(doc);
    let mut changes = Vec::new();
    for e in edits {
        if e.enabled == Some(true) {
            for alias in [&e.source_alias, &e.target_alias] {
                if !clusters.contains(alias) {
                    return Err(MirrorError::InvalidSpec(format!(
                        "cannot enable {}: `{alias}` is not listed in `clusters` of the mm2.properties \
                         (MM2 would ignore the flow); add it and its `{alias}.bootstrap.servers` first",
                        e.prefix().trim_end_matches('.')
                    )));
                }
            }
        }
        let prefix = e.prefix();
        let mut wanted: Vec<(String, String)> = Vec::new();
        if let Some(on) = e.enabled {
            wanted.push((format!("{prefix}enabled"), on.to_string()));
        }
        if let Some(t) = &e.topics {
            wanted.push((format!("{prefix}topics"), include_value("topics", t)?));
        }
        if let Some(x) = &e.topics_exclude {
            wanted.push((
                format!("{prefix}topics.exclude"),
                exclude_value("topics", x, &MM2_DEFAULT_TOPICS_EXCLUDE)?,
            ));
        }
        if let Some(g) = &e.groups {
            wanted.push((format!("{prefix}groups"), include_value("groups", g)?));
        }
        for (key, value) in wanted {
            let old = doc.get(&key).map(str::to_string);
            if old.as_deref() != Some(value.as_str()) {
                doc.set(&key, &value, Some(&prefix));
                changes.push(KeyChange {
                    key,
                    old,
                    new: value,
                });
            }
        }
    }
    Ok(changes)
}

fn include_value(what: &str, patterns: &[String]) -> Result<String, MirrorError> {
    super::mm2_config::check_patterns(what, patterns)?;
    Ok(if patterns.is_empty() {
        ".*".to_string()
    } else {
        patterns.join(", ")
    })
}

fn exclude_value(
    what: &str,
    patterns: &[String],
    defaults: &[&str],
) -> Result<String, MirrorError> {
    super::mm2_config::check_patterns(what, patterns)?;
    let mut all: Vec<&str> = defaults.to_vec();
    all.extend(
        patterns
            .iter()
            .map(String::as_str)
            .filter(|p| !defaults.contains(p)),
    );
    Ok(all.join(", "))
}

/// `clusters`, split like Kafka's `ConfigDef` LIST type (commas, surrounding blanks).
fn cluster_list(doc: &PropertiesDoc) -> Vec<String> {
    doc.get("clusters")
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn flow_status(doc: &PropertiesDoc, a: &str, b: &str) -> FlowStatus {
    let clusters = cluster_list(doc);
    let flow_or_top = |key: &str| {
        doc.get(&format!("{a}->{b}.{key}"))
            .or_else(|| doc.get(key))
            .map(str::to_string)
    };
    FlowStatus {
        source_alias: a.to_string(),
        target_alias: b.to_string(),
        // Java's Boolean.parseBoolean: "true" in any case, nothing else.
        enabled: doc
            .get(&format!("{a}->{b}.enabled"))
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        topics: flow_or_top("topics"),
        topics_exclude: flow_or_top("topics.exclude"),
        groups: flow_or_top("groups"),
        in_clusters: clusters.iter().any(|c| c == a) && clusters.iter().any(|c| c == b),
    }
}

impl MirrorDriver for Mm2PropertiesFileDriver {
    fn kind(&self) -> DriverKind {
        DriverKind::Mm2Properties
    }

    fn mirror_name(&self) -> &str {
        &self.mirror_name
    }

    fn endpoint(&self) -> String {
        self.file.display().to_string()
    }

    fn status(&self) -> Result<MirrorRuntimeStatus, MirrorError> {
        let (a, b) = self.flow();
        let all = self.flows()?;
        let flows = all
            .into_iter()
            .filter(|f| {
                (f.source_alias == a && f.target_alias == b)
                    || (f.source_alias == b && f.target_alias == a)
            })
            .collect();
        Ok(MirrorRuntimeStatus {
            mirror: self.mirror_name.clone(),
            driver: DriverKind::Mm2Properties,
            endpoint: self.endpoint(),
            connectors: Vec::new(),
            flows,
            notes: vec![format!(
                "dedicated mode: read from {}; MirrorMaker 2 has no status API there, so \
                 connector and task states are unknown (check its logs or JMX)",
                self.file.display()
            )],
        })
    }

    fn pause(&self) -> Result<(), MirrorError> {
        self.set_enabled(false)
    }

    fn resume(&self) -> Result<(), MirrorError> {
        self.set_enabled(true)
    }

    fn stop(&self) -> Result<(), MirrorError> {
        self.set_enabled(false)
    }

    /// RUNNING: the flow is enabled (and in `clusters`); PAUSED or STOPPED: disabled.
    /// The file is re-read until it says so or `timeout` passes.
    fn wait_for_state(
        &self,
        state: &ConnectorState,
        timeout: Duration,
    ) -> Result<MirrorRuntimeStatus, MirrorError> {
        let want_running = match state {
            ConnectorState::Running => true,
            ConnectorState::Paused | ConnectorState::Stopped => false,
            _ => {
                return Err(MirrorError::Unsupported {
                    driver: "mm2-properties",
                    operation: "observe states other than RUNNING, PAUSED and STOPPED",
                })
            }
        };
        let deadline = Instant::now() + timeout;
        loop {
            let st = self.status()?;
            if st.is_running() == want_running {
                return Ok(st);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(MirrorError::Timeout {
                    what: format!(
                        "waiting for {} to say flow {}->{} is {state}",
                        self.file.display(),
                        self.source_alias,
                        self.target_alias
                    ),
                    after: timeout,
                });
            }
            sleep(self.opts.poll_interval.min(deadline - now));
        }
    }

    fn put_config(&self, _name: &str, _config: &ConnectorConfig) -> Result<bool, MirrorError> {
        Err(unsupported(
            "configure connectors (edit flows with `apply`)",
        ))
    }

    fn create(
        &self,
        _name: &str,
        _config: &ConnectorConfig,
        _initial: Option<InitialState>,
    ) -> Result<(), MirrorError> {
        Err(unsupported(
            "create connectors (enable a flow with `apply`)",
        ))
    }

    fn delete(&self, _name: &str) -> Result<(), MirrorError> {
        Err(unsupported("delete connectors"))
    }

    fn get_offsets(&self, _name: &str) -> Result<ConnectorOffsets, MirrorError> {
        Err(unsupported(
            "read connector offsets (no REST API in dedicated mode)",
        ))
    }

    fn set_offsets(&self, _name: &str, _offsets: &ConnectorOffsets) -> Result<String, MirrorError> {
        Err(unsupported(
            "set connector offsets (no REST API in dedicated mode)",
        ))
    }

    fn reset_offsets(&self, _name: &str) -> Result<String, MirrorError> {
        Err(unsupported(
            "reset connector offsets (no REST API in dedicated mode)",
        ))
    }
}

fn unsupported(operation: &'static str) -> MirrorError {
    MirrorError::Unsupported {
        driver: "mm2-properties",
        operation,
    }
}
