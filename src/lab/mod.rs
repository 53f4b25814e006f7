//! The embedded lab: clusters shaped like a topology, with traffic, for drills and tests.
//! `plan` decides what to build (pure); `mock` builds it on librdkafka's mock clusters.

pub mod mock;
pub mod plan;
pub mod seed;

pub use mock::MockLab;
pub use plan::{LabOptions, LabPlan};
