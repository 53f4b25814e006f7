//! Smoke tests of the real-Kafka fixture (tests/support/kafka.rs): they fail,
//! never skip, when the Kafka jars are missing (run scripts/fetch-kafka).

mod support;

use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::ClientConfig;

use support::kafka::{
    commit_offsets, committed_offsets, consume, create_topic, create_topic_with_assignment, now_ms,
    produce, produce_to_partition, shared_cluster_3_racks, unique_name, ClusterSpec, KafkaCluster,
};

fn process_exists(pid: u32) -> bool {
    Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The state letter of /proc/PID/stat ('T' = stopped), None when gone.
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim_start().chars().next()
}

/// The active controller, as `MetadataQuorumCommand describe --status` says.
fn quorum_leader(cluster: &KafkaCluster) -> i32 {
    let out = cluster.run_tool_ok(
        "org.apache.kafka.tools.MetadataQuorumCommand",
        &[
            "--bootstrap-server",
            &cluster.bootstrap(),
            "describe",
            "--status",
        ],
    );
    out.lines()
        .find_map(|l| l.strip_prefix("LeaderId:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no LeaderId in:\n{out}"))
}

/// Waits until every partition of `topic` has `isr` in-sync replicas.
fn wait_for_isr(bootstrap: &str, topic: &str, isr: usize, timeout: Duration) {
    let client: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()
        .unwrap();
    let deadline = Instant::now() + timeout;
    loop {
        let md = client
            .fetch_metadata(Some(topic), Duration::from_secs(5))
            .unwrap();
        let t = &md.topics()[0];
        if !t.partitions().is_empty() && t.partitions().iter().all(|p| p.isr().len() == isr) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{topic}: ISR never reached {isr}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn shared_cluster_produces_consumes_and_commits() {
    let t0 = Instant::now();
    let cluster = shared_cluster_3_racks();
    assert_eq!(cluster.broker_ids(), vec![1, 2, 3]);
    assert_eq!(cluster.rack(1), Some("dc-a"));
    assert_eq!(cluster.rack(3), Some("dc-c"));
    let bootstrap = cluster.bootstrap();
    eprintln!("shared cluster ready after {:?}", t0.elapsed());

    let topic = unique_name("smoke");
    create_topic(&bootstrap, &topic, 3, 3);
    let base_ts = now_ms() - 60_000;
    for p in 0..3 {
        let produced = produce_to_partition(&bootstrap, &topic, p, 10, |i| base_ts + i as i64);
        assert_eq!(produced.len(), 10);
        assert!(produced.iter().all(|d| d.partition == p));
        assert_eq!(produced.last().unwrap().offset, 9);
    }
    let keyed = produce(&bootstrap, &topic, 6, |_| now_ms());
    assert_eq!(keyed.len(), 6);

    let records = consume(&bootstrap, &topic, 36, Duration::from_secs(30));
    assert_eq!(records.len(), 36);
    let p0: Vec<_> = records.iter().filter(|r| r.partition == 0).collect();
    assert!(p0.iter().any(|r| r.value.as_deref() == Some("value-3")
        && r.key.as_deref() == Some("key-3")
        && r.timestamp_ms == Some(base_ts + 3)));

    // End offsets per partition (10 each plus the keyed records).
    let mut ends = [10i64; 3];
    for d in &keyed {
        ends[d.partition as usize] += 1;
    }
    let group = unique_name("smoke-group");
    commit_offsets(
        &bootstrap,
        &group,
        &[(&topic, 0, ends[0]), (&topic, 1, 5), (&topic, 2, 0)],
    );
    assert_eq!(
        committed_offsets(&bootstrap, &group, &topic, &[0, 1, 2]),
        vec![Some(ends[0]), Some(5), Some(0)]
    );

    // Kafka's own kafka-consumer-groups sees the same.
    assert!(cluster.list_groups().contains(&group));
    let mut rows = cluster.describe_group_offsets(&group);
    rows.sort_by_key(|r| r.partition);
    assert_eq!(rows.len(), 3, "{rows:?}");
    for (row, (committed, end)) in rows
        .iter()
        .zip([(ends[0], ends[0]), (5, ends[1]), (0, ends[2])])
    {
        assert_eq!(row.group, group);
        assert_eq!(row.topic, topic);
        assert_eq!(row.current_offset, Some(committed), "{row:?}");
        assert_eq!(row.log_end_offset, Some(end), "{row:?}");
        assert_eq!(row.lag, Some(end - committed), "{row:?}");
        assert_eq!(row.consumer_id, "-");
    }

    // A manual assignment is honoured (first replica = preferred leader).
    let placed = unique_name("placed");
    create_topic_with_assignment(&bootstrap, &placed, vec![vec![3, 1], vec![2, 3]]);
    let described = cluster.run_tool_ok(
        "org.apache.kafka.tools.TopicCommand",
        &[
            "--bootstrap-server",
            &bootstrap,
            "--describe",
            "--topic",
            &placed,
        ],
    );
    assert!(
        described.contains("Partition: 0\tLeader: 3\tReplicas: 3,1"),
        "{described}"
    );
    assert!(
        described.contains("Partition: 1\tLeader: 2\tReplicas: 2,3"),
        "{described}"
    );
    eprintln!("shared-cluster smoke test took {:?}", t0.elapsed());
}

#[test]
fn single_node_cluster_freeze_restart_stop_and_kill() {
    let t0 = Instant::now();
    let cluster = KafkaCluster::start(ClusterSpec::single("kill1"));
    eprintln!("1-node cluster up in {:?}", cluster.started_in());
    let bootstrap = cluster.bootstrap();
    let topic = unique_name("one");
    create_topic(&bootstrap, &topic, 1, 1);
    produce(&bootstrap, &topic, 5, |_| now_ms());
    assert_eq!(
        consume(&bootstrap, &topic, 5, Duration::from_secs(30)).len(),
        5
    );

    let group = unique_name("one-group");
    commit_offsets(&bootstrap, &group, &[(&topic, 0, 5)]);

    // SIGSTOP/SIGCONT: the JVM is stopped ('T'), then serves again.
    let pid = cluster.pid(1).expect("node 1 runs");
    cluster.freeze(1);
    assert_eq!(process_state(pid), Some('T'));
    cluster.thaw(1);
    assert_ne!(process_state(pid), Some('T'));
    assert_eq!(
        consume(&bootstrap, &topic, 5, Duration::from_secs(30)).len(),
        5
    );

    // restart() keeps the data; stop() is a graceful shutdown.
    cluster.restart(1);
    let pid = cluster.pid(1).expect("node 1 runs again");
    assert_eq!(
        committed_offsets(&bootstrap, &group, &topic, &[0]),
        vec![Some(5)]
    );
    cluster.stop(1);
    assert!(!cluster.is_running(1) && !process_exists(pid));
    let log = std::fs::read_to_string(cluster.node_dir(1).join("server.log")).unwrap();
    assert!(log.contains("[BrokerServer id=1] shut down completed"));
    cluster.restart(1);

    let pid = cluster.pid(1).expect("node 1 runs");
    assert!(cluster.is_running(1) && process_exists(pid));
    cluster.kill(1);
    assert!(!cluster.is_running(1));
    assert!(!process_exists(pid), "JVM {pid} still exists after kill()");
    assert!(
        TcpStream::connect(cluster.broker_address(1)).is_err(),
        "broker port still accepts connections"
    );
    eprintln!("1-node kill test took {:?}", t0.elapsed());
}

#[test]
fn three_node_cluster_survives_killing_the_active_controller() {
    let t0 = Instant::now();
    let cluster = KafkaCluster::start(ClusterSpec::with_racks("kill3", &["dc-a", "dc-b", "dc-c"]));
    eprintln!("3-node cluster up in {:?}", cluster.started_in());
    let bootstrap = cluster.bootstrap();
    let topic = unique_name("survive");
    create_topic(&bootstrap, &topic, 3, 3);
    produce(&bootstrap, &topic, 9, |_| now_ms());

    let leader = quorum_leader(&cluster);
    cluster.kill(leader);
    let killed_at = Instant::now();
    // acks=all stalls until the controller fences the dead broker and shrinks
    // the ISR (broker.session.timeout.ms, 9 s by default).
    produce(&bootstrap, &topic, 9, |_| now_ms());
    eprintln!(
        "acks=all produce after kill -9 took {:?}",
        killed_at.elapsed()
    );
    assert_eq!(
        consume(&bootstrap, &topic, 18, Duration::from_secs(30)).len(),
        18
    );
    let group = unique_name("survive-group");
    commit_offsets(&bootstrap, &group, &[(&topic, 0, 1)]);
    let new_leader = quorum_leader(&cluster);
    assert_ne!(new_leader, leader);

    let restart_at = Instant::now();
    cluster.restart(leader);
    eprintln!("restart of node {leader} took {:?}", restart_at.elapsed());
    wait_for_isr(&bootstrap, &topic, 3, Duration::from_secs(60));
    eprintln!(
        "ISR full again {:?} after the restart",
        restart_at.elapsed()
    );
    assert_eq!(
        consume(&bootstrap, &topic, 18, Duration::from_secs(30)).len(),
        18
    );
    assert_eq!(
        committed_offsets(&bootstrap, &group, &topic, &[0]),
        vec![Some(1)]
    );
    eprintln!("3-node kill/restart test took {:?}", t0.elapsed());
}
