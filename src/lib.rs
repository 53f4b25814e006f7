//! kafka-failover: multi-datacenter Apache Kafka failovers and drills.
//!
//! Layers, one folder each: `topology` (model, load, lint), `cli` (clap and output).
//! Later layers (`kafka`, `placement`, `offsets`, `mirror`, `runbook`, `lab`) follow the
//! same one-way flow: file -> topology -> snapshot -> pure plan -> executor -> journal.

pub mod cli;
pub mod exit;
pub mod topology;
