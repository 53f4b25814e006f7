//! Submitting the admin requests and copying their results out of events.

use std::collections::BTreeMap;
use std::ffi::{c_char, CString};
use std::ptr;
use std::time::Duration;

use rdkafka_sys as rd;
use rdkafka_sys::rd_kafka_admin_op_t as Op;

use super::{
    c_array, cstring, error_of, int_abi, opt_string, read_err, string, AdminOptions, Event,
    PartitionList, Queue, ERR_INVALID_ARG,
};
use crate::kafka::error::RawError;
use crate::kafka::types::{
    BrokerNode, ClusterDescription, ConfigValue, ConsumerGroupDescription, ConsumerGroupListing,
    GroupMember, GroupState, GroupType, PartitionDescription, TopicDescription, TopicPartition,
};

/// How to send one request: librdkafka's request timeout, an explicit
/// target broker (else librdkafka's default routing), and a tag that comes
/// back on the result event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Submit {
    pub timeout: Duration,
    pub broker_id: Option<i32>,
    pub opaque: usize,
}

/// A result per named item (topic, group, config resource).
pub(crate) type RawTopicResult = (String, Result<TopicDescription, RawError>);

#[derive(Debug, Clone)]
pub(crate) struct RawListedOffset {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub timestamp: i64,
    pub leader_epoch: i32,
    pub error: i32,
}

#[derive(Debug, Clone)]
pub(crate) struct RawPartitionOffset {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub leader_epoch: i32,
    pub metadata: String,
    pub error: i32,
}

#[derive(Debug, Clone)]
pub(crate) struct RawGroupResult {
    pub group: String,
    pub error: Option<RawError>,
    pub partitions: Vec<RawPartitionOffset>,
}

type Named<T> = (String, Result<T, RawError>);

/// Copies a partition list (results only).
///
/// # Safety
/// `l` is NULL or a live list.
unsafe fn read_partitions(
    l: *const rd::rd_kafka_topic_partition_list_t,
) -> Vec<RawPartitionOffset> {
    if l.is_null() || (*l).cnt <= 0 {
        return Vec::new();
    }
    std::slice::from_raw_parts((*l).elems, (*l).cnt as usize)
        .iter()
        .map(|e| {
            let metadata = if e.metadata.is_null() || e.metadata_size == 0 {
                String::new()
            } else {
                let b = std::slice::from_raw_parts(e.metadata as *const u8, e.metadata_size);
                String::from_utf8_lossy(b).into_owned()
            };
            RawPartitionOffset {
                topic: string(e.topic),
                partition: e.partition,
                offset: e.offset,
                leader_epoch: rd::rd_kafka_topic_partition_get_leader_epoch(e),
                metadata,
                error: read_err(ptr::addr_of!(e.err)),
            }
        })
        .collect()
}

/// # Safety
/// `n` is NULL or a live node.
unsafe fn node(n: *const rd::rd_kafka_Node_t) -> Option<BrokerNode> {
    if n.is_null() {
        return None;
    }
    Some(BrokerNode {
        id: rd::rd_kafka_Node_id(n),
        host: string(rd::rd_kafka_Node_host(n)),
        port: rd::rd_kafka_Node_port(n),
        rack: opt_string(rd::rd_kafka_Node_rack(n)),
    })
}

/// # Safety
/// `p`/`cnt` as returned by a librdkafka accessor of a live result.
unsafe fn node_ids(p: *mut *const rd::rd_kafka_Node_t, cnt: usize) -> Vec<i32> {
    c_array(p as *const *const rd::rd_kafka_Node_t, cnt)
        .iter()
        .map(|n| rd::rd_kafka_Node_id(*n))
        .collect()
}

fn cstrings(items: &[String]) -> Result<Vec<CString>, RawError> {
    items.iter().map(|s| cstring(s)).collect()
}

impl Queue<'_> {
    fn options(&self, op: Op, req: &Submit) -> Result<AdminOptions, RawError> {
        AdminOptions::new(self.client, op, req)
    }

    pub fn describe_cluster(&self, req: &Submit) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER, req)?;
        // SAFETY: rk, options and queue are live.
        unsafe {
            rd::rd_kafka_DescribeCluster(self.client.rk.as_ptr(), o.0.as_ptr(), self.q.as_ptr())
        };
        Ok(())
    }

    pub fn describe_topics(&self, topics: &[String], req: &Submit) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_DESCRIBETOPICS, req)?;
        let names = cstrings(topics)?;
        let mut ptrs: Vec<*const c_char> = names.iter().map(|c| c.as_ptr()).collect();
        // SAFETY: ptrs point into `names`, alive for the calls; the
        // collection copies the names and DescribeTopics copies them again.
        unsafe {
            let coll = rd::rd_kafka_TopicCollection_of_topic_names(ptrs.as_mut_ptr(), ptrs.len());
            rd::rd_kafka_DescribeTopics(
                self.client.rk.as_ptr(),
                coll,
                o.0.as_ptr(),
                self.q.as_ptr(),
            );
            rd::rd_kafka_TopicCollection_destroy(coll);
        }
        Ok(())
    }

    /// `queries`: (topic, partition, offset spec as librdkafka encodes it).
    pub fn list_offsets(
        &self,
        queries: &[(String, i32, i64)],
        req: &Submit,
    ) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_LISTOFFSETS, req)?;
        let list = PartitionList::new(queries.iter().map(|(t, p, s)| (t.as_str(), *p, *s)))?;
        // SAFETY: all live; ListOffsets copies the list.
        unsafe {
            rd::rd_kafka_ListOffsets(
                self.client.rk.as_ptr(),
                list.0.as_ptr(),
                o.0.as_ptr(),
                self.q.as_ptr(),
            )
        };
        Ok(())
    }

    pub fn list_consumer_groups(&self, req: &Submit) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, req)?;
        // SAFETY: all live.
        unsafe {
            rd::rd_kafka_ListConsumerGroups(self.client.rk.as_ptr(), o.0.as_ptr(), self.q.as_ptr())
        };
        Ok(())
    }

    pub fn describe_consumer_groups(
        &self,
        groups: &[String],
        req: &Submit,
    ) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, req)?;
        let names = cstrings(groups)?;
        let mut ptrs: Vec<*const c_char> = names.iter().map(|c| c.as_ptr()).collect();
        // SAFETY: ptrs valid for the call; librdkafka copies the names.
        unsafe {
            rd::rd_kafka_DescribeConsumerGroups(
                self.client.rk.as_ptr(),
                ptrs.as_mut_ptr(),
                ptrs.len(),
                o.0.as_ptr(),
                self.q.as_ptr(),
            )
        };
        Ok(())
    }

    /// `partitions`: `None` lists every partition the group committed.
    pub fn list_group_offsets(
        &self,
        group: &str,
        partitions: Option<&[TopicPartition]>,
        req: &Submit,
    ) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, req)?;
        let g = cstring(group)?;
        let list = match partitions {
            Some(ps) => Some(PartitionList::new(
                ps.iter().map(|tp| (tp.topic.as_str(), tp.partition, 0)),
            )?),
            None => None,
        };
        let list_ptr = list.as_ref().map_or(ptr::null_mut(), |l| l.0.as_ptr());
        // SAFETY: _new copies group and list; the request copies the object,
        // which we destroy right after.
        unsafe {
            let mut obj = rd::rd_kafka_ListConsumerGroupOffsets_new(g.as_ptr(), list_ptr);
            rd::rd_kafka_ListConsumerGroupOffsets(
                self.client.rk.as_ptr(),
                &mut obj,
                1,
                o.0.as_ptr(),
                self.q.as_ptr(),
            );
            rd::rd_kafka_ListConsumerGroupOffsets_destroy(obj);
        }
        Ok(())
    }

    pub fn alter_group_offsets(
        &self,
        group: &str,
        offsets: &[(String, i32, i64)],
        req: &Submit,
    ) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, req)?;
        let g = cstring(group)?;
        let list = PartitionList::new(offsets.iter().map(|(t, p, off)| (t.as_str(), *p, *off)))?;
        // SAFETY: as for list_group_offsets.
        unsafe {
            let mut obj = rd::rd_kafka_AlterConsumerGroupOffsets_new(g.as_ptr(), list.0.as_ptr());
            rd::rd_kafka_AlterConsumerGroupOffsets(
                self.client.rk.as_ptr(),
                &mut obj,
                1,
                o.0.as_ptr(),
                self.q.as_ptr(),
            );
            rd::rd_kafka_AlterConsumerGroupOffsets_destroy(obj);
        }
        Ok(())
    }

    /// Removes the group's committed offsets of these partitions (OffsetDelete):
    /// how a rollback restores "no committed offset".
    pub fn delete_group_offsets(
        &self,
        group: &str,
        partitions: &[TopicPartition],
        req: &Submit,
    ) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, req)?;
        let g = cstring(group)?;
        let list = PartitionList::new(
            partitions
                .iter()
                .map(|tp| (tp.topic.as_str(), tp.partition, 0)),
        )?;
        // SAFETY: as for list_group_offsets.
        unsafe {
            let mut obj = rd::rd_kafka_DeleteConsumerGroupOffsets_new(g.as_ptr(), list.0.as_ptr());
            rd::rd_kafka_DeleteConsumerGroupOffsets(
                self.client.rk.as_ptr(),
                &mut obj,
                1,
                o.0.as_ptr(),
                self.q.as_ptr(),
            );
            rd::rd_kafka_DeleteConsumerGroupOffsets_destroy(obj);
        }
        Ok(())
    }

    pub fn describe_topic_configs(&self, topics: &[String], req: &Submit) -> Result<(), RawError> {
        let o = self.options(Op::RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, req)?;
        let names = cstrings(topics)?;
        // SAFETY: each resource is created from a valid name (copied),
        // DescribeConfigs copies the resources, we destroy ours after.
        unsafe {
            let mut res: Vec<*mut rd::rd_kafka_ConfigResource_t> = names
                .iter()
                .map(|n| {
                    rd::rd_kafka_ConfigResource_new(
                        rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_TOPIC,
                        n.as_ptr(),
                    )
                })
                .collect();
            if res.iter().any(|r| r.is_null()) {
                for r in res.into_iter().filter(|r| !r.is_null()) {
                    rd::rd_kafka_ConfigResource_destroy(r);
                }
                return Err(RawError::new(ERR_INVALID_ARG, "invalid config resource"));
            }
            rd::rd_kafka_DescribeConfigs(
                self.client.rk.as_ptr(),
                res.as_mut_ptr(),
                res.len(),
                o.0.as_ptr(),
                self.q.as_ptr(),
            );
            rd::rd_kafka_ConfigResource_destroy_array(res.as_mut_ptr(), res.len());
        }
        Ok(())
    }
}

impl Event<'_> {
    /// Fails with the request-level error, or if this is not a `typ` event.
    fn expect(&self, typ: i32) -> Result<(), RawError> {
        if let Some(e) = self.error() {
            return Err(e);
        }
        // SAFETY: ev is live.
        let actual = unsafe { rd::rd_kafka_event_type(self.ptr()) };
        if actual != typ {
            return Err(RawError::new(
                -196,
                format!("unexpected result event type {actual} (wanted {typ})"),
            ));
        }
        Ok(())
    }

    pub fn parse_describe_cluster(&self) -> Result<ClusterDescription, RawError> {
        self.expect(rd::RD_KAFKA_EVENT_DESCRIBECLUSTER_RESULT)?;
        // SAFETY: the typed result and everything under it lives as long as
        // the event; all is copied out.
        unsafe {
            let r = rd::rd_kafka_event_DescribeCluster_result(self.ptr());
            let mut cnt = 0usize;
            let nodes = rd::rd_kafka_DescribeCluster_result_nodes(r, &mut cnt);
            let mut brokers: Vec<BrokerNode> = c_array(nodes, cnt)
                .iter()
                .filter_map(|n| node(*n))
                .collect();
            brokers.sort_by_key(|b| b.id);
            Ok(ClusterDescription {
                cluster_id: opt_string(rd::rd_kafka_DescribeCluster_result_cluster_id(r)),
                controller_id: node(rd::rd_kafka_DescribeCluster_result_controller(r))
                    .map(|n| n.id),
                brokers,
            })
        }
    }

    pub fn parse_describe_topics(&self) -> Result<Vec<RawTopicResult>, RawError> {
        self.expect(rd::RD_KAFKA_EVENT_DESCRIBETOPICS_RESULT)?;
        // SAFETY: as in parse_describe_cluster.
        unsafe {
            let r = rd::rd_kafka_event_DescribeTopics_result(self.ptr());
            let mut cnt = 0usize;
            let topics = rd::rd_kafka_DescribeTopics_result_topics(r, &mut cnt);
            Ok(c_array(topics, cnt)
                .iter()
                .map(|&t| {
                    let name = string(rd::rd_kafka_TopicDescription_name(t));
                    if let Some(e) = error_of(rd::rd_kafka_TopicDescription_error(t)) {
                        return (name, Err(e));
                    }
                    let mut pcnt = 0usize;
                    let parts = rd::rd_kafka_TopicDescription_partitions(t, &mut pcnt);
                    let mut partitions: Vec<PartitionDescription> = c_array(parts, pcnt)
                        .iter()
                        .map(|&p| {
                            let (mut rc, mut ic) = (0usize, 0usize);
                            let replicas = rd::rd_kafka_TopicPartitionInfo_replicas(p, &mut rc);
                            let isr = rd::rd_kafka_TopicPartitionInfo_isr(p, &mut ic);
                            PartitionDescription {
                                partition: rd::rd_kafka_TopicPartitionInfo_partition(p),
                                leader: node(rd::rd_kafka_TopicPartitionInfo_leader(p))
                                    .map(|n| n.id),
                                replicas: node_ids(replicas, rc),
                                isr: node_ids(isr, ic),
                            }
                        })
                        .collect();
                    partitions.sort_by_key(|p| p.partition);
                    let desc = TopicDescription {
                        name: name.clone(),
                        is_internal: rd::rd_kafka_TopicDescription_is_internal(t) != 0,
                        partitions,
                    };
                    (name, Ok(desc))
                })
                .collect())
        }
    }

    pub fn parse_list_offsets(&self) -> Result<Vec<RawListedOffset>, RawError> {
        self.expect(rd::RD_KAFKA_EVENT_LISTOFFSETS_RESULT)?;
        // SAFETY: as in parse_describe_cluster.
        unsafe {
            let r = rd::rd_kafka_event_ListOffsets_result(self.ptr());
            let mut cnt = 0usize;
            let infos = rd::rd_kafka_ListOffsets_result_infos(r, &mut cnt);
            Ok(c_array(infos, cnt)
                .iter()
                .filter_map(|&i| {
                    let tp = rd::rd_kafka_ListOffsetsResultInfo_topic_partition(i);
                    if tp.is_null() {
                        return None;
                    }
                    Some(RawListedOffset {
                        topic: string((*tp).topic),
                        partition: (*tp).partition,
                        offset: (*tp).offset,
                        timestamp: rd::rd_kafka_ListOffsetsResultInfo_timestamp(i),
                        leader_epoch: rd::rd_kafka_topic_partition_get_leader_epoch(tp),
                        error: read_err(ptr::addr_of!((*tp).err)),
                    })
                })
                .collect())
        }
    }

    /// Groups found, and the errors of brokers that could not list theirs.
    pub fn parse_list_consumer_groups(
        &self,
    ) -> Result<(Vec<ConsumerGroupListing>, Vec<RawError>), RawError> {
        self.expect(rd::RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT)?;
        // SAFETY: as in parse_describe_cluster.
        unsafe {
            let r = rd::rd_kafka_event_ListConsumerGroups_result(self.ptr());
            let (mut vc, mut ec) = (0usize, 0usize);
            let valid = rd::rd_kafka_ListConsumerGroups_result_valid(r, &mut vc);
            let errors = rd::rd_kafka_ListConsumerGroups_result_errors(r, &mut ec);
            let groups = c_array(valid, vc)
                .iter()
                .map(|&g| ConsumerGroupListing {
                    group_id: string(rd::rd_kafka_ConsumerGroupListing_group_id(g)),
                    state: GroupState::from_raw(int_abi::rd_kafka_ConsumerGroupListing_state(g)),
                    group_type: GroupType::from_raw(int_abi::rd_kafka_ConsumerGroupListing_type(g)),
                    is_simple: rd::rd_kafka_ConsumerGroupListing_is_simple_consumer_group(g) != 0,
                })
                .collect();
            let errors = c_array(errors, ec)
                .iter()
                .filter_map(|&e| error_of(e))
                .collect();
            Ok((groups, errors))
        }
    }

    pub fn parse_describe_consumer_groups(
        &self,
    ) -> Result<Vec<Named<ConsumerGroupDescription>>, RawError> {
        self.expect(rd::RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT)?;
        // SAFETY: as in parse_describe_cluster.
        unsafe {
            let r = rd::rd_kafka_event_DescribeConsumerGroups_result(self.ptr());
            let mut cnt = 0usize;
            let groups = rd::rd_kafka_DescribeConsumerGroups_result_groups(r, &mut cnt);
            Ok(c_array(groups, cnt)
                .iter()
                .map(|&g| {
                    let group_id = string(rd::rd_kafka_ConsumerGroupDescription_group_id(g));
                    if let Some(e) = error_of(rd::rd_kafka_ConsumerGroupDescription_error(g)) {
                        return (group_id, Err(e));
                    }
                    let members = (0..rd::rd_kafka_ConsumerGroupDescription_member_count(g))
                        .map(|i| rd::rd_kafka_ConsumerGroupDescription_member(g, i))
                        .filter(|m| !m.is_null())
                        .map(|m| {
                            let a = rd::rd_kafka_MemberDescription_assignment(m);
                            let tpl = if a.is_null() {
                                ptr::null()
                            } else {
                                rd::rd_kafka_MemberAssignment_partitions(a)
                            };
                            GroupMember {
                                member_id: string(rd::rd_kafka_MemberDescription_consumer_id(m)),
                                client_id: string(rd::rd_kafka_MemberDescription_client_id(m)),
                                host: string(rd::rd_kafka_MemberDescription_host(m)),
                                group_instance_id: opt_string(
                                    rd::rd_kafka_MemberDescription_group_instance_id(m),
                                ),
                                assignment: read_partitions(tpl)
                                    .into_iter()
                                    .map(|p| TopicPartition::new(p.topic, p.partition))
                                    .collect(),
                            }
                        })
                        .collect();
                    let desc = ConsumerGroupDescription {
                        group_id: group_id.clone(),
                        state: GroupState::from_raw(
                            int_abi::rd_kafka_ConsumerGroupDescription_state(g),
                        ),
                        group_type: GroupType::from_raw(
                            int_abi::rd_kafka_ConsumerGroupDescription_type(g),
                        ),
                        is_simple: rd::rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(
                            g,
                        ) != 0,
                        partition_assignor: string(
                            rd::rd_kafka_ConsumerGroupDescription_partition_assignor(g),
                        ),
                        coordinator: node(rd::rd_kafka_ConsumerGroupDescription_coordinator(g)),
                        members,
                    };
                    (group_id, Ok(desc))
                })
                .collect())
        }
    }

    /// Result of List/Alter/DeleteConsumerGroupOffsets.
    pub fn parse_group_offsets(&self) -> Result<Vec<RawGroupResult>, RawError> {
        if let Some(e) = self.error() {
            return Err(e);
        }
        // SAFETY: as in parse_describe_cluster; the accessor matching the
        // event type is used.
        unsafe {
            let mut cnt = 0usize;
            let groups = match rd::rd_kafka_event_type(self.ptr()) {
                rd::RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT => {
                    let r = rd::rd_kafka_event_ListConsumerGroupOffsets_result(self.ptr());
                    rd::rd_kafka_ListConsumerGroupOffsets_result_groups(r, &mut cnt)
                }
                rd::RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT => {
                    let r = rd::rd_kafka_event_AlterConsumerGroupOffsets_result(self.ptr());
                    rd::rd_kafka_AlterConsumerGroupOffsets_result_groups(r, &mut cnt)
                }
                rd::RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT => {
                    let r = rd::rd_kafka_event_DeleteConsumerGroupOffsets_result(self.ptr());
                    rd::rd_kafka_DeleteConsumerGroupOffsets_result_groups(r, &mut cnt)
                }
                other => {
                    return Err(RawError::new(
                        -196,
                        format!("unexpected result event type {other}"),
                    ))
                }
            };
            Ok(c_array(groups, cnt)
                .iter()
                .map(|&g| RawGroupResult {
                    group: string(rd::rd_kafka_group_result_name(g)),
                    error: error_of(rd::rd_kafka_group_result_error(g)),
                    partitions: read_partitions(rd::rd_kafka_group_result_partitions(g)),
                })
                .collect())
        }
    }

    pub fn parse_describe_configs(
        &self,
    ) -> Result<Vec<Named<BTreeMap<String, ConfigValue>>>, RawError> {
        self.expect(rd::RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT)?;
        // SAFETY: as in parse_describe_cluster.
        unsafe {
            let r = rd::rd_kafka_event_DescribeConfigs_result(self.ptr());
            let mut cnt = 0usize;
            let res = rd::rd_kafka_DescribeConfigs_result_resources(r, &mut cnt);
            Ok(c_array(res, cnt)
                .iter()
                .map(|&c| {
                    let name = string(rd::rd_kafka_ConfigResource_name(c));
                    let code = int_abi::rd_kafka_ConfigResource_error(c);
                    if code != 0 {
                        return (
                            name,
                            Err(RawError::new(
                                code,
                                string(rd::rd_kafka_ConfigResource_error_string(c)),
                            )),
                        );
                    }
                    let mut ecnt = 0usize;
                    let entries = rd::rd_kafka_ConfigResource_configs(c, &mut ecnt);
                    let map = c_array(entries, ecnt)
                        .iter()
                        .map(|&e| {
                            let source = int_abi::rd_kafka_ConfigEntry_source(e);
                            (
                                string(rd::rd_kafka_ConfigEntry_name(e)),
                                ConfigValue {
                                    value: opt_string(rd::rd_kafka_ConfigEntry_value(e)),
                                    source: string(int_abi::rd_kafka_ConfigSource_name(source)),
                                    is_default: rd::rd_kafka_ConfigEntry_is_default(e) != 0,
                                    is_read_only: rd::rd_kafka_ConfigEntry_is_read_only(e) != 0,
                                    is_sensitive: rd::rd_kafka_ConfigEntry_is_sensitive(e) != 0,
                                },
                            )
                        })
                        .collect();
                    (name, Ok(map))
                })
                .collect())
        }
    }
}
