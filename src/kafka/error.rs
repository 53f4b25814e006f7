//! The one error type of the Kafka layer, and how librdkafka / broker error
//! codes are sorted into it.

use std::fmt;

use serde::{Serialize, Serializer};

use super::ffi;

/// A librdkafka error code: a Kafka protocol error (>= 0) or a librdkafka
/// local error (< 0, names start with `_`).
///
/// Kept as a plain integer on purpose: brokers newer than the linked
/// librdkafka send codes it has no name for (Kafka 4.x has some).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(pub i32);

impl ErrorCode {
    pub const NO_ERROR: ErrorCode = ErrorCode(0);
    pub const UNKNOWN_TOPIC_OR_PART: ErrorCode = ErrorCode(3);
    pub const LEADER_NOT_AVAILABLE: ErrorCode = ErrorCode(5);
    pub const NOT_LEADER_FOR_PARTITION: ErrorCode = ErrorCode(6);
    pub const REQUEST_TIMED_OUT: ErrorCode = ErrorCode(7);
    pub const NETWORK_EXCEPTION: ErrorCode = ErrorCode(13);
    pub const COORDINATOR_LOAD_IN_PROGRESS: ErrorCode = ErrorCode(14);
    pub const COORDINATOR_NOT_AVAILABLE: ErrorCode = ErrorCode(15);
    pub const NOT_COORDINATOR: ErrorCode = ErrorCode(16);
    pub const NOT_ENOUGH_REPLICAS: ErrorCode = ErrorCode(19);
    pub const NOT_ENOUGH_REPLICAS_AFTER_APPEND: ErrorCode = ErrorCode(20);
    pub const ILLEGAL_GENERATION: ErrorCode = ErrorCode(22);
    pub const UNKNOWN_MEMBER_ID: ErrorCode = ErrorCode(25);
    pub const REBALANCE_IN_PROGRESS: ErrorCode = ErrorCode(27);
    pub const UNSUPPORTED_VERSION: ErrorCode = ErrorCode(35);
    pub const TOPIC_ALREADY_EXISTS: ErrorCode = ErrorCode(36);
    pub const NOT_CONTROLLER: ErrorCode = ErrorCode(41);
    pub const KAFKA_STORAGE_ERROR: ErrorCode = ErrorCode(56);
    pub const NON_EMPTY_GROUP: ErrorCode = ErrorCode(68);
    pub const GROUP_ID_NOT_FOUND: ErrorCode = ErrorCode(69);
    pub const FENCED_LEADER_EPOCH: ErrorCode = ErrorCode(74);
    pub const UNKNOWN_LEADER_EPOCH: ErrorCode = ErrorCode(75);
    pub const OFFSET_NOT_AVAILABLE: ErrorCode = ErrorCode(78);
    pub const GROUP_SUBSCRIBED_TO_TOPIC: ErrorCode = ErrorCode(86);
    pub const UNSTABLE_OFFSET_COMMIT: ErrorCode = ErrorCode(88);
    pub const UNKNOWN_TOPIC_ID: ErrorCode = ErrorCode(100);
    pub const FENCED_MEMBER_EPOCH: ErrorCode = ErrorCode(110);
    pub const STALE_MEMBER_EPOCH: ErrorCode = ErrorCode(113);

    pub const LOCAL_FAIL: ErrorCode = ErrorCode(-196);
    pub const LOCAL_TRANSPORT: ErrorCode = ErrorCode(-195);
    pub const LOCAL_RESOLVE: ErrorCode = ErrorCode(-193);
    pub const LOCAL_MSG_TIMED_OUT: ErrorCode = ErrorCode(-192);
    pub const LOCAL_UNKNOWN_PARTITION: ErrorCode = ErrorCode(-190);
    pub const LOCAL_UNKNOWN_TOPIC: ErrorCode = ErrorCode(-188);
    pub const LOCAL_ALL_BROKERS_DOWN: ErrorCode = ErrorCode(-187);
    pub const LOCAL_INVALID_ARG: ErrorCode = ErrorCode(-186);
    pub const LOCAL_TIMED_OUT: ErrorCode = ErrorCode(-185);
    pub const LOCAL_NODE_UPDATE: ErrorCode = ErrorCode(-182);
    pub const LOCAL_WAIT_COORD: ErrorCode = ErrorCode(-180);
    pub const LOCAL_NOT_IMPLEMENTED: ErrorCode = ErrorCode(-170);
    pub const LOCAL_TIMED_OUT_QUEUE: ErrorCode = ErrorCode(-166);
    pub const LOCAL_UNSUPPORTED_FEATURE: ErrorCode = ErrorCode(-165);
    pub const LOCAL_NOENT: ErrorCode = ErrorCode(-156);
    pub const LOCAL_RETRY: ErrorCode = ErrorCode(-153);
    pub const LOCAL_DESTROY_BROKER: ErrorCode = ErrorCode(-137);

    /// librdkafka's symbolic name, e.g. `NOT_COORDINATOR` or `_TIMED_OUT`.
    pub fn name(self) -> String {
        ffi::err_name(self.0)
    }

    pub fn is_ok(self) -> bool {
        self.0 == 0
    }

    /// Worth trying again: the coordinator / leader moved or is loading,
    /// a request or connection timed out or broke.
    pub fn is_retriable(self) -> bool {
        matches!(
            self,
            Self::LEADER_NOT_AVAILABLE
                | Self::NOT_LEADER_FOR_PARTITION
                | Self::REQUEST_TIMED_OUT
                | Self::NETWORK_EXCEPTION
                | Self::COORDINATOR_LOAD_IN_PROGRESS
                | Self::COORDINATOR_NOT_AVAILABLE
                | Self::NOT_COORDINATOR
                | Self::NOT_ENOUGH_REPLICAS
                | Self::NOT_ENOUGH_REPLICAS_AFTER_APPEND
                | Self::NOT_CONTROLLER
                | Self::KAFKA_STORAGE_ERROR
                | Self::FENCED_LEADER_EPOCH
                | Self::UNKNOWN_LEADER_EPOCH
                | Self::OFFSET_NOT_AVAILABLE
                | Self::UNSTABLE_OFFSET_COMMIT
                | Self::LOCAL_TRANSPORT
                | Self::LOCAL_RESOLVE
                | Self::LOCAL_MSG_TIMED_OUT
                | Self::LOCAL_ALL_BROKERS_DOWN
                | Self::LOCAL_TIMED_OUT
                | Self::LOCAL_NODE_UPDATE
                | Self::LOCAL_WAIT_COORD
                | Self::LOCAL_TIMED_OUT_QUEUE
                | Self::LOCAL_RETRY
                | Self::LOCAL_DESTROY_BROKER
        )
    }

    /// The broker asked is not (or no longer) the group's coordinator.
    /// librdkafka keeps sending that group's requests to it while its
    /// coordinator-cache entry is in use (see [`super::STALE_COORDINATOR_WAIT`]).
    pub fn is_coordinator_moved(self) -> bool {
        matches!(
            self,
            Self::NOT_COORDINATOR | Self::COORDINATOR_NOT_AVAILABLE
        )
    }

    /// The broker or librdkafka does not implement the call.
    pub fn is_unsupported(self) -> bool {
        matches!(
            self,
            Self::UNSUPPORTED_VERSION
                | Self::LOCAL_UNSUPPORTED_FEATURE
                | Self::LOCAL_NOT_IMPLEMENTED
        )
    }

    pub fn is_unknown_topic_or_partition(self) -> bool {
        matches!(
            self,
            Self::UNKNOWN_TOPIC_OR_PART
                | Self::UNKNOWN_TOPIC_ID
                | Self::LOCAL_UNKNOWN_TOPIC
                | Self::LOCAL_UNKNOWN_PARTITION
        )
    }

    /// What a broker answers when offsets of a group with live members are
    /// altered by an admin: classic groups say UNKNOWN_MEMBER_ID (or
    /// ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS), KIP-848 groups may say
    /// STALE/FENCED_MEMBER_EPOCH, OffsetDelete says GROUP_SUBSCRIBED_TO_TOPIC.
    pub fn means_group_not_empty(self) -> bool {
        matches!(
            self,
            Self::UNKNOWN_MEMBER_ID
                | Self::ILLEGAL_GENERATION
                | Self::REBALANCE_IN_PROGRESS
                | Self::NON_EMPTY_GROUP
                | Self::GROUP_SUBSCRIBED_TO_TOPIC
                | Self::FENCED_MEMBER_EPOCH
                | Self::STALE_MEMBER_EPOCH
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.0)
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ErrorCode({}: {})", self.0, self.name())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

/// Every failure of the Kafka layer. Match on the variant; `code` keeps the
/// librdkafka / broker code for the generic cases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KafkaError {
    /// Transient: coordinator moved or loading, request timed out, broker
    /// connection broke. [`super::retry`] retries these.
    #[error("retriable Kafka error {code}: {message}")]
    Retriable { code: ErrorCode, message: String },

    /// The broker (or librdkafka against this broker) does not implement
    /// the call, e.g. DescribeGroups on librdkafka's mock cluster.
    #[error("{call} is not supported by this cluster: {message}")]
    Unsupported { call: &'static str, message: String },

    /// Committed offsets of a group that has active members cannot be
    /// altered; stop its consumers first.
    #[error("consumer group '{group}' is not empty (it has active members): {code}")]
    GroupNotEmpty { group: String, code: ErrorCode },

    #[error("unknown topic or partition{}: {message}", fmt_topic(.topic, .partition))]
    UnknownTopicOrPartition {
        topic: Option<String>,
        partition: Option<i32>,
        message: String,
    },

    /// No answer came back before the caller's deadline.
    #[error("{call} timed out after {after_ms} ms")]
    Timeout { call: &'static str, after_ms: u64 },

    /// A group read ([`super::read_as_group`]) did not reach the offsets it was asked to
    /// reach in time; `pending` names each partition short of its target
    /// (`topic[p] at N of M`).
    #[error("reading as group '{group}' timed out after {after_ms} ms; not reached: {}", .pending.join(", "))]
    ReadTimeout {
        group: String,
        after_ms: u64,
        pending: Vec<String>,
    },

    /// A client property librdkafka refused (unknown name, bad value), or
    /// the client could not be created from the configuration. `message` is
    /// librdkafka's own text, with secret values masked.
    #[error("invalid Kafka client configuration{}: {message}", fmt_property(.property))]
    Config {
        property: Option<String>,
        message: String,
    },

    /// The caller asked for something librdkafka rejects before sending
    /// (duplicate partitions, negative offsets, empty lists...).
    #[error("invalid argument: {message}")]
    InvalidArgument { message: String },

    #[error("Kafka error {code}: {message}")]
    Other { code: ErrorCode, message: String },
}

fn fmt_topic(topic: &Option<String>, partition: &Option<i32>) -> String {
    match (topic, partition) {
        (Some(t), Some(p)) => format!(" {t}[{p}]"),
        (Some(t), None) => format!(" {t}"),
        _ => String::new(),
    }
}

fn fmt_property(property: &Option<String>) -> String {
    match property {
        Some(p) => format!(" (property '{p}')"),
        None => String::new(),
    }
}

impl KafkaError {
    /// Should the same request be tried again (later)?
    pub fn is_retriable(&self) -> bool {
        matches!(self, KafkaError::Retriable { .. })
    }

    /// The librdkafka / broker code behind this error, if any.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            KafkaError::Retriable { code, .. }
            | KafkaError::GroupNotEmpty { code, .. }
            | KafkaError::Other { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Sort an error code of `call` into the enum. `group` is the consumer
    /// group the call altered offsets of, if any: only then do the "member"
    /// codes mean the group is not empty.
    pub(crate) fn from_code(
        call: &'static str,
        code: ErrorCode,
        message: String,
        group: Option<&str>,
    ) -> KafkaError {
        if code.is_unsupported() {
            KafkaError::Unsupported { call, message }
        } else if code.is_retriable() {
            KafkaError::Retriable { code, message }
        } else if code.is_unknown_topic_or_partition() {
            KafkaError::UnknownTopicOrPartition {
                topic: None,
                partition: None,
                message,
            }
        } else if code == ErrorCode::LOCAL_INVALID_ARG {
            KafkaError::InvalidArgument { message }
        } else if let (Some(group), true) = (group, code.means_group_not_empty()) {
            KafkaError::GroupNotEmpty {
                group: group.to_string(),
                code,
            }
        } else {
            KafkaError::Other { code, message }
        }
    }

    pub(crate) fn from_raw(call: &'static str, raw: RawError, group: Option<&str>) -> KafkaError {
        KafkaError::from_code(call, ErrorCode(raw.code), raw.message, group)
    }

    /// Same as [`Self::from_code`] for a per-partition code, naming the partition.
    pub(crate) fn for_partition(
        call: &'static str,
        code: ErrorCode,
        topic: &str,
        partition: i32,
        group: Option<&str>,
    ) -> KafkaError {
        let message = format!("{topic}[{partition}]: {}", code.name());
        match KafkaError::from_code(call, code, message.clone(), group) {
            KafkaError::UnknownTopicOrPartition { .. } => KafkaError::UnknownTopicOrPartition {
                topic: Some(topic.to_string()),
                partition: Some(partition),
                message,
            },
            other => other,
        }
    }
}

/// An error as librdkafka reports it: code plus its human text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawError {
    pub code: i32,
    pub message: String,
}

impl RawError {
    pub fn new(code: i32, message: impl Into<String>) -> RawError {
        RawError {
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_librdkafka() {
        assert_eq!(ErrorCode::NOT_COORDINATOR.name(), "NOT_COORDINATOR");
        assert_eq!(ErrorCode::LOCAL_TIMED_OUT.name(), "_TIMED_OUT");
        assert_eq!(ErrorCode(0).name(), "NO_ERROR");
        // A code librdkafka 2.12 has no name for must not crash anything.
        assert!(!ErrorCode(125).name().is_empty());
        assert!(!ErrorCode(-5000).name().is_empty());
        assert_eq!(
            ErrorCode::NOT_COORDINATOR.to_string(),
            "NOT_COORDINATOR (16)"
        );
    }

    #[test]
    fn coordinator_and_transport_errors_are_retriable() {
        for code in [
            ErrorCode::NOT_COORDINATOR,
            ErrorCode::COORDINATOR_LOAD_IN_PROGRESS,
            ErrorCode::COORDINATOR_NOT_AVAILABLE,
            ErrorCode::REQUEST_TIMED_OUT,
            ErrorCode::LOCAL_TRANSPORT,
            ErrorCode::LOCAL_TIMED_OUT,
        ] {
            let e = KafkaError::from_code("X", code, "m".into(), Some("g"));
            assert!(e.is_retriable(), "{code:?} -> {e:?}");
            assert_eq!(e.code(), Some(code));
        }
    }

    #[test]
    fn classification() {
        let e = KafkaError::from_code(
            "DescribeGroups",
            ErrorCode::LOCAL_UNSUPPORTED_FEATURE,
            "no".into(),
            None,
        );
        assert!(matches!(
            e,
            KafkaError::Unsupported {
                call: "DescribeGroups",
                ..
            }
        ));
        let e = KafkaError::from_code("X", ErrorCode::UNKNOWN_MEMBER_ID, "m".into(), Some("g1"));
        assert_eq!(
            e,
            KafkaError::GroupNotEmpty {
                group: "g1".into(),
                code: ErrorCode::UNKNOWN_MEMBER_ID
            }
        );
        // Without a group being altered, the member codes stay generic.
        let e = KafkaError::from_code("X", ErrorCode::UNKNOWN_MEMBER_ID, "m".into(), None);
        assert!(matches!(e, KafkaError::Other { .. }));
        let e = KafkaError::for_partition("X", ErrorCode::UNKNOWN_TOPIC_OR_PART, "t", 3, None);
        assert!(matches!(
            e,
            KafkaError::UnknownTopicOrPartition { topic: Some(ref t), partition: Some(3), .. } if t == "t"
        ));
        let e = KafkaError::from_code("X", ErrorCode::LOCAL_INVALID_ARG, "dup".into(), None);
        assert!(matches!(e, KafkaError::InvalidArgument { .. }));
    }

    #[test]
    fn serializes_with_kind_and_code_name() {
        let e = KafkaError::Retriable {
            code: ErrorCode::NOT_COORDINATOR,
            message: "moved".into(),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "retriable");
        assert_eq!(v["code"], "NOT_COORDINATOR");
        let e = KafkaError::Config {
            property: Some("foo".into()),
            message: "No such configuration property: \"foo\"".into(),
        };
        assert_eq!(
            e.to_string(),
            "invalid Kafka client configuration (property 'foo'): No such configuration property: \"foo\""
        );
    }
}
