//! The admin facade: safe, blocking calls with deadlines, returning owned data.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::batch::{self, BatchOptions, RESULT_GRACE};
use super::coordinator::{CoordinatorMap, Router};
use super::error::{ErrorCode, KafkaError, RawError};
use super::ffi::{self, Event, Queue, Submit};
use super::retry::{retry, RetryPolicy};
use super::settings::ClientSettings;
use super::types::*;

/// librdkafka's RD_KAFKA_OFFSET_INVALID.
const OFFSET_INVALID: i64 = -1001;

/// A connection to one cluster for admin calls. Cheap to share between
/// threads (`&AdminClient` is `Send + Sync`); every call blocks the calling
/// thread until its result arrives or its timeout passes.
const DESCRIBE_GROUPS: &str = "DescribeConsumerGroups";

pub struct AdminClient {
    pub(super) client: ffi::Client,
    settings: ClientSettings,
    /// The last `__consumer_offsets` leaders seen (see `coordinator.rs`).
    coordinators: Mutex<Option<CoordinatorMap>>,
    /// When `__consumer_offsets` last could not be described (librdkafka
    /// routes group requests then; see `coordinator.rs`).
    routing_fallback: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminClient")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl AdminClient {
    /// Creates the client. Fails with [`KafkaError::Config`] when librdkafka
    /// rejects a property. Does not connect yet: an unreachable cluster shows
    /// up as errors of the calls.
    pub fn new(settings: ClientSettings) -> Result<AdminClient, KafkaError> {
        match ffi::Client::new(&settings.librdkafka_config()) {
            Ok(client) => Ok(AdminClient {
                client,
                settings,
                coordinators: Mutex::new(None),
                routing_fallback: Mutex::new(None),
            }),
            Err(f) => Err(KafkaError::Config {
                property: f.property,
                message: settings.redact(&f.message),
            }),
        }
    }

    pub fn settings(&self) -> &ClientSettings {
        &self.settings
    }

    /// The per-call timeout from the settings (10 s unless set).
    pub fn default_timeout(&self) -> Duration {
        self.settings.default_timeout()
    }

    /// Names of all topics (internal ones such as `__consumer_offsets`
    /// included), sorted.
    pub fn list_topics(&self, timeout: Duration) -> Result<Vec<String>, KafkaError> {
        let md = self
            .client
            .metadata(true, timeout)
            .map_err(|e| self.error("Metadata", e, None))?;
        let mut names: Vec<String> = md
            .topics
            .into_iter()
            .filter(|t| t.error == 0)
            .map(|t| t.name)
            .collect();
        names.sort();
        Ok(names)
    }

    /// Cluster id, controller and brokers (with racks).
    pub fn describe_cluster(&self, timeout: Duration) -> Result<ClusterDescription, KafkaError> {
        let deadline = Instant::now() + timeout;
        let broker = self.admin_broker("DescribeCluster", deadline)?;
        self.once(
            "DescribeCluster",
            deadline,
            broker,
            |q, s| q.describe_cluster(s),
            |ev| {
                ev.parse_describe_cluster()
                    .map_err(|e| self.error("DescribeCluster", e, None))
            },
        )
    }

    /// Partition placement of the given topics, in the order asked. Fails
    /// with [`KafkaError::UnknownTopicOrPartition`] if any topic is unknown.
    pub fn describe_topics(
        &self,
        topics: &[String],
        timeout: Duration,
    ) -> Result<Vec<TopicDescription>, KafkaError> {
        const CALL: &str = "DescribeTopics";
        self.per_topic_via_admin_broker(
            CALL,
            topics,
            timeout,
            |q, t, s| q.describe_topics(t, s),
            |ev| ev.parse_describe_topics(),
        )?
        .into_iter()
        .map(|(name, found)| match found? {
            Ok(d) => Ok(d),
            Err(e) => Err(match self.error(CALL, e, None) {
                KafkaError::UnknownTopicOrPartition { message, .. } => {
                    KafkaError::UnknownTopicOrPartition {
                        topic: Some(name),
                        partition: None,
                        message,
                    }
                }
                other => other,
            }),
        })
        .collect()
    }

    /// Offsets for many partitions in one call (librdkafka sends one
    /// request per partition leader). Answers come back in query order, each
    /// with its own result: an unknown topic or partition is
    /// [`KafkaError::UnknownTopicOrPartition`], a partition without leader
    /// a retriable `LEADER_NOT_AVAILABLE`. Duplicate (topic, partition)
    /// pairs are an [`KafkaError::InvalidArgument`].
    pub fn list_offsets(
        &self,
        queries: &[OffsetQuery],
        timeout: Duration,
    ) -> Result<Vec<ListedOffset>, KafkaError> {
        const CALL: &str = "ListOffsets";
        if queries.is_empty() {
            return Ok(Vec::new());
        }
        let mut seen = HashSet::new();
        if let Some(q) = queries
            .iter()
            .find(|q| !seen.insert((q.topic.as_str(), q.partition)))
        {
            return Err(KafkaError::InvalidArgument {
                message: format!(
                    "{}[{}] asked twice in one ListOffsets call",
                    q.topic, q.partition
                ),
            });
        }
        let raw: Vec<(String, i32, i64)> = queries
            .iter()
            .map(|q| (q.topic.clone(), q.partition, q.spec.to_raw()))
            .collect();
        let deadline = Instant::now() + timeout;
        let answers = match self.once(
            CALL,
            deadline,
            None,
            |q, s| q.list_offsets(&raw, s),
            |ev| {
                ev.parse_list_offsets()
                    .map_err(|e| self.error(CALL, e, None))
            },
        ) {
            Ok(answers) => answers,
            // librdkafka fails the whole call with _NOENT ("No leaders
            // found") when not one of the partitions has a known leader,
            // and drops the per-partition reasons: find them again.
            Err(KafkaError::Other { code, message }) if code == ErrorCode::LOCAL_NOENT => {
                return self.no_leader_answers(queries, deadline, message);
            }
            Err(e) => return Err(e),
        };
        let mut by_tp: BTreeMap<(String, i32), ffi::RawListedOffset> = answers
            .into_iter()
            .map(|a| ((a.topic.clone(), a.partition), a))
            .collect();
        Ok(queries
            .iter()
            .map(|q| {
                let result = match by_tp.remove(&(q.topic.clone(), q.partition)) {
                    None => Err(KafkaError::Other {
                        code: ErrorCode::LOCAL_FAIL,
                        message: format!("no ListOffsets result for {}[{}]", q.topic, q.partition),
                    }),
                    // librdkafka pre-fills every partition with
                    // OFFSET_INVALID and no error, and leaves it so when the
                    // request to that partition's leader fails (transport
                    // error, timeout): that is no answer, not "no offset".
                    Some(a) if a.error == 0 && a.offset == OFFSET_INVALID => Err(KafkaError::Retriable {
                        code: ErrorCode::LOCAL_FAIL,
                        message: format!(
                            "{}[{}]: no answer from the partition leader (its ListOffsets request failed)",
                            q.topic, q.partition
                        ),
                    }),
                    Some(a) if a.error != 0 => Err(KafkaError::for_partition(
                        CALL,
                        ErrorCode(a.error),
                        &q.topic,
                        q.partition,
                        None,
                    )),
                    Some(a) => Ok(OffsetAndTimestamp {
                        offset: (a.offset >= 0).then_some(a.offset),
                        timestamp: (a.timestamp >= 0).then_some(a.timestamp),
                        leader_epoch: (a.leader_epoch >= 0).then_some(a.leader_epoch),
                    }),
                };
                ListedOffset {
                    topic: q.topic.clone(),
                    partition: q.partition,
                    spec: q.spec,
                    result,
                }
            })
            .collect())
    }

    /// Per-query answers of a ListOffsets call that librdkafka failed as a
    /// whole because no partition had a leader: an unknown topic or
    /// partition is [`KafkaError::UnknownTopicOrPartition`], a partition
    /// without leader (all its replicas down, or an election under way) is
    /// [`KafkaError::Retriable`] `LEADER_NOT_AVAILABLE`, so that
    /// [`Self::list_offsets_with_retry`] tries it again.
    fn no_leader_answers(
        &self,
        queries: &[OffsetQuery],
        deadline: Instant,
        message: String,
    ) -> Result<Vec<ListedOffset>, KafkaError> {
        const CALL: &str = "DescribeTopics";
        let topics = dedup(&queries.iter().map(|q| q.topic.clone()).collect::<Vec<_>>());
        let described = self.admin_broker(CALL, deadline).and_then(|broker| {
            self.once(
                CALL,
                deadline,
                broker,
                |q, s| q.describe_topics(&topics, s),
                |ev| {
                    ev.parse_describe_topics()
                        .map_err(|e| self.error(CALL, e, None))
                },
            )
        });
        let described = match described {
            Ok(d) => d,
            // Cannot tell why: report the original failure, as retriable
            // (the describe failed too, most likely for a transient reason).
            Err(_) => {
                return Err(KafkaError::Retriable {
                    code: ErrorCode::LOCAL_NOENT,
                    message,
                })
            }
        };
        Ok(queries
            .iter()
            .map(|q| {
                let (topic, partition) = (q.topic.as_str(), q.partition);
                let unknown = |message: String| KafkaError::UnknownTopicOrPartition {
                    topic: Some(topic.to_string()),
                    partition: Some(partition),
                    message,
                };
                let result = match described.iter().find(|(n, _)| n == topic) {
                    None => Err(missing(CALL, topic)),
                    Some((_, Err(e))) => Err(match self.error(CALL, e.clone(), None) {
                        KafkaError::UnknownTopicOrPartition { message, .. } => unknown(message),
                        other => other,
                    }),
                    Some((_, Ok(d))) => match d.partitions.iter().find(|p| p.partition == partition) {
                        None => Err(unknown(format!(
                            "{topic}[{partition}]: the topic has {} partitions",
                            d.partitions.len()
                        ))),
                        Some(p) if p.leader.is_none() => Err(KafkaError::Retriable {
                            code: ErrorCode::LEADER_NOT_AVAILABLE,
                            message: format!(
                                "{topic}[{partition}]: no leader (replicas {:?}, ISR {:?})",
                                p.replicas, p.isr
                            ),
                        }),
                        Some(p) => Err(KafkaError::Retriable {
                            code: ErrorCode::LEADER_NOT_AVAILABLE,
                            message: format!(
                                "{topic}[{partition}]: no leader known when asked, now broker {:?} leads",
                                p.leader
                            ),
                        }),
                    },
                };
                ListedOffset {
                    topic: q.topic.clone(),
                    partition: q.partition,
                    spec: q.spec,
                    result,
                }
            })
            .collect())
    }

    /// [`Self::list_offsets`] that also retries: the whole call while it
    /// fails with a retriable error, then (with backoff) only the partitions
    /// whose answer is retriable (leader moved or not available...), until
    /// `policy` or `timeout` runs out. Partitions still failing keep their
    /// last error.
    pub fn list_offsets_with_retry(
        &self,
        queries: &[OffsetQuery],
        policy: &RetryPolicy,
        timeout: Duration,
    ) -> Result<Vec<ListedOffset>, KafkaError> {
        let deadline = Instant::now() + timeout;
        let mut answers = retry(policy, timeout, |left| self.list_offsets(queries, left))?;
        let mut failures = 0;
        loop {
            let pending: Vec<usize> = (0..answers.len())
                .filter(|&i| matches!(&answers[i].result, Err(e) if e.is_retriable()))
                .collect();
            if pending.is_empty() {
                return Ok(answers);
            }
            failures += 1;
            let now = Instant::now();
            let Some(at) = policy.next_attempt_at(failures, now, deadline) else {
                return Ok(answers);
            };
            std::thread::sleep(at - now);
            let again: Vec<OffsetQuery> = pending.iter().map(|&i| queries[i].clone()).collect();
            match self.list_offsets(&again, deadline.saturating_duration_since(Instant::now())) {
                Ok(fresh) => {
                    for (i, answer) in pending.into_iter().zip(fresh) {
                        answers[i] = answer;
                    }
                }
                Err(e) if e.is_retriable() => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// [`Self::list_offsets`] with one spec for all partitions.
    pub fn list_offsets_for(
        &self,
        partitions: &[TopicPartition],
        spec: OffsetSpec,
        timeout: Duration,
    ) -> Result<Vec<ListedOffset>, KafkaError> {
        let queries: Vec<OffsetQuery> = partitions
            .iter()
            .map(|tp| OffsetQuery::new(tp, spec))
            .collect();
        self.list_offsets(&queries, timeout)
    }

    /// All consumer groups of the cluster (asks every broker). Fails if any
    /// broker could not answer, so the list is never silently partial.
    pub fn list_consumer_groups(
        &self,
        timeout: Duration,
    ) -> Result<Vec<ConsumerGroupListing>, KafkaError> {
        const CALL: &str = "ListConsumerGroups";
        let deadline = Instant::now() + timeout;
        let (mut groups, errors) = self.once(
            CALL,
            deadline,
            None,
            |q, s| q.list_consumer_groups(s),
            |ev| {
                ev.parse_list_consumer_groups()
                    .map_err(|e| self.error(CALL, e, None))
            },
        )?;
        let mut errors: Vec<KafkaError> = errors
            .into_iter()
            .map(|e| self.error(CALL, e, None))
            .collect();
        if let Some(i) = errors
            .iter()
            .position(|e| matches!(e, KafkaError::Unsupported { .. }))
        {
            return Err(errors.swap_remove(i));
        }
        if let Some(e) = errors.into_iter().next() {
            return Err(e);
        }
        groups.sort_by(|a, b| a.group_id.cmp(&b.group_id));
        Ok(groups)
    }

    /// State, coordinator and members of the given groups, in the order
    /// asked. Fails on the first group that could not be described. Each
    /// group is asked of its coordinator directly (see `coordinator.rs`).
    pub fn describe_consumer_groups(
        &self,
        groups: &[String],
        timeout: Duration,
    ) -> Result<Vec<ConsumerGroupDescription>, KafkaError> {
        let groups = dedup(groups);
        let opts = BatchOptions::new(timeout)
            .attempt_timeout(timeout)
            .retry(RetryPolicy::none());
        let mut results = self.describe_consumer_groups_batch(&groups, &opts);
        groups
            .iter()
            .map(|g| {
                results
                    .remove(g)
                    .unwrap_or_else(|| Err(missing(DESCRIBE_GROUPS, g)))
            })
            .collect()
    }

    /// [`Self::describe_consumer_groups`] for many groups at once, with a
    /// result per group (retriable failures re-sent for that group only).
    pub fn describe_consumer_groups_batch(
        &self,
        groups: &[String],
        opts: &BatchOptions,
    ) -> BTreeMap<String, Result<ConsumerGroupDescription, KafkaError>> {
        const CALL: &str = DESCRIBE_GROUPS;
        if groups.is_empty() {
            return BTreeMap::new();
        }
        let router = Router::new(self);
        let items: Vec<(String, ())> = dedup(groups).into_iter().map(|g| (g, ())).collect();
        batch::run(
            &self.client,
            CALL,
            items,
            opts,
            self.settings.stale_coordinator_wait(),
            |q: &Queue<'_>, group: &str, _: &(), s: &Submit| {
                let broker_id = router.route(group, Instant::now() + s.timeout)?;
                q.describe_consumer_groups(&[group.to_string()], &Submit { broker_id, ..*s })
                    .map_err(|e| self.error(CALL, e, None))
            },
            |ev: &Event<'_>, group: &str, _: &()| {
                let outcome = ev
                    .parse_describe_consumer_groups()
                    .map_err(|e| self.error(CALL, e, None))
                    .and_then(|mut described| {
                        let pos = described
                            .iter()
                            .position(|(n, _)| n == group)
                            .ok_or_else(|| missing(CALL, group))?;
                        described
                            .swap_remove(pos)
                            .1
                            .map_err(|e| self.error(CALL, e, None))
                    });
                if let Err(e) = &outcome {
                    router.observe(e);
                }
                outcome
            },
        )
    }

    /// Configs of the given topics (e.g. `min.insync.replicas`), in order.
    pub fn describe_topic_configs(
        &self,
        topics: &[String],
        timeout: Duration,
    ) -> Result<Vec<TopicConfig>, KafkaError> {
        const CALL: &str = "DescribeConfigs";
        self.per_topic_via_admin_broker(
            CALL,
            topics,
            timeout,
            |q, t, s| q.describe_topic_configs(t, s),
            |ev| ev.parse_describe_configs(),
        )?
        .into_iter()
        .map(|(t, found)| match found? {
            Ok(entries) => Ok(TopicConfig { topic: t, entries }),
            Err(e) => Err(self.error(CALL, e, None)),
        })
        .collect()
    }

    // ---- plumbing -------------------------------------------------------

    /// One request about `topics` (duplicates asked once) to the broker that answers
    /// controller-bound calls; each topic with its own answer, in the order asked.
    fn per_topic_via_admin_broker<R>(
        &self,
        call: &'static str,
        topics: &[String],
        timeout: Duration,
        submit: impl FnOnce(&Queue<'_>, &[String], &Submit) -> Result<(), RawError>,
        parse: impl FnOnce(&Event<'_>) -> Result<Vec<(String, R)>, RawError>,
    ) -> Result<Vec<PerTopic<R>>, KafkaError> {
        if topics.is_empty() {
            return Ok(Vec::new());
        }
        let topics = dedup(topics);
        let deadline = Instant::now() + timeout;
        let broker = self.admin_broker(call, deadline)?;
        let results = self.once(
            call,
            deadline,
            broker,
            |q, s| submit(q, &topics, s),
            |ev| parse(ev).map_err(|e| self.error(call, e, None)),
        )?;
        Ok(in_asked_order(call, &topics, results)
            .map(|(name, found)| (name.clone(), found))
            .collect())
    }

    pub(super) fn cached_coordinators(&self) -> Option<CoordinatorMap> {
        self.coordinators
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(super) fn forget_coordinators(&self) {
        *self.coordinators.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub(super) fn cache_coordinators(&self, map: CoordinatorMap) {
        *self.coordinators.lock().unwrap_or_else(|e| e.into_inner()) = Some(map);
    }

    /// When `__consumer_offsets` last could not be described, if ever.
    pub(super) fn routing_fallback_at(&self) -> Option<Instant> {
        *self
            .routing_fallback
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn note_routing_fallback(&self) {
        *self
            .routing_fallback
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    }

    /// librdkafka error -> [`KafkaError`], secrets masked.
    pub(super) fn error(&self, call: &'static str, e: RawError, group: Option<&str>) -> KafkaError {
        let e = RawError::new(e.code, self.settings.redact(&e.message));
        KafkaError::from_raw(call, e, group)
    }

    /// Where to send calls librdkafka routes to "the controller". Those are
    /// Metadata / DescribeConfigs requests that any broker answers, so the
    /// broker that just answered a metadata request is used: librdkafka's
    /// mock cluster reports controller id 0, which is no broker (requests
    /// would wait for it until they time out), and during a failover the
    /// reported controller may be a broker that is gone. `None` (the broker
    /// that answered cannot be identified, e.g. a bootstrap address behind a
    /// load balancer) leaves librdkafka's routing to the controller.
    fn admin_broker(
        &self,
        call: &'static str,
        deadline: Instant,
    ) -> Result<Option<i32>, KafkaError> {
        if let Some(id) = self.settings.configured_admin_broker_id() {
            return Ok(Some(id));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let md = self
            .client
            .metadata(false, left)
            .map_err(|e| self.error(call, e, None))?;
        if md.brokers.iter().any(|b| b.id == md.orig_broker_id) {
            return Ok(Some(md.orig_broker_id));
        }
        // A bootstrap connection has no id yet: "host:port/bootstrap".
        let host_port = md.orig_broker_name.split('/').next().unwrap_or_default();
        Ok(md
            .brokers
            .iter()
            .find(|b| format!("{}:{}", b.host, b.port) == host_port)
            .map(|b| b.id))
    }

    /// Submits one request and waits for its result until `deadline`
    /// (librdkafka's request timeout) plus a short grace.
    fn once<T>(
        &self,
        call: &'static str,
        deadline: Instant,
        broker_id: Option<i32>,
        submit: impl FnOnce(&Queue<'_>, &Submit) -> Result<(), RawError>,
        parse: impl FnOnce(&Event<'_>) -> Result<T, KafkaError>,
    ) -> Result<T, KafkaError> {
        let start = Instant::now();
        let left = deadline.saturating_duration_since(start);
        if left.is_zero() {
            return Err(KafkaError::Timeout { call, after_ms: 0 });
        }
        let queue = self.client.queue();
        let req = Submit {
            timeout: left,
            broker_id,
            opaque: 1,
        };
        submit(&queue, &req).map_err(|e| self.error(call, e, None))?;
        let give_up_at = deadline + RESULT_GRACE;
        loop {
            let wait = give_up_at.saturating_duration_since(Instant::now());
            if wait.is_zero() {
                return Err(KafkaError::Timeout {
                    call,
                    after_ms: start.elapsed().as_millis() as u64,
                });
            }
            if let Some(ev) = queue.poll(wait) {
                if ev.opaque() == 1 {
                    return parse(&ev);
                }
            }
        }
    }
}

/// A topic and what the broker answered for it.
type PerTopic<R> = (String, Result<R, KafkaError>);

/// Each asked name with its own result, in the order asked; a name librdkafka did not
/// answer for is an error of its own.
fn in_asked_order<'n, T>(
    call: &'static str,
    names: &'n [String],
    mut results: Vec<(String, T)>,
) -> impl Iterator<Item = (&'n String, Result<T, KafkaError>)> {
    names.iter().map(move |name| {
        let found = results
            .iter()
            .position(|(n, _)| n == name)
            .map(|pos| results.swap_remove(pos).1);
        (name, found.ok_or_else(|| missing(call, name)))
    })
}

pub(super) fn missing(call: &'static str, what: &str) -> KafkaError {
    KafkaError::Other {
        code: ErrorCode::LOCAL_FAIL,
        message: format!("{call}: no result for {what}"),
    }
}

fn dedup(items: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .iter()
        .filter(|i| seen.insert(i.as_str()))
        .cloned()
        .collect()
}
