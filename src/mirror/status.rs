//! What a driver reports about a mirror: plain data, printable and serialisable.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

/// The three MirrorMaker 2 connectors of one flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectorKind {
    /// MirrorSourceConnector: copies records and writes offset syncs.
    Source,
    /// MirrorCheckpointConnector: translates consumer-group offsets into checkpoints.
    Checkpoint,
    /// MirrorHeartbeatConnector: writes heartbeats to the target.
    Heartbeat,
}

impl ConnectorKind {
    pub const ALL: [ConnectorKind; 3] = [
        ConnectorKind::Source,
        ConnectorKind::Checkpoint,
        ConnectorKind::Heartbeat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorKind::Source => "source",
            ConnectorKind::Checkpoint => "checkpoint",
            ConnectorKind::Heartbeat => "heartbeat",
        }
    }

    /// From a `connector.class`: the full class name, the simple one, or Connect's
    /// alias without `Connector`.
    pub fn from_class(class: &str) -> Option<ConnectorKind> {
        const PACKAGE: &str = "org.apache.kafka.connect.mirror.";
        let simple = class.trim().strip_prefix(PACKAGE).unwrap_or(class.trim());
        let simple = simple.strip_suffix("Connector").unwrap_or(simple);
        ConnectorKind::ALL.into_iter().find(|k| {
            k.class_name()
                .strip_prefix(PACKAGE)
                .and_then(|c| c.strip_suffix("Connector"))
                == Some(simple)
        })
    }

    /// The connector's Java class (`connector.class`).
    pub fn class_name(self) -> &'static str {
        match self {
            ConnectorKind::Source => "org.apache.kafka.connect.mirror.MirrorSourceConnector",
            ConnectorKind::Checkpoint => {
                "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"
            }
            ConnectorKind::Heartbeat => "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
        }
    }
}

impl fmt::Display for ConnectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A connector's or task's state as Kafka Connect reports it, plus `Absent` (no such
/// connector).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConnectorState {
    Running,
    Paused,
    /// KIP-875: the connector has no tasks and keeps its config; offsets can be edited.
    Stopped,
    Failed,
    Unassigned,
    Restarting,
    /// The connector does not exist.
    Absent,
    /// A state this build does not know.
    Other(String),
}

impl ConnectorState {
    /// Parses Connect's upper-case state name.
    pub fn parse(s: &str) -> ConnectorState {
        match s {
            "RUNNING" => ConnectorState::Running,
            "PAUSED" => ConnectorState::Paused,
            "STOPPED" => ConnectorState::Stopped,
            "FAILED" => ConnectorState::Failed,
            "UNASSIGNED" => ConnectorState::Unassigned,
            "RESTARTING" => ConnectorState::Restarting,
            other => ConnectorState::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ConnectorState::Running => "RUNNING",
            ConnectorState::Paused => "PAUSED",
            ConnectorState::Stopped => "STOPPED",
            ConnectorState::Failed => "FAILED",
            ConnectorState::Unassigned => "UNASSIGNED",
            ConnectorState::Restarting => "RESTARTING",
            ConnectorState::Absent => "ABSENT",
            ConnectorState::Other(s) => s,
        }
    }
}

impl fmt::Display for ConnectorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ConnectorState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskStatus {
    pub id: u32,
    pub state: ConnectorState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_id: Option<String>,
    /// First line of the Java stack trace of a FAILED task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

/// One MirrorMaker 2 connector on a Connect cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorStatus {
    pub name: String,
    /// Which MM2 connector this is (None: not one of MM2's classes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConnectorKind>,
    pub state: ConnectorState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_id: Option<String>,
    /// First line of the Java stack trace of a FAILED connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
    pub tasks: Vec<TaskStatus>,
    /// The connector's config as Connect returns it, with values of secret-looking keys
    /// (`*password*`, `*secret*`, `sasl.jaas.config`, …) replaced by `***`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<BTreeMap<String, String>>,
}

impl ConnectorStatus {
    pub fn absent(name: &str, kind: Option<ConnectorKind>) -> ConnectorStatus {
        ConnectorStatus {
            name: name.to_string(),
            kind,
            state: ConnectorState::Absent,
            worker_id: None,
            trace: None,
            tasks: Vec::new(),
            config: None,
        }
    }

    /// The connector and every task are in `state`. A STOPPED connector has no tasks;
    /// a connector with zero tasks (nothing to copy) counts as in `state` too.
    pub fn is_settled_in(&self, state: &ConnectorState) -> bool {
        self.state == *state && self.tasks.iter().all(|t| t.state == *state)
    }

    /// The first FAILED thing: the connector (None) or a task (Some(id)), with its trace.
    pub fn failure(&self) -> Option<(Option<u32>, String)> {
        if self.state == ConnectorState::Failed {
            return Some((None, self.trace.clone().unwrap_or_default()));
        }
        self.tasks
            .iter()
            .find(|t| t.state == ConnectorState::Failed)
            .map(|t| (Some(t.id), t.trace.clone().unwrap_or_default()))
    }
}

/// One `A->B` flow of a dedicated-mode `mm2.properties`, as the file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowStatus {
    pub source_alias: String,
    pub target_alias: String,
    /// `A->B.enabled` (Java `Boolean.parseBoolean`: only `true`, any case, is true).
    pub enabled: bool,
    /// Effective `topics` (the flow's own key, else the file's top-level key), if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics_exclude: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<String>,
    /// Both aliases are listed in `clusters` (otherwise MM2 ignores the flow).
    pub in_clusters: bool,
}

impl FlowStatus {
    pub fn label(&self) -> String {
        format!("{}->{}", self.source_alias, self.target_alias)
    }
}

/// Which driver produced a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriverKind {
    Connect,
    Mm2Properties,
}

impl DriverKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DriverKind::Connect => "connect",
            DriverKind::Mm2Properties => "mm2-properties",
        }
    }
}

/// A mirror as its driver sees it right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirrorRuntimeStatus {
    /// The topology's mirror name.
    pub mirror: String,
    pub driver: DriverKind,
    /// The Connect URL (never with credentials) or the properties file path.
    pub endpoint: String,
    /// Connect driver: the mirror's three connectors, `ABSENT` when missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connectors: Vec<ConnectorStatus>,
    /// mm2-properties driver: the mirror's flow (and, when present, its reverse).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<FlowStatus>,
    /// What this status cannot tell (e.g. dedicated mode has no task states).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl MirrorRuntimeStatus {
    /// The connectors that exist.
    pub fn present(&self) -> impl Iterator<Item = &ConnectorStatus> {
        self.connectors
            .iter()
            .filter(|c| c.state != ConnectorState::Absent)
    }

    /// Connect: the source connector and every other present connector, with all their
    /// tasks, are RUNNING. mm2-properties: the mirror's flow is enabled and listed in
    /// `clusters` (the file is all this driver can see).
    pub fn is_running(&self) -> bool {
        match self.driver {
            DriverKind::Connect => {
                self.connectors.iter().any(|c| {
                    c.kind == Some(ConnectorKind::Source) && c.state != ConnectorState::Absent
                }) && self
                    .present()
                    .all(|c| c.is_settled_in(&ConnectorState::Running))
            }
            DriverKind::Mm2Properties => self
                .flows
                .first()
                .is_some_and(|f| f.enabled && f.in_clusters),
        }
    }
}

/// The first line of a Java stack trace, without trailing whitespace.
pub(crate) fn first_line(trace: &str) -> Option<String> {
    trace
        .lines()
        .map(str::trim_end)
        .find(|l| !l.trim().is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for s in [
            "RUNNING",
            "PAUSED",
            "STOPPED",
            "FAILED",
            "UNASSIGNED",
            "RESTARTING",
        ] {
            assert_eq!(ConnectorState::parse(s).as_str(), s);
        }
        assert_eq!(
            ConnectorState::parse("NEW"),
            ConnectorState::Other("NEW".into())
        );
        assert_eq!(
            serde_json::to_string(&ConnectorState::Stopped).unwrap(),
            "\"STOPPED\""
        );
    }

    #[test]
    fn settled_and_failed() {
        let mut c = ConnectorStatus::absent("a", Some(ConnectorKind::Source));
        c.state = ConnectorState::Running;
        c.tasks.push(TaskStatus {
            id: 0,
            state: ConnectorState::Running,
            worker_id: None,
            trace: None,
        });
        assert!(c.is_settled_in(&ConnectorState::Running));
        c.tasks[0].state = ConnectorState::Failed;
        c.tasks[0].trace = Some("org.x.Boom: no".into());
        assert!(!c.is_settled_in(&ConnectorState::Running));
        assert_eq!(c.failure(), Some((Some(0), "org.x.Boom: no".into())));
    }

    #[test]
    fn first_line_of_trace() {
        assert_eq!(
            first_line(
                "\norg.apache.kafka.connect.errors.ConnectException: x  \n\tat a.b(C.java:1)"
            ),
            Some("org.apache.kafka.connect.errors.ConnectException: x".into())
        );
        assert_eq!(first_line(""), None);
    }
}
