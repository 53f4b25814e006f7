//! The Kafka layer against librdkafka's in-process mock cluster.
//!
//! `MockCluster` is not `Send`: every test creates its own on its own thread.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use kafka_failover::kafka::*;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

const T: Duration = Duration::from_secs(10);
const CANARY: &str = "canary-Zq7-secret-value";

fn admin(mock: &MockCluster<'_, impl rdkafka::ClientContext>) -> AdminClient {
    AdminClient::new(ClientSettings::new(mock.bootstrap_servers())).expect("admin client")
}

fn produce(bootstrap: &str, topic: &str, per_partition: &[usize]) {
    let p: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()
        .unwrap();
    for (partition, &n) in per_partition.iter().enumerate() {
        for i in 0..n {
            let key = format!("k{i}");
            p.send(
                BaseRecord::to(topic)
                    .partition(partition as i32)
                    .key(&key)
                    .payload("v"),
            )
            .unwrap();
        }
    }
    p.flush(T).unwrap();
}

fn commit(bootstrap: &str, group: &str, offsets: &[(&str, i32, i64)]) {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", group)
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    for (t, p, o) in offsets {
        tpl.add_partition_offset(t, *p, Offset::Offset(*o)).unwrap();
    }
    c.commit(&tpl, CommitMode::Sync).unwrap();
}

fn tps(topic: &str, n: i32) -> Vec<TopicPartition> {
    (0..n).map(|p| TopicPartition::new(topic, p)).collect()
}

fn update(group: &str, topic: &str, offsets: &[i64]) -> GroupOffsetsUpdate {
    GroupOffsetsUpdate {
        group: group.into(),
        offsets: offsets
            .iter()
            .enumerate()
            .map(|(p, &o)| TopicPartitionOffset::new(topic, p as i32, o))
            .collect(),
    }
}

fn offsets_of(g: &GroupOffsets, topic: &str, n: i32) -> Vec<Option<i64>> {
    (0..n).map(|p| g.offset_of(topic, p)).collect()
}

#[test]
fn describe_cluster_reports_brokers_with_racks() {
    let mock = MockCluster::new(3).unwrap();
    mock.broker_rack(1, "dc-a").unwrap();
    mock.broker_rack(2, "dc-b").unwrap();
    let cluster = admin(&mock).describe_cluster(T).unwrap();
    assert!(cluster.cluster_id.is_some());
    let ids: Vec<i32> = cluster.brokers.iter().map(|b| b.id).collect();
    assert_eq!(ids, [1, 2, 3]);
    let racks: Vec<Option<&str>> = cluster.brokers.iter().map(|b| b.rack.as_deref()).collect();
    assert_eq!(racks, [Some("dc-a"), Some("dc-b"), None]);
    assert!(cluster
        .brokers
        .iter()
        .all(|b| b.host == "127.0.0.1" && b.port > 0));
    let json = serde_json::to_value(&cluster).unwrap();
    assert_eq!(json["brokers"][0]["rack"], "dc-a");
}

#[test]
fn describe_topics_reports_leaders_replicas_and_isr() {
    let mock = MockCluster::new(3).unwrap();
    mock.create_topic("orders", 4, 3).unwrap();
    mock.create_topic("audit", 1, 2).unwrap();
    mock.partition_leader("orders", 2, Some(3)).unwrap();
    let admin = admin(&mock);

    let names = admin.list_topics(T).unwrap();
    assert_eq!(names, ["audit", "orders"]);

    let topics = admin.describe_topics(&names, T).unwrap();
    assert_eq!(topics.len(), 2);
    assert_eq!(topics[0].name, "audit");
    let orders = &topics[1];
    assert_eq!(orders.name, "orders");
    assert!(!orders.is_internal);
    assert_eq!(orders.partitions.len(), 4);
    for (i, p) in orders.partitions.iter().enumerate() {
        assert_eq!(p.partition, i as i32);
        assert_eq!(p.replicas.len(), 3);
        let leader = p.leader.expect("leader");
        assert!(p.replicas.contains(&leader));
        assert_eq!(p.isr.len(), 3);
    }
    assert_eq!(orders.partitions[2].leader, Some(3));

    let err = admin
        .describe_topics(&["orders".into(), "missing".into()], T)
        .unwrap_err();
    assert!(
        matches!(&err, KafkaError::UnknownTopicOrPartition { topic: Some(t), .. } if t == "missing"),
        "{err:?}"
    );
}

#[test]
fn list_offsets_earliest_latest_and_by_timestamp_in_one_call() {
    let mock = MockCluster::new(3).unwrap();
    mock.create_topic("t", 3, 2).unwrap();
    let bootstrap = mock.bootstrap_servers();
    produce(&bootstrap, "t", &[5, 0, 12]);
    let admin = admin(&mock);
    let parts = tps("t", 3);

    let earliest = admin
        .list_offsets_for(&parts, OffsetSpec::Earliest, T)
        .unwrap();
    let latest = admin
        .list_offsets_for(&parts, OffsetSpec::Latest, T)
        .unwrap();
    let off = |v: &[ListedOffset]| -> Vec<Option<i64>> {
        v.iter()
            .map(|o| o.result.as_ref().unwrap().offset)
            .collect()
    };
    assert_eq!(off(&earliest), [Some(0), Some(0), Some(0)]);
    assert_eq!(off(&latest), [Some(5), Some(0), Some(12)]);
    assert!(latest.iter().all(|o| o.spec == OffsetSpec::Latest));

    // Mixed specs, an unknown partition and an unknown topic in one call.
    let queries = vec![
        OffsetQuery::new(&parts[0], OffsetSpec::Latest),
        OffsetQuery::new(&parts[2], OffsetSpec::Earliest),
        OffsetQuery::new(&TopicPartition::new("t", 9), OffsetSpec::Latest),
        OffsetQuery::new(&TopicPartition::new("nope", 0), OffsetSpec::Latest),
        // A timestamp far in the future: Kafka answers -1, i.e. no offset.
        OffsetQuery::new(&parts[1], OffsetSpec::Timestamp(i64::MAX / 2)),
    ];
    let answers = admin.list_offsets(&queries, T).unwrap();
    assert_eq!(answers.len(), 5);
    assert_eq!(answers[0].result.as_ref().unwrap().offset, Some(5));
    assert_eq!(answers[1].result.as_ref().unwrap().offset, Some(0));
    assert!(matches!(
        answers[2].result,
        Err(KafkaError::UnknownTopicOrPartition {
            partition: Some(9),
            ..
        })
    ));
    assert!(matches!(
        &answers[3].result,
        Err(KafkaError::UnknownTopicOrPartition { topic: Some(t), .. }) if t == "nope"
    ));
    assert_eq!(answers[4].result.as_ref().unwrap().offset, None);

    // The retrying variant gives the same answers when nothing is transient.
    let again = admin
        .list_offsets_with_retry(&queries, &RetryPolicy::default(), T)
        .unwrap();
    assert_eq!(again, answers);

    let dup = vec![queries[0].clone(), queries[0].clone()];
    assert!(matches!(
        admin.list_offsets(&dup, T),
        Err(KafkaError::InvalidArgument { .. })
    ));
    assert!(admin.list_offsets(&[], T).unwrap().is_empty());
}

#[test]
fn list_offsets_failures_are_per_partition_and_retried() {
    let mock = MockCluster::new(3).unwrap();
    mock.create_topic("t", 3, 2).unwrap();
    produce(&mock.bootstrap_servers(), "t", &[2, 3, 4]);
    let admin = admin(&mock);
    let queries: Vec<_> = tps("t", 3)
        .iter()
        .map(|tp| OffsetQuery::new(tp, OffsetSpec::Latest))
        .collect();
    let offsets = |v: &[ListedOffset]| -> Vec<Option<i64>> {
        v.iter()
            .map(|o| o.result.as_ref().unwrap().offset)
            .collect()
    };
    for injected in [
        RDKafkaRespErr::RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RDKafkaRespErr::RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        // The leader drops the connection: librdkafka then reports the
        // partition with no error and no offset; it must not pass for "no
        // offset".
        RDKafkaRespErr::RD_KAFKA_RESP_ERR__TRANSPORT,
    ] {
        mock.request_errors(RDKafkaApiKey::ListOffsets, &[injected]);
        let plain = admin.list_offsets(&queries, T).unwrap();
        let failed = plain.iter().filter(|o| o.result.is_err()).count();
        assert!(failed > 0, "{injected:?}: {plain:?}");
        assert!(
            plain
                .iter()
                .all(|o| o.result.is_ok() || o.result.as_ref().unwrap_err().is_retriable()),
            "{plain:?}"
        );
        mock.clear_request_errors(RDKafkaApiKey::ListOffsets);

        mock.request_errors(RDKafkaApiKey::ListOffsets, &[injected, injected]);
        let retried = admin
            .list_offsets_with_retry(&queries, &RetryPolicy::default(), T)
            .unwrap();
        assert_eq!(
            offsets(&retried),
            [Some(2), Some(3), Some(4)],
            "{injected:?}"
        );
        mock.clear_request_errors(RDKafkaApiKey::ListOffsets);
    }
}

#[test]
fn two_mock_clusters_in_one_process_are_independent() {
    let dc_a = MockCluster::new(3).unwrap();
    let dc_b = MockCluster::new(2).unwrap();
    dc_a.create_topic("t", 2, 2).unwrap();
    dc_b.create_topic("t", 2, 2).unwrap();
    let (a, b) = (admin(&dc_a), admin(&dc_b));
    let ca = a.describe_cluster(T).unwrap();
    let cb = b.describe_cluster(T).unwrap();
    assert_eq!((ca.brokers.len(), cb.brokers.len()), (3, 2));
    assert_ne!(ca.cluster_id, cb.cluster_id);
    a.alter_group_offsets(&update("g", "t", &[5, 5]), T)
        .unwrap();
    let query = GroupOffsetsQuery::partitions("g", tps("t", 2));
    assert_eq!(
        offsets_of(&a.list_group_offsets(&query, T).unwrap(), "t", 2),
        [Some(5), Some(5)]
    );
    assert_eq!(
        offsets_of(&b.list_group_offsets(&query, T).unwrap(), "t", 2),
        [None, None]
    );
}

#[test]
fn committed_offsets_are_listed_and_can_be_altered() {
    let mock = MockCluster::new(3).unwrap();
    mock.create_topic("t", 3, 2).unwrap();
    let bootstrap = mock.bootstrap_servers();
    produce(&bootstrap, "t", &[10, 10, 10]);
    commit(&bootstrap, "app", &[("t", 0, 4), ("t", 1, 7)]);
    let admin = admin(&mock);

    let query = GroupOffsetsQuery::partitions("app", tps("t", 3));
    let listed = admin.list_group_offsets(&query, T).unwrap();
    assert_eq!(listed.group, "app");
    assert_eq!(offsets_of(&listed, "t", 3), [Some(4), Some(7), None]);
    assert_eq!(listed.failed().count(), 0);

    let altered = admin
        .alter_group_offsets(&update("app", "t", &[9, 1, 3]), T)
        .unwrap();
    assert_eq!(offsets_of(&altered, "t", 3), [Some(9), Some(1), Some(3)]);
    assert_eq!(altered.failed().count(), 0);

    let listed = admin.list_group_offsets(&query, T).unwrap();
    assert_eq!(offsets_of(&listed, "t", 3), [Some(9), Some(1), Some(3)]);

    // A partition that does not exist comes back as that partition's error.
    let query = GroupOffsetsQuery::partitions("app", vec![TopicPartition::new("gone", 0)]);
    let listed = admin.list_group_offsets(&query, T).unwrap();
    assert!(matches!(
        listed.offsets[0].error,
        Some(KafkaError::UnknownTopicOrPartition { .. })
    ));

    // Negative offsets are refused before anything is sent.
    let err = admin
        .alter_group_offsets(&update("app", "t", &[-1]), T)
        .unwrap_err();
    assert!(matches!(err, KafkaError::InvalidArgument { .. }), "{err:?}");
}

#[test]
fn many_groups_are_altered_and_listed_in_one_batch() {
    let mock = MockCluster::new(3).unwrap();
    mock.create_topic("t", 3, 2).unwrap();
    let admin = admin(&mock);
    let n = 200;
    let updates: Vec<GroupOffsetsUpdate> = (0..n)
        .map(|i| update(&format!("group-{i:03}"), "t", &[i, i + 1, i + 2]))
        .collect();
    let opts = BatchOptions::new(Duration::from_secs(30));

    let start = Instant::now();
    let altered = admin.alter_group_offsets_batch(&updates, &opts);
    let alter_time = start.elapsed();
    assert_eq!(altered.len(), n as usize);
    assert!(altered.values().all(|r| r.is_ok()), "{altered:?}");

    let queries: Vec<GroupOffsetsQuery> = (0..n)
        .map(|i| GroupOffsetsQuery::partitions(format!("group-{i:03}"), tps("t", 3)))
        .collect();
    let listed = admin.list_group_offsets_batch(&queries, &opts);
    assert_eq!(listed.len(), n as usize);
    for i in 0..n {
        let g = listed[&format!("group-{i:03}")].as_ref().unwrap();
        assert_eq!(offsets_of(g, "t", 3), [Some(i), Some(i + 1), Some(i + 2)]);
    }
    eprintln!("altered {n} groups in {alter_time:?}");

    // A group given twice is refused, the others still go through.
    let dup = vec![
        update("x", "t", &[1]),
        update("x", "t", &[2]),
        update("y", "t", &[3]),
    ];
    let r = admin.alter_group_offsets_batch(&dup, &opts);
    assert!(matches!(r["x"], Err(KafkaError::InvalidArgument { .. })));
    assert!(r["y"].is_ok());
}

#[test]
fn injected_coordinator_errors_are_retried_per_group() {
    let mock = MockCluster::new(3).unwrap();
    mock.create_topic("t", 2, 2).unwrap();
    let admin = admin(&mock);
    let coord_errors = [
        RDKafkaRespErr::RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RDKafkaRespErr::RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
        RDKafkaRespErr::RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
    ];

    // Without retries the error surfaces, typed as retriable.
    mock.request_errors(RDKafkaApiKey::OffsetCommit, &coord_errors[..1]);
    let err = admin
        .alter_group_offsets(&update("solo", "t", &[1, 1]), T)
        .unwrap_err();
    assert!(
        matches!(
            err,
            KafkaError::Retriable {
                code: ErrorCode::NOT_COORDINATOR,
                ..
            }
        ),
        "{err:?}"
    );

    // The batch re-sends only what failed; all groups end right.
    mock.request_errors(RDKafkaApiKey::OffsetCommit, &coord_errors);
    let updates: Vec<_> = (0..5)
        .map(|i| update(&format!("g{i}"), "t", &[10 + i, 20 + i]))
        .collect();
    let opts = BatchOptions::new(T);
    let altered = admin.alter_group_offsets_batch(&updates, &opts);
    assert!(altered.values().all(|r| r.is_ok()), "{altered:?}");

    // OffsetFetch answering NOT_COORDINATOR at the top level used to crash
    // librdkafka on producer handles (librdkafka#5040); it must just retry.
    mock.request_errors(RDKafkaApiKey::OffsetFetch, &coord_errors);
    let queries: Vec<_> = (0..5)
        .map(|i| GroupOffsetsQuery::partitions(format!("g{i}"), tps("t", 2)))
        .collect();
    let listed = admin.list_group_offsets_batch(&queries, &opts);
    for i in 0..5 {
        let g = listed[&format!("g{i}")].as_ref().unwrap();
        assert_eq!(offsets_of(g, "t", 2), [Some(10 + i), Some(20 + i)]);
    }

    // The generic retry helper does the same for single calls.
    mock.request_errors(RDKafkaApiKey::OffsetFetch, &coord_errors[..2]);
    let g = retry(&RetryPolicy::default(), T, |left| {
        admin.list_group_offsets(&queries[0], left)
    })
    .unwrap();
    assert_eq!(offsets_of(&g, "t", 2), [Some(10), Some(20)]);

    // Errors that outlast the attempts come back as the last error.
    let few = BatchOptions::new(T).retry(RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(10),
    });
    mock.request_errors(RDKafkaApiKey::OffsetFetch, &coord_errors);
    let listed = admin.list_group_offsets_batch(&queries[..1], &few);
    assert!(matches!(listed["g0"], Err(KafkaError::Retriable { .. })));
}

#[test]
fn altering_a_group_with_an_active_member_is_group_not_empty() {
    let mock = MockCluster::new(1).unwrap();
    mock.create_topic("t", 2, 1).unwrap();
    let bootstrap = mock.bootstrap_servers();
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &bootstrap)
        .set("group.id", "busy")
        .create()
        .unwrap();
    consumer.subscribe(&["t"]).unwrap();
    let start = Instant::now();
    while consumer.assignment().unwrap().count() == 0 {
        assert!(start.elapsed() < Duration::from_secs(30), "never assigned");
        consumer.poll(Duration::from_millis(100));
    }
    let admin = admin(&mock);
    let err = admin
        .alter_group_offsets(&update("busy", "t", &[0, 0]), T)
        .unwrap_err();
    assert!(
        matches!(&err, KafkaError::GroupNotEmpty { group, .. } if group == "busy"),
        "{err:?}"
    );
    // Not retried in a batch either: it is not transient.
    let r = admin.alter_group_offsets_batch(&[update("busy", "t", &[0, 0])], &BatchOptions::new(T));
    assert!(matches!(r["busy"], Err(KafkaError::GroupNotEmpty { .. })));
}

#[test]
fn calls_the_mock_lacks_are_unsupported_at_once() {
    let mock = MockCluster::new(3).unwrap();
    mock.create_topic("t", 1, 1).unwrap();
    let admin = admin(&mock);
    let timeout = Duration::from_secs(10);

    let start = Instant::now();
    let err = admin.list_consumer_groups(timeout).unwrap_err();
    assert!(
        matches!(
            err,
            KafkaError::Unsupported {
                call: "ListConsumerGroups",
                ..
            }
        ),
        "{err:?}"
    );
    let t1 = start.elapsed();

    let start = Instant::now();
    let err = admin
        .describe_consumer_groups(&["g".into()], timeout)
        .unwrap_err();
    assert!(
        matches!(
            err,
            KafkaError::Unsupported {
                call: "DescribeConsumerGroups",
                ..
            }
        ),
        "{err:?}"
    );
    let t2 = start.elapsed();

    let start = Instant::now();
    let err = admin
        .describe_topic_configs(&["t".into()], timeout)
        .unwrap_err();
    assert!(
        matches!(
            err,
            KafkaError::Unsupported {
                call: "DescribeConfigs",
                ..
            }
        ),
        "{err:?}"
    );
    let t3 = start.elapsed();

    eprintln!("Unsupported after: ListConsumerGroups {t1:?}, DescribeConsumerGroups {t2:?}, DescribeConfigs {t3:?}");
    for t in [t1, t2, t3] {
        assert!(t < Duration::from_secs(2), "{t:?}");
    }
}

#[test]
fn unreachable_bootstrap_fails_within_the_timeout() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let admin = AdminClient::new(ClientSettings::new(format!("127.0.0.1:{port}"))).unwrap();
    let timeout = Duration::from_secs(2);
    let slack = Duration::from_millis(1500);

    let start = Instant::now();
    let err = admin.describe_cluster(timeout).unwrap_err();
    assert!(start.elapsed() < timeout + slack, "{:?}", start.elapsed());
    assert!(
        err.is_retriable() || matches!(err, KafkaError::Timeout { .. }),
        "{err:?}"
    );

    let start = Instant::now();
    let err = admin
        .list_offsets_for(&tps("t", 2), OffsetSpec::Latest, timeout)
        .unwrap_err();
    assert!(start.elapsed() < timeout + slack, "{:?}", start.elapsed());
    assert!(
        err.is_retriable() || matches!(err, KafkaError::Timeout { .. }),
        "{err:?}"
    );

    // A batch with retries also stops at its deadline, for every group.
    let start = Instant::now();
    let queries: Vec<_> = (0..10)
        .map(|i| GroupOffsetsQuery::all(format!("g{i}")))
        .collect();
    let r = admin.list_group_offsets_batch(&queries, &BatchOptions::new(timeout));
    assert!(start.elapsed() < timeout + slack, "{:?}", start.elapsed());
    assert_eq!(r.len(), 10);
    assert!(r.values().all(|r| r.is_err()));

    // And the retry helper gives up at its deadline.
    let start = Instant::now();
    let r = retry(&RetryPolicy::default(), timeout, |left| {
        admin.describe_cluster(left)
    });
    assert!(r.is_err());
    assert!(start.elapsed() < timeout + slack, "{:?}", start.elapsed());
}

#[test]
fn unknown_property_is_a_config_error_with_librdkafkas_message() {
    let err =
        AdminClient::new(ClientSettings::new("127.0.0.1:9").property("no.such.property", "1"))
            .unwrap_err();
    match err {
        KafkaError::Config { property, message } => {
            assert_eq!(property.as_deref(), Some("no.such.property"));
            assert!(
                message.contains("No such configuration property"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A configuration librdkafka accepts key by key but cannot start with.
    let err = AdminClient::new(
        ClientSettings::new("127.0.0.1:9")
            .property("security.protocol", "ssl")
            .property("ssl.ca.location", "/nonexistent/ca.pem"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, KafkaError::Config { property: None, message } if message.contains("ssl.ca.location")),
        "{err:?}"
    );
}

#[test]
fn canary_secret_never_appears_in_output() {
    // librdkafka echoes a rejected value of an enum property in its error
    // text: give the canary as such a value, marked secret.
    let settings = ClientSettings::new("127.0.0.1:9").secret("security.protocol", CANARY);
    let mut printed = vec![format!("{settings:?}"), format!("{settings:#?}")];
    let err = AdminClient::new(settings).unwrap_err();
    assert!(matches!(err, KafkaError::Config { .. }), "{err:?}");
    printed.push(format!("{err}"));
    printed.push(format!("{err:?}"));
    printed.push(serde_json::to_string(&err).unwrap());

    // A working client with secret credentials: its Debug, and the errors of
    // calls that fail, must not show them either.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let settings = ClientSettings::new(format!("127.0.0.1:{port}"))
        .secret("sasl.password", CANARY)
        .property("sasl.username", "alice")
        .property("ssl.key.password", CANARY);
    let admin = AdminClient::new(settings.clone()).unwrap();
    printed.push(format!("{admin:?}"));
    printed.push(format!(
        "{:?}",
        settings.to_rdkafka_config().get("sasl.username")
    ));
    let err = admin
        .describe_cluster(Duration::from_millis(500))
        .unwrap_err();
    printed.push(format!("{err} {err:?}"));
    let secret = SecretString::new(CANARY);
    printed.push(format!("{secret} {secret:?}"));
    printed.push(serde_json::to_string(&secret).unwrap());

    for p in &printed {
        assert!(!p.contains(CANARY), "secret leaked: {p}");
    }
    assert!(printed[0].contains("security.protocol"));
    assert!(printed.iter().any(|p| p.contains("***")));
    // The secret does reach librdkafka.
    assert_eq!(
        settings.to_rdkafka_config().get("sasl.password"),
        Some(CANARY)
    );
}

#[test]
fn byte_producer_reports_offsets_and_record_reader_reads_from_them() {
    let mock = MockKafka::new(&[None]).unwrap();
    assert!(mock.ensure_topic("bytes", 2, 1).unwrap());
    assert!(!mock.ensure_topic("bytes", 2, 1).unwrap(), "exists already");
    let s = ClientSettings::new(mock.bootstrap()).timeout(Duration::from_secs(5));
    let producer = ByteProducer::new(&s).unwrap();
    let records: Vec<OutRecord> = (0..10)
        .map(|i| OutRecord {
            topic: "bytes".into(),
            partition: i % 2,
            key: (i != 3).then(|| vec![i as u8]),
            value: Some(vec![0xff, i as u8]),
            timestamp_ms: Some(1_700_000_000_000 + i as i64),
        })
        .collect();
    let offsets: Vec<i64> = producer
        .send_all(&records)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(offsets, vec![0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);

    let reader = RecordReader::new(&s).unwrap();
    assert!(reader
        .topics(T)
        .unwrap()
        .contains(&("bytes".to_string(), 2)));
    // Partition 0 from its start, partition 1 from offset 3.
    reader
        .assign(&[("bytes".into(), 0, None), ("bytes".into(), 1, Some(3))])
        .unwrap();
    let mut got = Vec::new();
    let until = Instant::now() + T;
    while got.len() < 7 && Instant::now() < until {
        got.extend(reader.poll(100, Duration::from_millis(200)).unwrap());
    }
    let mut seen: Vec<(i32, i64)> = got
        .iter()
        .map(|r| (r.record.partition, r.record.offset))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (1, 3), (1, 4)]
    );
    let r = got
        .iter()
        .find(|r| r.record.partition == 1 && r.record.offset == 3)
        .unwrap();
    assert_eq!(r.topic, "bytes");
    assert_eq!(r.record.key, Some(vec![7]));
    assert_eq!(r.record.value, Some(vec![0xff, 7]));
    assert_eq!(r.record.timestamp_ms, Some(1_700_000_000_007));
    // Record 3 (partition 1, offset 1) was sent without a key and is read without one.
    reader.assign(&[("bytes".into(), 1, Some(1))]).unwrap();
    let until = Instant::now() + T;
    let first = loop {
        let got = reader.poll(1, Duration::from_millis(200)).unwrap();
        if let Some(r) = got.into_iter().next() {
            break r;
        }
        assert!(Instant::now() < until, "nothing read after re-assigning");
    };
    assert_eq!((first.record.offset, first.record.key), (1, None));
    // A record for a partition that does not exist fails, with an error.
    assert!(producer.send_all(&[OutRecord {
        topic: "missing".into(),
        partition: 7,
        key: None,
        value: None,
        timestamp_ms: None,
    }])[0]
        .is_err());
}
