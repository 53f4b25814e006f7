//! The lab's mirror: an in-process stand-in for MirrorMaker 2 on the mock lab, where no
//! Connect worker runs. It is not MirrorMaker 2; it behaves like it as far as this tool
//! can observe:
//!
//! - per direction ("flow", source alias -> target alias) a thread copies records of the
//!   mirrored topics to the target topics the replication policy names (same partition,
//!   key, value and timestamp, in order);
//! - it writes offset syncs to `mm2-offset-syncs.<target>.internal` on the source (first
//!   record, at least every `offset.lag.max` records, the latest pair once a second) and
//!   checkpoints to `<source>.checkpoints.internal` on the target (every
//!   `emit.checkpoints.interval.seconds`, 1 s in the lab, only when one changed), in
//!   MM2's binary formats (`offsets::mm2_records`), translating as `OffsetSyncStore` does
//!   (see [`rules`]);
//! - it is driven as MM2's three connectors are in Connect: [`LabMirrors`] keeps the
//!   connectors (configs, RUNNING / PAUSED / STOPPED, KIP-875 offsets) and
//!   `lab::connect_api` serves them over Connect's REST API. The connectors of one
//!   direction share its flow: the source connector's state gates copying and offset
//!   syncs, the checkpoint connector's gates checkpoints.
//!
//! Not done: heartbeats (the heartbeat connector has a state and nothing more), headers,
//! topic configs and ACLs, more than one task, exactly-once.
//!
//! The mock cannot list consumer groups: checkpoints cover the groups in
//! [`MirrorEnv::candidate_groups`] (plus any the source can list).

pub mod config;
mod engine;
mod flow;
mod herder;
mod offsets;
pub mod rules;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

pub use config::{connector_names, planned_config, ConnectorConfig, ConnectorKind, MirrorConfig};
pub use flow::Tp;
pub use herder::{ApiError, ConnectorInfo, ConnectorStatus, FlowReport, LabMirrors, TaskStatus};

/// A connector's target state, and what its task does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RunState {
    Running,
    Paused,
    Stopped,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "RUNNING",
            RunState::Paused => "PAUSED",
            RunState::Stopped => "STOPPED",
        }
    }
}

/// Makes a topic (bootstrap of the cluster, name, partitions) unless it exists.
pub type TopicMaker = Box<dyn Fn(&str, &str, i32) -> Result<(), String> + Send + Sync>;

/// What the mirror needs from the lab around it.
pub struct MirrorEnv {
    /// The mock has no CreateTopics API: the lab makes topics for the mirror.
    pub topic_maker: TopicMaker,
    /// Groups whose offsets may be checkpointed (filtered by each flow's `groups`).
    pub candidate_groups: Vec<String>,
    /// Each Kafka call of the engines is bounded by this.
    pub client_timeout: Duration,
    /// The lab's clusters: name -> bootstrap. Connector configs must point at them.
    pub clusters: BTreeMap<String, String>,
    /// Clusters the lab has taken down (every broker off the network). Engines leave
    /// them alone until they return: they could copy nothing, and librdkafka aborts
    /// when a group request times out while its coordinator is down
    /// (librdkafka#4605), which would take the whole lab with it.
    pub down: std::sync::RwLock<std::collections::BTreeSet<String>>,
}

impl MirrorEnv {
    /// Whether the cluster `bootstrap` points at is down.
    pub fn is_down(&self, bootstrap: &str) -> bool {
        self.cluster_of(bootstrap).is_some_and(|c| {
            self.down
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .contains(c)
        })
    }

    /// The lab cluster a `bootstrap.servers` value points at (any address in common).
    pub fn cluster_of(&self, bootstrap: &str) -> Option<&str> {
        cluster_of(&self.clusters, bootstrap)
    }
}

/// The cluster (name -> bootstrap) a `bootstrap.servers` value points at: the first
/// with an address in common.
pub fn cluster_of<'a>(clusters: &'a BTreeMap<String, String>, bootstrap: &str) -> Option<&'a str> {
    let wanted: Vec<&str> = bootstrap.split(',').map(str::trim).collect();
    clusters
        .iter()
        .find(|(_, b)| b.split(',').map(str::trim).any(|a| wanted.contains(&a)))
        .map(|(n, _)| n.as_str())
}
