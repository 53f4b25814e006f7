//! Steps that read a cluster's shape: who answers, what a DC's loss does to placement,
//! whether groups' offsets are intact, whether a returning DC is back in sync, and
//! (from the topology alone) whether the survivors have headroom.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context;
use serde_json::json;

use super::admin;
use crate::kafka::ClusterSnapshot;
use crate::offsets::executor;
use crate::offsets::topology_groups::selected;
use crate::placement::{check, PlacementInput};
use crate::runbook::execute::{Outcome, RunEnv};
use crate::runbook::plan::RunPlan;
use crate::topology::Topology;

/// How long a cluster believed lost gets to answer.
const LOST_PROBE: Duration = Duration::from_secs(1);

/// Brokers per DC of a cluster's description.
fn brokers_by_dc(t: &Topology, brokers: &[crate::kafka::BrokerNode]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for b in brokers {
        let dc = b
            .rack
            .as_deref()
            .and_then(|r| t.dc_of_rack(r))
            .unwrap_or("?");
        *out.entry(dc.to_string()).or_insert(0) += 1;
    }
    out
}

pub fn preflight(
    env: &RunEnv<'_>,
    plan: &RunPlan,
    survivors: &[String],
    lost: &[String],
) -> anyhow::Result<Outcome> {
    let t = env.topology;
    let mut parts = Vec::new();
    let mut data = serde_json::Map::new();
    for c in survivors {
        let (_, a) = admin(env, c, None)?;
        let d = a
            .describe_cluster(env.reach.timeout)
            .with_context(|| format!("cluster `{c}` must answer for this runbook"))?;
        let by_dc = brokers_by_dc(t, &d.brokers);
        parts.push(format!(
            "`{c}` answers ({} broker(s){})",
            d.brokers.len(),
            if t.clusters[c].dcs().len() > 1 {
                format!(
                    ": {}",
                    by_dc
                        .iter()
                        .map(|(dc, n)| format!("{dc} {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                String::new()
            }
        ));
        data.insert(
            c.clone(),
            json!({ "answers": true, "brokers_by_dc": by_dc }),
        );
    }
    // Probe the lost side's clusters at once: each gets a few seconds.
    let probes: Vec<(String, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = lost
            .iter()
            .map(|c| {
                s.spawn(move || {
                    let answers = super::answers(env, c, LOST_PROBE);
                    (c.clone(), answers)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut still_up = Vec::new();
    for (c, answers) in probes {
        if answers {
            still_up.push(c.clone());
        }
        data.insert(c.clone(), json!({ "answers": answers }));
        parts.push(format!(
            "`{c}` {}",
            if answers { "STILL ANSWERS" } else { "is gone" }
        ));
    }
    let detail = parts.join("; ");
    let out = if !still_up.is_empty() && !plan.request.planned {
        Outcome::warning(format!(
            "{detail}: a disaster failover while the old side answers risks two active sides; stop its clients (hooks) first"
        ))
    } else {
        Outcome::done(detail)
    };
    Ok(out.with_data(serde_json::Value::Object(data)))
}

pub fn placement_what_if(env: &RunEnv<'_>, cluster: &str, dc: &str) -> anyhow::Result<Outcome> {
    let (_, a) = admin(env, cluster, None)?;
    let snap = ClusterSnapshot::take(&a, env.reach.timeout)
        .with_context(|| format!("cannot read cluster `{cluster}`"))?;
    let input = PlacementInput::from_snapshot(env.topology, cluster, &snap, &[]);
    let r = check(&input, &[dc.to_string()]);
    let tot = &r.totals;
    let detail = format!(
        "{} partition(s) without {dc}: {} offline, {} under min ISR (acks=all producers to them get NOT_ENOUGH_REPLICAS until it returns), {} lose their leader (clients follow the new leader)",
        tot.partitions, tot.offline_if_lost, tot.under_min_isr_if_lost, tot.leader_lost_if_lost
    );
    let data = serde_json::to_value(tot).unwrap_or_default();
    Ok(
        if tot.offline_if_lost > 0 || tot.under_min_isr_if_lost > 0 {
            Outcome::warning(detail)
        } else {
            Outcome::done(detail)
        }
        .with_data(data),
    )
}

pub fn keep_groups(env: &RunEnv<'_>, cluster: &str, groups: &[String]) -> anyhow::Result<Outcome> {
    if groups.is_empty() {
        return Ok(Outcome::skipped("no named groups in the topology"));
    }
    let (_, a) = admin(env, cluster, None)?;
    // The partitions of each group's topics, named (some brokers list nothing for
    // "all of a group's offsets").
    let sel = selected(
        &a,
        env.topology,
        cluster,
        groups.to_vec(),
        env.reach.timeout,
    )?;
    let targets = super::position_targets(&sel);
    let g = executor::gather(&a, cluster, &targets, BTreeMap::new(), env.reach.timeout)
        .with_context(|| format!("reading the groups' committed offsets on `{cluster}`"))?;
    let committed: BTreeMap<String, BTreeMap<(String, i32), Option<i64>>> = g
        .snapshot
        .groups
        .iter()
        .map(|(name, gs)| (name.clone(), gs.committed.clone()))
        .collect();
    let partitions: usize = committed
        .values()
        .map(|m| m.values().filter(|o| o.is_some()).count())
        .sum();
    let data: BTreeMap<&String, BTreeMap<String, Option<i64>>> = committed
        .iter()
        .map(|(g, m)| {
            (
                g,
                m.iter()
                    .map(|((t, p), o)| (format!("{t}:{p}"), *o))
                    .collect(),
            )
        })
        .collect();
    Ok(Outcome::done(format!(
        "{} group(s): {partitions} committed partition offset(s) read on the surviving brokers; nothing to reset",
        committed.len()
    ))
    .with_data(json!(data)))
}

pub fn wait_in_sync(env: &RunEnv<'_>, cluster: &str, dc: &str) -> anyhow::Result<Outcome> {
    let (_, a) = admin(env, cluster, None)?;
    let t = env.topology;
    let (brokers, partitions) = super::wait_for(
        env,
        &format!("{dc}'s brokers to rejoin `{cluster}` and every replica to be in sync"),
        Duration::from_millis(500),
        || {
            let snap = ClusterSnapshot::take(&a, env.reach.timeout).map_err(|e| e.to_string())?;
            let in_dc = brokers_by_dc(t, &snap.brokers)
                .get(dc)
                .copied()
                .unwrap_or(0);
            if in_dc == 0 {
                return Err(format!("no broker of {dc} registered yet"));
            }
            let behind: usize = snap
                .topics
                .iter()
                .flat_map(|tp| tp.partitions.iter())
                .filter(|p| p.isr.len() < p.replicas.len())
                .count();
            if behind > 0 {
                return Err(format!("{behind} partition(s) under-replicated"));
            }
            let n: usize = snap.topics.iter().map(|tp| tp.partitions.len()).sum();
            Ok((in_dc, n))
        },
    )?;
    Ok(Outcome::done(format!(
        "{brokers} broker(s) of {dc} back; all {partitions} partition(s) fully in sync: clients may move back"
    )))
}

/// The 1/(N-1) rule: each of the N-1 surviving DCs takes an equal share of the lost
/// DC's normal load, on top of its own.
pub fn headroom(t: &Topology, lost: &str) -> Outcome {
    let Some(lost_cap) = t.datacenters.get(lost).and_then(|d| d.capacity.as_ref()) else {
        return Outcome::skipped(format!("{lost} declares no capacity: headroom not checked"));
    };
    let survivors: Vec<(&String, &crate::topology::Capacity)> = t
        .datacenters
        .iter()
        .filter(|(n, _)| n.as_str() != lost)
        .filter_map(|(n, d)| d.capacity.as_ref().map(|c| (n, c)))
        .collect();
    if survivors.is_empty() {
        return Outcome::skipped("no surviving DC declares a capacity");
    }
    let share = lost_cap.normal / survivors.len() as f64;
    let mut short = Vec::new();
    let mut rows = Vec::new();
    for (n, c) in &survivors {
        let load = c.normal + share;
        rows.push(json!({ "dc": n, "load": load, "max": c.max }));
        let line = format!(
            "{n} {:.0}/{:.0} ({:.0}%)",
            load,
            c.max,
            100.0 * load / c.max
        );
        if load > c.max {
            short.push(line);
        }
    }
    let all: Vec<String> = survivors
        .iter()
        .map(|(n, c)| format!("{n} {:.0}/{:.0}", c.normal + share, c.max))
        .collect();
    let data = json!({ "share": share, "survivors": rows });
    if short.is_empty() {
        Outcome::done(format!(
            "each survivor takes {share:.0} more: {}",
            all.join(", ")
        ))
        .with_data(data)
    } else {
        Outcome::warning(format!(
            "not enough headroom: {} (each survivor takes {share:.0} more)",
            short.join(", ")
        ))
        .with_data(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aa() -> Topology {
        let path = format!(
            "{}/topologies/active-active.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        crate::topology::load_str(&path, &text).unwrap().topology
    }

    #[test]
    fn headroom_follows_the_one_over_n_minus_one_rule() {
        let mut t = aa();
        // dc-1 (40) lost: dc-2 40+20=60/100, dc-3 30+20=50/80: fine.
        let o = headroom(&t, "dc-1");
        assert_eq!(
            o.status,
            crate::runbook::journal::StepStatus::Done,
            "{}",
            o.detail
        );
        assert!(
            o.detail.contains("dc-2 60/100") && o.detail.contains("dc-3 50/80"),
            "{}",
            o.detail
        );
        // Make dc-3 small: 30+20 = 50 > 45.
        t.datacenters
            .get_mut("dc-3")
            .unwrap()
            .capacity
            .as_mut()
            .unwrap()
            .max = 45.0;
        let o = headroom(&t, "dc-1");
        assert_eq!(o.status, crate::runbook::journal::StepStatus::Warning);
        assert!(o.detail.contains("dc-3 50/45"), "{}", o.detail);
        t.datacenters.get_mut("dc-1").unwrap().capacity = None;
        assert_eq!(
            headroom(&t, "dc-1").status,
            crate::runbook::journal::StepStatus::Skipped
        );
    }
}
