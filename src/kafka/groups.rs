//! Committed offsets of consumer groups: one librdkafka request per group
//! (it takes one group per request), many groups on one queue.

use std::collections::BTreeMap;
use std::time::Duration;

use std::time::Instant;

use super::admin::{missing, AdminClient};
use super::batch::{self, BatchOptions};
use super::coordinator::Router;
use super::error::{ErrorCode, KafkaError, RawError};
use super::ffi::{Event, Queue, RawGroupResult, Submit};
use super::retry::RetryPolicy;
use super::types::*;

const LIST_GROUP_OFFSETS: &str = "ListConsumerGroupOffsets";
const ALTER_GROUP_OFFSETS: &str = "AlterConsumerGroupOffsets";
const DELETE_GROUP_OFFSETS: &str = "DeleteConsumerGroupOffsets";

impl AdminClient {
    /// Committed offsets of one group. See [`Self::list_group_offsets_batch`].
    pub fn list_group_offsets(
        &self,
        query: &GroupOffsetsQuery,
        timeout: Duration,
    ) -> Result<GroupOffsets, KafkaError> {
        let opts = BatchOptions::new(timeout)
            .attempt_timeout(timeout)
            .retry(RetryPolicy::none());
        self.list_group_offsets_batch(std::slice::from_ref(query), &opts)
            .remove(&query.group)
            .unwrap_or_else(|| Err(missing(LIST_GROUP_OFFSETS, &query.group)))
    }

    /// Committed offsets of many groups: one request per group (librdkafka
    /// takes one group per request), all on one queue, retriable failures
    /// (coordinator moved / loading...) re-sent for that group only.
    /// A group listed twice gets [`KafkaError::InvalidArgument`].
    ///
    /// [`GroupOffsetsQuery::all`] (every committed partition) needs a real
    /// broker: librdkafka's mock cluster answers it with an empty list.
    pub fn list_group_offsets_batch(
        &self,
        queries: &[GroupOffsetsQuery],
        opts: &BatchOptions,
    ) -> BTreeMap<String, Result<GroupOffsets, KafkaError>> {
        let (items, dups) = split_duplicates(
            queries
                .iter()
                .map(|q| (q.group.clone(), q.partitions.clone())),
        );
        self.group_offsets_batch(
            LIST_GROUP_OFFSETS,
            items,
            dups,
            opts,
            false,
            |q, group, parts: &Option<Vec<TopicPartition>>, s| {
                q.list_group_offsets(group, parts.as_deref(), s)
            },
        )
    }

    /// Sets committed offsets of one group. See [`Self::alter_group_offsets_batch`].
    pub fn alter_group_offsets(
        &self,
        update: &GroupOffsetsUpdate,
        timeout: Duration,
    ) -> Result<GroupOffsets, KafkaError> {
        let opts = BatchOptions::new(timeout)
            .attempt_timeout(timeout)
            .retry(RetryPolicy::none());
        self.alter_group_offsets_batch(std::slice::from_ref(update), &opts)
            .remove(&update.group)
            .unwrap_or_else(|| Err(missing(ALTER_GROUP_OFFSETS, &update.group)))
    }

    /// Sets committed offsets of many groups at once (one request per group
    /// on one queue, retriable failures re-sent for that group only).
    /// A group with active members fails with [`KafkaError::GroupNotEmpty`];
    /// other per-partition failures are in [`CommittedOffset::error`].
    pub fn alter_group_offsets_batch(
        &self,
        updates: &[GroupOffsetsUpdate],
        opts: &BatchOptions,
    ) -> BTreeMap<String, Result<GroupOffsets, KafkaError>> {
        let (items, dups) = split_duplicates(updates.iter().map(|u| {
            let raw: Vec<(String, i32, i64)> = u
                .offsets
                .iter()
                .map(|o| (o.topic.clone(), o.partition, o.offset))
                .collect();
            (u.group.clone(), raw)
        }));
        self.group_offsets_batch(
            ALTER_GROUP_OFFSETS,
            items,
            dups,
            opts,
            true,
            |q, group, offsets: &Vec<(String, i32, i64)>, s| {
                q.alter_group_offsets(group, offsets, s)
            },
        )
    }

    /// Deletes committed offsets of the given partitions, many groups at
    /// once (OffsetDelete; how a rollback restores "no committed offset").
    /// Kafka refuses it for a partition a live member is subscribed to
    /// ([`KafkaError::GroupNotEmpty`]).
    pub fn delete_group_offsets_batch(
        &self,
        deletes: &[(String, Vec<TopicPartition>)],
        opts: &BatchOptions,
    ) -> BTreeMap<String, Result<GroupOffsets, KafkaError>> {
        // librdkafka aborts the process when a broker lacks OffsetDelete
        // (librdkafka#3663, open); its own mock cluster is such a broker. Refuse
        // there instead of asking.
        if self.describe_cluster(opts.attempt_timeout).is_ok_and(|d| {
            d.cluster_id
                .as_deref()
                .is_some_and(|id| id.starts_with("mockCluster"))
        }) {
            return deletes
                .iter()
                .map(|(g, _)| {
                    (
                        g.clone(),
                        Err(KafkaError::Unsupported {
                            call: DELETE_GROUP_OFFSETS,
                            message: "librdkafka's mock cluster has no OffsetDelete (librdkafka aborts when asked: librdkafka#3663)".into(),
                        }),
                    )
                })
                .collect();
        }
        let (items, dups) = split_duplicates(deletes.iter().cloned());
        self.group_offsets_batch(
            DELETE_GROUP_OFFSETS,
            items,
            dups,
            opts,
            true,
            |q, group, parts: &Vec<TopicPartition>, s| q.delete_group_offsets(group, parts, s),
        )
    }

    /// List/Alter/DeleteConsumerGroupOffsets for many groups: each request
    /// routed to the group's coordinator, outcomes observed by the router.
    /// `altering`: errors name the group and "member" errors mean not empty.
    fn group_offsets_batch<R>(
        &self,
        call: &'static str,
        items: Vec<(String, R)>,
        mut done: BTreeMap<String, Result<GroupOffsets, KafkaError>>,
        opts: &BatchOptions,
        altering: bool,
        send: impl Fn(&Queue<'_>, &str, &R, &Submit) -> Result<(), RawError>,
    ) -> BTreeMap<String, Result<GroupOffsets, KafkaError>> {
        let router = Router::new(self);
        let results = batch::run(
            &self.client,
            call,
            items,
            opts,
            self.settings().stale_coordinator_wait(),
            |q: &Queue<'_>, group: &str, req: &R, s: &Submit| {
                let broker_id = router.route(group, Instant::now() + s.timeout)?;
                send(q, group, req, &Submit { broker_id, ..*s })
                    .map_err(|e| self.error(call, e, altering.then_some(group)))
            },
            |ev: &Event<'_>, group: &str, _| {
                let outcome = self.group_outcome(call, ev, group, altering);
                if let Err(e) = &outcome {
                    router.observe(e);
                }
                outcome
            },
        );
        done.extend(results);
        done
    }

    /// One group's ListConsumerGroupOffsets / AlterConsumerGroupOffsets
    /// result -> outcome. Retriable partition errors fail the whole group
    /// (so it is re-sent); when altering, "member" errors mean the group
    /// is not empty.
    fn group_outcome(
        &self,
        call: &'static str,
        ev: &Event<'_>,
        group: &str,
        altering: bool,
    ) -> Result<GroupOffsets, KafkaError> {
        let ctx = altering.then_some(group);
        let results = ev
            .parse_group_offsets()
            .map_err(|e| self.error(call, e, ctx))?;
        let RawGroupResult {
            error, partitions, ..
        } = results
            .into_iter()
            .find(|r| r.group == group)
            .ok_or_else(|| missing(call, group))?;
        if let Some(e) = error {
            return Err(self.error(call, e, ctx));
        }
        let mut offsets = Vec::with_capacity(partitions.len());
        for p in partitions {
            let error = (p.error != 0).then(|| {
                KafkaError::for_partition(call, ErrorCode(p.error), &p.topic, p.partition, ctx)
            });
            if let Some(e @ (KafkaError::Retriable { .. } | KafkaError::GroupNotEmpty { .. })) =
                &error
            {
                return Err(e.clone());
            }
            offsets.push(CommittedOffset {
                offset: (p.offset >= 0).then_some(p.offset),
                leader_epoch: (p.leader_epoch >= 0).then_some(p.leader_epoch),
                topic: p.topic,
                partition: p.partition,
                metadata: p.metadata,
                error,
            });
        }
        offsets.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        Ok(GroupOffsets {
            group: group.to_string(),
            offsets,
        })
    }
}

/// Splits out keys given more than once: they get an error and are not sent.
#[allow(clippy::type_complexity)]
fn split_duplicates<R, T>(
    items: impl Iterator<Item = (String, R)>,
) -> (Vec<(String, R)>, BTreeMap<String, Result<T, KafkaError>>) {
    let items: Vec<(String, R)> = items.collect();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for (k, _) in &items {
        *count.entry(k.clone()).or_default() += 1;
    }
    let mut dups = BTreeMap::new();
    let mut keep = Vec::new();
    for (k, r) in items {
        if count[&k] > 1 {
            dups.insert(
                k.clone(),
                Err(KafkaError::InvalidArgument {
                    message: format!("group '{k}' given more than once"),
                }),
            );
        } else {
            keep.push((k, r));
        }
    }
    (keep, dups)
}
