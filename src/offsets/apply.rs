//! Applying a `ResetPlan`: the only code that writes offsets. The journal must exist
//! before the first write; groups go in chunks (each chunk one batch of concurrent
//! requests, one per group coordinator request), results are journaled after each
//! chunk, and Ctrl-C stops between chunks. An ambiguous failure (timeout after the
//! request may have been sent) is settled by reading the offsets back.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Serialize;

use super::executor::{batch_options, now_ms, read_committed, to_kafka};
use super::journal::{GroupStatus, Journal, JournalError};
use super::model::{ResetPlan, Tp};
use crate::kafka::{
    AdminClient, GroupOffsetsQuery, GroupOffsetsUpdate, KafkaError, TopicPartitionOffset,
};

/// One group's changes: `Some(offset)` to commit, `None` to delete.
type GroupWrites = (String, Vec<(Tp, Option<i64>)>);

/// Groups per batch: progress and Ctrl-C are checked between batches.
pub const CHUNK: usize = 250;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupOutcome {
    pub group: String,
    pub status: GroupStatus,
    pub partitions: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Settled by reading the offsets back after an ambiguous failure.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub confirmed_by_read_back: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    pub cluster: String,
    pub journal: String,
    pub groups: Vec<GroupOutcome>,
    /// Stopped by Ctrl-C before every group was tried.
    pub interrupted: bool,
}

impl ApplyReport {
    pub fn count(&self, s: GroupStatus) -> usize {
        self.groups.iter().filter(|g| g.status == s).count()
    }
    pub fn all_done(&self) -> bool {
        !self.interrupted
            && self.groups.iter().all(|g| {
                matches!(
                    g.status,
                    GroupStatus::Applied | GroupStatus::AlreadyAtTarget
                )
            })
    }
}

pub struct ApplyOptions<'a> {
    pub timeout: Duration,
    /// Called with (groups done, groups total) after each chunk.
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    pub interrupted: &'a AtomicBool,
}

/// Writes the plan's changes; `journal` already holds the previous offsets.
pub fn apply(
    admin: &AdminClient,
    plan: &ResetPlan,
    journal: &mut Journal,
    opts: &ApplyOptions<'_>,
) -> Result<ApplyReport, JournalError> {
    let work: Vec<GroupWrites> = plan
        .groups
        .iter()
        .map(|g| (g.group.clone(), g.writes()))
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let total = work.len();
    let mut report = ApplyReport {
        cluster: plan.cluster.clone(),
        journal: journal.path().display().to_string(),
        groups: Vec::new(),
        interrupted: false,
    };
    (opts.progress)(0, total);
    for chunk in work.chunks(CHUNK) {
        if opts.interrupted.load(Ordering::SeqCst) {
            report.interrupted = true;
            break;
        }
        let outcomes = apply_chunk(admin, chunk, opts.timeout);
        journal.record(
            outcomes
                .iter()
                .map(|o| (o.group.clone(), o.status, o.error.clone())),
            now_ms(),
        )?;
        report.groups.extend(outcomes);
        (opts.progress)(report.groups.len(), total);
    }
    Ok(report)
}

fn apply_chunk(admin: &AdminClient, chunk: &[GroupWrites], timeout: Duration) -> Vec<GroupOutcome> {
    let bopts = batch_options(timeout);
    let updates: Vec<GroupOffsetsUpdate> = chunk
        .iter()
        .filter_map(|(g, w)| {
            let offsets: Vec<TopicPartitionOffset> = w
                .iter()
                .filter_map(|((t, p), o)| Some(TopicPartitionOffset::new(t.clone(), *p, (*o)?)))
                .collect();
            (!offsets.is_empty()).then(|| GroupOffsetsUpdate {
                group: g.clone(),
                offsets,
            })
        })
        .collect();
    let deletes: Vec<(String, Vec<crate::kafka::TopicPartition>)> = chunk
        .iter()
        .filter_map(|(g, w)| {
            let tps: Vec<Tp> = w
                .iter()
                .filter(|(_, o)| o.is_none())
                .map(|(tp, _)| tp.clone())
                .collect();
            (!tps.is_empty()).then(|| (g.clone(), to_kafka(&tps)))
        })
        .collect();
    let mut results: BTreeMap<String, Result<(), KafkaError>> = BTreeMap::new();
    for (g, r) in admin.alter_group_offsets_batch(&updates, &bopts) {
        results.insert(
            g,
            r.and_then(|offs| match offs.failed().next() {
                Some(f) => Err(f.error.clone().expect("failed() yields errors")),
                None => Ok(()),
            }),
        );
    }
    for (g, r) in admin.delete_group_offsets_batch(&deletes, &bopts) {
        let r = r.and_then(|offs| match offs.failed().next() {
            Some(f) => Err(f.error.clone().expect("failed() yields errors")),
            None => Ok(()),
        });
        let prev = results.remove(&g).unwrap_or(Ok(()));
        results.insert(g, prev.and(r));
    }
    // Ambiguous failures: did the write land anyway?
    let unsure: Vec<&GroupWrites> = chunk
        .iter()
        .filter(|(g, _)| matches!(results.get(g), Some(Err(e)) if is_ambiguous(e)))
        .collect();
    let read_back = if unsure.is_empty() {
        BTreeMap::new()
    } else {
        let queries: Vec<GroupOffsetsQuery> = unsure
            .iter()
            .map(|(g, w)| {
                let tps: Vec<Tp> = w.iter().map(|(tp, _)| tp.clone()).collect();
                GroupOffsetsQuery::partitions(g.clone(), to_kafka(&tps))
            })
            .collect();
        read_committed(admin, &queries, &bopts).unwrap_or_default()
    };
    chunk
        .iter()
        .map(|(g, w)| {
            let mut o = GroupOutcome {
                group: g.clone(),
                status: GroupStatus::Applied,
                partitions: w.len(),
                error: None,
                confirmed_by_read_back: false,
            };
            match results.remove(g) {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    let landed = read_back.get(g).is_some_and(|now| {
                        w.iter()
                            .all(|(tp, target)| now.get(tp).copied().flatten() == *target)
                    });
                    if landed {
                        o.confirmed_by_read_back = true;
                    } else {
                        o.status = if matches!(e, KafkaError::GroupNotEmpty { .. }) {
                            GroupStatus::Refused
                        } else {
                            GroupStatus::Failed
                        };
                        o.error = Some(e.to_string());
                    }
                }
                None => {
                    o.status = GroupStatus::Failed;
                    o.error = Some("no answer for this group".into());
                }
            }
            o
        })
        .collect()
}

/// The request may have reached the coordinator: only a read tells.
fn is_ambiguous(e: &KafkaError) -> bool {
    matches!(
        e,
        KafkaError::Timeout { .. } | KafkaError::Retriable { .. } | KafkaError::Other { .. }
    )
}
