//! Consumer-group offsets: `offsets show|reset|rollback`.
//!
//! * `model`: the snapshot the planner reads and the `ResetPlan` it returns.
//! * `planner`: pure; strategies, clamping, refusals, reasons.
//! * `translate`: MirrorMaker 2 checkpoints -> translations (pure).
//! * `mm2_records`: MM2's checkpoint and offset-sync record formats.
//! * `plan_file`: plans exported to / read from CSV and JSON.
//! * `journal`: the 0600 JSON-lines record of previous offsets that `rollback`
//!   and `--resume` read.
//! * `executor`: the only part that talks to a cluster (gather a snapshot, apply).

pub mod apply;
pub mod executor;
pub mod journal;
pub mod mm2_records;
pub mod model;
pub mod plan_file;
pub mod planner;
pub mod topology_groups;
pub mod translate;

pub use model::*;
pub use planner::{needs, plan, Needs};
