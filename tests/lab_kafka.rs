//! The lab on real Apache Kafka (`KafkaLab`): clusters shaped like the example topologies,
//! seeded, trickling, and DC outages by SIGKILL. Fails, never skips, without the Kafka
//! jars (run scripts/fetch-kafka). The tests run one at a time: each lab checks that no
//! lab JVM is left once it is dropped.

use std::collections::BTreeSet;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use kafka_failover::kafka::{
    AdminClient, BatchOptions, ClientSettings, GroupOffsetsQuery, OffsetSpec, TopicPartition,
};
use kafka_failover::lab::kafka_engine::locate_kafka_libs;
use kafka_failover::lab::{KafkaLab, LabOptions};
use kafka_failover::topology::{load_file, Topology};

const T: Duration = Duration::from_secs(10);

/// One lab at a time: 2 cores, and the "no JVM left" check must not see another lab's.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn libs() -> PathBuf {
    locate_kafka_libs().unwrap_or_else(|e| panic!("{e:#}"))
}

fn topology(name: &str) -> Topology {
    let path = format!("{}/topologies/{name}", env!("CARGO_MANIFEST_DIR"));
    load_file(Path::new(&path)).unwrap().topology
}

fn admin(lab: &KafkaLab, cluster: &str) -> AdminClient {
    AdminClient::new(ClientSettings::new(&lab.bootstrap[cluster]).timeout(T)).unwrap()
}

fn lab_jvms() -> Vec<String> {
    let out = Command::new("pgrep")
        .args(["-f", "--", "-Dkafka\\.failover\\.lab=1"])
        .output()
        .expect("run pgrep");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// "NAME: N JVMs, clusters up in X s, seeded in Y s".
fn timing(lab: &KafkaLab, name: &str) -> String {
    let jvms: usize = lab.plan.clusters.iter().map(|c| c.brokers.len()).sum();
    let clusters = lab
        .plan
        .clusters
        .iter()
        .map(|c| lab.cluster(&c.name).unwrap().started_in())
        .max()
        .unwrap();
    format!(
        "{name}: {jvms} JVMs, clusters up in {:.1} s, lab ready in {:.1} s",
        clusters.as_secs_f64(),
        lab.started_in().as_secs_f64()
    )
}

/// Polls `f` until it returns true; panics with `what` after `timeout`.
fn eventually(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !f() {
        assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Broker ids and racks the cluster lists, or None when it does not answer.
fn brokers(lab: &KafkaLab, cluster: &str) -> Option<Vec<(i32, Option<String>)>> {
    let a = AdminClient::new(
        ClientSettings::new(&lab.bootstrap[cluster]).timeout(Duration::from_secs(3)),
    )
    .unwrap();
    let d = a.describe_cluster(Duration::from_secs(3)).ok()?;
    Some(d.brokers.into_iter().map(|b| (b.id, b.rack)).collect())
}

/// Latest offsets of every partition of `topic`.
fn ends(a: &AdminClient, topic: &str, partitions: i32) -> Vec<i64> {
    let tps: Vec<TopicPartition> = (0..partitions)
        .map(|p| TopicPartition::new(topic, p))
        .collect();
    a.list_offsets_for(&tps, OffsetSpec::Latest, T)
        .unwrap()
        .into_iter()
        .map(|o| o.result.unwrap().offset.unwrap())
        .collect()
}

/// Checks the planned topics and groups of `cluster`: every produced topic holds the
/// seed records and then trickle records; every group committed half of the seed.
fn check_seeded(lab: &KafkaLab, cluster: &str, opts: &LabOptions) {
    let a = admin(lab, cluster);
    let plan = lab.plan.cluster(cluster).unwrap();
    let topics: BTreeSet<String> = a.list_topics(T).unwrap().into_iter().collect();
    let n = opts.records_per_partition as i64;
    for t in &plan.topics {
        assert!(topics.contains(&t.name), "{cluster}: no topic {}", t.name);
        let d = &a.describe_topics(std::slice::from_ref(&t.name), T).unwrap()[0];
        assert_eq!(d.partitions.len(), t.partitions as usize);
        assert!(d
            .partitions
            .iter()
            .all(|p| p.replicas.len() == t.replication_factor as usize));
        if t.produced {
            assert!(ends(&a, &t.name, t.partitions).iter().all(|&e| e >= n));
            eventually(&format!("trickle into {}", t.name), T, || {
                ends(&a, &t.name, t.partitions).iter().all(|&e| e > n)
            });
        }
    }
    let queries: Vec<GroupOffsetsQuery> = plan
        .groups
        .iter()
        .map(|g| {
            let tps = g
                .topics
                .iter()
                .flat_map(|t| (0..opts.partitions).map(move |p| TopicPartition::new(t, p)))
                .collect();
            GroupOffsetsQuery::partitions(&g.id, tps)
        })
        .collect();
    let got = a.list_group_offsets_batch(&queries, &BatchOptions::new(Duration::from_secs(30)));
    // Groups of a cluster the lab does not write to (mirror targets) commit offset 0.
    let committed = if plan.topics.iter().any(|t| t.produced) {
        n / 2
    } else {
        0
    };
    for q in &queries {
        let offsets = got[&q.group].as_ref().unwrap();
        for tp in q.partitions.as_ref().unwrap() {
            assert_eq!(
                offsets.offset_of(&tp.topic, tp.partition),
                Some(committed),
                "{cluster}: group {} at {tp}",
                q.group
            );
        }
    }
}

#[test]
fn stretched_lab_has_racks_data_groups_and_survives_a_zone_loss() {
    let _serial = serial();
    let opts = LabOptions {
        partitions: 3,
        records_per_partition: 20,
        // One broker per zone (a stretched cluster gets at least one per DC).
        min_brokers: 1,
    };
    let lab = KafkaLab::start(&topology("stretched.yaml"), &opts, &libs()).unwrap();
    eprintln!("{}", timing(&lab, "stretched"));

    let racks = brokers(&lab, "orders").expect("orders answers");
    assert_eq!(
        racks,
        vec![
            (1, Some("zone-a".to_string())),
            (2, Some("zone-b".to_string())),
            (3, Some("zone-c".to_string())),
        ]
    );
    check_seeded(&lab, "orders", &opts);
    let yaml = lab.topology_yaml().unwrap();
    assert!(yaml.contains(&lab.bootstrap["orders"]) && !yaml.contains("sasl"));

    let orders = lab.cluster("orders").unwrap();
    let pid = orders.pid(1).unwrap().expect("node 1 runs");
    assert_eq!(lab.dc_down("zone-a").unwrap(), 1);
    assert!(!orders.is_running(1).unwrap());
    assert!(TcpStream::connect(orders.broker_address(1).unwrap()).is_err());
    assert!(!Path::new(&format!("/proc/{pid}")).exists());
    // The controller fences the dead broker (broker.session.timeout.ms = 9 s).
    eventually("zone-a broker gone", Duration::from_secs(40), || {
        brokers(&lab, "orders").is_some_and(|b| b.iter().map(|b| b.0).eq([2, 3]))
    });
    assert!(lab.dc_down("no-such-dc").is_err());

    let t0 = Instant::now();
    assert_eq!(lab.dc_up("zone-a").unwrap(), 1);
    eprintln!("zone-a back in {:?}", t0.elapsed());
    assert_eq!(brokers(&lab, "orders").unwrap().len(), 3);
    check_seeded(&lab, "orders", &opts);

    drop(lab);
    assert_eq!(lab_jvms(), Vec::<String>::new(), "lab JVMs left");
}

#[test]
fn active_passive_lab_seeds_the_primary_and_restarts_a_lost_dc() {
    let _serial = serial();
    let opts = LabOptions {
        partitions: 3,
        records_per_partition: 20,
        min_brokers: 1,
    };
    let lab = KafkaLab::start(&topology("active-passive.yaml"), &opts, &libs()).unwrap();
    eprintln!("{}", timing(&lab, "active-passive"));
    let dir = lab.cluster("east").unwrap().dir().to_path_buf();

    assert_eq!(
        brokers(&lab, "east").unwrap(),
        vec![(1, Some("east-1".to_string()))]
    );
    assert_eq!(
        brokers(&lab, "west").unwrap(),
        vec![(1, Some("west-1".to_string()))]
    );
    check_seeded(&lab, "east", &opts);
    check_seeded(&lab, "west", &opts);
    let groups: Vec<&str> = lab
        .plan
        .cluster("east")
        .unwrap()
        .groups
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    assert_eq!(groups.len(), 4, "{groups:?}");

    // The whole primary DC goes: its only broker dies, the standby keeps answering.
    assert_eq!(lab.dc_down("dc-east").unwrap(), 1);
    let east = lab.cluster("east").unwrap();
    assert!(TcpStream::connect(east.broker_address(1).unwrap()).is_err());
    assert!(brokers(&lab, "east").is_none());
    assert!(brokers(&lab, "west").is_some());

    let t0 = Instant::now();
    assert_eq!(lab.dc_up("dc-east").unwrap(), 1);
    eprintln!("dc-east back in {:?}", t0.elapsed());
    // Data and commits survive the restart; the trickle resumes.
    check_seeded(&lab, "east", &opts);

    drop(lab);
    assert_eq!(lab_jvms(), Vec::<String>::new(), "lab JVMs left");
    assert!(!dir.exists(), "{} left behind", dir.display());
}

/// Start times at the default size (3 brokers per cluster): active-passive (6 JVMs) and
/// active-active (5 clusters, 15 JVMs); and active-active with one broker per cluster
/// (5 JVMs). By hand:
/// `cargo test --test lab_kafka -- --ignored --nocapture`.
#[test]
#[ignore = "heavy: up to 15 JVMs; run by hand to measure"]
fn full_size_start_times() {
    let _serial = serial();
    let small = LabOptions {
        min_brokers: 1,
        ..LabOptions::default()
    };
    for (file, opts, jvms) in [
        ("active-active.yaml", small, 5),
        ("active-passive.yaml", LabOptions::default(), 6),
        ("active-active.yaml", LabOptions::default(), 15),
    ] {
        let lab = KafkaLab::start(&topology(file), &opts, &libs()).unwrap();
        eprintln!("{}", timing(&lab, file));
        let brokers_up: usize = lab
            .plan
            .clusters
            .iter()
            .map(|c| brokers(&lab, &c.name).unwrap().len())
            .sum();
        assert_eq!(brokers_up, jvms);
        for c in &lab.plan.clusters {
            check_seeded(&lab, &c.name, &opts);
        }
        let t0 = Instant::now();
        drop(lab);
        eprintln!("{file}: stopped in {:?}", t0.elapsed());
        assert_eq!(lab_jvms(), Vec::<String>::new(), "lab JVMs left");
    }
}
