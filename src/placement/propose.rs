//! A minimal-move reassignment that fixes placement violations: replicas spread over DCs
//! as evenly as their brokers allow, existing replicas kept wherever the spread permits,
//! new ones on the least-loaded brokers (new racks first), preferred leaders balanced
//! across DCs by reordering only. Pure; the output is the JSON that
//! `kafka-reassign-partitions.sh --reassignment-json-file` reads.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::check::{check, ClusterFinding, PlacementReport};
use super::input::{PartitionInfo, PlacementInput};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartitionMove {
    pub topic: String,
    pub partition: i32,
    pub from: Vec<i32>,
    pub to: Vec<i32>,
    /// Brokers that receive a new replica (data is copied there).
    pub added: Vec<i32>,
    pub removed: Vec<i32>,
    /// Why the partition moves (the violations it fixes, or leader balance).
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unfixable {
    pub topic: String,
    pub partition: i32,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub cluster: String,
    pub moves: Vec<PartitionMove>,
    pub unfixable: Vec<Unfixable>,
    /// New replicas to copy, over all moves.
    pub replicas_moved: usize,
    /// Partitions whose preferred leader changes without moving data.
    pub leaders_reordered: usize,
}

impl Proposal {
    /// The reassignment in Kafka's `--reassignment-json-file` format.
    pub fn reassignment_json(&self) -> serde_json::Value {
        serde_json::json!({
            "version": 1,
            "partitions": self.moves.iter().map(|m| serde_json::json!({
                "topic": m.topic,
                "partition": m.partition,
                "replicas": m.to,
            })).collect::<Vec<_>>()
        })
    }

    /// `input` as it will be once the reassignment completes and preferred leaders are
    /// elected: replicas as proposed, all in sync, led by the first.
    pub fn apply(&self, input: &PlacementInput) -> PlacementInput {
        let mut out = input.clone();
        let by_tp: HashMap<(&str, i32), &PartitionMove> = self
            .moves
            .iter()
            .map(|m| ((m.topic.as_str(), m.partition), m))
            .collect();
        for t in &mut out.topics {
            for p in &mut t.partitions {
                if let Some(m) = by_tp.get(&(t.name.as_str(), p.partition)) {
                    p.replicas = m.to.clone();
                    p.isr = m.to.clone();
                    p.leader = m.to.first().copied();
                }
            }
        }
        out
    }
}

/// Proposes a reassignment for every partition in violation.
pub fn propose(input: &PlacementInput) -> Proposal {
    let report = check(input, &[]);
    let req = &input.requirements;
    let mut by_dc: BTreeMap<&str, Vec<(i32, Option<&str>)>> = BTreeMap::new();
    for b in &input.brokers {
        if let Some(dc) = b.datacenter.as_deref() {
            if input.datacenters.iter().any(|d| d == dc) {
                by_dc.entry(dc).or_default().push((b.id, b.rack.as_deref()));
            }
        }
    }
    let dc_of: HashMap<i32, &str> = by_dc
        .iter()
        .flat_map(|(dc, bs)| bs.iter().map(move |(id, _)| (*id, *dc)))
        .collect();
    let rack_of: HashMap<i32, Option<&str>> =
        by_dc.values().flatten().map(|(id, r)| (*id, *r)).collect();
    let mut load: HashMap<i32, usize> = dc_of.keys().map(|b| (*b, 0)).collect();
    for t in &input.topics {
        for p in &t.partitions {
            for r in &p.replicas {
                if let Some(l) = load.get_mut(r) {
                    *l += 1;
                }
            }
        }
    }
    let mut moves = Vec::new();
    let mut unfixable = Vec::new();
    for (pp, (t, p)) in report.partitions.iter().zip(
        input
            .topics
            .iter()
            .flat_map(|t| t.partitions.iter().map(move |p| (t, p))),
    ) {
        if pp.violations.is_empty() {
            continue;
        }
        let reasons: Vec<String> = pp.violations.iter().map(|v| v.describe()).collect();
        match fix(
            p,
            t.min_isr,
            req,
            &input.datacenters,
            &by_dc,
            &dc_of,
            &rack_of,
            &mut load,
        ) {
            Ok(to) => {
                let old: BTreeSet<i32> = p.replicas.iter().copied().collect();
                let new: BTreeSet<i32> = to.iter().copied().collect();
                moves.push(PartitionMove {
                    topic: t.name.clone(),
                    partition: p.partition,
                    from: p.replicas.clone(),
                    added: to.iter().copied().filter(|b| !old.contains(b)).collect(),
                    removed: p
                        .replicas
                        .iter()
                        .copied()
                        .filter(|b| !new.contains(b))
                        .collect(),
                    to,
                    reasons,
                });
            }
            Err(reason) => unfixable.push(Unfixable {
                topic: t.name.clone(),
                partition: p.partition,
                reason,
            }),
        }
    }
    let mut proposal = Proposal {
        cluster: input.cluster.clone(),
        replicas_moved: moves.iter().map(|m| m.added.len()).sum(),
        moves,
        unfixable,
        leaders_reordered: 0,
    };
    balance_leaders(input, &mut proposal, &dc_of);
    proposal
}

/// The new replica list of one partition, or why none can satisfy the requirements.
#[allow(clippy::too_many_arguments)]
fn fix(
    p: &PartitionInfo,
    min_isr: u32,
    req: &super::input::Requirements,
    cluster_dcs: &[String],
    by_dc: &BTreeMap<&str, Vec<(i32, Option<&str>)>>,
    dc_of: &HashMap<i32, &str>,
    rack_of: &HashMap<i32, Option<&str>>,
    load: &mut HashMap<i32, usize>,
) -> Result<Vec<i32>, String> {
    let total: usize = by_dc.values().map(Vec::len).sum();
    let need_span = (req.survive_dc_loss as usize + 1).min(cluster_dcs.len().max(1));
    if by_dc.len() < need_span {
        return Err(format!(
            "only {} DC(s) have usable brokers; {need_span} needed",
            by_dc.len()
        ));
    }
    // Current replicas per DC, valid ones only, leader first, then in-sync ones.
    let mut ordered: Vec<i32> = p
        .leader
        .into_iter()
        .filter(|l| p.replicas.contains(l))
        .collect();
    for in_sync_pass in [true, false] {
        for r in &p.replicas {
            if p.isr.contains(r) == in_sync_pass && !ordered.contains(r) {
                ordered.push(*r);
            }
        }
    }
    let mut current: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for r in &ordered {
        if let Some(dc) = dc_of.get(r) {
            current.entry(*dc).or_default().push(*r);
        }
    }
    let mut rf = (req.replication_factor as usize).max(p.replicas.len());
    let k = req.survive_dc_loss as usize;
    let desired = loop {
        if rf > total {
            return Err(format!(
                "needs {rf} replicas but only {total} brokers have a known DC"
            ));
        }
        let d = spread(rf, by_dc, &current);
        let mut shares: Vec<usize> = d.values().copied().collect();
        shares.sort_unstable_by(|a, b| b.cmp(a));
        let left: usize = shares.iter().skip(k).sum();
        if k == 0 || cluster_dcs.len() <= k || left >= min_isr as usize {
            break d;
        }
        // Not enough would survive: one more replica, spread again.
        rf += 1;
    };
    let mut chosen: Vec<i32> = Vec::new();
    for (dc, want) in &desired {
        chosen.extend(current.get(dc).into_iter().flatten().take(*want));
    }
    // Keep the original order of kept replicas, led by the current leader.
    let mut to: Vec<i32> = ordered
        .iter()
        .copied()
        .filter(|r| chosen.contains(r))
        .collect();
    for (dc, want) in &desired {
        let have = current.get(dc).map_or(0, |v| v.len().min(*want));
        for _ in have..*want {
            let used_racks: BTreeSet<Option<&str>> = to.iter().map(|b| rack_of[b]).collect();
            let pick = by_dc[dc]
                .iter()
                .filter(|(id, _)| !to.contains(id))
                .min_by_key(|(id, rack)| (used_racks.contains(rack), load[id], *id))
                .map(|(id, _)| *id)
                .expect("spread never asks a DC for more brokers than it has");
            *load.get_mut(&pick).unwrap() += 1;
            to.push(pick);
        }
    }
    for r in &p.replicas {
        if !to.contains(r) {
            if let Some(l) = load.get_mut(r) {
                *l = l.saturating_sub(1);
            }
        }
    }
    Ok(to)
}

/// `rf` replicas over the DCs as evenly as their broker counts allow; the extra ones go to
/// the DCs already holding the most replicas, so that as many as possible stay put.
fn spread<'a>(
    rf: usize,
    by_dc: &BTreeMap<&'a str, Vec<(i32, Option<&'a str>)>>,
    current: &BTreeMap<&str, Vec<i32>>,
) -> BTreeMap<&'a str, usize> {
    let mut order: Vec<&'a str> = by_dc.keys().copied().collect();
    order.sort_by_key(|dc| {
        (
            std::cmp::Reverse(current.get(dc).map_or(0, Vec::len)),
            std::cmp::Reverse(by_dc[dc].len()),
            *dc,
        )
    });
    let d = order.len();
    let mut want: BTreeMap<&'a str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, dc)| (*dc, (rf / d + usize::from(i < rf % d)).min(by_dc[dc].len())))
        .collect();
    let mut missing = rf.saturating_sub(want.values().sum::<usize>());
    // What full DCs could not take goes to those with room, one per DC per round.
    while missing > 0 {
        let mut progressed = false;
        for dc in &order {
            if missing > 0 && want[dc] < by_dc[dc].len() {
                *want.get_mut(dc).unwrap() += 1;
                missing -= 1;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    want
}

/// Moves preferred leaders (first replica) out of DCs that lead more than their share,
/// by reordering replica lists: no data moves.
fn balance_leaders(input: &PlacementInput, proposal: &mut Proposal, dc_of: &HashMap<i32, &str>) {
    let Some(max) = input.requirements.max_leader_share else {
        return;
    };
    if input.datacenters.len() < 2 {
        return;
    }
    let applied = proposal.apply(input);
    let mut parts: Vec<(String, PartitionInfo)> = applied
        .topics
        .iter()
        .flat_map(|t| {
            t.partitions
                .iter()
                .map(move |p| (t.name.clone(), p.clone()))
        })
        .collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for dc in dc_of.values() {
        count.entry(dc).or_insert(0);
    }
    let mut led = 0;
    for (_, p) in &parts {
        if let Some(dc) = p.leader.and_then(|l| dc_of.get(&l)) {
            *count.entry(dc).or_insert(0) += 1;
            led += 1;
        }
    }
    if led == 0 {
        return;
    }
    for _ in 0..parts.len() {
        let (top, top_n) = count
            .iter()
            .max_by_key(|(dc, n)| (**n, std::cmp::Reverse(**dc)))
            .map(|(d, n)| (*d, *n))
            .unwrap();
        if top_n as f64 / led as f64 <= max + 1e-9 {
            break;
        }
        // A partition led from `top` with an in-sync replica in a DC that leads at least
        // two fewer (so the move helps): take the least-leading such DC.
        let found = parts.iter().enumerate().find_map(|(i, (_, p))| {
            let l = p.leader?;
            if dc_of.get(&l) != Some(&top) {
                return None;
            }
            p.replicas
                .iter()
                .filter(|r| p.isr.contains(r))
                .filter_map(|r| dc_of.get(r).map(|dc| (*r, *dc)))
                .filter(|(_, dc)| count[dc] + 1 < top_n)
                .min_by_key(|(_, dc)| count[dc])
                .map(|(r, dc)| (i, r, dc))
        });
        let Some((i, new_leader, new_dc)) = found else {
            break;
        };
        let (topic, p) = &mut parts[i];
        let partition = p.partition;
        let mut to = vec![new_leader];
        to.extend(p.replicas.iter().copied().filter(|r| *r != new_leader));
        p.replicas = to.clone();
        p.leader = Some(new_leader);
        *count.get_mut(top).unwrap() -= 1;
        *count.get_mut(new_dc).unwrap() += 1;
        let reason = format!("leader balance: preferred leader moves from {top} to {new_dc}");
        match proposal
            .moves
            .iter_mut()
            .find(|m| m.topic == *topic && m.partition == partition)
        {
            Some(m) => {
                m.to = to;
                m.reasons.push(reason);
            }
            None => {
                proposal.moves.push(PartitionMove {
                    topic: topic.clone(),
                    partition,
                    from: input_replicas(input, topic, partition),
                    to,
                    added: Vec::new(),
                    removed: Vec::new(),
                    reasons: vec![reason],
                });
                proposal.leaders_reordered += 1;
            }
        }
    }
}

fn input_replicas(input: &PlacementInput, topic: &str, partition: i32) -> Vec<i32> {
    input
        .topics
        .iter()
        .find(|t| t.name == topic)
        .and_then(|t| t.partitions.iter().find(|p| p.partition == partition))
        .map(|p| p.replicas.clone())
        .unwrap_or_default()
}

/// The proposal checked again with the same checker, as if applied.
pub fn recheck(input: &PlacementInput, proposal: &Proposal) -> PlacementReport {
    check(&proposal.apply(input), &[])
}

/// True when only findings a reassignment cannot change remain (brokers without racks).
pub fn only_broker_findings(report: &PlacementReport) -> bool {
    report.cluster_findings.iter().all(|f| {
        matches!(
            f,
            ClusterFinding::BrokerWithoutRack { .. } | ClusterFinding::UnknownRack { .. }
        )
    })
}
