//! A point-in-time picture of one cluster: brokers, topics with their partitions, each
//! topic's `min.insync.replicas`, and consumer groups where the broker can list them.
//! Planning code (status, placement) works on this data and never calls Kafka itself.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::admin::AdminClient;
use super::error::KafkaError;
use super::types::{BrokerNode, ConsumerGroupListing, TopicDescription};

/// Topics per DescribeTopics / DescribeConfigs request: bounded, so that clusters with
/// many topics do not build one giant request.
const TOPICS_PER_REQUEST: usize = 500;

#[derive(Debug, Clone, Serialize)]
pub struct ClusterSnapshot {
    pub cluster_id: Option<String>,
    pub controller_id: Option<i32>,
    pub brokers: Vec<BrokerNode>,
    /// Every topic, internal ones included, sorted by name.
    pub topics: Vec<TopicDescription>,
    /// `min.insync.replicas` per topic, where the broker answered DescribeConfigs.
    pub min_isr: BTreeMap<String, u32>,
    /// Why `min_isr` is incomplete, if it is (e.g. unsupported by this cluster).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_isr_error: Option<KafkaError>,
    /// Consumer groups, or why the broker could not list them.
    pub groups: Result<Vec<ConsumerGroupListing>, KafkaError>,
    /// How long taking the snapshot took.
    pub took_ms: u64,
}

impl ClusterSnapshot {
    /// Reads everything within `timeout` per request. Fails only when the cluster cannot
    /// be described at all; partial answers (no configs, no group listing) are recorded.
    pub fn take(admin: &AdminClient, timeout: Duration) -> Result<ClusterSnapshot, KafkaError> {
        let start = Instant::now();
        let cluster = admin.describe_cluster(timeout)?;
        let mut names = admin.list_topics(timeout)?;
        names.sort();
        let mut topics = Vec::with_capacity(names.len());
        for chunk in names.chunks(TOPICS_PER_REQUEST) {
            topics.extend(admin.describe_topics(chunk, timeout)?);
        }
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        let mut min_isr = BTreeMap::new();
        let mut min_isr_error = None;
        for chunk in names.chunks(TOPICS_PER_REQUEST) {
            match admin.describe_topic_configs(chunk, timeout) {
                Ok(configs) => {
                    for c in configs {
                        if let Some(v) = c.min_insync_replicas() {
                            min_isr.insert(c.topic.clone(), v);
                        }
                    }
                }
                Err(e) => {
                    min_isr_error = Some(e);
                    break;
                }
            }
        }
        let groups = admin.list_consumer_groups(timeout);
        Ok(ClusterSnapshot {
            cluster_id: cluster.cluster_id,
            controller_id: cluster.controller_id,
            brokers: cluster.brokers,
            topics,
            min_isr,
            min_isr_error,
            groups,
            took_ms: start.elapsed().as_millis() as u64,
        })
    }
}
