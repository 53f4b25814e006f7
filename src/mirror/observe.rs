//! What the clusters say about a mirror: per topic how far the target trails the
//! source, how fresh MM2's checkpoints and offset syncs are, and (for `reverse`) the
//! facts the reverse planner needs. Reads only.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::reverse::{PartitionRange, ReverseFacts};
use crate::kafka::{
    cluster_settings, read_topic_to_end, AdminClient, ClientSettings, KafkaError, PropertyOverride,
    RetryPolicy,
};
use crate::offsets::executor::{bounds, now_ms};
use crate::offsets::mm2_records::{checkpoints_topic, offset_syncs_topic, OffsetSync};
use crate::offsets::translate::{summarize_offset_syncs, CheckpointIndex};
use crate::offsets::{LogBounds, Tp};
use crate::topology::{filter::Filter, Mirror, Topology};

/// How to reach the topology's clusters.
#[derive(Debug, Clone)]
pub struct Reach<'a> {
    pub overrides: &'a [PropertyOverride],
    pub timeout: Duration,
    /// Clusters this run already found not answering (a runbook's lost DC), so that
    /// later steps do not each wait a probe timeout on them again.
    pub gone: Option<&'a GoneClusters>,
}

/// Clusters found not answering during one run. Only "gone" is remembered: a cluster
/// that answered is asked again next time.
#[derive(Debug, Default)]
pub struct GoneClusters(std::sync::Mutex<std::collections::BTreeSet<String>>);

impl GoneClusters {
    pub fn mark(&self, cluster: &str) {
        if let Ok(mut g) = self.0.lock() {
            g.insert(cluster.to_string());
        }
    }

    pub fn contains(&self, cluster: &str) -> bool {
        self.0.lock().map(|g| g.contains(cluster)).unwrap_or(false)
    }
}

impl Reach<'_> {
    /// Whether `cluster` answers a DescribeCluster within `within`; a cluster this run
    /// already found gone is not asked again.
    pub fn answers(&self, t: &Topology, cluster: &str, within: Duration) -> bool {
        if self.is_gone(cluster) {
            return false;
        }
        let quick = Reach {
            overrides: self.overrides,
            timeout: within,
            gone: None,
        };
        let ok = quick
            .admin(t, cluster)
            .ok()
            .is_some_and(|(_, a)| a.describe_cluster(within).is_ok());
        if !ok {
            if let Some(g) = self.gone {
                g.mark(cluster);
            }
        }
        ok
    }

    /// Whether this run already found `cluster` gone.
    pub fn is_gone(&self, cluster: &str) -> bool {
        self.gone.is_some_and(|g| g.contains(cluster))
    }

    pub fn admin(
        &self,
        t: &Topology,
        cluster: &str,
    ) -> Result<(ClientSettings, AdminClient), String> {
        let c = t
            .clusters
            .get(cluster)
            .ok_or_else(|| format!("cluster `{cluster}` is not in the topology"))?;
        let s = cluster_settings(cluster, c, self.overrides, self.timeout)
            .map_err(|e| e.to_string())?;
        let a = AdminClient::new(s.clone()).map_err(|e| e.to_string())?;
        Ok((s, a))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicLag {
    pub source_topic: String,
    pub target_topic: String,
    pub partitions: usize,
    pub source_end: i64,
    /// `None`: the target topic does not exist (yet).
    pub target_end: Option<i64>,
    /// Records the target trails by: Σ max(0, source end − target end) per partition
    /// (MM2 keeps partitions and, started with the topic, offsets).
    pub lag: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MirrorObservation {
    pub topics: Vec<TopicLag>,
    pub total_lag: Option<i64>,
    pub newest_checkpoint_age_ms: Option<i64>,
    pub newest_offset_sync_age_ms: Option<i64>,
    /// What could not be read, and why.
    pub problems: Vec<String>,
}

pub(crate) fn is_internal(topic: &str) -> bool {
    topic.starts_with("__")
        || topic.starts_with("mm2-")
        || topic.ends_with(".internal")
        || topic == "heartbeats"
        || topic.ends_with(".heartbeats")
        || topic.starts_with("connect-")
}

/// Partitions and bounds of every non-internal topic of a cluster that `keep` admits.
fn topic_bounds(
    admin: &AdminClient,
    timeout: Duration,
    keep: impl Fn(&str) -> bool,
) -> Result<BTreeMap<String, BTreeMap<i32, LogBounds>>, String> {
    let names: Vec<String> = admin
        .list_topics(timeout)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|t| !is_internal(t) && keep(t))
        .collect();
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let described = crate::kafka::retry(&RetryPolicy::default(), timeout, |left| {
        admin.describe_topics(&names, left)
    })
    .map_err(|e| e.to_string())?;
    let tps: Vec<Tp> = described
        .iter()
        .flat_map(|d| d.partitions.iter().map(|p| (d.name.clone(), p.partition)))
        .collect();
    let b = bounds(admin, &tps, timeout).map_err(|e| e.to_string())?;
    let mut out: BTreeMap<String, BTreeMap<i32, LogBounds>> = BTreeMap::new();
    for ((t, p), lb) in b {
        out.entry(t).or_default().insert(p, lb);
    }
    Ok(out)
}

/// Reads the mirror's topics on both sides and MM2's internal topics.
pub fn observe(t: &Topology, m: &Mirror, reach: &Reach<'_>) -> MirrorObservation {
    let mut o = MirrorObservation::default();
    let filter = Filter::new(&m.topics).ok();
    let src = if reach.is_gone(&m.source) {
        Err("did not answer earlier in this run".to_string())
    } else {
        reach.admin(t, &m.source).and_then(|(s, a)| {
            topic_bounds(&a, reach.timeout, |n| {
                filter.as_ref().is_some_and(|f| f.admits(n))
            })
            .map(|b| (s, b))
        })
    };
    let tgt = reach
        .admin(t, &m.target)
        .and_then(|(s, a)| topic_bounds(&a, reach.timeout, |_| true).map(|b| (s, b)));
    let now = now_ms();
    if let (Ok((_, sb)), Ok((_, tb))) = (&src, &tgt) {
        {
            for (topic, parts) in sb {
                let remote = m.remote_topic(topic);
                let tparts = tb.get(&remote);
                let source_end: i64 = parts.values().map(|b| b.log_end).sum();
                let lag = tparts.map(|tp| {
                    parts
                        .iter()
                        .map(|(p, b)| (b.log_end - tp.get(p).map_or(0, |x| x.log_end)).max(0))
                        .sum()
                });
                o.topics.push(TopicLag {
                    source_topic: topic.clone(),
                    target_topic: remote,
                    partitions: parts.len(),
                    source_end,
                    target_end: tparts.map(|tp| tp.values().map(|b| b.log_end).sum()),
                    lag,
                });
            }
            o.total_lag = o.topics.iter().map(|t| t.lag).sum();
        }
    }
    if let Err(e) = &src {
        o.problems.push(format!("source `{}`: {e}", m.source));
    }
    if let Err(e) = &tgt {
        o.problems.push(format!("target `{}`: {e}", m.target));
    }
    if let Ok((s, _)) = &tgt {
        let topic = checkpoints_topic(m.source_alias());
        match read_topic_to_end(s, &topic, reach.timeout) {
            Ok(r) => {
                o.newest_checkpoint_age_ms = CheckpointIndex::from_records(&r)
                    .newest_ms()
                    .map(|ts| (now - ts).max(0))
            }
            Err(e) => o.problems.push(format!("`{topic}` on `{}`: {e}", m.target)),
        }
    }
    if let Ok((s, _)) = &src {
        let topic = offset_syncs_topic(m.target_alias());
        match read_topic_to_end(s, &topic, reach.timeout) {
            Ok(r) => o.newest_offset_sync_age_ms = summarize_offset_syncs(&r, now).newest_age_ms,
            Err(e) => o.problems.push(format!("`{topic}` on `{}`: {e}", m.source)),
        }
    }
    o
}

/// Facts for reversing `m` (A->B): B's topics and bounds, A's ends of the reverse
/// flow's remote topics, and (identity policy) the old flow's newest offset syncs.
pub fn reverse_facts(
    t: &Topology,
    m: &Mirror,
    reverse: &Mirror,
    reach: &Reach<'_>,
) -> Result<ReverseFacts, String> {
    let (_, b_admin) = reach.admin(t, &m.target)?;
    let (a_settings, a_admin) = reach.admin(t, &m.source)?;
    let b = topic_bounds(&b_admin, reach.timeout, |_| true)?;
    let mut facts = ReverseFacts::default();
    let remotes: Vec<String> = b.keys().map(|t| reverse.remote_topic(t)).collect();
    let a = topic_bounds(&a_admin, reach.timeout, |n| remotes.iter().any(|r| r == n))?;
    for (topic, parts) in b {
        facts.new_source_topics.insert(
            topic,
            parts
                .iter()
                .map(|(p, lb)| PartitionRange {
                    partition: *p,
                    log_start: lb.log_start,
                    log_end: lb.log_end,
                })
                .collect(),
        );
    }
    for (topic, parts) in a {
        facts.new_target_ends.insert(
            topic,
            parts.iter().map(|(p, lb)| (*p, lb.log_end)).collect(),
        );
    }
    if m.replication_policy == crate::topology::ReplicationPolicy::Identity {
        let topic = offset_syncs_topic(m.target_alias());
        match read_topic_to_end(&a_settings, &topic, reach.timeout) {
            Ok(records) => {
                for r in records {
                    if let Ok(s) = OffsetSync::decode(r.key.as_deref(), r.value.as_deref()) {
                        facts.old_syncs.insert(
                            (s.topic, s.partition),
                            (s.upstream_offset, s.downstream_offset),
                        );
                    }
                }
            }
            Err(KafkaError::UnknownTopicOrPartition { .. }) => {}
            Err(e) => return Err(format!("`{topic}` on `{}`: {e}", m.source)),
        }
    }
    Ok(facts)
}
