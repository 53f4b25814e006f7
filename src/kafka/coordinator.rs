//! Sending consumer-group requests straight to the group's coordinator.
//!
//! librdkafka routes ListConsumerGroupOffsets, AlterConsumerGroupOffsets and
//! DescribeConsumerGroups through its own coordinator lookup, which has two
//! defects that matter during a failover:
//!
//! * **Process abort** (librdkafka#4605; unfixed in 2.12.1 and on master in
//!   2026, fix proposed in PR #5397): a request that times out while
//!   librdkafka still waits for the group's coordinator (coordinator broker
//!   dead, not yet replaced) frees its state; when a coordinator becomes
//!   reachable later, librdkafka uses the freed state and aborts with
//!   `rd_kafka_enq_once_del_source_return: Assertion 'eonce->refcnt > 0'
//!   failed`. Reproduced against Kafka 4.1.1 by killing a coordinator and
//!   altering its groups with a 3 s attempt timeout (tests/kafka_real.rs).
//! * **Stale coordinator cache**: a cached coordinator is not dropped on
//!   NOT_COORDINATOR (see [`super::STALE_COORDINATOR_WAIT`]).
//!
//! With an explicit target broker (`rd_kafka_AdminOptions_set_broker`)
//! librdkafka skips that lookup and its cache altogether. The coordinator
//! of a group is the leader of partition `abs(hash(group)) % n` of
//! `__consumer_offsets` (Kafka's `GroupCoordinator.partitionFor`, `hash`
//! being Java's `String.hashCode`), which DescribeTopics tells.
//!
//! Where `__consumer_offsets` cannot be described (no DESCRIBE permission
//! on it, librdkafka's mock cluster, a new cluster where no group was used
//! yet) requests fall back to librdkafka's routing and its defects.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use super::admin::AdminClient;
use super::error::{ErrorCode, KafkaError};

pub(crate) const OFFSETS_TOPIC: &str = "__consumer_offsets";

/// A map fetched less than this long ago (or a failure to fetch one) is reused
/// by the next call.
const MAP_MAX_AGE: Duration = Duration::from_secs(2);
/// Refresh a stale map at most this often within one call.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_millis(250);

/// Java's `String.hashCode` (over UTF-16 code units, wrapping).
pub(crate) fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// The `__consumer_offsets` partition of `group` (Kafka's `Utils.abs`,
/// which maps `i32::MIN` to 0).
pub(crate) fn partition_for(group: &str, partitions: usize) -> usize {
    let h = java_string_hash(group);
    let abs = if h == i32::MIN { 0 } else { h.abs() };
    abs as usize % partitions.max(1)
}

/// Leaders of the `__consumer_offsets` partitions, by partition id.
#[derive(Debug, Clone)]
pub(crate) struct CoordinatorMap {
    pub fetched_at: Instant,
    pub leaders: Vec<Option<i32>>,
}

/// How one call routes its group requests. Not shared between threads.
pub(crate) struct Router<'a> {
    admin: &'a AdminClient,
    state: RefCell<State>,
}

struct State {
    map: Option<CoordinatorMap>,
    /// A request failed in a way that may mean the coordinator moved.
    stale: bool,
    /// `__consumer_offsets` cannot be described: librdkafka routes.
    fallback: bool,
    last_attempt: Option<Instant>,
}

impl<'a> Router<'a> {
    pub fn new(admin: &'a AdminClient) -> Router<'a> {
        let map = admin
            .cached_coordinators()
            .filter(|m| m.fetched_at.elapsed() < MAP_MAX_AGE);
        // Like the map, "cannot be described" is reused for a while (within one call
        // it holds for the whole call anyway): without it every batch call, e.g.
        // every chunk of an offsets reset, would first pay a failing DescribeTopics.
        let fallback = map.is_none()
            && admin
                .routing_fallback_at()
                .is_some_and(|t| t.elapsed() < MAP_MAX_AGE);
        Router {
            admin,
            state: RefCell::new(State {
                map,
                stale: false,
                fallback,
                last_attempt: None,
            }),
        }
    }

    /// The broker to send `group`'s request to: `Some(id)`, or `None` to
    /// let librdkafka find the coordinator. An error (retriable) when the
    /// coordinator is unknown for now: nothing is sent then.
    pub fn route(&self, group: &str, deadline: Instant) -> Result<Option<i32>, KafkaError> {
        let mut st = self.state.borrow_mut();
        if st.fallback {
            return Ok(None);
        }
        let due = st
            .last_attempt
            .is_none_or(|t| t.elapsed() >= MIN_REFRESH_INTERVAL);
        if (st.map.is_none() || st.stale) && due {
            st.last_attempt = Some(Instant::now());
            let left = deadline.saturating_duration_since(Instant::now());
            match self.fetch(left) {
                Ok(map) => {
                    self.admin.cache_coordinators(map.clone());
                    st.map = Some(map);
                    st.stale = false;
                }
                Err(e) if e.is_retriable() || matches!(e, KafkaError::Timeout { .. }) => {
                    if st.map.is_none() {
                        return Err(KafkaError::Retriable {
                            code: e.code().unwrap_or(ErrorCode::COORDINATOR_NOT_AVAILABLE),
                            message: format!("cannot tell the coordinator of group '{group}': {e}"),
                        });
                    }
                    // Keep using the last map; the request says if it is wrong.
                }
                Err(e) => {
                    log::debug!("group requests routed by librdkafka: {e}");
                    self.admin.note_routing_fallback();
                    st.fallback = true;
                    return Ok(None);
                }
            }
        }
        let Some(map) = &st.map else {
            // A refresh is not due yet and there was never a map.
            return Err(KafkaError::Retriable {
                code: ErrorCode::COORDINATOR_NOT_AVAILABLE,
                message: format!("coordinator of group '{group}' not known yet"),
            });
        };
        let p = partition_for(group, map.leaders.len());
        match map.leaders[p] {
            Some(id) => Ok(Some(id)),
            None => {
                st.stale = true;
                Err(KafkaError::Retriable {
                    code: ErrorCode::COORDINATOR_NOT_AVAILABLE,
                    message: format!(
                        "{OFFSETS_TOPIC}[{p}], which holds group '{group}', has no leader"
                    ),
                })
            }
        }
    }

    /// A request failed: if it could be because the coordinator moved or
    /// is unreachable, look the coordinators up again before the next route.
    pub fn observe(&self, error: &KafkaError) {
        if error.is_retriable() || matches!(error, KafkaError::Timeout { .. }) {
            self.state.borrow_mut().stale = true;
            self.admin.forget_coordinators();
        }
    }

    fn fetch(&self, timeout: Duration) -> Result<CoordinatorMap, KafkaError> {
        let topic = self
            .admin
            .describe_topics(&[OFFSETS_TOPIC.to_string()], timeout)?
            .pop()
            .ok_or_else(|| super::admin::missing("DescribeTopics", OFFSETS_TOPIC))?;
        let contiguous = !topic.partitions.is_empty()
            && topic
                .partitions
                .iter()
                .enumerate()
                .all(|(i, p)| p.partition == i as i32);
        if !contiguous {
            return Err(KafkaError::Other {
                code: ErrorCode::LOCAL_FAIL,
                message: format!("{OFFSETS_TOPIC} has gaps in its partition ids"),
            });
        }
        Ok(CoordinatorMap {
            fetched_at: Instant::now(),
            leaders: topic.partitions.iter().map(|p| p.leader).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_hash_matches_string_hash_code() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        assert_eq!(java_string_hash("Aa"), java_string_hash("BB"));
        // Non-BMP characters hash as two UTF-16 units.
        assert_eq!(java_string_hash("\u{1F600}"), 0xD83D * 31 + 0xDE00);
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn partition_like_kafka() {
        // Utils.abs(Integer.MIN_VALUE) == 0.
        assert_eq!(partition_for("polygenelubricants", 50), 0);
        // "hello": 99162322 % 50 = 22; negative hashes use the absolute value.
        assert_eq!(partition_for("hello", 50), 22);
        let h = java_string_hash("consumer-group-with-a-long-name");
        assert!(h < 0, "{h}");
        assert_eq!(
            partition_for("consumer-group-with-a-long-name", 10),
            (h.unsigned_abs() % 10) as usize
        );
    }
}
