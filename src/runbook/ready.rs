//! `ready`: every pre-flight of a failover away from each DC, without changing
//! anything. For a scheduled CI job: all checks pass only when a failover away from any
//! DC would succeed now.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::plan::{plan, GroupMove, RunPlan, RunRequest, Runbook, StepKind};
use super::steps::cluster::headroom;
use crate::kafka::{read_topic_to_end, ClusterSnapshot, KafkaError};
use crate::mirror::observe::{observe, Reach};
use crate::offsets::mm2_records::checkpoints_topic;
use crate::offsets::translate::CheckpointIndex;
use crate::placement::{check, PlacementInput};
use crate::runbook::journal::StepStatus;
use crate::topology::{filter, Topology};

#[derive(Debug, Clone, Serialize)]
pub struct ReadyCheck {
    /// The DC whose loss is checked.
    pub dc: String,
    /// Stable id: `plan`, `reachable`, `placement`, `mirror`, `mirror-lag`,
    /// `checkpoint-age`, `strategy`, `standby-free`, `headroom`.
    pub check: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReadyReport {
    pub topology: String,
    pub ready: bool,
    pub checks: Vec<ReadyCheck>,
}

/// DCs a failover can leave, in topology order.
pub fn failover_dcs(t: &Topology) -> Vec<String> {
    t.datacenters
        .keys()
        .filter(|dc| {
            let req = RunRequest {
                runbook: Runbook::Failover,
                dc: (*dc).clone(),
                planned: false,
                switch: false,
                extra_groups: Vec::new(),
            };
            plan(t, &req, 0).is_ok()
        })
        .cloned()
        .collect()
}

fn parse_age(s: &Option<String>) -> Option<Duration> {
    s.as_deref().and_then(|v| humantime::parse_duration(v).ok())
}

/// Runs the checks for `dcs` (or every DC a failover can leave).
pub fn ready(t: &Topology, dcs: &[String], extra: &[String], reach: &Reach<'_>) -> ReadyReport {
    let dcs = if dcs.is_empty() {
        failover_dcs(t)
    } else {
        dcs.to_vec()
    };
    let mut checks = Vec::new();
    for dc in &dcs {
        let req = RunRequest {
            runbook: Runbook::Failover,
            dc: dc.clone(),
            planned: false,
            switch: false,
            extra_groups: extra.to_vec(),
        };
        let mut add = |check: &str, ok: bool, detail: String| {
            checks.push(ReadyCheck {
                dc: dc.clone(),
                check: check.into(),
                ok,
                detail,
            })
        };
        match plan(t, &req, crate::clock::now_ms()) {
            Ok(p) => for_plan(t, &p, reach, &mut add),
            Err(e) => add("plan", false, e.to_string()),
        }
    }
    ReadyReport {
        topology: t.name.clone(),
        ready: checks.iter().all(|c| c.ok),
        checks,
    }
}

fn for_plan(t: &Topology, p: &RunPlan, reach: &Reach<'_>, add: &mut dyn FnMut(&str, bool, String)) {
    let dc = &p.request.dc;
    let mut answering: BTreeMap<String, bool> = BTreeMap::new();
    for s in &p.steps {
        match &s.kind {
            StepKind::Preflight { survivors, .. } => {
                for c in survivors {
                    let r = reach.admin(t, c).and_then(|(_, a)| {
                        a.describe_cluster(reach.timeout).map_err(|e| e.to_string())
                    });
                    answering.insert(c.clone(), r.is_ok());
                    match r {
                        Ok(d) => add(
                            "reachable",
                            true,
                            format!("`{c}` answers ({} brokers)", d.brokers.len()),
                        ),
                        Err(e) => add("reachable", false, format!("`{c}` does not answer: {e}")),
                    }
                }
            }
            StepKind::PlacementWhatIf { cluster, dc } => {
                let r = reach.admin(t, cluster).and_then(|(_, a)| {
                    ClusterSnapshot::take(&a, reach.timeout).map_err(|e| e.to_string())
                });
                match r {
                    Ok(snap) => {
                        let input = PlacementInput::from_snapshot(t, cluster, &snap, &[]);
                        let rep = check(&input, std::slice::from_ref(dc));
                        let tot = &rep.totals;
                        add(
                            "placement",
                            tot.offline_if_lost == 0 && tot.under_min_isr_if_lost == 0,
                            format!(
                                "without {dc}: {} of {} partition(s) offline, {} under min ISR",
                                tot.offline_if_lost, tot.partitions, tot.under_min_isr_if_lost
                            ),
                        );
                    }
                    Err(e) => add("placement", false, format!("cannot read `{cluster}`: {e}")),
                }
            }
            StepKind::MirrorState { mirrors } => {
                for name in mirrors {
                    mirror_checks(t, name, reach, add);
                }
            }
            StepKind::MoveGroups { moves, .. } => {
                group_checks(t, moves, reach, add);
            }
            StepKind::Headroom { lost } => {
                let o = headroom(t, lost);
                if o.status != StepStatus::Skipped {
                    add("headroom", o.status == StepStatus::Done, o.detail);
                }
            }
            _ => {}
        }
    }
    let _ = dc;
}

fn mirror_checks(
    t: &Topology,
    name: &str,
    reach: &Reach<'_>,
    add: &mut dyn FnMut(&str, bool, String),
) {
    let Some(m) = t.mirrors.get(name) else { return };
    let driver = crate::mirror::driver_for(name, m, &Default::default());
    match driver.and_then(|d| d.status()) {
        Ok(s) if s.is_running() => add("mirror", true, format!("`{name}` is running")),
        Ok(s) => add(
            "mirror",
            false,
            format!(
                "`{name}` is not running: {}",
                s.connectors
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.state.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Err(e) => add("mirror", false, format!("`{name}`: {e}")),
    }
    let o = observe(t, m, reach);
    let targets = t.targets.as_ref();
    match (o.total_lag, targets.and_then(|x| x.max_mirror_lag)) {
        (Some(lag), Some(max)) => add(
            "mirror-lag",
            lag as u64 <= max,
            format!("`{name}` lag {lag} record(s) (max {max})"),
        ),
        (Some(lag), None) => add("mirror-lag", true, format!("`{name}` lag {lag} record(s)")),
        (None, _) => add(
            "mirror-lag",
            false,
            format!("`{name}` lag unknown: {}", o.problems.join("; ")),
        ),
    }
    let max_age = targets.and_then(|x| parse_age(&x.max_checkpoint_age));
    match (o.newest_checkpoint_age_ms, max_age) {
        (Some(age), Some(max)) => add(
            "checkpoint-age",
            age as u128 <= max.as_millis(),
            format!(
                "`{name}` newest checkpoint {} old (max {})",
                humantime::format_duration(Duration::from_secs((age / 1000) as u64)),
                humantime::format_duration(max)
            ),
        ),
        (None, Some(_)) => add(
            "checkpoint-age",
            false,
            format!("`{name}` has no checkpoint yet"),
        ),
        _ => {}
    }
}

fn group_checks(
    t: &Topology,
    moves: &[GroupMove],
    reach: &Reach<'_>,
    add: &mut dyn FnMut(&str, bool, String),
) {
    let mut by_to: BTreeMap<&str, Vec<&GroupMove>> = BTreeMap::new();
    for m in moves {
        by_to.entry(m.to.as_str()).or_default().push(m);
    }
    for (to, ms) in by_to {
        let Ok((settings, admin)) = reach.admin(t, to) else {
            continue;
        };
        // Translated groups need a checkpoint on the target.
        for m in ms.iter().filter(|m| m.strategy == "translated") {
            let Some(mirror) = t
                .mirrors
                .values()
                .find(|x| x.target == to && x.source == m.from)
            else {
                add(
                    "strategy",
                    false,
                    format!(
                        "group `{}`: translated, but no mirror `{}` -> `{to}`",
                        m.group, m.from
                    ),
                );
                continue;
            };
            let topic = checkpoints_topic(mirror.source_alias());
            let idx = match read_topic_to_end(&settings, &topic, reach.timeout) {
                Ok(r) => CheckpointIndex::from_records(&r),
                Err(KafkaError::UnknownTopicOrPartition { .. }) => CheckpointIndex::default(),
                Err(e) => {
                    add(
                        "strategy",
                        false,
                        format!("group `{}`: cannot read {topic}: {e}", m.group),
                    );
                    continue;
                }
            };
            let found: Vec<&String> = if m.pattern {
                let re = filter::compile(&m.group).ok();
                idx.latest
                    .keys()
                    .filter(|g| re.as_ref().is_some_and(|r| r.is_match(g)))
                    .collect()
            } else {
                idx.latest.keys().filter(|g| **g == m.group).collect()
            };
            add(
                "strategy",
                !found.is_empty(),
                if found.is_empty() {
                    format!("group `{}`: translated, but `{to}` has no checkpoint for it (it would fall back to a timestamp)", m.group)
                } else {
                    format!(
                        "group `{}`: checkpoints on `{to}` for {} group(s)",
                        m.group,
                        found.len()
                    )
                },
            );
        }
        // The target must not already run the groups.
        let names: Vec<String> = ms
            .iter()
            .filter(|m| !m.pattern)
            .map(|m| m.group.clone())
            .collect();
        if names.is_empty() {
            continue;
        }
        match admin.describe_consumer_groups(&names, reach.timeout) {
            Ok(ds) => {
                let live: Vec<String> = ds
                    .iter()
                    .filter(|d| !d.members.is_empty())
                    .map(|d| format!("{} ({} members)", d.group_id, d.members.len()))
                    .collect();
                add(
                    "standby-free",
                    live.is_empty(),
                    if live.is_empty() {
                        format!(
                            "no live members of the {} moving group(s) on `{to}`",
                            names.len()
                        )
                    } else {
                        format!("already running on `{to}`: {}", live.join(", "))
                    },
                );
            }
            Err(KafkaError::Unsupported { .. }) => add(
                "standby-free",
                true,
                format!("`{to}` cannot describe groups; the move itself refuses live groups"),
            ),
            Err(e) => add(
                "standby-free",
                false,
                format!("cannot describe groups on `{to}`: {e}"),
            ),
        }
    }
}
