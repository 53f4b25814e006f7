//! Rack-aware replica placement: a checker (with a DC-loss what-if) and a minimal-move
//! fix proposer, both pure functions of a `PlacementInput` built from a cluster snapshot.

pub mod check;
pub mod input;
pub mod propose;

pub use check::{
    check, ClusterFinding, LossImpact, PartitionPlacement, PlacementReport, Violation,
};
pub use input::{BrokerInfo, PartitionInfo, PlacementInput, Requirements, TopicPartitions};
pub use propose::{propose, recheck, PartitionMove, Proposal};

#[cfg(test)]
mod tests;
