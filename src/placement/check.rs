//! The placement checker: from a cluster snapshot and the topology's requirements to
//! per-partition findings and, with `--lose`, what losing DCs would do. Pure.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::input::{PlacementInput, Requirements, TopicPartitions};

/// Why a partition's placement does not meet the requirements.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum Violation {
    /// Fewer replicas than the required replication factor.
    TooFewReplicas { have: usize, need: u32 },
    /// Every replica sits in one DC of a cluster that spans several.
    SingleDc { datacenter: String },
    /// Replicas span fewer DCs than surviving `survive-dc-loss` losses needs.
    InsufficientSpan { spans: usize, need: usize },
    /// Losing the worst `lost` DCs would leave fewer replicas than min.insync.replicas.
    MinIsrAfterLoss {
        left: usize,
        min_isr: u32,
        lost: usize,
    },
    /// A replica on a broker the cluster does not have.
    UnknownBroker { broker: i32 },
    /// A replica on a broker whose DC is unknown (no rack, or a rack no DC lists).
    ReplicaWithoutDc { broker: i32 },
}

impl Violation {
    /// Violations a reassignment can fix (all of them are about replica placement).
    pub fn describe(&self) -> String {
        match self {
            Violation::TooFewReplicas { have, need } => format!("{have} replicas, needs {need}"),
            Violation::SingleDc { datacenter } => format!("all replicas in {datacenter}"),
            Violation::InsufficientSpan { spans, need } => {
                format!("spans {spans} DC(s), needs {need}")
            }
            Violation::MinIsrAfterLoss {
                left,
                min_isr,
                lost,
            } => {
                format!("losing {lost} DC(s) can leave {left} replica(s) < min.insync.replicas {min_isr}")
            }
            Violation::UnknownBroker { broker } => {
                format!("replica on broker {broker}, which does not exist")
            }
            Violation::ReplicaWithoutDc { broker } => {
                format!("replica on broker {broker}, whose DC is unknown")
            }
        }
    }
}

/// What losing the `--lose` DCs does to one partition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossImpact {
    /// No in-sync replica survives: the partition goes offline (only an unclean election
    /// could bring it back, losing data).
    pub offline: bool,
    /// Fewer in-sync replicas survive than min.insync.replicas: acks=all producers stop.
    pub under_min_isr: bool,
    /// The current leader is in a lost DC (or there is none).
    pub leader_lost: bool,
    pub surviving_replicas: Vec<i32>,
    /// Where leadership can move: surviving in-sync replicas, in preference order.
    pub leader_candidates: Vec<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartitionPlacement {
    pub topic: String,
    pub partition: i32,
    pub replicas: Vec<i32>,
    /// The DC of each replica, in `replicas` order (`None`: unknown).
    pub replica_dcs: Vec<Option<String>>,
    pub isr: Vec<i32>,
    pub leader: Option<i32>,
    pub min_isr: u32,
    /// Replica count per DC.
    pub replicas_per_dc: BTreeMap<String, usize>,
    pub leader_dc: Option<String>,
    pub violations: Vec<Violation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_lost: Option<LossImpact>,
}

impl PartitionPlacement {
    pub fn dcs_spanned(&self) -> usize {
        self.replicas_per_dc.len()
    }

    /// `1@dc-a 3@dc-b 9@?`
    pub fn replicas_text(&self) -> String {
        self.replicas
            .iter()
            .zip(&self.replica_dcs)
            .map(|(r, dc)| format!("{r}@{}", dc.as_deref().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Findings about the cluster rather than one partition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum ClusterFinding {
    BrokerWithoutRack {
        broker: i32,
    },
    UnknownRack {
        broker: i32,
        rack: String,
    },
    LeaderConcentration {
        datacenter: String,
        share: f64,
        max: f64,
    },
}

impl ClusterFinding {
    pub fn describe(&self) -> String {
        match self {
            ClusterFinding::BrokerWithoutRack { broker } => {
                format!("broker {broker} has no broker.rack: its DC is unknown")
            }
            ClusterFinding::UnknownRack { broker, rack } => {
                format!(
                    "broker {broker} has rack `{rack}`, which no datacenter of the topology lists"
                )
            }
            ClusterFinding::LeaderConcentration {
                datacenter,
                share,
                max,
            } => format!(
                "{datacenter} leads {:.0}% of the partitions (at most {:.0}%)",
                share * 100.0,
                max * 100.0
            ),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TopicSummary {
    pub topic: String,
    pub partitions: usize,
    pub violating: usize,
    pub offline_if_lost: usize,
    pub under_min_isr_if_lost: usize,
    pub leader_lost_if_lost: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlacementReport {
    pub cluster: String,
    pub requirements: Requirements,
    pub lost: Vec<String>,
    pub cluster_findings: Vec<ClusterFinding>,
    pub totals: TopicSummary,
    pub topics: Vec<TopicSummary>,
    pub partitions: Vec<PartitionPlacement>,
}

impl PlacementReport {
    /// True when everything meets the requirements and nothing goes offline or under
    /// min ISR in the what-if.
    pub fn ok(&self) -> bool {
        self.cluster_findings.is_empty()
            && self.totals.violating == 0
            && self.totals.offline_if_lost == 0
            && self.totals.under_min_isr_if_lost == 0
    }

    pub fn violating(&self) -> impl Iterator<Item = &PartitionPlacement> {
        self.partitions.iter().filter(|p| {
            !p.violations.is_empty()
                || p.if_lost
                    .as_ref()
                    .is_some_and(|l| l.offline || l.under_min_isr)
        })
    }
}

/// Checks every partition of `input` against its requirements; `lose` lists DCs for the
/// what-if.
pub fn check(input: &PlacementInput, lose: &[String]) -> PlacementReport {
    let req = &input.requirements;
    let mut findings = Vec::new();
    for b in &input.brokers {
        match (&b.rack, &b.datacenter) {
            (None, None) => findings.push(ClusterFinding::BrokerWithoutRack { broker: b.id }),
            (Some(r), None) => findings.push(ClusterFinding::UnknownRack {
                broker: b.id,
                rack: r.clone(),
            }),
            _ => {}
        }
    }
    let dc_of: BTreeMap<i32, Option<&str>> = input
        .brokers
        .iter()
        .map(|b| (b.id, b.datacenter.as_deref()))
        .collect();
    let lost: BTreeSet<&str> = lose.iter().map(String::as_str).collect();
    let mut partitions = Vec::new();
    let mut topics = Vec::new();
    let mut totals = TopicSummary {
        topic: "(all)".into(),
        ..Default::default()
    };
    let mut leaders_per_dc: BTreeMap<&str, usize> = BTreeMap::new();
    let mut led = 0usize;
    for t in &input.topics {
        let mut sum = TopicSummary {
            topic: t.name.clone(),
            ..Default::default()
        };
        for p in check_topic(input, t, &dc_of, &lost) {
            sum.partitions += 1;
            sum.violating += usize::from(!p.violations.is_empty());
            if let Some(l) = &p.if_lost {
                sum.offline_if_lost += usize::from(l.offline);
                sum.under_min_isr_if_lost += usize::from(l.under_min_isr);
                sum.leader_lost_if_lost += usize::from(l.leader_lost);
            }
            if let Some(dc) = p.leader.and_then(|l| dc_of.get(&l).copied().flatten()) {
                *leaders_per_dc.entry(dc).or_default() += 1;
                led += 1;
            }
            partitions.push(p);
        }
        totals.partitions += sum.partitions;
        totals.violating += sum.violating;
        totals.offline_if_lost += sum.offline_if_lost;
        totals.under_min_isr_if_lost += sum.under_min_isr_if_lost;
        totals.leader_lost_if_lost += sum.leader_lost_if_lost;
        topics.push(sum);
    }
    if let Some(max) = req.max_leader_share {
        if input.datacenters.len() > 1 && led > 0 {
            for (dc, n) in &leaders_per_dc {
                let share = *n as f64 / led as f64;
                if share > max + 1e-9 {
                    findings.push(ClusterFinding::LeaderConcentration {
                        datacenter: dc.to_string(),
                        share,
                        max,
                    });
                }
            }
        }
    }
    PlacementReport {
        cluster: input.cluster.clone(),
        requirements: req.clone(),
        lost: lose.to_vec(),
        cluster_findings: findings,
        totals,
        topics,
        partitions,
    }
}

fn check_topic(
    input: &PlacementInput,
    t: &TopicPartitions,
    dc_of: &BTreeMap<i32, Option<&str>>,
    lost: &BTreeSet<&str>,
) -> Vec<PartitionPlacement> {
    let req = &input.requirements;
    let cluster_dcs = input.datacenters.len();
    let need_span = (req.survive_dc_loss as usize + 1).min(cluster_dcs.max(1));
    t.partitions
        .iter()
        .map(|p| {
            let mut violations = Vec::new();
            let mut per_dc: BTreeMap<String, usize> = BTreeMap::new();
            let mut unknown = 0usize;
            for r in &p.replicas {
                match dc_of.get(r) {
                    None => {
                        violations.push(Violation::UnknownBroker { broker: *r });
                        unknown += 1;
                    }
                    Some(None) => {
                        violations.push(Violation::ReplicaWithoutDc { broker: *r });
                        unknown += 1;
                    }
                    Some(Some(dc)) => *per_dc.entry(dc.to_string()).or_default() += 1,
                }
            }
            if p.replicas.len() < req.replication_factor as usize {
                violations.push(Violation::TooFewReplicas {
                    have: p.replicas.len(),
                    need: req.replication_factor,
                });
            }
            if cluster_dcs > 1 && req.survive_dc_loss > 0 {
                if per_dc.len() == 1 && unknown == 0 {
                    let dc = per_dc.keys().next().unwrap().clone();
                    violations.push(Violation::SingleDc { datacenter: dc });
                } else if per_dc.len() < need_span {
                    violations.push(Violation::InsufficientSpan {
                        spans: per_dc.len(),
                        need: need_span,
                    });
                }
            }
            // Worst case: the DCs holding the most replicas are the ones lost. Replicas
            // whose DC is unknown count as lost.
            let k = req.survive_dc_loss as usize;
            if k > 0 && cluster_dcs > k {
                let mut shares: Vec<usize> = per_dc.values().copied().collect();
                shares.sort_unstable_by(|a, b| b.cmp(a));
                let left: usize = shares.iter().skip(k).sum();
                if left < t.min_isr as usize {
                    violations.push(Violation::MinIsrAfterLoss {
                        left,
                        min_isr: t.min_isr,
                        lost: k,
                    });
                }
            }
            let dc_name = |b: i32| dc_of.get(&b).copied().flatten();
            let survives = |b: &i32| dc_name(*b).is_some_and(|dc| !lost.contains(dc));
            let if_lost = (!lost.is_empty()).then(|| {
                let surviving_replicas: Vec<i32> =
                    p.replicas.iter().copied().filter(survives).collect();
                let leader_candidates: Vec<i32> = p
                    .replicas
                    .iter()
                    .copied()
                    .filter(|r| p.isr.contains(r) && survives(r))
                    .collect();
                LossImpact {
                    offline: leader_candidates.is_empty(),
                    under_min_isr: leader_candidates.len() < t.min_isr as usize,
                    leader_lost: !p.leader.is_some_and(|l| survives(&l)),
                    surviving_replicas,
                    leader_candidates,
                }
            });
            PartitionPlacement {
                topic: t.name.clone(),
                partition: p.partition,
                replicas: p.replicas.clone(),
                replica_dcs: p
                    .replicas
                    .iter()
                    .map(|r| dc_name(*r).map(str::to_string))
                    .collect(),
                isr: p.isr.clone(),
                leader: p.leader,
                min_isr: t.min_isr,
                leader_dc: p.leader.and_then(dc_name).map(str::to_string),
                replicas_per_dc: per_dc,
                violations,
                if_lost,
            }
        })
        .collect()
}
