//! A librdkafka mock cluster of 3 racked brokers holding one topic, `orders`, and the
//! one-cluster stretched topology that points at it: the fixture of the CLI tests of
//! `offsets` on the mock.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use kafka_failover::kafka::{AdminClient, ClientSettings, MockKafka, RecordProducer};

/// 3 brokers (racks a, b, c) and `orders` with `partitions` partitions of `records`
/// records each, with an admin client on it.
pub fn orders_cluster(partitions: i32, records: i64) -> (MockKafka, AdminClient) {
    let racks: Vec<Option<String>> = ["a", "b", "c"]
        .iter()
        .map(|r| Some(r.to_string()))
        .collect();
    let mock = MockKafka::new(&racks).unwrap();
    mock.create_topic("orders", partitions, 3).unwrap();
    let settings = ClientSettings::new(mock.bootstrap());
    let producer = RecordProducer::new(&settings).unwrap();
    for p in 0..partitions {
        for i in 0..records {
            producer
                .send("orders", Some(p), "k", &format!("v{i}"), 1_000 + i)
                .unwrap();
        }
    }
    producer.flush(Duration::from_secs(10)).unwrap();
    let admin = AdminClient::new(settings).unwrap();
    (mock, admin)
}

/// `DIR/NAME.yaml`: a stretched topology whose one cluster `main` (racks a/b/c in
/// dc-a/b/c) is at `bootstrap`.
pub fn stretched_topology(dir: &Path, name: &str, bootstrap: &str) -> PathBuf {
    let topo = dir.join(format!("{name}.yaml"));
    std::fs::write(
        &topo,
        format!(
            "version: 1\nname: {name}\npattern: stretched\n\
             datacenters:\n  dc-a: {{racks: [a]}}\n  dc-b: {{racks: [b]}}\n  dc-c: {{racks: [c]}}\n\
             clusters:\n  main:\n    datacenters: [dc-a, dc-b, dc-c]\n    bootstrap: \"{bootstrap}\"\n\
             placement: {{replication-factor: 3, min-insync-replicas: 2}}\n"
        ),
    )
    .unwrap();
    topo
}
