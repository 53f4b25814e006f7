//! Cluster health, computed from a snapshot: pure, testable without a broker.

pub mod status;

pub use status::{assess, ClusterStatus, PartitionIssue};
