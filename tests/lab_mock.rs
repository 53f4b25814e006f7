//! The mock lab in process: clusters shaped like the topology, seeded, committed,
//! with a trickle, and a DC that can go down and come back.

use std::time::{Duration, Instant};

use kafka_failover::kafka::{
    AdminClient, ClientSettings, GroupOffsetsQuery, OffsetSpec, TopicPartition,
};
use kafka_failover::lab::{LabOptions, MockLab};
use kafka_failover::topology::load_file;

fn admin(bootstrap: &str) -> AdminClient {
    AdminClient::new(ClientSettings::new(bootstrap).timeout(Duration::from_secs(5))).unwrap()
}

#[test]
fn stretched_lab_matches_its_plan_and_keeps_producing() {
    let t = load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/topologies/stretched.yaml"
    )))
    .unwrap()
    .topology;
    let opts = LabOptions {
        partitions: 3,
        records_per_partition: 10,
        min_brokers: 3,
    };
    let lab = MockLab::start(&t, &opts).unwrap();
    let a = admin(&lab.bootstrap["orders"]);
    let cluster = a.describe_cluster(Duration::from_secs(5)).unwrap();
    let mut racks: Vec<_> = cluster
        .brokers
        .iter()
        .map(|b| b.rack.clone().unwrap())
        .collect();
    racks.sort();
    assert_eq!(racks, vec!["zone-a", "zone-b", "zone-c"]);

    // Seeded: 10 records per partition, then the trickle adds more.
    let tps: Vec<TopicPartition> = (0..3).map(|p| TopicPartition::new("orders", p)).collect();
    let ends = a
        .list_offsets_for(&tps, OffsetSpec::Latest, Duration::from_secs(5))
        .unwrap();
    for e in &ends {
        assert!(e.result.as_ref().unwrap().offset.unwrap() >= 10, "{e:?}");
    }
    // Groups committed at half of the seeded records.
    let q = GroupOffsetsQuery::partitions("order-fulfilment", tps.clone());
    let committed = a.list_group_offsets(&q, Duration::from_secs(5)).unwrap();
    for p in 0..3 {
        assert_eq!(committed.offset_of("orders", p), Some(5));
    }
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let now = a
            .list_offsets_for(&tps[..1], OffsetSpec::Latest, Duration::from_secs(5))
            .unwrap();
        if now[0].result.as_ref().unwrap().offset.unwrap()
            > ends[0].result.as_ref().unwrap().offset.unwrap()
        {
            break;
        }
        assert!(Instant::now() < until, "the trickle produced nothing");
        std::thread::sleep(Duration::from_millis(200));
    }

    // The rewritten topology points at the lab and is valid.
    let yaml = lab.topology_yaml().unwrap();
    let reloaded = kafka_failover::topology::load_str("lab.yaml", &yaml).unwrap();
    assert_eq!(
        reloaded.topology.clusters["orders"].bootstrap,
        lab.bootstrap["orders"]
    );
    assert!(reloaded.topology.clusters["orders"].secrets.is_empty());

    assert_eq!(lab.dc_down("zone-c").unwrap(), 1);
    assert_eq!(lab.dc_up("zone-c").unwrap(), 1);
    assert_eq!(lab.dc_down("nowhere").unwrap(), 0);
}

/// The sum of the log ends of `topic`'s partitions.
fn log_end(a: &AdminClient, topic: &str, partitions: i32) -> i64 {
    let tps: Vec<TopicPartition> = (0..partitions)
        .map(|p| TopicPartition::new(topic, p))
        .collect();
    a.list_offsets_for(&tps, OffsetSpec::Latest, Duration::from_secs(5))
        .unwrap()
        .iter()
        .map(|e| e.result.as_ref().unwrap().offset.unwrap())
        .sum()
}

/// Waits up to 5 s for the log end of `topic` to pass `than`.
fn grows_past(a: &AdminClient, topic: &str, than: i64) -> bool {
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until {
        if log_end(a, topic, 3) > than {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn pausing_a_clusters_traffic_freezes_its_log_until_resumed() {
    use kafka_failover::lab::Lab;
    let t = load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/topologies/stretched.yaml"
    )))
    .unwrap()
    .topology;
    let opts = LabOptions {
        partitions: 3,
        records_per_partition: 4,
        min_brokers: 3,
    };
    let mock = MockLab::start(&t, &opts).unwrap();
    // Through the engine-independent surface a drill uses.
    let lab: &dyn Lab = &mock;
    assert_eq!(lab.engine(), "mock");
    assert_eq!(lab.topology().name, t.name);
    assert_eq!(lab.plan().clusters.len(), 1);
    let a = admin(&lab.bootstrap()["orders"]);
    let seeded = log_end(&a, "orders", 3);
    assert!(
        grows_past(&a, "orders", seeded),
        "the trickle produced nothing"
    );

    lab.pause_traffic("orders").unwrap();
    let paused_at = log_end(&a, "orders", 3);
    std::thread::sleep(Duration::from_millis(1500));
    // Three rounds of the trickle would have added 9 records by now.
    assert_eq!(log_end(&a, "orders", 3), paused_at);
    // Pausing again is harmless; an unknown cluster is refused.
    lab.pause_traffic("orders").unwrap();
    assert!(lab.pause_traffic("nowhere").is_err());

    lab.resume_traffic("orders").unwrap();
    assert!(
        grows_past(&a, "orders", paused_at),
        "the trickle did not resume"
    );
}
