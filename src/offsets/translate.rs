//! MirrorMaker 2 checkpoints -> where each group resumes on the target (pure).
//!
//! MM2's checkpoint connector writes, per group and partition, the group's offset
//! on the source (`upstream`) and the matching offset on the target (`downstream`),
//! keyed by the target-side topic name (`east.payments` under the default policy).
//! The newest record per key wins (the topic is compacted on that key). Records that
//! do not decode are counted, never guessed at.

use std::collections::BTreeMap;

use serde::Serialize;

use super::mm2_records::{Checkpoint, OffsetSync};
use super::model::{Tp, Translation};
use crate::kafka::RawRecord;
use crate::topology::{Mirror, ReplicationPolicy};

/// Newest checkpoint per (group, target partition), with its record timestamp.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckpointIndex {
    pub latest: BTreeMap<String, BTreeMap<Tp, (Checkpoint, Option<i64>)>>,
    /// Records that were not valid checkpoints (truncated, garbage, other versions,
    /// negative offsets).
    pub undecodable: usize,
    /// The first [`BAD_RECORDS_KEPT`] of them, to name in messages.
    pub bad: Vec<BadRecord>,
    pub records: usize,
}

/// How many undecodable records an index keeps to name.
pub const BAD_RECORDS_KEPT: usize = 5;

/// A record of an MM2 topic that did not decode: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub partition: i32,
    pub offset: i64,
    pub reason: String,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "partition {} offset {}: {}",
            self.partition, self.offset, self.reason
        )
    }
}

impl CheckpointIndex {
    /// One line naming the records that were skipped (never used for an offset), or
    /// `None` when every record decoded.
    pub fn skipped_note(&self, topic: &str) -> Option<String> {
        if self.undecodable == 0 {
            return None;
        }
        let named: Vec<String> = self.bad.iter().map(ToString::to_string).collect();
        let more = self.undecodable.saturating_sub(self.bad.len());
        Some(format!(
            "{topic}: {} of {} records are not valid MirrorMaker 2 checkpoints and were skipped ({}{}); no offset is derived from them: each partition uses its newest valid checkpoint, or falls back where it has none",
            self.undecodable,
            self.records,
            named.join("; "),
            if more > 0 { format!("; and {more} more") } else { String::new() }
        ))
    }
}

impl CheckpointIndex {
    /// Indexes records read from `<source-alias>.checkpoints.internal`, in log order.
    pub fn from_records(records: &[RawRecord]) -> CheckpointIndex {
        let mut idx = CheckpointIndex {
            records: records.len(),
            ..Default::default()
        };
        for r in records {
            match Checkpoint::decode(r.key.as_deref(), r.value.as_deref()) {
                Ok(c) => {
                    let tp = (c.topic.clone(), c.partition);
                    idx.latest
                        .entry(c.group.clone())
                        .or_default()
                        .insert(tp, (c, r.timestamp_ms));
                }
                Err(e) => {
                    idx.undecodable += 1;
                    if idx.bad.len() < BAD_RECORDS_KEPT {
                        idx.bad.push(BadRecord {
                            partition: r.partition,
                            offset: r.offset,
                            reason: e.to_string(),
                        });
                    }
                }
            }
        }
        idx
    }

    /// Partitions (target-side names) that have a checkpoint for `group`.
    pub fn partitions_of(&self, group: &str) -> Vec<Tp> {
        self.latest
            .get(group)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Newest checkpoint timestamp of any group.
    pub fn newest_ms(&self) -> Option<i64> {
        self.latest
            .values()
            .flat_map(|m| m.values().filter_map(|(_, ts)| *ts))
            .max()
    }
}

/// The source-side topic a target-side topic came from under `mirror`'s policy,
/// or `None` if it did not come from this mirror.
pub fn source_topic(mirror: &Mirror, target_topic: &str) -> Option<String> {
    match mirror.replication_policy {
        ReplicationPolicy::Default => target_topic
            .strip_prefix(&format!("{}.", mirror.source_alias()))
            .map(str::to_string),
        ReplicationPolicy::Identity => Some(target_topic.to_string()),
    }
}

/// MM2's offset syncs read on the source: per source partition, (upstream,
/// downstream) pairs in upstream order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetSyncIndex {
    pub syncs: BTreeMap<Tp, Vec<(i64, i64)>>,
}

impl OffsetSyncIndex {
    pub fn from_records(records: &[RawRecord]) -> OffsetSyncIndex {
        let mut idx = OffsetSyncIndex::default();
        for r in records {
            if let Ok(o) = OffsetSync::decode(r.key.as_deref(), r.value.as_deref()) {
                idx.syncs
                    .entry((o.topic, o.partition))
                    .or_default()
                    .push((o.upstream_offset, o.downstream_offset));
            }
        }
        for v in idx.syncs.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        idx
    }

    /// The newest sync at or before `upstream` of a source partition.
    pub fn at_or_before(&self, tp: &Tp, upstream: i64) -> Option<(i64, i64)> {
        let v = self.syncs.get(tp)?;
        let i = v.partition_point(|(u, _)| *u <= upstream);
        i.checked_sub(1).map(|i| v[i])
    }
}

/// Translations of `group`'s partitions from the index. `source_committed`: the
/// group's committed offsets on the source (source-side names), when the source
/// answered; it tells whether the group moved there after its checkpoint. `syncs`:
/// MM2's offset syncs, which tell how exact each checkpoint is.
pub fn translations_for(
    idx: &CheckpointIndex,
    mirror: &Mirror,
    group: &str,
    source_committed: Option<&BTreeMap<Tp, Option<i64>>>,
    syncs: Option<&OffsetSyncIndex>,
    now_ms: i64,
) -> BTreeMap<Tp, Translation> {
    let Some(m) = idx.latest.get(group) else {
        return BTreeMap::new();
    };
    m.iter()
        .map(|(tp, (c, ts))| {
            let source_tp = source_topic(mirror, &tp.0).map(|st| (st, tp.1));
            let source_committed = source_committed
                .zip(source_tp.as_ref())
                .and_then(|(sc, stp)| sc.get(stp).copied().flatten());
            let sync_upstream = syncs
                .zip(source_tp.as_ref())
                .and_then(|(s, stp)| s.at_or_before(stp, c.upstream_offset))
                .map(|(u, _)| u);
            (
                tp.clone(),
                Translation {
                    offset: c.downstream_offset,
                    upstream_offset: c.upstream_offset,
                    age_ms: ts.map(|t| (now_ms - t).max(0)),
                    source_committed,
                    sync_upstream,
                },
            )
        })
        .collect()
}

/// Freshness of the offset syncs (read on the source), per source partition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OffsetSyncSummary {
    pub records: usize,
    pub undecodable: usize,
    /// The first few undecodable records, named.
    #[serde(skip)]
    pub bad: Vec<BadRecord>,
    /// Age of the newest sync of any partition, ms.
    pub newest_age_ms: Option<i64>,
    pub partitions: usize,
}

pub fn summarize_offset_syncs(records: &[RawRecord], now_ms: i64) -> OffsetSyncSummary {
    let mut s = OffsetSyncSummary {
        records: records.len(),
        ..Default::default()
    };
    let mut parts = std::collections::BTreeSet::new();
    let mut newest: Option<i64> = None;
    for r in records {
        match OffsetSync::decode(r.key.as_deref(), r.value.as_deref()) {
            Ok(o) => {
                parts.insert((o.topic, o.partition));
                newest = newest.max(r.timestamp_ms);
            }
            Err(e) => {
                s.undecodable += 1;
                if s.bad.len() < BAD_RECORDS_KEPT {
                    s.bad.push(BadRecord {
                        partition: r.partition,
                        offset: r.offset,
                        reason: e.to_string(),
                    });
                }
            }
        }
    }
    s.partitions = parts.len();
    s.newest_age_ms = newest.map(|t| (now_ms - t).max(0));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirror(policy: &str) -> Mirror {
        serde_yaml::from_str(&format!(
            "source: east\ntarget: west\nruns-in: dc-west\nreplication-policy: {policy}\ndriver:\n  mm2-properties: {{file: x, reload: 'true'}}\n"
        ))
        .unwrap()
    }

    fn record(offset: i64, c: &Checkpoint, ts: i64) -> RawRecord {
        RawRecord {
            partition: 0,
            offset,
            timestamp_ms: Some(ts),
            key: Some(c.encode_key()),
            value: Some(c.encode_value()),
        }
    }

    fn cp(group: &str, topic: &str, p: i32, up: i64, down: i64) -> Checkpoint {
        Checkpoint {
            group: group.into(),
            topic: topic.into(),
            partition: p,
            upstream_offset: up,
            downstream_offset: down,
            metadata: String::new(),
        }
    }

    #[test]
    fn garbage_truncated_and_negative_records_are_skipped_and_named() {
        let good = cp("g", "east.orders", 0, 10, 8);
        let mut truncated = record(1, &good, 2_000);
        truncated.value.as_mut().unwrap().truncate(7);
        let negative = record(2, &cp("g", "east.orders", 0, 30, -5), 3_000);
        let mut no_value = record(3, &good, 4_000);
        no_value.value = None;
        let recs = vec![record(0, &good, 1_000), truncated, negative, no_value];
        let idx = CheckpointIndex::from_records(&recs);
        assert_eq!(idx.undecodable, 3);
        // The newer garbage does not shadow the older valid checkpoint.
        let t = translations_for(&idx, &mirror("default"), "g", None, None, 5_000);
        assert_eq!(t[&("east.orders".to_string(), 0)].offset, 8);
        let note = idx.skipped_note("east.checkpoints.internal").unwrap();
        assert!(note.contains("3 of 4 records"), "{note}");
        assert!(
            note.contains("partition 0 offset 1: checkpoint value: record ends after"),
            "{note}"
        );
        assert!(
            note.contains(
                "partition 0 offset 2: checkpoint value: downstream offset -5 is negative"
            ),
            "{note}"
        );
        assert!(note.contains("partition 0 offset 3: checkpoint: the record has no value"));
        assert!(CheckpointIndex::from_records(&recs[..1])
            .skipped_note("x")
            .is_none());
    }

    #[test]
    fn newest_checkpoint_wins_and_garbage_is_counted() {
        let recs = vec![
            record(0, &cp("g", "east.orders", 0, 10, 8), 1_000),
            record(1, &cp("g", "east.orders", 0, 20, 18), 2_000),
            RawRecord {
                partition: 0,
                offset: 2,
                timestamp_ms: Some(3_000),
                key: Some(vec![0, 1]),
                value: Some(vec![9]),
            },
            record(3, &cp("g", "east.orders", 1, 5, 5), 1_500),
        ];
        let idx = CheckpointIndex::from_records(&recs);
        assert_eq!(idx.undecodable, 1);
        assert_eq!(idx.records, 4);
        assert_eq!(idx.partitions_of("g").len(), 2);
        assert_eq!(idx.newest_ms(), Some(2_000));
        let mut sc = BTreeMap::new();
        sc.insert(("orders".to_string(), 0), Some(25));
        let t = translations_for(&idx, &mirror("default"), "g", Some(&sc), None, 5_000);
        let t0 = &t[&("east.orders".to_string(), 0)];
        assert_eq!(
            (t0.offset, t0.upstream_offset, t0.age_ms),
            (18, 20, Some(3_000))
        );
        assert_eq!(t0.behind_by(), Some(5));
        assert_eq!(t[&("east.orders".to_string(), 1)].source_committed, None);
        assert!(translations_for(&idx, &mirror("default"), "other", None, None, 0).is_empty());
        // With MM2's syncs: partition 0's checkpoint (upstream 20) sits on a sync at 20,
        // partition 1's (upstream 5) one past a sync at 0: 4 records read again.
        let sync = |p: i32, up: i64| RawRecord {
            partition: 0,
            offset: 0,
            timestamp_ms: Some(0),
            key: Some(
                OffsetSync {
                    topic: "orders".into(),
                    partition: p,
                    upstream_offset: up,
                    downstream_offset: up,
                }
                .encode_key(),
            ),
            value: Some(
                OffsetSync {
                    topic: "orders".into(),
                    partition: p,
                    upstream_offset: up,
                    downstream_offset: up,
                }
                .encode_value(),
            ),
        };
        let syncs =
            OffsetSyncIndex::from_records(&[sync(0, 0), sync(0, 20), sync(0, 30), sync(1, 0)]);
        assert_eq!(
            syncs.at_or_before(&("orders".into(), 0), 25),
            Some((20, 20))
        );
        assert_eq!(syncs.at_or_before(&("orders".into(), 1), 0), Some((0, 0)));
        let t = translations_for(&idx, &mirror("default"), "g", None, Some(&syncs), 5_000);
        assert_eq!(t[&("east.orders".to_string(), 0)].behind_by(), Some(0));
        assert_eq!(t[&("east.orders".to_string(), 1)].behind_by(), Some(4));
    }

    #[test]
    fn policy_maps_topic_names_back() {
        assert_eq!(
            source_topic(&mirror("default"), "east.a.b"),
            Some("a.b".into())
        );
        assert_eq!(source_topic(&mirror("default"), "west.a"), None);
        assert_eq!(source_topic(&mirror("identity"), "a"), Some("a".into()));
    }

    #[test]
    fn offset_syncs_summary() {
        let o = OffsetSync {
            topic: "orders".into(),
            partition: 0,
            upstream_offset: 1,
            downstream_offset: 1,
        };
        let recs = vec![RawRecord {
            partition: 0,
            offset: 0,
            timestamp_ms: Some(100),
            key: Some(o.encode_key()),
            value: Some(o.encode_value()),
        }];
        let s = summarize_offset_syncs(&recs, 400);
        assert_eq!(
            (s.records, s.partitions, s.newest_age_ms),
            (1, 1, Some(300))
        );
    }
}
