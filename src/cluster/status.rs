//! `cluster status`: what a snapshot says about one cluster's health, in the topology's
//! terms (brokers per DC, partitions at risk, groups by state).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::kafka::ClusterSnapshot;
use crate::topology::{Cluster, Topology};

#[derive(Debug, Clone, Serialize)]
pub struct BrokerStatus {
    pub id: i32,
    pub host: String,
    pub port: u16,
    pub rack: Option<String>,
    /// The DC the broker's rack maps to (for a one-DC cluster, that DC).
    pub datacenter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionIssue {
    pub topic: String,
    pub partition: i32,
    pub leader: Option<i32>,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
    pub min_isr: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterStatus {
    pub cluster: String,
    pub bootstrap: String,
    pub datacenters: Vec<String>,
    pub reachable: bool,
    pub healthy: bool,
    /// Everything that makes the cluster unhealthy, one sentence each.
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller_id: Option<i32>,
    pub brokers: Vec<BrokerStatus>,
    /// Broker ids per DC; DCs of the cluster without brokers appear with none.
    pub brokers_per_dc: BTreeMap<String, Vec<i32>>,
    pub topics: usize,
    pub partitions: usize,
    pub under_replicated: Vec<PartitionIssue>,
    pub offline: Vec<PartitionIssue>,
    pub under_min_isr: Vec<PartitionIssue>,
    /// Group count per state, or `None` where the broker cannot list groups.
    pub groups_by_state: Option<BTreeMap<String, usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub took_ms: Option<u64>,
}

impl ClusterStatus {
    /// The status of a cluster that could not be reached.
    pub fn unreachable(name: &str, cluster: &Cluster, reason: String) -> ClusterStatus {
        ClusterStatus {
            cluster: name.to_string(),
            bootstrap: cluster.bootstrap.clone(),
            datacenters: cluster.dcs().iter().map(|s| s.to_string()).collect(),
            reachable: false,
            healthy: false,
            problems: vec![format!("unreachable: {reason}")],
            cluster_id: None,
            controller_id: None,
            brokers: Vec::new(),
            brokers_per_dc: BTreeMap::new(),
            topics: 0,
            partitions: 0,
            under_replicated: Vec::new(),
            offline: Vec::new(),
            under_min_isr: Vec::new(),
            groups_by_state: None,
            groups_note: None,
            took_ms: None,
        }
    }
}

/// Judges one cluster's snapshot against the topology.
pub fn assess(t: &Topology, name: &str, snap: &ClusterSnapshot) -> ClusterStatus {
    let cluster = &t.clusters[name];
    let dcs: Vec<String> = cluster.dcs().iter().map(|s| s.to_string()).collect();
    let mut problems = Vec::new();
    let brokers: Vec<BrokerStatus> = snap
        .brokers
        .iter()
        .map(|b| BrokerStatus {
            id: b.id,
            host: b.host.clone(),
            port: b.port,
            rack: b.rack.clone(),
            datacenter: broker_dc(t, cluster, b.rack.as_deref()),
        })
        .collect();
    let mut per_dc: BTreeMap<String, Vec<i32>> =
        dcs.iter().map(|d| (d.clone(), Vec::new())).collect();
    for b in &brokers {
        match (&b.datacenter, &b.rack) {
            (Some(dc), _) => per_dc.entry(dc.clone()).or_default().push(b.id),
            (None, Some(rack)) => problems.push(format!(
                "broker {} has rack `{rack}`, which no datacenter of the topology lists",
                b.id
            )),
            (None, None) => problems.push(format!(
                "broker {} has no broker.rack, so its datacenter is unknown",
                b.id
            )),
        }
    }
    for (dc, ids) in &per_dc {
        if ids.is_empty() && dcs.contains(dc) {
            problems.push(format!(
                "no broker of this cluster answers in datacenter `{dc}`"
            ));
        }
    }
    let default_min_isr = t.placement.as_ref().map_or(1, |p| p.min_insync_replicas);
    let mut under_replicated = Vec::new();
    let mut offline = Vec::new();
    let mut under_min_isr = Vec::new();
    let mut partitions = 0;
    for topic in &snap.topics {
        let min_isr = snap
            .min_isr
            .get(&topic.name)
            .copied()
            .unwrap_or(default_min_isr);
        for p in &topic.partitions {
            partitions += 1;
            let issue = || PartitionIssue {
                topic: topic.name.clone(),
                partition: p.partition,
                leader: p.leader,
                replicas: p.replicas.clone(),
                isr: p.isr.clone(),
                min_isr,
            };
            if p.leader.is_none() {
                offline.push(issue());
            }
            if p.isr.len() < p.replicas.len() {
                under_replicated.push(issue());
            }
            // min.insync.replicas cannot exceed the replica count in practice; judge
            // against the smaller so RF-1 topics are not reported forever.
            if (p.isr.len() as u32) < min_isr.min(p.replicas.len() as u32) {
                under_min_isr.push(issue());
            }
        }
    }
    let count =
        |n: usize, what: &str| format!("{n} {what} partition{}", if n == 1 { "" } else { "s" });
    if !offline.is_empty() {
        problems.push(format!("{} (no leader)", count(offline.len(), "offline")));
    }
    if !under_min_isr.is_empty() {
        problems.push(format!(
            "{} (acks=all producers fail)",
            count(under_min_isr.len(), "under-min-ISR")
        ));
    }
    if !under_replicated.is_empty() {
        problems.push(count(under_replicated.len(), "under-replicated"));
    }
    let (groups_by_state, groups_note) = match &snap.groups {
        Ok(groups) => {
            let mut m = BTreeMap::new();
            for g in groups {
                *m.entry(format!("{:?}", g.state).to_lowercase())
                    .or_insert(0) += 1;
            }
            (Some(m), None)
        }
        Err(e) => (None, Some(format!("groups not listed: {e}"))),
    };
    ClusterStatus {
        cluster: name.to_string(),
        bootstrap: cluster.bootstrap.clone(),
        datacenters: dcs,
        reachable: true,
        healthy: problems.is_empty(),
        problems,
        cluster_id: snap.cluster_id.clone(),
        // The mock cluster reports a controller that is no broker; say "unknown" instead.
        controller_id: snap
            .controller_id
            .filter(|c| snap.brokers.iter().any(|b| b.id == *c)),
        brokers,
        brokers_per_dc: per_dc,
        topics: snap.topics.len(),
        partitions,
        under_replicated,
        offline,
        under_min_isr,
        groups_by_state,
        groups_note,
        took_ms: Some(snap.took_ms),
    }
}

/// The DC of a broker: through its rack for clusters that span DCs, else the cluster's
/// only DC (where a rack, if set, must still be known when the DC lists racks).
pub fn broker_dc(t: &Topology, cluster: &Cluster, rack: Option<&str>) -> Option<String> {
    let dcs = cluster.dcs();
    if let Some(rack) = rack {
        if let Some(dc) = t.dc_of_rack(rack) {
            return Some(dc.to_string());
        }
    }
    match dcs.as_slice() {
        [only] if rack.is_none() || t.datacenters[*only].racks.is_empty() => Some(only.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kafka::{BrokerNode, PartitionDescription, TopicDescription};

    fn stretched() -> Topology {
        crate::topology::load_str(
            "t",
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/topologies/stretched.yaml"
            ))
            .unwrap(),
        )
        .unwrap()
        .topology
    }

    fn broker(id: i32, rack: Option<&str>) -> BrokerNode {
        BrokerNode {
            id,
            host: "127.0.0.1".into(),
            port: 9000 + id as u16,
            rack: rack.map(Into::into),
        }
    }

    fn snap(brokers: Vec<BrokerNode>, parts: Vec<PartitionDescription>) -> ClusterSnapshot {
        ClusterSnapshot {
            cluster_id: Some("c".into()),
            controller_id: Some(1),
            brokers,
            topics: vec![TopicDescription {
                name: "orders".into(),
                is_internal: false,
                partitions: parts,
            }],
            min_isr: [("orders".to_string(), 2)].into_iter().collect(),
            min_isr_error: None,
            groups: Ok(Vec::new()),
            took_ms: 1,
        }
    }

    fn part(p: i32, leader: Option<i32>, replicas: &[i32], isr: &[i32]) -> PartitionDescription {
        PartitionDescription {
            partition: p,
            leader,
            replicas: replicas.to_vec(),
            isr: isr.to_vec(),
        }
    }

    #[test]
    fn healthy_three_zone_cluster() {
        let t = stretched();
        let s = snap(
            vec![
                broker(1, Some("zone-a")),
                broker(2, Some("zone-b")),
                broker(3, Some("zone-c")),
            ],
            vec![part(0, Some(1), &[1, 2, 3], &[1, 2, 3])],
        );
        let st = assess(&t, "orders", &s);
        assert!(st.healthy, "{:?}", st.problems);
        assert_eq!(st.brokers_per_dc["zone-b"], vec![2]);
        assert_eq!(st.groups_by_state, Some(BTreeMap::new()));
    }

    #[test]
    fn lost_zone_and_bad_partitions_are_problems() {
        let t = stretched();
        let s = snap(
            vec![
                broker(1, Some("zone-a")),
                broker(2, Some("zone-b")),
                broker(4, Some("mystery")),
                broker(5, None),
            ],
            vec![
                part(0, Some(1), &[1, 2, 3], &[1, 2]),
                part(1, None, &[3], &[]),
                part(2, Some(2), &[2, 3, 1], &[2]),
            ],
        );
        let st = assess(&t, "orders", &s);
        assert!(!st.healthy);
        assert_eq!(st.offline.len(), 1);
        assert_eq!(st.under_replicated.len(), 3);
        assert_eq!(st.under_min_isr.len(), 2);
        let text = st.problems.join("\n");
        assert!(
            text.contains("no broker of this cluster answers in datacenter `zone-c`"),
            "{text}"
        );
        assert!(text.contains("broker 4 has rack `mystery`"), "{text}");
        assert!(text.contains("broker 5 has no broker.rack"), "{text}");
        assert!(text.contains("1 offline partition (no leader)"), "{text}");
        assert!(text.contains("2 under-min-ISR partitions"), "{text}");
    }
}
