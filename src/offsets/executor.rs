//! The part of offsets that reads a cluster: resolves which partitions each group
//! covers and gathers, in a handful of batched calls whatever the count of groups,
//! the snapshot the planner needs. Applying is in `apply.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use super::journal::{GroupStatus, Journal};
use super::model::*;
use super::planner::needs;
use crate::kafka::{
    AdminClient, BatchOptions, GroupOffsetsQuery, KafkaError, OffsetQuery, OffsetSpec, RetryPolicy,
    TopicPartition,
};

/// Which partitions a group's reset covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// These partitions.
    Partitions(Vec<Tp>),
    /// Every partition of `topics` (`--topic T`), plus `partitions` (`--topic T:0,1`).
    Topics {
        topics: Vec<String>,
        partitions: Vec<Tp>,
    },
    /// The partitions the group has committed offsets for, plus `extra`
    /// (e.g. partitions a checkpoint names).
    Committed { extra: Vec<Tp> },
}

/// One group to plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTarget {
    pub group: String,
    pub strategy: ResetStrategy,
    pub scope: Scope,
}

/// The requests, resolved to partitions, and the snapshot to plan them against.
#[derive(Debug, Clone)]
pub struct Gathered {
    pub requests: Vec<GroupRequest>,
    pub snapshot: OffsetsSnapshot,
    /// Things worth telling the operator (e.g. "members unknown on this cluster").
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum GatherError {
    #[error("topic `{0}` does not exist on the cluster")]
    UnknownTopic(String),
    #[error("{what}: {source}")]
    Kafka {
        what: String,
        #[source]
        source: KafkaError,
    },
}

fn kafka(what: impl Into<String>) -> impl FnOnce(KafkaError) -> GatherError {
    let what = what.into();
    move |source| GatherError::Kafka { what, source }
}

/// Group requests outstanding at once in the offsets calls (reading committed offsets,
/// describing groups, applying a chunk of [`super::apply::CHUNK`] groups: one wave).
/// There is one request per group; enough of them in flight hide the round trip to the
/// coordinators (librdkafka's mock with 50 ms RTT: 1,000 groups in 4 waves, not 16).
/// More would only queue at the brokers, which serve one request per connection at a
/// time: Kafka 4.1 holds each offset commit for `group.coordinator.append.linger.ms`
/// (5 ms), so 256 commits queued at one coordinator wait up to ~2 s, well inside the
/// request timeout (10 s by default); 1,000 would not be.
pub const MAX_IN_FLIGHT: usize = 256;

pub fn batch_options(timeout: Duration) -> BatchOptions {
    // Many groups share one deadline: the whole batch gets a few request timeouts.
    BatchOptions::new(timeout * 3)
        .attempt_timeout(timeout)
        .max_in_flight(MAX_IN_FLIGHT)
}

/// Plans from an offsets journal: `rollback` picks which side (the reset's targets to resume,
/// or the previous offsets to roll back).
pub fn plan_from_journal(
    admin: &AdminClient,
    j: &Journal,
    label: &str,
    rollback: bool,
    force: bool,
    timeout: Duration,
) -> Result<ResetPlan, GatherError> {
    let mut targets = Vec::new();
    for g in j.groups() {
        if rollback && matches!(g.status, Some(GroupStatus::Refused)) {
            continue; // nothing was written
        }
        let (to, from) = if rollback {
            (&g.before, &g.target)
        } else {
            (&g.target, &g.before)
        };
        let tmap: BTreeMap<Tp, Option<i64>> = to.iter().map(|s| (s.tp(), s.offset)).collect();
        let allowed: BTreeMap<Tp, Vec<Option<i64>>> = from
            .iter()
            .map(|s| (s.tp(), vec![s.offset, tmap.get(&s.tp()).copied().flatten()]))
            .collect();
        targets.push(GroupTarget {
            group: g.group.clone(),
            strategy: ResetStrategy::Restore {
                label: label.to_string(),
                targets: tmap,
                allowed,
                force,
            },
            scope: Scope::Partitions(to.iter().map(|s| s.tp()).collect()),
        });
    }
    let g = gather(admin, j.cluster(), &targets, BTreeMap::new(), timeout)?;
    Ok(super::plan(&g.snapshot, &g.requests))
}

/// Reads everything needed to plan `targets` on the cluster `admin` talks to.
pub fn gather(
    admin: &AdminClient,
    cluster: &str,
    targets: &[GroupTarget],
    translations: BTreeMap<String, BTreeMap<Tp, Translation>>,
    timeout: Duration,
) -> Result<Gathered, GatherError> {
    let now_ms = now_ms();
    let mut notes = Vec::new();
    let opts = batch_options(timeout);
    let groups: Vec<String> = dedup(targets.iter().map(|t| t.group.clone()));

    // 1. Partitions of named topics.
    let mut topics: BTreeSet<String> = BTreeSet::new();
    for t in targets {
        match &t.scope {
            Scope::Topics {
                topics: ts,
                partitions,
            } => {
                topics.extend(ts.iter().cloned());
                topics.extend(partitions.iter().map(|(t, _)| t.clone()));
            }
            Scope::Partitions(ps) | Scope::Committed { extra: ps } => {
                topics.extend(ps.iter().map(|(t, _)| t.clone()))
            }
        }
    }
    let topic_partitions = partitions_of(admin, &topics, timeout)?;

    // 2.-5. Committed offsets, the requests resolved with them and the log bounds on
    // this thread; group states and members at the same time on another: the calls
    // are independent, so they cost the longer of the two, not their sum.
    let (described, resolved) = std::thread::scope(|s| {
        let describing = s.spawn(|| admin.describe_consumer_groups_batch(&groups, &opts));
        let resolved = resolve(admin, targets, &groups, &topic_partitions, &opts, timeout);
        let described = describing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (described, resolved)
    });
    let Resolved {
        committed,
        requests,
        bounds,
    } = resolved?;

    // 4. Group states and members.
    let mut snapshot = OffsetsSnapshot {
        cluster: cluster.to_string(),
        taken_at_ms: now_ms,
        translations,
        bounds,
        ..Default::default()
    };
    let mut unsupported = false;
    for g in &groups {
        let (state, members) = match described.get(g) {
            Some(Ok(d)) => (Some(d.state), Some(d.members.len())),
            Some(Err(KafkaError::Unsupported { .. })) => {
                unsupported = true;
                (None, None)
            }
            Some(Err(e)) => return Err(kafka(format!("describe group `{g}`"))(e.clone())),
            None => (None, None),
        };
        snapshot.groups.insert(
            g.clone(),
            GroupSnapshot {
                group: g.clone(),
                state,
                members,
                committed: committed.get(g).cloned().unwrap_or_default(),
            },
        );
    }
    if unsupported {
        notes.push(
            "this cluster cannot describe groups: live members are unknown, the offset commit itself will refuse a group that has them".into(),
        );
    }

    // 6. Timestamp lookups, one batched call per distinct timestamp.
    let n = needs(&requests);
    let mut by_ts: BTreeMap<i64, Vec<Tp>> = BTreeMap::new();
    for (tp, ts) in n.timestamps {
        if snapshot.bounds.contains_key(&tp) {
            by_ts.entry(ts).or_default().push(tp);
        }
    }
    for (ts, tps) in by_ts {
        let queries: Vec<OffsetQuery> = to_kafka(&tps)
            .iter()
            .map(|tp| OffsetQuery::new(tp, OffsetSpec::Timestamp(ts)))
            .collect();
        let answers = admin
            .list_offsets_with_retry(&queries, &RetryPolicy::default(), timeout)
            .map_err(kafka("look up offsets by timestamp"))?;
        for a in answers {
            let tp = (a.topic.clone(), a.partition);
            match a.result {
                // A real match carries its record's timestamp; an offset without one
                // (some brokers answer 0 for "every record is older") is past the end.
                Ok(o) => {
                    let found = o.offset.filter(|_| o.timestamp.is_some_and(|t| t >= 0));
                    snapshot.by_timestamp.insert((tp, ts), found);
                }
                Err(e) => {
                    return Err(kafka(format!("offset by timestamp of {}[{}]", tp.0, tp.1))(
                        e,
                    ))
                }
            }
        }
    }

    // 7. Other groups' positions (`--to-group`).
    if !n.other_groups.is_empty() {
        let queries: Vec<GroupOffsetsQuery> = n
            .other_groups
            .iter()
            .map(|g| GroupOffsetsQuery::partitions(g.clone(), to_kafka(&all_partitions(&requests))))
            .collect();
        snapshot.other_groups = read_committed(admin, &queries, &opts)?;
    }
    Ok(Gathered {
        requests,
        snapshot,
        notes,
    })
}

/// What [`gather`] reads besides group states: committed offsets, the requests with
/// their partitions resolved, and the log bounds of those partitions.
struct Resolved {
    committed: BTreeMap<String, BTreeMap<Tp, Option<i64>>>,
    requests: Vec<GroupRequest>,
    bounds: BTreeMap<Tp, LogBounds>,
}

fn resolve(
    admin: &AdminClient,
    targets: &[GroupTarget],
    groups: &[String],
    topic_partitions: &BTreeMap<String, Vec<Tp>>,
    opts: &BatchOptions,
    timeout: Duration,
) -> Result<Resolved, GatherError> {
    // Committed offsets: explicit partitions where known, else all of the group's.
    let scoped: BTreeMap<&str, Vec<Tp>> = targets
        .iter()
        .filter_map(|t| {
            let ps = match &t.scope {
                Scope::Partitions(ps) => ps.clone(),
                Scope::Topics {
                    topics: ts,
                    partitions,
                } => ts
                    .iter()
                    .flat_map(|topic| topic_partitions.get(topic).cloned().unwrap_or_default())
                    .chain(partitions.iter().cloned())
                    .collect(),
                Scope::Committed { .. } => return None,
            };
            Some((t.group.as_str(), ps))
        })
        .collect();
    let queries: Vec<GroupOffsetsQuery> = groups
        .iter()
        .map(|g| match scoped.get(g.as_str()) {
            Some(ps) => GroupOffsetsQuery::partitions(g.clone(), to_kafka(ps)),
            None => GroupOffsetsQuery::all(g.clone()),
        })
        .collect();
    let committed = read_committed(admin, &queries, opts)?;

    // Requests with their partitions resolved.
    let requests: Vec<GroupRequest> = targets
        .iter()
        .map(|t| {
            let mut partitions = match &t.scope {
                Scope::Committed { extra } => {
                    let mut ps: Vec<Tp> = committed
                        .get(&t.group)
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                    ps.extend(extra.iter().cloned());
                    ps
                }
                _ => scoped.get(t.group.as_str()).cloned().unwrap_or_default(),
            };
            partitions.sort();
            partitions.dedup();
            GroupRequest {
                group: t.group.clone(),
                strategy: t.strategy.clone(),
                partitions,
            }
        })
        .collect();

    // Log bounds of every partition in any request.
    let bounds = bounds(admin, &all_partitions(&requests), timeout)?;
    Ok(Resolved {
        committed,
        requests,
        bounds,
    })
}

fn all_partitions(requests: &[GroupRequest]) -> Vec<Tp> {
    dedup(requests.iter().flat_map(|r| r.partitions.iter().cloned()))
}

/// Committed offsets per group (every partition asked, `None` if not committed).
pub fn read_committed(
    admin: &AdminClient,
    queries: &[GroupOffsetsQuery],
    opts: &BatchOptions,
) -> Result<BTreeMap<String, BTreeMap<Tp, Option<i64>>>, GatherError> {
    let mut out = BTreeMap::new();
    for (group, res) in admin.list_group_offsets_batch(queries, opts) {
        let offsets = res.map_err(kafka(format!("committed offsets of group `{group}`")))?;
        let mut m = BTreeMap::new();
        for o in offsets.offsets {
            if let Some(e) = o.error {
                if !matches!(e, KafkaError::UnknownTopicOrPartition { .. }) {
                    return Err(kafka(format!(
                        "committed offset of group `{group}` on {}[{}]",
                        o.topic, o.partition
                    ))(e));
                }
            }
            m.insert((o.topic, o.partition), o.offset);
        }
        out.insert(group, m);
    }
    Ok(out)
}

/// Partition ids of each topic; an unknown topic is an error.
fn partitions_of(
    admin: &AdminClient,
    topics: &BTreeSet<String>,
    timeout: Duration,
) -> Result<BTreeMap<String, Vec<Tp>>, GatherError> {
    if topics.is_empty() {
        return Ok(BTreeMap::new());
    }
    let names: Vec<String> = topics.iter().cloned().collect();
    let described = crate::kafka::retry(&RetryPolicy::default(), timeout, |left| {
        admin.describe_topics(&names, left)
    })
    .map_err(|e| match e {
        KafkaError::UnknownTopicOrPartition { topic: Some(t), .. } => GatherError::UnknownTopic(t),
        e => kafka("describe topics")(e),
    })?;
    Ok(described
        .into_iter()
        .map(|d| {
            let ps = d
                .partitions
                .iter()
                .map(|p| (d.name.clone(), p.partition))
                .collect();
            (d.name, ps)
        })
        .collect())
}

/// Log start and end of each partition (two batched ListOffsets calls).
pub fn bounds(
    admin: &AdminClient,
    tps: &[Tp],
    timeout: Duration,
) -> Result<BTreeMap<Tp, LogBounds>, GatherError> {
    let mut out = BTreeMap::new();
    if tps.is_empty() {
        return Ok(out);
    }
    let kps = to_kafka(tps);
    // Reads only: retried until the deadline rather than for a count of attempts (a
    // leader's broker that is back within the timeout must not fail the plan).
    let policy = RetryPolicy {
        max_attempts: 50,
        ..RetryPolicy::default()
    };
    let start = admin
        .list_offsets_with_retry(
            &kps.iter()
                .map(|tp| OffsetQuery::new(tp, OffsetSpec::Earliest))
                .collect::<Vec<_>>(),
            &policy,
            timeout,
        )
        .map_err(kafka("list log start offsets"))?;
    let end = admin
        .list_offsets_with_retry(
            &kps.iter()
                .map(|tp| OffsetQuery::new(tp, OffsetSpec::Latest))
                .collect::<Vec<_>>(),
            &policy,
            timeout,
        )
        .map_err(kafka("list log end offsets"))?;
    for (s, e) in start.into_iter().zip(end) {
        let tp = (s.topic.clone(), s.partition);
        let (s, e) = match (s.result, e.result) {
            (Ok(s), Ok(e)) => (s.offset, e.offset),
            (Err(KafkaError::UnknownTopicOrPartition { .. }), _)
            | (_, Err(KafkaError::UnknownTopicOrPartition { .. })) => continue,
            (Err(err), _) | (_, Err(err)) => {
                return Err(kafka(format!("log offsets of {}[{}]", tp.0, tp.1))(err))
            }
        };
        if let (Some(log_start), Some(log_end)) = (s, e) {
            out.insert(tp, LogBounds { log_start, log_end });
        }
    }
    Ok(out)
}

/// Waits until none of `groups` has live members, or `max` passes. Returns the
/// groups still live at the end.
pub fn wait_until_empty(
    admin: &AdminClient,
    groups: &[String],
    max: Duration,
    timeout: Duration,
) -> Result<Vec<String>, GatherError> {
    let deadline = Instant::now() + max;
    loop {
        let described = admin.describe_consumer_groups_batch(groups, &batch_options(timeout));
        let mut live = Vec::new();
        for (g, d) in described {
            match d {
                Ok(d) if !d.members.is_empty() => live.push(g),
                Ok(_) | Err(KafkaError::Unsupported { .. }) => {}
                Err(e) => return Err(kafka(format!("describe group `{g}`"))(e)),
            }
        }
        if live.is_empty() || Instant::now() >= deadline {
            return Ok(live);
        }
        std::thread::sleep(Duration::from_millis(500).min(deadline - Instant::now()));
    }
}

pub fn to_kafka(tps: &[Tp]) -> Vec<TopicPartition> {
    tps.iter()
        .map(|(t, p)| TopicPartition::new(t.clone(), *p))
        .collect()
}

fn dedup<T: Ord + Clone>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = BTreeSet::new();
    items.filter(|i| seen.insert(i.clone())).collect()
}

pub use crate::clock::now_ms;
