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
