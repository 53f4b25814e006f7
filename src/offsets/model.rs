//! What the offsets planner reads (a snapshot of one cluster's groups and logs) and
//! what it returns (a `ResetPlan`). Plain data: printable as a table or JSON,
//! testable without a broker.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::kafka::GroupState;

/// A topic partition as a map key (ordered by topic, then partition).
pub type Tp = (String, i32);

/// Log bounds of one partition: `[log_start, log_end)` holds the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogBounds {
    pub log_start: i64,
    pub log_end: i64,
}

impl LogBounds {
    pub fn clamp(&self, offset: i64) -> i64 {
        offset.clamp(self.log_start, self.log_end.max(self.log_start))
    }
}

/// One group as read from the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSnapshot {
    pub group: String,
    /// `None`: the cluster cannot describe groups (librdkafka's mock cluster).
    pub state: Option<GroupState>,
    /// Live members; `None` when unknown (see `state`).
    pub members: Option<usize>,
    /// Committed offset per partition in scope; `None`: nothing committed.
    pub committed: BTreeMap<Tp, Option<i64>>,
}

impl GroupSnapshot {
    pub fn has_live_members(&self) -> bool {
        self.members.is_some_and(|m| m > 0)
    }
}

/// Where a MirrorMaker 2 checkpoint says a group should resume on the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// Target-side offset (the checkpoint's downstream offset).
    pub offset: i64,
    /// The group's source-side offset the checkpoint was made for.
    pub upstream_offset: i64,
    /// Age of the checkpoint record, ms (now minus its timestamp).
    pub age_ms: Option<i64>,
    /// The group's committed offset on the source now, if the source answered.
    pub source_committed: Option<i64>,
    /// Upstream offset of MM2's newest offset sync at or before `upstream_offset`, when
    /// the offset syncs could be read on the source.
    #[serde(default)]
    pub sync_upstream: Option<i64>,
}

impl Translation {
    /// Records the group will read again when it resumes at `offset`: those it consumed
    /// on the source after its checkpoint, plus those between MM2's newest offset sync
    /// and the checkpoint (MM2 resumes one past that sync, not at the exact record).
    /// `None` when neither the source's offsets nor its syncs could be read.
    pub fn behind_by(&self) -> Option<i64> {
        let moved = self
            .source_committed
            .map(|c| (c - self.upstream_offset).max(0));
        let gap = self
            .sync_upstream
            .map(|s| (self.upstream_offset - s - 1).max(0));
        match (moved, gap) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        }
    }
}

/// Everything the planner may need, gathered by the executor in batched calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetsSnapshot {
    pub cluster: String,
    /// When the snapshot was taken (ms since the epoch): the "now" of timestamps.
    pub taken_at_ms: i64,
    pub bounds: BTreeMap<Tp, LogBounds>,
    pub groups: BTreeMap<String, GroupSnapshot>,
    /// ListOffsets by timestamp: (partition, timestamp) -> first offset at or after
    /// it, `None` when every record is older (past the end).
    pub by_timestamp: BTreeMap<(Tp, i64), Option<i64>>,
    /// Committed offsets of groups read for `--to-group`.
    pub other_groups: BTreeMap<String, BTreeMap<Tp, Option<i64>>>,
    /// MirrorMaker 2 translations: group -> partition -> translation.
    pub translations: BTreeMap<String, BTreeMap<Tp, Translation>>,
}

/// How a group's new offsets are chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetStrategy {
    Earliest,
    Latest,
    /// The first offset at or after this time (ms since the epoch); the log end when
    /// every record is older.
    Timestamp {
        at_ms: i64,
    },
    ShiftBy {
        by: i64,
    },
    ToOffset {
        offset: i64,
    },
    /// Positions from a file: target and, when the file recorded it, the committed
    /// offset the plan was made from (checked for staleness).
    FromFile {
        entries: BTreeMap<Tp, FileEntry>,
        force: bool,
    },
    /// Copy another group's committed positions.
    ToGroup {
        group: String,
    },
    /// Exact offsets recorded in a journal (rollback: the previous ones; resume: the
    /// targets). `None` target: no committed offset (deleted). Never clamped. A
    /// partition whose committed offset is none of `allowed` makes the plan stale.
    Restore {
        label: String,
        targets: BTreeMap<Tp, Option<i64>>,
        allowed: BTreeMap<Tp, Vec<Option<i64>>>,
        force: bool,
    },
    /// MirrorMaker 2 checkpoints from `source`; partitions without one fall back to
    /// the timestamp `fallback_ms`, or stay unchanged when none is given.
    Translated {
        source: String,
        fallback_ms: Option<i64>,
    },
}

/// One row of a plan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileEntry {
    pub target: i64,
    /// `Some(None)`: the plan saw no committed offset; `None`: not recorded.
    pub expected: Option<Option<i64>>,
}

impl ResetStrategy {
    /// Short, stable name, as shown in plans.
    pub fn label(&self) -> String {
        match self {
            ResetStrategy::Earliest => "to-earliest".into(),
            ResetStrategy::Latest => "to-latest".into(),
            ResetStrategy::Timestamp { at_ms } => format!("to-datetime {}", fmt_ms(*at_ms)),
            ResetStrategy::ShiftBy { by } => format!("shift-by {by}"),
            ResetStrategy::ToOffset { offset } => format!("to-offset {offset}"),
            ResetStrategy::FromFile { .. } => "from-file".into(),
            ResetStrategy::ToGroup { group } => format!("to-group {group}"),
            ResetStrategy::Restore { label, .. } => label.clone(),
            ResetStrategy::Translated { source, .. } => format!("translated-from {source}"),
        }
    }
}

pub use crate::clock::fmt_ms;

/// A group and the partitions a reset covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRequest {
    pub group: String,
    pub strategy: ResetStrategy,
    /// Partitions in scope, already resolved by the executor.
    pub partitions: Vec<Tp>,
}

/// What happens to one partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// A new offset is committed.
    Set,
    /// The committed offset already equals the target: nothing is written.
    AlreadyAtTarget,
    /// No target could be chosen: nothing is written (see `reason`).
    Skip,
    /// Restore "no committed offset": the group's offset is deleted.
    Delete,
}

/// How sure a translated position is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Confidence {
    /// The group has not moved on the source since its checkpoint (or the source
    /// could not be asked, and the checkpoint is all there is).
    Exact,
    /// The group consumed this many more records on the source after its checkpoint:
    /// they will be read again.
    Behind { records: i64 },
    /// No checkpoint for this partition.
    NoCheckpoint,
}

/// One partition of a group's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionPlan {
    pub topic: String,
    pub partition: i32,
    /// Committed offset before the reset.
    pub current: Option<i64>,
    /// Offset to commit; `None` when skipped.
    pub target: Option<i64>,
    pub log_start: Option<i64>,
    pub log_end: Option<i64>,
    /// `target - current`, when both exist.
    pub delta: Option<i64>,
    pub action: Action,
    /// Why this target (strategy, clamped, fallback, no checkpoint, ...).
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_age_ms: Option<i64>,
}

/// A group's part of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPlan {
    pub group: String,
    pub strategy: String,
    pub state: Option<GroupState>,
    pub members: Option<usize>,
    /// Set when the whole group must not be reset (live members, stale plan...).
    pub refused: Option<String>,
    pub partitions: Vec<PartitionPlan>,
}

impl GroupPlan {
    /// The changes to make (`Some`: commit, `None`: delete), unless the group is refused.
    pub fn writes(&self) -> Vec<(Tp, Option<i64>)> {
        if self.refused.is_some() {
            return Vec::new();
        }
        self.partitions
            .iter()
            .filter_map(|p| match p.action {
                Action::Set => Some(((p.topic.clone(), p.partition), Some(p.target?))),
                Action::Delete => Some(((p.topic.clone(), p.partition), None)),
                _ => None,
            })
            .collect()
    }
}

/// A reset of one cluster's groups, computed from one snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetPlan {
    pub cluster: String,
    pub planned_at_ms: i64,
    pub groups: Vec<GroupPlan>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PlanTotals {
    pub groups: usize,
    pub refused_groups: usize,
    pub partitions: usize,
    pub to_set: usize,
    pub already_at_target: usize,
    pub skipped: usize,
}

impl ResetPlan {
    pub fn totals(&self) -> PlanTotals {
        let mut t = PlanTotals {
            groups: self.groups.len(),
            ..PlanTotals::default()
        };
        for g in &self.groups {
            if g.refused.is_some() {
                t.refused_groups += 1;
            }
            for p in &g.partitions {
                t.partitions += 1;
                match p.action {
                    Action::Set | Action::Delete if g.refused.is_none() => t.to_set += 1,
                    Action::Set | Action::Delete => {}
                    Action::AlreadyAtTarget => t.already_at_target += 1,
                    Action::Skip => t.skipped += 1,
                }
            }
        }
        t
    }

    /// Nothing to write: every partition is at its target or skipped.
    pub fn is_noop(&self) -> bool {
        self.groups.iter().all(|g| g.writes().is_empty())
    }
}
