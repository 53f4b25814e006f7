//! The run lock on real Apache Kafka (the shared 3-node KRaft cluster): the first acquire
//! creates the lock topic compacted with one partition and three replicas, and eight
//! racers at once leave exactly one winner.

mod support;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use kafka_failover::kafka::{AdminClient, ClientSettings};
use kafka_failover::runbook::lock::{acquire, status, Claimant, LockError, LOCK_TOPIC};
use support::kafka::shared_cluster_3_racks;

const T: Duration = Duration::from_secs(15);
const TTL: Duration = Duration::from_secs(60);

fn who(i: usize) -> Claimant {
    Claimant {
        run_id: format!("run-{i}"),
        holder: format!("op@host-{i}"),
        host: format!("host-{i}"),
        pid: 1000 + i as u32,
        command: "drill".into(),
    }
}

#[test]
fn kafka_lock_topic_is_created_compacted_and_a_race_has_one_winner() {
    let cluster = shared_cluster_3_racks();
    let s = ClientSettings::new(cluster.bootstrap()).timeout(T);

    let started = Instant::now();
    let first = acquire(&s, "real-payments", who(100), TTL, T).expect("first acquire");
    eprintln!("first acquire (creates the topic): {:?}", started.elapsed());

    let admin = AdminClient::new(s.clone()).unwrap();
    let topic = LOCK_TOPIC.to_string();
    let configs = admin
        .describe_topic_configs(std::slice::from_ref(&topic), T)
        .unwrap();
    assert_eq!(configs[0].get("cleanup.policy"), Some("compact"));
    assert_eq!(configs[0].get("min.compaction.lag.ms"), Some("604800000"));
    let d = admin
        .describe_topics(std::slice::from_ref(&topic), T)
        .unwrap();
    assert_eq!(d[0].partitions.len(), 1);
    assert_eq!(d[0].partitions[0].replicas.len(), 3);
    first.release().unwrap();

    let started = Instant::now();
    let start = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let (s, start) = (s.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                acquire(&s, "real-race", who(i), TTL, T)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    eprintln!("8 racers: {:?}", started.elapsed());
    let winners: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|g| g.run_id().to_string()))
        .collect();
    assert_eq!(winners.len(), 1, "{winners:?}");
    for r in &results {
        if let Err(e) = r {
            match e {
                LockError::Held { run_id, .. } => assert_eq!(run_id, &winners[0]),
                other => panic!("{other}"),
            }
        }
    }
    assert_eq!(
        status(&s, "real-race", T).unwrap().unwrap().run_id,
        winners[0]
    );
}
