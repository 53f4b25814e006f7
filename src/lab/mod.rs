//! The embedded lab: clusters shaped like a topology, with traffic, for drills and tests.
//! `plan` decides what to build (pure); `mock` builds it on librdkafka's mock clusters,
//! `kafka_lab` on real Apache Kafka through `kafka_engine` (KRaft clusters of JVMs, also
//! used by the integration tests' fixture) and `kafka_process` (node recipe, JVMs);
//! `connect_process` and `mm2_process` run Kafka Connect workers and MirrorMaker 2 (dedicated
//! mode) next to those clusters.

pub mod connect_api;
pub mod connect_process;
pub mod kafka_engine;
pub mod kafka_lab;
pub mod kafka_process;
pub mod mirror;
pub mod mm2_process;
pub mod mock;
pub mod plan;
pub mod seed;

pub use kafka_lab::KafkaLab;
pub use mock::MockLab;
pub use plan::{with_extra_groups, LabOptions, LabPlan};

use std::collections::BTreeMap;

use crate::topology::Topology;

/// What a drill needs from a running lab, whichever engine runs it.
pub trait Lab {
    /// The topology, pointed at the lab's clusters.
    fn topology(&self) -> &Topology;
    fn plan(&self) -> &LabPlan;
    /// Bootstrap address per cluster.
    fn bootstrap(&self) -> &BTreeMap<String, String>;
    /// `mock` (librdkafka's mock clusters) or `kafka` (real Apache Kafka).
    fn engine(&self) -> &'static str;
    /// Takes every broker of `dc` down, in every cluster; returns how many.
    fn dc_down(&self, dc: &str) -> anyhow::Result<usize>;
    /// Brings the brokers of `dc` back; returns how many.
    fn dc_up(&self, dc: &str) -> anyhow::Result<usize>;
    /// Stops the lab's producers writing to `cluster`; returns once what they sent
    /// is acked (or could not be: the cluster is down). An unknown cluster is an error.
    fn pause_traffic(&self, cluster: &str) -> anyhow::Result<()>;
    /// Lets the lab's producers write to `cluster` again.
    fn resume_traffic(&self, cluster: &str) -> anyhow::Result<()>;
    /// The lab's topology as YAML, with a header saying where it came from.
    fn topology_yaml(&self) -> anyhow::Result<String>;
}
