//! Reversing a mirror (pure): the new direction's spec and where it starts copying.
//!
//! The old flow A->B copied A's topics to B. After a failover producers wrote to B;
//! failback copies B's new records back to A. Two rules:
//! - never copy back what came from A. Under the default policy A's topics sit on B
//!   as `<A>.topic` and the reverse flow excludes them (MM2 also refuses such cycles);
//!   under the identity policy they share names, so the old flow must be stopped first
//!   and stay stopped, and the reverse flow starts after the last record that came from
//!   A in each partition;
//! - never copy twice: a topic A already holds from an earlier reverse flow (`<B>.topic`)
//!   starts at that topic's end (MM2 keeps partition order and, started with the topic,
//!   offsets).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::topology::{Mirror, NameFilter, ReplicationPolicy, Topology};

/// One partition of a topic on the new source: `[log_start, log_end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PartitionRange {
    pub partition: i32,
    pub log_start: i64,
    pub log_end: i64,
}

/// What the planner needs to know about the clusters.
#[derive(Debug, Clone, Default)]
pub struct ReverseFacts {
    /// Topics on the new source (the old target), with their partitions.
    pub new_source_topics: BTreeMap<String, Vec<PartitionRange>>,
    /// Log ends of topics on the new target (the old source): topic -> partition -> end.
    pub new_target_ends: BTreeMap<String, BTreeMap<i32, i64>>,
    /// Identity policy: the old flow's last copied upstream offset per partition (its
    /// source connector's stored offsets).
    pub old_last_copied: BTreeMap<(String, i32), i64>,
    /// Identity policy: the old flow's newest offset sync per partition, (upstream,
    /// downstream), read on the old source.
    pub old_syncs: BTreeMap<(String, i32), (i64, i64)>,
}

/// Where the reverse flow starts in one partition of the new source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartPosition {
    pub topic: String,
    pub partition: i32,
    /// The first offset of the new source the reverse flow copies.
    pub next_offset: i64,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReversePlan {
    /// The topology's name of the mirror being reversed.
    pub mirror: String,
    /// Name of the reverse flow (the topology's B->A mirror if it has one).
    pub reverse_name: String,
    #[serde(skip)]
    pub reverse: Mirror,
    pub starts: Vec<StartPosition>,
    /// Topics of the new source the reverse flow leaves alone, and why.
    pub skipped_topics: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// The mirror in the other direction: aliases swapped, the same policy and filters, and
/// under the default policy an exclude of the old source's remote topics.
pub fn reversed(t: &Topology, m: &Mirror) -> Mirror {
    let mut r = m.clone();
    r.source = m.target.clone();
    r.target = m.source.clone();
    r.source_alias = Some(m.target_alias().to_string());
    r.target_alias = Some(m.source_alias().to_string());
    if let Some(c) = t.clusters.get(&m.source) {
        if let Some(dc) = c.dcs().first() {
            r.runs_in = dc.to_string();
        }
    }
    if m.replication_policy == ReplicationPolicy::Default {
        let remote = format!("{}\\..*", regex::escape(m.source_alias()));
        if !r.topics.exclude.contains(&remote) {
            r.topics.exclude.push(remote);
        }
    }
    if let crate::topology::MirrorDriverSpec::Connect(c) = &mut r.driver {
        // The topology's connector names belong to the old direction.
        c.connectors = Default::default();
    }
    r
}

/// The topology's mirror from `m.target` to `m.source`, if it declares one.
pub fn declared_reverse<'t>(t: &'t Topology, m: &Mirror) -> Option<(&'t String, &'t Mirror)> {
    t.mirrors
        .iter()
        .find(|(_, r)| r.source == m.target && r.target == m.source)
}

fn admitted(filter: &NameFilter, topic: &str) -> bool {
    crate::topology::filter::Filter::new(filter).is_ok_and(|f| f.admits(topic))
}

/// Plans where the reverse of `name` starts in every partition it will copy.
pub fn plan_reverse(t: &Topology, name: &str, m: &Mirror, facts: &ReverseFacts) -> ReversePlan {
    let (reverse_name, reverse) = match declared_reverse(t, m) {
        Some((n, r)) => (n.clone(), r.clone()),
        None => (format!("{name}-reversed"), reversed(t, m)),
    };
    let mut plan = ReversePlan {
        mirror: name.to_string(),
        reverse_name,
        reverse: reverse.clone(),
        starts: Vec::new(),
        skipped_topics: Vec::new(),
        notes: Vec::new(),
    };
    let old_prefix = format!("{}.", m.source_alias());
    for (topic, parts) in &facts.new_source_topics {
        if super::observe::is_internal(topic) {
            continue;
        }
        if m.replication_policy == ReplicationPolicy::Default && topic.starts_with(&old_prefix) {
            plan.skipped_topics.push((
                topic.clone(),
                format!("came from `{}`: never mirrored back", m.source),
            ));
            continue;
        }
        if !admitted(&reverse.topics, topic) {
            plan.skipped_topics.push((
                topic.clone(),
                "not admitted by the mirror's topic filter".into(),
            ));
            continue;
        }
        let remote = reverse.remote_topic(topic);
        for p in parts {
            let (next, why) = start_of(m, facts, topic, &remote, p);
            plan.starts.push(StartPosition {
                topic: topic.clone(),
                partition: p.partition,
                next_offset: next,
                why,
            });
        }
    }
    if m.replication_policy == ReplicationPolicy::Identity {
        plan.notes.push(format!(
            "identity policy: `{name}` must stay stopped while `{}` runs, or records loop between the clusters",
            plan.reverse_name
        ));
    }
    plan
}

fn start_of(
    m: &Mirror,
    facts: &ReverseFacts,
    topic: &str,
    remote: &str,
    p: &PartitionRange,
) -> (i64, String) {
    let key = (topic.to_string(), p.partition);
    let clamp = |o: i64| o.clamp(p.log_start, p.log_end.max(p.log_start));
    if m.replication_policy == ReplicationPolicy::Identity {
        // Records up to the last one that came from the old source are already there.
        return match (facts.old_last_copied.get(&key), facts.old_syncs.get(&key)) {
            (Some(&last), Some(&(up, down))) if last >= up => (
                clamp(down + (last - up) + 1),
                format!(
                    "after the last record copied from `{}` (upstream {last} = downstream {})",
                    m.source,
                    down + (last - up)
                ),
            ),
            (_, Some(&(_, down))) => (
                clamp(down + 1),
                format!(
                    "after the newest offset sync from `{}` (downstream {down})",
                    m.source
                ),
            ),
            _ => (
                p.log_start,
                format!(
                    "nothing in this partition came from `{}`: log start",
                    m.source
                ),
            ),
        };
    }
    match facts
        .new_target_ends
        .get(remote)
        .and_then(|e| e.get(&p.partition))
    {
        Some(&end) if end > p.log_start => (
            clamp(end),
            format!("`{remote}` already holds {end} records on `{}`", m.source),
        ),
        _ => (p.log_start, "not on the other side yet: log start".into()),
    }
}

#[cfg(test)]
mod tests;
