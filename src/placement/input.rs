//! What the placement checker reads: brokers with their DCs, topics with partitions and
//! effective `min.insync.replicas`, and the topology's requirements. Built from a
//! `ClusterSnapshot`, or by hand in tests and benchmarks.

use regex::Regex;
use serde::Serialize;

use crate::cluster::status::broker_dc;
use crate::kafka::ClusterSnapshot;
use crate::topology::filter::Filter;
use crate::topology::Topology;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirements {
    pub replication_factor: u32,
    /// Used for topics that do not set `min.insync.replicas` (or when configs are unknown).
    pub min_insync_replicas: u32,
    pub survive_dc_loss: u32,
    pub max_leader_share: Option<f64>,
}

impl Requirements {
    /// The topology's `placement`, with defaults where it is silent: RF 3, min ISR 2, and
    /// surviving one DC when the cluster spans several. Leaders: at most 1.5x an even
    /// share per DC unless the topology says otherwise.
    pub fn for_cluster(t: &Topology, cluster: &str) -> Requirements {
        let dcs = t.clusters[cluster].dcs().len();
        let p = t.placement.as_ref();
        let even = if dcs > 1 {
            Some((1.5 / dcs as f64).min(1.0))
        } else {
            None
        };
        Requirements {
            replication_factor: p.map_or(3, |p| p.replication_factor),
            min_insync_replicas: p.map_or(2, |p| p.min_insync_replicas),
            survive_dc_loss: p.map_or(u32::from(dcs > 1), |p| {
                if dcs > 1 {
                    p.survive_dc_loss
                } else {
                    0
                }
            }),
            max_leader_share: p.and_then(|p| p.max_leader_share).or(even),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokerInfo {
    pub id: i32,
    pub rack: Option<String>,
    pub datacenter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartitionInfo {
    pub partition: i32,
    pub leader: Option<i32>,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicPartitions {
    pub name: String,
    pub min_isr: u32,
    pub partitions: Vec<PartitionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementInput {
    pub cluster: String,
    /// The DCs the cluster spans, per the topology.
    pub datacenters: Vec<String>,
    pub brokers: Vec<BrokerInfo>,
    pub topics: Vec<TopicPartitions>,
    pub requirements: Requirements,
}

impl PlacementInput {
    /// The checker's view of `snap`: topics selected by the topology's `placement.topics`
    /// (internal topics excluded by default) and by `topic_patterns` (any match).
    pub fn from_snapshot(
        t: &Topology,
        cluster: &str,
        snap: &ClusterSnapshot,
        topic_patterns: &[Regex],
    ) -> PlacementInput {
        let c = &t.clusters[cluster];
        let requirements = Requirements::for_cluster(t, cluster);
        let filter = t
            .placement
            .as_ref()
            .and_then(|p| Filter::new(&p.topics).ok())
            .unwrap_or_else(Filter::all);
        let brokers = snap
            .brokers
            .iter()
            .map(|b| BrokerInfo {
                id: b.id,
                rack: b.rack.clone(),
                datacenter: broker_dc(t, c, b.rack.as_deref()),
            })
            .collect();
        let topics = snap
            .topics
            .iter()
            .filter(|tp| !tp.is_internal && !tp.name.starts_with("__"))
            .filter(|tp| filter.admits(&tp.name))
            .filter(|tp| {
                topic_patterns.is_empty() || topic_patterns.iter().any(|r| r.is_match(&tp.name))
            })
            .map(|tp| TopicPartitions {
                name: tp.name.clone(),
                min_isr: snap
                    .min_isr
                    .get(&tp.name)
                    .copied()
                    .unwrap_or(requirements.min_insync_replicas),
                partitions: tp
                    .partitions
                    .iter()
                    .map(|p| PartitionInfo {
                        partition: p.partition,
                        leader: p.leader,
                        replicas: p.replicas.clone(),
                        isr: p.isr.clone(),
                    })
                    .collect(),
            })
            .collect();
        PlacementInput {
            cluster: cluster.to_string(),
            datacenters: c.dcs().iter().map(|s| s.to_string()).collect(),
            brokers,
            topics,
            requirements,
        }
    }
}
