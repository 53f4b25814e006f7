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
pub use plan::{LabOptions, LabPlan};
