//! A flow's shared state: what its connectors ask of it (settings, states, offsets)
//! and what its engine reports back.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::config::{ConnectorKind, MirrorConfig};
use super::RunState;
use crate::offsets::mm2_records::Checkpoint;

/// A source partition: (topic, partition).
pub type Tp = (String, i32);

/// What the connectors ask of a flow and what it reports back. Guarded by
/// [`Flow::control`].
#[derive(Debug)]
pub struct Control {
    /// The flow's settings, merged from its connectors' configs.
    pub config: MirrorConfig,
    /// Bumped when `config` changes: the engine rebuilds its clients.
    pub generation: u64,
    /// Copying (and offset syncs), from the source connector; `Stopped` without one.
    pub copy: RunState,
    /// What the engine does now: it follows `copy` between two batches.
    pub copy_applied: RunState,
    /// Checkpoints, from the checkpoint connector; `Stopped` without one.
    pub checkpoints: RunState,
    /// Per source partition, the next upstream offset to copy (the source connector's
    /// offsets, plus one). A partition without one starts at its log start.
    pub positions: BTreeMap<Tp, i64>,
    /// Offset syncs written, per source partition: (upstream, downstream).
    pub syncs: BTreeMap<Tp, Vec<(i64, i64)>>,
    /// Latest checkpoint emitted per (group, target topic, partition).
    pub emitted: BTreeMap<(String, String, i32), Checkpoint>,
    /// Connect-managed offsets of the checkpoint and heartbeat connectors, keyed by
    /// the partition's JSON: (partition, offset).
    pub framework_offsets: BTreeMap<ConnectorKind, BTreeMap<String, (Value, Value)>>,
    /// (source topic, target topic, partitions) mirrored now.
    pub topics: Vec<(String, String, i32)>,
    pub copied: u64,
    pub syncs_written: u64,
    pub checkpoints_written: u64,
    /// Why the engine cannot run (its clients could not be made), if so.
    pub failed: Option<String>,
    pub last_error: Option<String>,
    pub shutdown: bool,
}

impl Control {
    pub fn new(config: MirrorConfig) -> Control {
        Control {
            config,
            generation: 0,
            copy: RunState::Stopped,
            copy_applied: RunState::Stopped,
            checkpoints: RunState::Stopped,
            positions: BTreeMap::new(),
            syncs: BTreeMap::new(),
            emitted: BTreeMap::new(),
            framework_offsets: BTreeMap::new(),
            topics: Vec::new(),
            copied: 0,
            syncs_written: 0,
            checkpoints_written: 0,
            failed: None,
            last_error: None,
            shutdown: false,
        }
    }
}

/// A flow's shared state: its control block and a condition variable signalled on
/// every change (both ways).
pub struct Flow {
    pub control: Mutex<Control>,
    pub changed: Condvar,
}

impl Flow {
    pub fn new(config: MirrorConfig) -> Arc<Flow> {
        Arc::new(Flow {
            control: Mutex::new(Control::new(config)),
            changed: Condvar::new(),
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the engine copies the way `copy` asks (or `timeout` passes).
    pub fn wait_applied(&self, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        let mut c = self.lock();
        while c.copy_applied != c.copy && !c.shutdown {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            c = self
                .changed
                .wait_timeout(c, left.min(Duration::from_millis(100)))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}
