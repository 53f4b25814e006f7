//! What a drill counts, from the records themselves: the lab's records carry unique
//! values per partition (`seed-…`, `trickle-…`) and mirrors copy them unchanged into
//! the same partition, so a record is the same on every cluster by (source topic,
//! partition, value).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Duration;

use crate::kafka::{read_as_group, read_topic_to_end, ClientSettings, GroupRead, KafkaError};
use crate::offsets::executor::bounds;
use crate::offsets::Tp;
use crate::topology::Topology;

/// A record, wherever it is: its source topic, partition and value.
pub type RecordId = (String, i32, Vec<u8>);

/// Each partition's records as (offset, value).
pub type PartitionLog = BTreeMap<Tp, Vec<(i64, Vec<u8>)>>;

/// Maps a topic on `to` to its name on `from`: through the mirror `from -> to` when
/// there is one (`east.payments` -> `payments`), else the same name (aggregates name
/// remote topics alike; a stretched cluster is one cluster).
pub fn source_name(t: &Topology, from: &str, to: &str, topic: &str) -> String {
    for m in t
        .mirrors
        .values()
        .filter(|m| m.source == from && m.target == to)
    {
        if let Some(src) = crate::offsets::translate::source_topic(m, topic) {
            return src;
        }
    }
    topic.to_string()
}

/// Every record of `topics` on a cluster, by partition and offset.
pub fn snapshot_topics(
    settings: &ClientSettings,
    topics: &[String],
    timeout: Duration,
) -> Result<PartitionLog, KafkaError> {
    let mut out: PartitionLog = BTreeMap::new();
    for t in topics {
        for r in read_topic_to_end(settings, t, timeout)? {
            out.entry((t.clone(), r.partition))
                .or_default()
                .push((r.offset, r.value.unwrap_or_default()));
        }
    }
    Ok(out)
}

/// A group's position on the source when the outage began: what it had processed and
/// what it had not.
#[derive(Debug, Default, Clone)]
pub struct SourceView {
    pub processed: HashSet<RecordId>,
    pub unprocessed: HashSet<RecordId>,
    pub committed: BTreeMap<Tp, Option<i64>>,
}

pub fn source_view(
    records: &PartitionLog,
    committed: &BTreeMap<Tp, Option<i64>>,
    topics: &[String],
) -> SourceView {
    let mut v = SourceView {
        committed: committed.clone(),
        ..Default::default()
    };
    for ((topic, p), recs) in records.iter().filter(|((t, _), _)| topics.contains(t)) {
        // Nothing committed: the group has processed nothing there.
        let at = committed
            .get(&(topic.clone(), *p))
            .copied()
            .flatten()
            .unwrap_or(0);
        for (offset, value) in recs {
            let id = (topic.clone(), *p, value.clone());
            if *offset < at {
                v.processed.insert(id);
            } else {
                v.unprocessed.insert(id);
            }
        }
    }
    v
}

/// What the group's consumer read after the failover, and how it compares.
#[derive(Debug, Clone, Default)]
pub struct ResumeOutcome {
    pub read: u64,
    pub duplicates: u64,
    pub lost: u64,
    /// The consumer started where the runbook set the group (and every partition had a
    /// committed offset).
    pub as_expected: bool,
    pub detail: String,
}

/// Reads as `group` on `to` from its committed offsets to the current log ends (what a
/// resumed consumer does, committing as it goes) and compares with `before`.
#[allow(clippy::too_many_arguments)]
pub fn resume(
    t: &Topology,
    settings: &ClientSettings,
    admin: &crate::kafka::AdminClient,
    group: &str,
    from: &str,
    to: &str,
    partitions: &[Tp],
    expected: &BTreeMap<Tp, i64>,
    before: &SourceView,
    timeout: Duration,
) -> anyhow::Result<(ResumeOutcome, GroupRead)> {
    let ends = bounds(admin, partitions, timeout)?;
    let until: BTreeMap<Tp, i64> = ends.iter().map(|(tp, b)| (tp.clone(), b.log_end)).collect();
    let read = read_as_group(settings, group, partitions, &until, timeout)?;
    let got: HashSet<RecordId> = read
        .records
        .iter()
        .map(|r| {
            (
                source_name(t, from, to, &r.topic),
                r.record.partition,
                r.record.value.clone().unwrap_or_default(),
            )
        })
        .collect();
    let duplicates = got.intersection(&before.processed).count() as u64;
    let lost = before.unprocessed.difference(&got).count() as u64;
    let wrong: Vec<String> = expected
        .iter()
        .filter(|(tp, off)| read.started_at.get(*tp) != Some(off))
        .map(|((t, p), off)| {
            format!(
                "{t}[{p}] at {:?}, planned {off}",
                read.started_at.get(&(t.clone(), *p))
            )
        })
        .collect();
    let missing: BTreeSet<String> = read
        .no_committed
        .iter()
        .map(|(t, p)| format!("{t}[{p}]"))
        .collect();
    let as_expected = wrong.is_empty() && missing.is_empty();
    let mut detail = Vec::new();
    if !wrong.is_empty() {
        detail.push(format!("not where planned: {}", wrong.join(", ")));
    }
    if !missing.is_empty() {
        detail.push(format!(
            "no committed offset: {}",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok((
        ResumeOutcome {
            read: read.records.len() as u64,
            duplicates,
            lost,
            as_expected,
            detail: detail.join("; "),
        },
        read,
    ))
}

/// Records of `source` (snapshot at the outage) that never reached `target` (read
/// now): the RPO, in records.
pub fn never_mirrored(
    t: &Topology,
    from: &str,
    to: &str,
    source: &PartitionLog,
    target: &PartitionLog,
) -> u64 {
    let arrived: HashSet<RecordId> = target
        .iter()
        .flat_map(|((topic, p), recs)| {
            let src = source_name(t, from, to, topic);
            recs.iter().map(move |(_, v)| (src.clone(), *p, v.clone()))
        })
        .collect();
    source
        .iter()
        .flat_map(|((topic, p), recs)| {
            recs.iter()
                .map(move |(_, v)| (topic.clone(), *p, v.clone()))
        })
        .filter(|id| !arrived.contains(id))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(vals: &[&str]) -> Vec<(i64, Vec<u8>)> {
        vals.iter()
            .enumerate()
            .map(|(i, v)| (i as i64, v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn committed_offset_splits_processed_from_unprocessed() {
        let mut src = BTreeMap::new();
        src.insert(("payments".to_string(), 0), recs(&["a", "b", "c", "d"]));
        src.insert(("payments".to_string(), 1), recs(&["x", "y"]));
        let mut committed = BTreeMap::new();
        committed.insert(("payments".to_string(), 0), Some(3));
        committed.insert(("payments".to_string(), 1), None);
        let v = source_view(&src, &committed, &["payments".to_string()]);
        assert_eq!(v.processed.len(), 3);
        assert_eq!(v.unprocessed.len(), 3, "d, and all of partition 1");
        assert!(v
            .unprocessed
            .contains(&("payments".into(), 1, b"x".to_vec())));
    }

    #[test]
    fn never_mirrored_counts_records_missing_on_the_target_by_source_name() {
        let path = format!(
            "{}/topologies/active-passive.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let t = crate::topology::load_str(&path, &text).unwrap().topology;
        let mut src = BTreeMap::new();
        src.insert(("payments".to_string(), 0), recs(&["a", "b", "c"]));
        let mut tgt = BTreeMap::new();
        tgt.insert(("east.payments".to_string(), 0), recs(&["a", "b"]));
        assert_eq!(never_mirrored(&t, "east", "west", &src, &tgt), 1);
        assert_eq!(source_name(&t, "east", "west", "east.payments"), "payments");
        assert_eq!(source_name(&t, "a", "b", "clicks"), "clicks");
    }
}
