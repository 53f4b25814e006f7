//! `lab up --engine kafka` as a process: real Kafka brokers from the jars, `cluster status`
//! against them, the topology's mirror run by real MirrorMaker 2 on a Kafka Connect worker
//! (`mirror status` on the written topology, records on the remote topics), and Ctrl-C
//! stops every JVM. Fails, never skips, without the jars.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{interrupt, kf, spawn_lab, stdout_json};
use kafka_failover::kafka::{AdminClient, ClientSettings, OffsetSpec, TopicPartition};
use kafka_failover::lab::kafka_process::locate_kafka_libs;

/// PIDs of the lab JVMs that process `parent` started itself (other labs on the machine,
/// and `lab up` processes whose own command line mentions the lab, are not counted).
fn lab_jvms(parent: u32) -> Vec<u32> {
    let out = Command::new("pgrep")
        .args([
            "-P",
            &parent.to_string(),
            "-f",
            "--",
            "-Dkafka\\.failover\\.lab=1",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

fn alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn a_real_kafka_lab_answers_cluster_status_and_stops_on_ctrl_c() {
    let libs = locate_kafka_libs().unwrap_or_else(|e| panic!("{e:#}"));
    let libs = libs.display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let topo = dir.path().join("lab.yaml");
    let args = [
        "--engine",
        "kafka",
        "--brokers",
        "1",
        "--records",
        "10",
        "--partitions",
        "2",
        "--for",
        "600s",
        "--kafka-libs",
        &libs,
    ];
    let lab = spawn_lab(
        "topologies/active-passive.yaml",
        &args,
        &topo,
        Duration::from_secs(300),
    );
    let jvms = lab_jvms(lab.id());
    assert_eq!(
        jvms.len(),
        3,
        "one broker JVM per cluster and a Connect worker for the mirror: {jvms:?}"
    );
    let out = kf()
        .args(["-o", "json", "cluster", "status"])
        .arg(&topo)
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    for c in v.as_array().unwrap() {
        assert_eq!(c["reachable"], true);
        assert_eq!(c["brokers"].as_array().unwrap().len(), 1);
        // Real Kafka lists groups and reports a controller.
        assert!(c["groups_by_state"].is_object(), "{c:#}");
        assert!(c["controller_id"].is_number(), "{c:#}");
    }
    let east = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cluster"] == "east")
        .unwrap();
    assert_eq!(east["brokers"][0]["rack"], "east-1");
    assert!(
        east["groups_by_state"]["empty"].as_u64().unwrap() >= 4,
        "{east:#}"
    );
    let west = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cluster"] == "west")
        .unwrap();
    // The mirror runs on real MirrorMaker 2: the written topology points its driver at
    // the lab's Connect worker, `mirror status` says it is healthy, and the seeded
    // records (10 per partition, 2 partitions) reach the remote topics on the standby.
    let written = std::fs::read_to_string(&topo).unwrap();
    assert!(written.contains("http://127.0.0.1:"), "{written}");
    // Healthy once MM2 copied every topic and wrote its first checkpoints (a few
    // seconds after its connectors run).
    let deadline = Instant::now() + Duration::from_secs(120);
    let (out, v) = loop {
        let out = kf()
            .args(["mirror", "status", "-o", "json"])
            .arg(&topo)
            .output()
            .unwrap();
        let v = stdout_json(&out);
        if out.status.code() == Some(0) || Instant::now() > deadline {
            break (out, v);
        }
        std::thread::sleep(Duration::from_secs(1));
    };
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(v[0]["healthy"], true, "{v:#}");
    assert_eq!(v[0]["mirror"], "east-to-west", "{v:#}");
    assert_eq!(v[0]["running"], true, "{v:#}");
    let admin = AdminClient::new(ClientSettings::new(west["bootstrap"].as_str().unwrap())).unwrap();
    for t in ["east.payments", "east.refunds"] {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let tps: Vec<TopicPartition> = (0..2).map(|p| TopicPartition::new(t, p)).collect();
            let total: i64 = admin
                .list_offsets_for(&tps, OffsetSpec::Latest, Duration::from_secs(10))
                .map(|v| {
                    v.into_iter()
                        .filter_map(|o| o.result.ok().and_then(|r| r.offset))
                        .sum()
                })
                .unwrap_or(0);
            if total >= 20 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{t} on west holds {total} records, expected the 20 seeded ones"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    // `ready` on real Kafka and real MM2 (it changes nothing): every pre-flight of a
    // failover away from dc-east passes once MM2 has checkpointed the translated groups.
    let deadline = Instant::now() + Duration::from_secs(120);
    let (out, v) = loop {
        let out = kf()
            .args(["ready", "-o", "json"])
            .arg(&topo)
            .output()
            .unwrap();
        let v = stdout_json(&out);
        if out.status.code() == Some(0) || Instant::now() > deadline {
            break (out, v);
        }
        std::thread::sleep(Duration::from_secs(1));
    };
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    let checks: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    for want in [
        "reachable",
        "mirror",
        "mirror-lag",
        "checkpoint-age",
        "strategy",
        "standby-free",
    ] {
        assert!(checks.contains(&want), "{want} not checked: {v:#}");
    }

    interrupt(lab);
    let until = Instant::now() + Duration::from_secs(15);
    while jvms.iter().any(|p| alive(*p)) {
        assert!(Instant::now() < until, "lab JVMs outlived `lab up`");
        std::thread::sleep(Duration::from_millis(200));
    }
}
