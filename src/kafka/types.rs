//! Plain owned data that the Kafka layer hands out. Nothing here points into
//! librdkafka memory.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::error::KafkaError;

/// One partition of one topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: i32) -> TopicPartition {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.topic, self.partition)
    }
}

/// A broker as the cluster describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokerNode {
    pub id: i32,
    pub host: String,
    pub port: u16,
    /// `broker.rack`, if the broker has one.
    pub rack: Option<String>,
}

/// Result of DescribeCluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterDescription {
    pub cluster_id: Option<String>,
    /// The controller id the cluster reports (on KRaft: a broker id that
    /// clients may use for controller-bound requests).
    pub controller_id: Option<i32>,
    /// Sorted by id.
    pub brokers: Vec<BrokerNode>,
}

/// Placement of one partition (broker ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionDescription {
    pub partition: i32,
    /// `None` when the partition has no leader (offline).
    pub leader: Option<i32>,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
}

/// Result of DescribeTopics for one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicDescription {
    pub name: String,
    pub is_internal: bool,
    /// Sorted by partition id.
    pub partitions: Vec<PartitionDescription>,
}

/// Which offset ListOffsets looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetSpec {
    /// The log start offset.
    Earliest,
    /// The log end offset (high watermark; next offset to be written).
    Latest,
    /// The offset of the record with the largest timestamp.
    MaxTimestamp,
    /// The first offset whose timestamp is >= this many ms since the epoch.
    /// Kafka answers "no offset" (-1) when every record is older.
    Timestamp(i64),
}

impl OffsetSpec {
    /// librdkafka's encoding in the `offset` field of the request.
    pub(crate) fn to_raw(self) -> i64 {
        match self {
            OffsetSpec::Earliest => -2,
            OffsetSpec::Latest => -1,
            OffsetSpec::MaxTimestamp => -3,
            OffsetSpec::Timestamp(ts) => ts,
        }
    }
}

/// What to look up for one partition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct OffsetQuery {
    pub topic: String,
    pub partition: i32,
    pub spec: OffsetSpec,
}

impl OffsetQuery {
    pub fn new(tp: &TopicPartition, spec: OffsetSpec) -> OffsetQuery {
        OffsetQuery {
            topic: tp.topic.clone(),
            partition: tp.partition,
            spec,
        }
    }
}

/// A found offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OffsetAndTimestamp {
    /// `None` when the broker answered -1: for a timestamp query, no record
    /// has a timestamp >= the one asked (past the end of the log).
    pub offset: Option<i64>,
    /// Timestamp of the record at `offset` (timestamp queries only).
    pub timestamp: Option<i64>,
    pub leader_epoch: Option<i32>,
}

/// ListOffsets answer for one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedOffset {
    pub topic: String,
    pub partition: i32,
    pub spec: OffsetSpec,
    pub result: Result<OffsetAndTimestamp, KafkaError>,
}

/// State of a consumer group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupState {
    Unknown,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
    Empty,
}

impl GroupState {
    pub(crate) fn from_raw(v: u32) -> GroupState {
        match v {
            1 => GroupState::PreparingRebalance,
            2 => GroupState::CompletingRebalance,
            3 => GroupState::Stable,
            4 => GroupState::Dead,
            5 => GroupState::Empty,
            _ => GroupState::Unknown,
        }
    }
}

/// Group protocol: classic (JoinGroup) or consumer (KIP-848).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupType {
    Unknown,
    Consumer,
    Classic,
}

impl GroupType {
    pub(crate) fn from_raw(v: u32) -> GroupType {
        match v {
            1 => GroupType::Consumer,
            2 => GroupType::Classic,
            _ => GroupType::Unknown,
        }
    }
}

/// ListConsumerGroups entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumerGroupListing {
    pub group_id: String,
    pub state: GroupState,
    pub group_type: GroupType,
    /// A "simple" group only commits offsets; it has no members protocol.
    pub is_simple: bool,
}

/// One member of a described group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMember {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub group_instance_id: Option<String>,
    pub assignment: Vec<TopicPartition>,
}

/// DescribeConsumerGroups answer for one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumerGroupDescription {
    pub group_id: String,
    pub state: GroupState,
    pub group_type: GroupType,
    pub is_simple: bool,
    pub partition_assignor: String,
    pub coordinator: Option<BrokerNode>,
    pub members: Vec<GroupMember>,
}

/// Which committed offsets of a group to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupOffsetsQuery {
    pub group: String,
    /// `None`: every partition the group has committed offsets for.
    pub partitions: Option<Vec<TopicPartition>>,
}

impl GroupOffsetsQuery {
    pub fn all(group: impl Into<String>) -> GroupOffsetsQuery {
        GroupOffsetsQuery {
            group: group.into(),
            partitions: None,
        }
    }

    pub fn partitions(group: impl Into<String>, partitions: Vec<TopicPartition>) -> Self {
        GroupOffsetsQuery {
            group: group.into(),
            partitions: Some(partitions),
        }
    }
}

/// An offset to commit for a partition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TopicPartitionOffset {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
}

impl TopicPartitionOffset {
    pub fn new(topic: impl Into<String>, partition: i32, offset: i64) -> Self {
        TopicPartitionOffset {
            topic: topic.into(),
            partition,
            offset,
        }
    }
}

/// New committed offsets for one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupOffsetsUpdate {
    pub group: String,
    pub offsets: Vec<TopicPartitionOffset>,
}

/// A group's committed offset of one partition (listed, or just altered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommittedOffset {
    pub topic: String,
    pub partition: i32,
    /// `None`: the group has no committed offset for this partition.
    pub offset: Option<i64>,
    pub leader_epoch: Option<i32>,
    /// Commit metadata string (empty if none).
    pub metadata: String,
    /// A per-partition failure (e.g. unknown partition).
    pub error: Option<KafkaError>,
}

/// Committed offsets of one group, sorted by topic and partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupOffsets {
    pub group: String,
    pub offsets: Vec<CommittedOffset>,
}

impl GroupOffsets {
    /// The committed offset of `topic[partition]`, if any.
    pub fn offset_of(&self, topic: &str, partition: i32) -> Option<i64> {
        self.offsets
            .iter()
            .find(|o| o.topic == topic && o.partition == partition)
            .and_then(|o| o.offset)
    }

    /// Partitions that came back with an error.
    pub fn failed(&self) -> impl Iterator<Item = &CommittedOffset> {
        self.offsets.iter().filter(|o| o.error.is_some())
    }
}

/// One topic config entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigValue {
    /// `None` for sensitive entries (the broker does not send them).
    pub value: Option<String>,
    /// Where the value comes from, e.g. `DYNAMIC_TOPIC_CONFIG`, `DEFAULT_CONFIG`.
    pub source: String,
    pub is_default: bool,
    pub is_read_only: bool,
    pub is_sensitive: bool,
}

/// DescribeConfigs answer for one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicConfig {
    pub topic: String,
    pub entries: BTreeMap<String, ConfigValue>,
}

impl TopicConfig {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).and_then(|v| v.value.as_deref())
    }

    /// `min.insync.replicas`, if reported and numeric.
    pub fn min_insync_replicas(&self) -> Option<u32> {
        self.get("min.insync.replicas")?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_spec_encoding_matches_librdkafka() {
        assert_eq!(OffsetSpec::Earliest.to_raw(), -2);
        assert_eq!(OffsetSpec::Latest.to_raw(), -1);
        assert_eq!(OffsetSpec::MaxTimestamp.to_raw(), -3);
        assert_eq!(
            OffsetSpec::Timestamp(1_700_000_000_000).to_raw(),
            1_700_000_000_000
        );
    }

    #[test]
    fn group_offsets_lookup() {
        let g = GroupOffsets {
            group: "g".into(),
            offsets: vec![CommittedOffset {
                topic: "t".into(),
                partition: 1,
                offset: Some(5),
                leader_epoch: None,
                metadata: String::new(),
                error: None,
            }],
        };
        assert_eq!(g.offset_of("t", 1), Some(5));
        assert_eq!(g.offset_of("t", 0), None);
        assert_eq!(g.failed().count(), 0);
    }

    #[test]
    fn topic_config_min_isr() {
        let mut entries = BTreeMap::new();
        entries.insert(
            "min.insync.replicas".to_string(),
            ConfigValue {
                value: Some("2".into()),
                source: "DYNAMIC_TOPIC_CONFIG".into(),
                is_default: false,
                is_read_only: false,
                is_sensitive: false,
            },
        );
        let c = TopicConfig {
            topic: "t".into(),
            entries,
        };
        assert_eq!(c.min_insync_replicas(), Some(2));
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["entries"]["min.insync.replicas"]["value"], "2");
    }

    #[test]
    fn enums_from_raw() {
        assert_eq!(GroupState::from_raw(3), GroupState::Stable);
        assert_eq!(GroupState::from_raw(99), GroupState::Unknown);
        assert_eq!(GroupType::from_raw(2), GroupType::Classic);
    }
}
