//! `read_as_group` against librdkafka's mock cluster: reads from the committed offsets up
//! to the given ends, commits where it got to, reports partitions it could not start.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kafka_failover::kafka::{
    read_as_group, AdminClient, ClientSettings, GroupOffsetsQuery, GroupOffsetsUpdate, KafkaError,
    MockKafka, RecordProducer, TopicPartition, TopicPartitionOffset, Tp,
};

const T: Duration = Duration::from_secs(10);
const TOPIC: &str = "orders";

/// A one-broker mock with `TOPIC` (2 partitions), 100 records `v-{p}-{i}` in each.
fn cluster() -> (MockKafka, ClientSettings) {
    let mock = MockKafka::new(&[None]).unwrap();
    mock.create_topic(TOPIC, 2, 1).unwrap();
    let s = ClientSettings::new(mock.bootstrap()).timeout(Duration::from_secs(5));
    let producer = RecordProducer::new(&s).unwrap();
    for p in 0..2 {
        for i in 0..100 {
            producer
                .send(TOPIC, Some(p), &format!("k{i}"), &format!("v-{p}-{i}"), 0)
                .unwrap();
        }
    }
    producer.flush(T).unwrap();
    (mock, s)
}

fn commit(s: &ClientSettings, group: &str, partition: i32, offset: i64) {
    let admin = AdminClient::new(s.clone()).unwrap();
    admin
        .alter_group_offsets(
            &GroupOffsetsUpdate {
                group: group.into(),
                offsets: vec![TopicPartitionOffset::new(TOPIC, partition, offset)],
            },
            T,
        )
        .unwrap();
}

fn committed(s: &ClientSettings, group: &str) -> Vec<Option<i64>> {
    let admin = AdminClient::new(s.clone()).unwrap();
    let q = GroupOffsetsQuery::partitions(
        group,
        (0..2).map(|p| TopicPartition::new(TOPIC, p)).collect(),
    );
    let got = admin.list_group_offsets(&q, T).unwrap();
    (0..2).map(|p| got.offset_of(TOPIC, p)).collect()
}

fn tp(p: i32) -> Tp {
    (TOPIC.to_string(), p)
}

fn ends(end: i64) -> BTreeMap<Tp, i64> {
    (0..2).map(|p| (tp(p), end)).collect()
}

#[test]
fn reads_from_the_committed_offset_to_the_end_and_commits_it() {
    let (_mock, s) = cluster();
    commit(&s, "resumed", 0, 50);
    let r = read_as_group(&s, "resumed", &[tp(0), tp(1)], &ends(100), T).unwrap();

    let want: Vec<String> = (50..100).map(|i| format!("v-0-{i}")).collect();
    let got: Vec<String> = r
        .values_of(TOPIC, 0)
        .iter()
        .map(|v| String::from_utf8(v.to_vec()).unwrap())
        .collect();
    assert_eq!(got, want);
    assert_eq!(r.records.len(), 50, "nothing read from partition 1");
    let offsets: Vec<i64> = r.records.iter().map(|x| x.record.offset).collect();
    assert_eq!(offsets, (50..100).collect::<Vec<_>>());
    assert_eq!(r.started_at, BTreeMap::from([(tp(0), 50)]));
    assert_eq!(r.ended_at, BTreeMap::from([(tp(0), 100)]));
    assert_eq!(r.no_committed, vec![tp(1)]);

    // The commit landed, partition 1 still has none.
    assert_eq!(committed(&s, "resumed"), vec![Some(100), None]);

    // A second read starts where the first committed: nothing left.
    let again = read_as_group(&s, "resumed", &[tp(0)], &ends(100), T).unwrap();
    assert!(again.records.is_empty(), "{:?}", again.records.len());
    assert_eq!(again.started_at, BTreeMap::from([(tp(0), 100)]));
}

#[test]
fn a_target_past_the_log_end_times_out_naming_the_partition() {
    let (_mock, s) = cluster();
    commit(&s, "short", 0, 90);
    commit(&s, "short", 1, 10);
    let until = BTreeMap::from([(tp(0), 150), (tp(1), 20)]);
    let t0 = Instant::now();
    let e =
        read_as_group(&s, "short", &[tp(0), tp(1)], &until, Duration::from_secs(2)).unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    match e {
        KafkaError::ReadTimeout { group, pending, .. } => {
            assert_eq!(group, "short");
            assert_eq!(pending, vec![format!("{TOPIC}[0] at 100 of 150")]);
        }
        other => panic!("{other:?}"),
    }
    // Nothing is committed by a read that did not finish.
    assert_eq!(committed(&s, "short"), vec![Some(90), Some(10)]);
}

#[test]
fn a_partition_without_an_end_is_refused() {
    let (_mock, s) = cluster();
    let until = BTreeMap::from([(tp(0), 100)]);
    let e = read_as_group(&s, "g", &[tp(0), tp(1)], &until, T).unwrap_err();
    assert!(
        matches!(e, KafkaError::InvalidArgument { ref message } if message.contains("orders[1]")),
        "{e:?}"
    );
}
