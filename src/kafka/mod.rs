//! The one place that talks to librdkafka.
//!
//! rust-rdkafka 0.39's `AdminClient` lacks several admin calls librdkafka
//! 2.12 has; [`AdminClient`] offers them as blocking calls with deadlines
//! that return owned, `Serialize`-able data:
//!
//! | call | librdkafka |
//! | --- | --- |
//! | [`AdminClient::describe_cluster`] | `rd_kafka_DescribeCluster` |
//! | [`AdminClient::list_topics`] | `rd_kafka_metadata` |
//! | [`AdminClient::describe_topics`] | `rd_kafka_DescribeTopics` |
//! | [`AdminClient::list_offsets`] | `rd_kafka_ListOffsets` |
//! | [`AdminClient::list_consumer_groups`] | `rd_kafka_ListConsumerGroups` |
//! | [`AdminClient::describe_consumer_groups`] | `rd_kafka_DescribeConsumerGroups` |
//! | [`AdminClient::list_group_offsets_batch`] | `rd_kafka_ListConsumerGroupOffsets` |
//! | [`AdminClient::alter_group_offsets_batch`] | `rd_kafka_AlterConsumerGroupOffsets` |
//! | [`AdminClient::describe_topic_configs`] | `rd_kafka_DescribeConfigs` |
//! | [`AdminClient::create_topics`] | rust-rdkafka `create_topics` (for the lab) |
//!
//! Records: [`RecordProducer`] (the lab's traffic), [`read_topic_to_end`] (MM2's
//! internal topics), and for the lab's mirror [`RecordReader`] (assigned partitions from
//! given offsets, bytes out) and [`ByteProducer`] (bytes in, the offset each record was
//! written at out). [`read_as_group`] reads as a consumer group resumed after a failover
//! would: from the group's committed offsets to given ends, then commits.
//!
//! Plus [`AdminClient::list_offsets_with_retry`], the batch variants
//! [`AdminClient::list_group_offsets_batch`] / [`AdminClient::alter_group_offsets_batch`]
//! (many groups on one result queue, per-group retries, one deadline) and
//! the generic [`retry`] helper for single calls.
//!
//! All `unsafe` code is in the private `ffi` module (the crate denies
//! `unsafe_code` everywhere else).
//!
//! # Behaviour worth knowing
//! * Every call takes a timeout: it is librdkafka's request timeout, and the
//!   call gives up waiting 1 s after it ([`KafkaError::Timeout`]).
//! * The librdkafka handle is a consumer with `group.id=kafka-failover-admin`
//!   that never subscribes (works around librdkafka#5040, a NULL dereference
//!   on producer handles when OffsetFetch answers NOT_COORDINATOR).
//! * DescribeCluster / DescribeTopics / DescribeConfigs go to the broker that
//!   answered a metadata request just before (the mock reports no usable
//!   controller); [`ClientSettings::admin_broker_id`] pins one.
//! * Group requests (ListConsumerGroupOffsets, AlterConsumerGroupOffsets,
//!   DescribeConsumerGroups) go straight to the group's coordinator, the
//!   leader of its `__consumer_offsets` partition (learnt with
//!   DescribeTopics), not through librdkafka's coordinator lookup: that one
//!   aborts the process when a request times out while the coordinator is
//!   down and a coordinator shows up later (librdkafka#4605), and its cache
//!   keeps a stale coordinator after NOT_COORDINATOR. Where
//!   `__consumer_offsets` cannot be described (permissions, the mock
//!   cluster) librdkafka routes, with those defects. Details in
//!   `coordinator.rs`.
//! * For that fallback: librdkafka only expires a cached coordinator unused
//!   for `metadata.max.age.ms` (1000 here), checked once a second, so
//!   retries after NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE wait at least
//!   [`STALE_COORDINATOR_WAIT`] (batches:
//!   [`ClientSettings::stale_coordinator_wait`]).
//! * A coordinator that dies: group requests to it fail (timeout) until
//!   Kafka has fenced the broker and moved its partitions (~9 s with
//!   Kafka's defaults); batch calls with retries then reach the new one.
//!
//! # librdkafka's mock cluster
//! Works: DescribeCluster (racks), DescribeTopics, ListOffsets earliest /
//! latest, ListConsumerGroupOffsets for given partitions,
//! AlterConsumerGroupOffsets (a live member gives [`KafkaError::GroupNotEmpty`]).
//! Answered [`KafkaError::Unsupported`] within milliseconds:
//! ListConsumerGroups, DescribeConsumerGroups, DescribeConfigs. Fake:
//! ListOffsets by timestamp / max timestamp always "no offset"; ISR equals
//! replicas; listing *all* of a group's offsets returns nothing; the
//! reported controller id is 0.

mod access;
mod admin;
mod batch;
mod coordinator;
mod error;
#[allow(unsafe_code)]
mod ffi;
mod group_read;
mod groups;
mod mock;
mod produce;
mod read;
mod retry;
mod settings;
mod snapshot;
mod topics;
mod types;

pub use access::{cluster_settings, resolve_secret, PropertyOverride, SecretError};
pub use admin::AdminClient;
pub use batch::BatchOptions;
pub use error::{ErrorCode, KafkaError};
pub use group_read::{read_as_group, GroupRead, Tp};
pub use mock::{ApiKey, MockKafka};
pub use produce::{ByteProducer, OutRecord, RecordProducer};
pub use read::{read_topic_to_end, RawRecord, RecordReader, TopicRecord};
pub use retry::{retry, RetryPolicy, STALE_COORDINATOR_WAIT};
pub use settings::{
    is_sensitive_property, tls_verification_off, ClientSettings, SecretString, DEFAULT_TIMEOUT,
    REDACTED,
};
pub use snapshot::ClusterSnapshot;
pub use topics::block_on;
pub use topics::NewTopicSpec;
pub use types::*;
