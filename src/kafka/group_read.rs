//! Reading as a consumer group: what a consumer resumed after a failover does, made
//! measurable. It starts at the group's committed offsets, reads up to offsets the caller
//! captured, and commits where it got to, so a drill can count what the group read
//! again (duplicates) and what it never read (loss), and the group's committed offsets
//! move as a real consumer's would.
//!
//! The consumer is assigned its partitions (no subscribe): no group join, so no
//! rebalance with other members and no wait for the join on librdkafka's mock cluster.
//! Its commits are the ones a consumer outside a generation makes (generation -1), which
//! the broker refuses while the group has live members ([`KafkaError::GroupNotEmpty`]).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};

use super::error::{ErrorCode, KafkaError};
use super::read::{client_error, consumer_with, raw_record, TopicRecord};
use super::settings::ClientSettings;

/// A topic partition, as the group reader keys it.
pub type Tp = (String, i32);

/// What one [`read_as_group`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRead {
    pub group: String,
    /// Every record read, in topic, partition then offset order; only records below
    /// the partition's `until` offset.
    pub records: Vec<TopicRecord>,
    /// The committed offset each read partition started at.
    pub started_at: BTreeMap<Tp, i64>,
    /// Partitions the group had no committed offset for: not read (a consumer with
    /// `auto.offset.reset=error` would stop there too).
    pub no_committed: Vec<Tp>,
    /// Where each read partition ended, which is what was committed: its `until`
    /// offset, or its start when that was already at or past `until`.
    pub ended_at: BTreeMap<Tp, i64>,
}

impl GroupRead {
    /// The values read from one partition, in offset order.
    pub fn values_of(&self, topic: &str, partition: i32) -> Vec<&[u8]> {
        self.records
            .iter()
            .filter(|r| r.topic == topic && r.record.partition == partition)
            .filter_map(|r| r.record.value.as_deref())
            .collect()
    }
}

/// Reads `partitions` as consumer group `group`: from each partition's committed offset
/// up to `until[(topic, partition)]` (an end offset the caller captured), then commits
/// the offsets reached (synchronously). Partitions without a committed offset are
/// reported in [`GroupRead::no_committed`] and not read; an offset out of range is an
/// error rather than a silent reset. Bounded by `timeout`: partitions still short of
/// their target then are named in [`KafkaError::ReadTimeout`].
pub fn read_as_group(
    settings: &ClientSettings,
    group: &str,
    partitions: &[Tp],
    until: &BTreeMap<Tp, i64>,
    timeout: Duration,
) -> Result<GroupRead, KafkaError> {
    let deadline = Instant::now() + timeout;
    let wanted: BTreeSet<&Tp> = partitions.iter().collect();
    if let Some((t, p)) = wanted.iter().find(|tp| !until.contains_key(**tp)) {
        return Err(KafkaError::InvalidArgument {
            message: format!("no offset to read {t}[{p}] up to"),
        });
    }
    let consumer = consumer_with(
        settings,
        &[
            ("group.id", group),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            // Where the group's offset is no longer in the log, fail rather than jump:
            // a drill must see that, not paper over it.
            ("auto.offset.reset", "error"),
            ("enable.partition.eof", "false"),
        ],
    )?;
    let committed = fetch_committed(&consumer, settings, group, &wanted, deadline, timeout)?;
    let mut out = GroupRead {
        group: group.to_string(),
        records: Vec::new(),
        started_at: BTreeMap::new(),
        no_committed: Vec::new(),
        ended_at: BTreeMap::new(),
    };
    for tp in &wanted {
        match committed.get(*tp) {
            Some(&o) => {
                out.started_at.insert((*tp).clone(), o);
            }
            None => out.no_committed.push((*tp).clone()),
        }
    }
    if out.started_at.is_empty() {
        return Ok(out);
    }
    let mut assignment = TopicPartitionList::new();
    for ((t, p), &o) in &out.started_at {
        assignment
            .add_partition_offset(t, *p, Offset::Offset(o))
            .map_err(|e| client_error(settings, "Assign", e, None))?;
    }
    consumer
        .assign(&assignment)
        .map_err(|e| client_error(settings, "Assign", e, None))?;
    // The next offset each partition will deliver; done once it reaches `until`.
    let mut at: BTreeMap<Tp, i64> = out.started_at.clone();
    let mut pending: BTreeSet<Tp> = at
        .iter()
        .filter(|(tp, &o)| o < until[*tp])
        .map(|(tp, _)| tp.clone())
        .collect();
    while !pending.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(KafkaError::ReadTimeout {
                group: group.to_string(),
                after_ms: timeout.as_millis() as u64,
                pending: pending
                    .iter()
                    .map(|tp| format!("{}[{}] at {} of {}", tp.0, tp.1, at[tp], until[tp]))
                    .collect(),
            });
        }
        match consumer.poll(left.min(Duration::from_millis(200))) {
            None => {}
            Some(Err(e)) => {
                let e = client_error(settings, "Fetch", e, None);
                // Brokers of a just-failed DC, leaders moving: librdkafka retries those.
                if !e.is_retriable() {
                    return Err(e);
                }
                log::debug!("group read of '{group}': {e} (librdkafka retries)");
            }
            Some(Ok(m)) => {
                let tp = (m.topic().to_string(), m.partition());
                if pending.contains(&tp) {
                    let end = until[&tp];
                    if m.offset() < end {
                        out.records.push(TopicRecord {
                            topic: tp.0.clone(),
                            record: raw_record(&m),
                        });
                    }
                    at.insert(tp, (m.offset() + 1).min(end));
                }
            }
        }
        // Transaction markers and compaction leave gaps: `until` may never be a
        // record's offset, but the consumer's position passes it.
        if let Ok(pos) = consumer.position() {
            for tp in &pending {
                let p = pos
                    .find_partition(&tp.0, tp.1)
                    .and_then(|e| e.offset().to_raw());
                if p.is_some_and(|p| p >= until[tp]) {
                    at.insert(tp.clone(), until[tp]);
                }
            }
        }
        let done: Vec<Tp> = pending
            .iter()
            .filter(|tp| at[*tp] >= until[*tp])
            .cloned()
            .collect();
        if !done.is_empty() {
            // Records past `until` are not this read's business: stop fetching them.
            let mut tpl = TopicPartitionList::new();
            for (t, p) in &done {
                tpl.add_partition(t, *p);
                pending.remove(&(t.clone(), *p));
            }
            let _ = consumer.pause(&tpl);
        }
    }
    out.ended_at = at;
    commit(&consumer, settings, group, &out, deadline, timeout)?;
    out.records.sort_by(|a, b| {
        (&a.topic, a.record.partition, a.record.offset).cmp(&(
            &b.topic,
            b.record.partition,
            b.record.offset,
        ))
    });
    Ok(out)
}

/// The group's committed offsets of `wanted` (absent: none committed). Retries what
/// a coordinator that is moving or loading answers, until `deadline`.
fn fetch_committed(
    consumer: &BaseConsumer,
    settings: &ClientSettings,
    group: &str,
    wanted: &BTreeSet<&Tp>,
    deadline: Instant,
    timeout: Duration,
) -> Result<BTreeMap<Tp, i64>, KafkaError> {
    let mut tpl = TopicPartitionList::new();
    for (t, p) in wanted {
        tpl.add_partition(t, *p);
    }
    let got = retry_until(deadline, timeout, "OffsetFetch", || {
        let left = deadline.saturating_duration_since(Instant::now());
        consumer
            .committed_offsets(tpl.clone(), left)
            .map_err(|e| client_error(settings, "OffsetFetch", e, Some(group)))
    })?;
    let mut out = BTreeMap::new();
    for e in got.elements() {
        if let Err(err) = e.error() {
            let code = err
                .rdkafka_error_code()
                .map_or(ErrorCode::LOCAL_FAIL, |c| ErrorCode(c as i32));
            return Err(KafkaError::for_partition(
                "OffsetFetch",
                code,
                e.topic(),
                e.partition(),
                Some(group),
            ));
        }
        if let Offset::Offset(o) = e.offset() {
            out.insert((e.topic().to_string(), e.partition()), o);
        }
    }
    Ok(out)
}

/// Commits where each read partition ended, for the partitions that moved (a consumer
/// that read nothing commits nothing).
fn commit(
    consumer: &BaseConsumer,
    settings: &ClientSettings,
    group: &str,
    read: &GroupRead,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), KafkaError> {
    let mut tpl = TopicPartitionList::new();
    for (tp, &end) in &read.ended_at {
        if end > read.started_at[tp] {
            tpl.add_partition_offset(&tp.0, tp.1, Offset::Offset(end))
                .map_err(|e| client_error(settings, "OffsetCommit", e, None))?;
        }
    }
    if tpl.count() == 0 {
        return Ok(());
    }
    retry_until(deadline, timeout, "OffsetCommit", || {
        consumer
            .commit(&tpl, CommitMode::Sync)
            .map_err(|e| client_error(settings, "OffsetCommit", e, Some(group)))
    })
}

/// `f` until it succeeds, fails for good, or `deadline` passes (then its last
/// retriable error, or a timeout when it had none).
fn retry_until<T>(
    deadline: Instant,
    timeout: Duration,
    call: &'static str,
    mut f: impl FnMut() -> Result<T, KafkaError>,
) -> Result<T, KafkaError> {
    loop {
        if Instant::now() >= deadline {
            return Err(KafkaError::Timeout {
                call,
                after_ms: timeout.as_millis() as u64,
            });
        }
        match f() {
            Err(e) if e.is_retriable() && Instant::now() < deadline => {
                log::debug!("{call}: {e} (retrying)");
                std::thread::sleep(Duration::from_millis(300));
            }
            r => return r,
        }
    }
}
