//! The pure part of a reset: from a snapshot and the requested strategies to a
//! `ResetPlan`. Same rules as `kafka-consumer-groups --reset-offsets` where both
//! have a strategy (targets clamped to the log, a timestamp past the end means the
//! log end), and stricter: live groups are refused, stale plan files too, and every
//! partition says why it gets its target.

use std::collections::BTreeSet;

use super::model::*;

/// Lookups a set of requests needs before it can be planned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// ListOffsets by timestamp.
    pub timestamps: BTreeSet<(Tp, i64)>,
    /// Committed offsets of other groups (`--to-group`).
    pub other_groups: BTreeSet<String>,
}

/// What [`plan`] will look up in the snapshot besides bounds and committed offsets.
pub fn needs(requests: &[GroupRequest]) -> Needs {
    let mut n = Needs::default();
    for r in requests {
        let at = match &r.strategy {
            ResetStrategy::Timestamp { at_ms } => Some(*at_ms),
            ResetStrategy::Translated { fallback_ms, .. } => *fallback_ms,
            ResetStrategy::ToGroup { group } => {
                n.other_groups.insert(group.clone());
                None
            }
            _ => None,
        };
        if let Some(at) = at {
            n.timestamps
                .extend(r.partitions.iter().map(|tp| (tp.clone(), at)));
        }
    }
    n
}

/// Plans every request against one snapshot.
pub fn plan(snap: &OffsetsSnapshot, requests: &[GroupRequest]) -> ResetPlan {
    ResetPlan {
        cluster: snap.cluster.clone(),
        planned_at_ms: snap.taken_at_ms,
        groups: requests.iter().map(|r| plan_group(snap, r)).collect(),
    }
}

fn plan_group(snap: &OffsetsSnapshot, req: &GroupRequest) -> GroupPlan {
    let empty = GroupSnapshot {
        group: req.group.clone(),
        state: None,
        members: None,
        committed: Default::default(),
    };
    let g = snap.groups.get(&req.group).unwrap_or(&empty);
    let mut partitions: Vec<Tp> = req.partitions.clone();
    partitions.sort();
    partitions.dedup();
    let rows: Vec<PartitionPlan> = partitions
        .iter()
        .map(|tp| plan_partition(snap, req, g, tp))
        .collect();
    let refused = if g.has_live_members() {
        Some(format!(
            "group has {} live member(s) (state {}): stop its consumers first, or use --wait-empty",
            g.members.unwrap_or(0),
            g.state
                .map(|s| format!("{s:?}").to_lowercase())
                .unwrap_or_else(|| "unknown".into())
        ))
    } else {
        stale_reason(&req.strategy, g)
    };
    GroupPlan {
        group: req.group.clone(),
        strategy: req.strategy.label(),
        state: g.state,
        members: g.members,
        refused,
        partitions: rows,
    }
}

/// A plan file (or journal) made from other committed offsets than the group has now.
fn stale_reason(strategy: &ResetStrategy, g: &GroupSnapshot) -> Option<String> {
    let now = |tp: &Tp| g.committed.get(tp).copied().flatten();
    let (changed, force): (Vec<String>, bool) = match strategy {
        ResetStrategy::FromFile { entries, force } => (
            entries
                .iter()
                .filter_map(|(tp, e)| {
                    let expected = e.expected?;
                    (now(tp) != expected).then(|| {
                        format!(
                            "{}[{}] planned from {} but now {}",
                            tp.0,
                            tp.1,
                            show(expected),
                            show(now(tp))
                        )
                    })
                })
                .collect(),
            *force,
        ),
        ResetStrategy::Restore { allowed, force, .. } => (
            allowed
                .iter()
                .filter(|(tp, ok)| !ok.contains(&now(tp)))
                .map(|(tp, ok)| {
                    let ok: Vec<String> = ok.iter().map(|o| show(*o)).collect();
                    format!(
                        "{}[{}] is {}, journal expects {}",
                        tp.0,
                        tp.1,
                        show(now(tp)),
                        ok.join(" or ")
                    )
                })
                .collect(),
            *force,
        ),
        _ => return None,
    };
    if changed.is_empty() || force {
        return None;
    }
    let more = if changed.len() > 3 {
        format!(" and {} more", changed.len() - 3)
    } else {
        String::new()
    };
    Some(format!(
        "stale plan: the group's committed offsets changed since the plan was made ({}{more}); re-plan, or use --force",
        changed[..changed.len().min(3)].join(", ")
    ))
}

fn show(o: Option<i64>) -> String {
    o.map_or_else(|| "none".into(), |v| v.to_string())
}

/// The unclamped target and why, or why there is none.
struct Choice {
    target: Option<i64>,
    reason: String,
    confidence: Option<Confidence>,
    checkpoint_age_ms: Option<i64>,
}

impl Choice {
    fn to(target: i64, reason: impl Into<String>) -> Choice {
        Choice {
            target: Some(target),
            reason: reason.into(),
            confidence: None,
            checkpoint_age_ms: None,
        }
    }
    fn none(reason: impl Into<String>) -> Choice {
        Choice {
            target: None,
            reason: reason.into(),
            confidence: None,
            checkpoint_age_ms: None,
        }
    }
}

fn by_timestamp(snap: &OffsetsSnapshot, tp: &Tp, at: i64, b: &LogBounds) -> Choice {
    match snap.by_timestamp.get(&(tp.clone(), at)) {
        Some(Some(o)) => Choice::to(*o, format!("first record at or after {}", fmt_ms(at))),
        Some(None) => Choice::to(
            b.log_end,
            format!("no record at or after {}: log end", fmt_ms(at)),
        ),
        None => Choice::none(format!("offset for {} could not be looked up", fmt_ms(at))),
    }
}

fn choose(
    snap: &OffsetsSnapshot,
    req: &GroupRequest,
    current: Option<i64>,
    tp: &Tp,
    b: &LogBounds,
) -> Choice {
    match &req.strategy {
        ResetStrategy::Earliest => Choice::to(b.log_start, "log start"),
        ResetStrategy::Latest => Choice::to(b.log_end, "log end"),
        ResetStrategy::Timestamp { at_ms } => by_timestamp(snap, tp, *at_ms, b),
        ResetStrategy::ShiftBy { by } => match current {
            Some(c) => Choice::to(c.saturating_add(*by), format!("shift by {by}")),
            None => Choice::none("no committed offset to shift from"),
        },
        ResetStrategy::ToOffset { offset } => Choice::to(*offset, "to offset"),
        // Handled before clamping in plan_partition.
        ResetStrategy::Restore { .. } => Choice::none("not in the journal"),
        ResetStrategy::FromFile { entries, .. } => match entries.get(tp) {
            Some(e) => Choice::to(e.target, "from file"),
            None => Choice::none("not in the plan file"),
        },
        ResetStrategy::ToGroup { group } => {
            match snap
                .other_groups
                .get(group)
                .and_then(|m| m.get(tp))
                .copied()
                .flatten()
            {
                Some(o) => Choice::to(o, format!("position of group {group}")),
                None => Choice::none(format!("group {group} has no committed offset here")),
            }
        }
        ResetStrategy::Translated {
            source,
            fallback_ms,
        } => match snap.translations.get(&req.group).and_then(|m| m.get(tp)) {
            // MM2 only translates to offsets it has copied: a checkpoint past this
            // partition's log end is not MM2's (or describes another topic): never used.
            Some(t) if t.offset > b.log_end => {
                let why = format!(
                    "checkpoint from {source} names offset {} past the log end {}: not trusted",
                    t.offset, b.log_end
                );
                let mut c = match fallback_ms {
                    Some(at) => {
                        let mut c = by_timestamp(snap, tp, *at, b);
                        c.reason = format!("{why}; fell back to timestamp; {}", c.reason);
                        c
                    }
                    None => Choice::none(format!("{why}; no fallback timestamp: unchanged")),
                };
                c.confidence = Some(Confidence::NoCheckpoint);
                c
            }
            Some(t) => {
                let confidence = match t.behind_by() {
                    Some(n) if n > 0 => Confidence::Behind { records: n },
                    _ => Confidence::Exact,
                };
                let reason = match confidence {
                    Confidence::Behind { records } => format!(
                        "checkpoint from {source} (upstream {}; {records} record(s) will be read again)",
                        t.upstream_offset
                    ),
                    _ => format!("checkpoint from {source} (upstream {})", t.upstream_offset),
                };
                Choice {
                    target: Some(t.offset),
                    reason,
                    confidence: Some(confidence),
                    checkpoint_age_ms: t.age_ms,
                }
            }
            None => {
                let mut c = match fallback_ms {
                    Some(at) => {
                        let mut c = by_timestamp(snap, tp, *at, b);
                        c.reason = format!("no checkpoint: fell back to timestamp; {}", c.reason);
                        c
                    }
                    None => Choice::none("no checkpoint and no fallback timestamp: unchanged"),
                };
                c.confidence = Some(Confidence::NoCheckpoint);
                c
            }
        },
    }
}

fn plan_partition(
    snap: &OffsetsSnapshot,
    req: &GroupRequest,
    g: &GroupSnapshot,
    tp: &Tp,
) -> PartitionPlan {
    let current = g.committed.get(tp).copied().flatten();
    let mut row = PartitionPlan {
        topic: tp.0.clone(),
        partition: tp.1,
        current,
        target: None,
        log_start: None,
        log_end: None,
        delta: None,
        action: Action::Skip,
        reason: String::new(),
        confidence: None,
        checkpoint_age_ms: None,
    };
    if let ResetStrategy::Restore { targets, .. } = &req.strategy {
        if let Some(b) = snap.bounds.get(tp) {
            row.log_start = Some(b.log_start);
            row.log_end = Some(b.log_end);
        }
        return restore_partition(row, targets.get(tp).copied());
    }
    let Some(b) = snap.bounds.get(tp) else {
        row.reason = "partition not found on the cluster".into();
        return row;
    };
    row.log_start = Some(b.log_start);
    row.log_end = Some(b.log_end);
    let c = choose(snap, req, current, tp, b);
    row.confidence = c.confidence;
    row.checkpoint_age_ms = c.checkpoint_age_ms;
    let mut reason = c.reason;
    let Some(raw) = c.target else {
        row.reason = reason;
        return row;
    };
    let target = b.clamp(raw);
    if target != raw {
        let edge = if target == b.log_start {
            "log start"
        } else {
            "log end"
        };
        reason.push_str(&format!("; clamped to {edge} (was {raw})"));
    }
    if current.is_none() {
        reason.push_str("; no committed offset before");
    }
    row.target = Some(target);
    row.delta = current.map(|c| target - c);
    if current == Some(target) {
        row.action = Action::AlreadyAtTarget;
        reason.push_str("; already at target");
    } else {
        row.action = Action::Set;
    }
    row.reason = reason;
    row
}

/// Exactly the journal's offset, never clamped; `None` means "delete".
fn restore_partition(mut row: PartitionPlan, target: Option<Option<i64>>) -> PartitionPlan {
    let Some(target) = target else {
        row.reason = "not in the journal".into();
        return row;
    };
    row.target = target;
    row.delta = row.current.zip(target).map(|(c, t)| t - c);
    (row.action, row.reason) = match (row.current == target, target) {
        (true, _) => (
            Action::AlreadyAtTarget,
            "journal offset; already at target".into(),
        ),
        (false, Some(_)) => (Action::Set, "journal offset".into()),
        (false, None) => (
            Action::Delete,
            "journal: no committed offset; deleted".into(),
        ),
    };
    row
}

#[cfg(test)]
mod tests;
