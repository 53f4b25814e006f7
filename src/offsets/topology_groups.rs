//! The topology's consumer groups on one cluster: which entry a group id falls under,
//! its topics as named on that cluster, its failover strategy, and the MirrorMaker 2
//! translations of translated ones. Used by `offsets reset --groups-from-topology` and
//! by the runbooks' group moves. Messages for the operator go to `say(level, text)`
//! (0: a note, 1+: debug).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::executor::{GroupTarget, Scope};
use super::mm2_records::{checkpoints_topic, offset_syncs_topic};
use super::model::fmt_ms;
use super::translate::{
    summarize_offset_syncs, translations_for, CheckpointIndex, OffsetSyncIndex,
};
use super::{ResetStrategy, Tp, Translation};
use crate::exit::Failure;
use crate::kafka::{
    cluster_settings, read_topic_to_end, AdminClient, BatchOptions, ClientSettings,
    GroupOffsetsQuery, KafkaError,
};
pub use crate::mirror::observe::Reach;
use crate::topology::{filter, ConsumerGroup, Mirror, OffsetStrategy, Topology};

/// A selected group, with its topology entry when it has one.
#[derive(Debug, Clone)]
pub struct Selected {
    pub group: String,
    pub spec: Option<ConsumerGroup>,
    pub default_scope: Scope,
}

impl Selected {
    pub fn named(group: &str) -> Selected {
        Selected {
            group: group.to_string(),
            spec: None,
            default_scope: Scope::Committed { extra: Vec::new() },
        }
    }
}

/// The topology entry of a group id (by name, then by pattern).
pub fn spec_of<'t>(t: &'t Topology, group: &str) -> Option<&'t ConsumerGroup> {
    t.consumer_groups
        .iter()
        .find(|c| c.name.as_deref() == Some(group))
        .or_else(|| {
            t.consumer_groups.iter().find(|c| {
                c.pattern
                    .as_deref()
                    .and_then(|p| filter::compile(p).ok())
                    .is_some_and(|re| re.is_match(group))
            })
        })
}

/// The group's topics as they are named on `cluster`: each topic itself and its
/// mirrored name under every mirror into `cluster`, those that exist there.
pub fn topics_on(
    t: &Topology,
    cluster: &str,
    spec: &ConsumerGroup,
    existing: &BTreeSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for topic in &spec.topics {
        let mut names = vec![topic.clone()];
        for m in t.mirrors.values().filter(|m| m.target == cluster) {
            let admits = filter::Filter::new(&m.topics).is_ok_and(|f| f.admits(topic));
            if admits {
                names.push(m.remote_topic(topic));
            }
        }
        out.extend(names.into_iter().filter(|n| existing.contains(n)));
    }
    out.sort();
    out.dedup();
    out
}

/// `names` (deduplicated, in order) with their topology entries and the topics each
/// covers on `cluster` (those that exist there; listing topics only when needed).
pub fn selected(
    admin: &AdminClient,
    t: &Topology,
    cluster: &str,
    mut names: Vec<String>,
    timeout: Duration,
) -> anyhow::Result<Vec<Selected>> {
    let mut seen = BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    let needs_topics = names
        .iter()
        .any(|n| spec_of(t, n).is_some_and(|s| !s.topics.is_empty()));
    let existing: BTreeSet<String> = if needs_topics {
        admin
            .list_topics(timeout)
            .map_err(|e| anyhow::Error::new(e).context("cannot list topics"))?
            .into_iter()
            .collect()
    } else {
        BTreeSet::new()
    };
    Ok(names
        .into_iter()
        .map(|g| {
            let spec = spec_of(t, &g).cloned();
            let topics = spec
                .as_ref()
                .map(|s| topics_on(t, cluster, s, &existing))
                .unwrap_or_default();
            let default_scope = if topics.is_empty() {
                Scope::Committed { extra: Vec::new() }
            } else {
                Scope::Topics {
                    topics,
                    partitions: Vec::new(),
                }
            };
            Selected {
                group: g,
                spec,
                default_scope,
            }
        })
        .collect())
}

/// The mirror that copies `source` into `cluster`.
pub fn mirror_into<'t>(t: &'t Topology, source: &str, cluster: &str) -> anyhow::Result<&'t Mirror> {
    t.mirrors
        .values()
        .find(|m| m.source == source && m.target == cluster)
        .ok_or_else(|| {
            let into: Vec<&str> = t
                .mirrors
                .values()
                .filter(|m| m.target == cluster)
                .map(|m| m.source.as_str())
                .collect();
            Failure::Usage(format!(
                "--translated-from {source}: the topology has no mirror from `{source}` into `{cluster}`{}",
                if into.is_empty() {
                    String::new()
                } else {
                    format!(" (mirrors into it come from: {})", into.join(", "))
                }
            ))
            .into()
        })
}

/// The topology's strategy for a group reset on `cluster`, or `None` (skipped, noted).
pub fn topology_target(
    t: &Topology,
    cluster: &str,
    s: &Selected,
    now_ms: i64,
    say: &dyn Fn(u8, &str),
) -> anyhow::Result<Option<(ResetStrategy, Scope)>> {
    let Some(spec) = &s.spec else {
        say(
            0,
            &format!(
                "group `{}` is not in the topology and no strategy flag was given: skipped",
                s.group
            ),
        );
        return Ok(None);
    };
    let Some(policy) = &spec.failover else {
        say(
            0,
            &format!(
                "group `{}` has no failover strategy in the topology: skipped",
                s.group
            ),
        );
        return Ok(None);
    };
    let margin = match &policy.margin {
        Some(m) => humantime::parse_duration(m)
            .map_err(|e| Failure::Usage(format!("group `{}`: margin `{m}`: {e}", spec.label())))?,
        None => Duration::from_secs(300),
    };
    let at_ms = now_ms - margin.as_millis() as i64;
    let strategy = match policy.strategy {
        OffsetStrategy::Earliest => ResetStrategy::Earliest,
        OffsetStrategy::Latest => ResetStrategy::Latest,
        OffsetStrategy::Timestamp => ResetStrategy::Timestamp { at_ms },
        OffsetStrategy::Translated => match t.mirrors.values().find(|m| m.target == cluster) {
            Some(m) => ResetStrategy::Translated {
                source: m.source.clone(),
                fallback_ms: Some(at_ms),
            },
            None => {
                say(0, &format!(
                        "group `{}`: no mirror into `{cluster}`, so no checkpoints: timestamp {} instead",
                        s.group,
                        fmt_ms(at_ms)
                    ));
                ResetStrategy::Timestamp { at_ms }
            }
        },
    };
    Ok(Some((strategy, s.default_scope.clone())))
}

/// Reads MM2's checkpoints for every translated target and adds the partitions they
/// name to targets scoped by committed offsets.
pub fn translations_for_groups(
    t: &Topology,
    cluster: &str,
    settings: &ClientSettings,
    targets: &mut [GroupTarget],
    reach: &Reach<'_>,
    say: &dyn Fn(u8, &str),
) -> anyhow::Result<BTreeMap<String, BTreeMap<Tp, Translation>>> {
    let mut by_source: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in targets.iter() {
        if let ResetStrategy::Translated { source, .. } = &g.strategy {
            by_source
                .entry(source.clone())
                .or_default()
                .push(g.group.clone());
        }
    }
    let mut out = BTreeMap::new();
    let timeout = reach.timeout;
    for (source, groups) in by_source {
        let m = mirror_into(t, &source, cluster)?;
        let topic = checkpoints_topic(m.source_alias());
        let idx = match read_topic_to_end(settings, &topic, timeout) {
            Ok(records) => CheckpointIndex::from_records(&records),
            Err(KafkaError::UnknownTopicOrPartition { .. }) => {
                say(
                    0,
                    &format!(
                        "`{cluster}` has no checkpoint topic `{topic}`: every partition falls back"
                    ),
                );
                CheckpointIndex::default()
            }
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("cannot read checkpoints `{topic}` on `{cluster}`")))
            }
        };
        if let Some(note) = idx.skipped_note(&format!("{topic} on `{cluster}`")) {
            say(0, &note);
        }
        say(
            1,
            &format!(
                "{topic}: {} records, newest {:?}",
                idx.records,
                idx.newest_ms().map(fmt_ms)
            ),
        );
        let (source_committed, syncs) = source_positions(t, &source, m, &groups, reach, say);
        let now = super::executor::now_ms();
        for g in &groups {
            let tr = translations_for(
                &idx,
                m,
                g,
                source_committed.as_ref().and_then(|s| s.get(g)),
                syncs.as_ref(),
                now,
            );
            out.insert(g.clone(), tr);
        }
        for target in targets.iter_mut().filter(|x| groups.contains(&x.group)) {
            if let Scope::Committed { extra } = &mut target.scope {
                extra.extend(idx.partitions_of(&target.group));
            }
        }
    }
    Ok(out)
}

/// Committed offsets per group and partition (`None`: nothing committed).
type CommittedByGroup = BTreeMap<String, BTreeMap<Tp, Option<i64>>>;

/// The groups' committed offsets on the source and MM2's offset syncs there, each when
/// it answers quickly (the source may be the lost DC); reports the syncs' freshness.
fn source_positions(
    t: &Topology,
    source: &str,
    m: &Mirror,
    groups: &[String],
    reach: &Reach<'_>,
    say: &dyn Fn(u8, &str),
) -> (Option<CommittedByGroup>, Option<OffsetSyncIndex>) {
    let quick = reach.timeout.min(Duration::from_secs(5));
    // A source that does not answer at all (the lost DC) is not waited for twice.
    if !reach.answers(t, source, quick.min(Duration::from_secs(2))) {
        say(
            0,
            &format!(
                "source `{source}` does not answer: confidence comes from the checkpoints alone"
            ),
        );
        return (None, None);
    }
    let Ok(settings) = cluster_settings(source, &t.clusters[source], reach.overrides, quick) else {
        return (None, None);
    };
    let Ok(admin) = AdminClient::new(settings.clone()) else {
        return (None, None);
    };
    let queries: Vec<GroupOffsetsQuery> = groups
        .iter()
        .map(|g| GroupOffsetsQuery::all(g.clone()))
        .collect();
    let committed = match super::executor::read_committed(
        &admin,
        &queries,
        &BatchOptions::new(quick).attempt_timeout(quick),
    ) {
        Ok(r) => Some(r),
        Err(e) => {
            say(0, &format!(
                "source `{source}` did not answer ({e}): confidence comes from the checkpoints alone"
            ));
            return (None, None);
        }
    };
    let topic = offset_syncs_topic(m.target_alias());
    let syncs = match read_topic_to_end(&settings, &topic, quick) {
        Ok(records) => {
            let s = summarize_offset_syncs(&records, super::executor::now_ms());
            if s.undecodable > 0 {
                let named: Vec<String> = s.bad.iter().map(ToString::to_string).collect();
                say(
                    0,
                    &format!(
                        "{topic} on `{source}`: {} of {} records are not valid offset syncs and were skipped ({}); they only lower the confidence estimate, never the offsets",
                        s.undecodable,
                        s.records,
                        named.join("; ")
                    ),
                );
            }
            say(
                0,
                &format!(
                    "{topic} on `{source}`: {} partitions, newest sync {}",
                    s.partitions,
                    s.newest_age_ms
                        .map(|a| format!(
                            "{} ago",
                            humantime::format_duration(Duration::from_millis(a as u64))
                        ))
                        .unwrap_or_else(|| "never".into())
                ),
            );
            Some(OffsetSyncIndex::from_records(&records))
        }
        Err(e) => {
            say(
                0,
                &format!("{topic} on `{source}` not read ({e}): checkpoint precision unknown"),
            );
            None
        }
    };
    (committed, syncs)
}
