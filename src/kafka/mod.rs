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
//!
//! All `unsafe` code is in the private `ffi` module.

mod admin;
mod batch;
mod error;
#[allow(unsafe_code)]
mod ffi;
mod groups;
mod retry;
mod settings;
mod types;

pub use admin::AdminClient;
pub use batch::BatchOptions;
pub use error::{ErrorCode, KafkaError};
pub use retry::{retry, RetryPolicy};
pub use settings::{
    is_sensitive_property, ClientSettings, SecretString, DEFAULT_TIMEOUT, REDACTED,
};
pub use types::*;
