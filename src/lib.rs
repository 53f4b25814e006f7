//! kafka-failover: multi-datacenter Apache Kafka failovers and drills.
//!
//! Layers, one folder each: `topology` (model, load, lint), `kafka` (the only code that
//! talks to librdkafka; its `ffi` module is the only `unsafe` code), `cli` (clap and
//! output). Later layers (`placement`, `offsets`, `mirror`, `runbook`, `lab`) follow the
//! same one-way flow: file -> topology -> snapshot -> pure plan -> executor -> journal.
#![deny(unsafe_code)]

pub mod cli;
pub mod clock;
pub mod cluster;
pub mod exit;
pub mod fsutil;
pub mod kafka;
pub mod lab;
pub mod mirror;
pub mod offsets;
pub mod placement;
pub mod runbook;
pub mod shell;
pub mod table;
pub mod topology;
