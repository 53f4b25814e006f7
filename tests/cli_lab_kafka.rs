//! `lab up --engine kafka` as a process: real Kafka brokers from the jars, `cluster status`
//! against them, and Ctrl-C stops every JVM. Fails, never skips, without the jars.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{kf, root};
use kafka_failover::lab::kafka_process::locate_kafka_libs;

fn lab_jvms() -> usize {
    let out = Command::new("pgrep")
        .args(["-f", "kafka.failover.lab=1"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[test]
fn a_real_kafka_lab_answers_cluster_status_and_stops_on_ctrl_c() {
    let libs = locate_kafka_libs().unwrap_or_else(|e| panic!("{e:#}"));
    let dir = tempfile::tempdir().unwrap();
    let topo = dir.path().join("lab.yaml");
    let bin = assert_cmd::cargo::cargo_bin("kafka-failover");
    let mut lab = Command::new(bin)
        .current_dir(root(""))
        .args([
            "lab",
            "up",
            "topologies/active-passive.yaml",
            "--engine",
            "kafka",
            "--brokers",
            "1",
        ])
        .args([
            "--records",
            "10",
            "--partitions",
            "2",
            "--for",
            "600s",
            "--kafka-libs",
        ])
        .arg(&libs)
        .arg("--write-topology")
        .arg(&topo)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(180);
    while !topo.exists() {
        if let Ok(Some(s)) = lab.try_wait() {
            panic!("lab up --engine kafka exited early: {s}");
        }
        assert!(Instant::now() < until, "the Kafka lab did not come up");
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(lab_jvms(), 2, "one broker JVM per cluster");
    let out = kf()
        .args(["-o", "json", "cluster", "status"])
        .arg(&topo)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    for c in v.as_array().unwrap() {
        assert_eq!(c["reachable"], true);
        assert_eq!(c["brokers"].as_array().unwrap().len(), 1);
        // Real Kafka lists groups and reports a real controller.
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

    Command::new("kill")
        .arg("-INT")
        .arg(lab.id().to_string())
        .status()
        .unwrap();
    let status = lab.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let until = Instant::now() + Duration::from_secs(15);
    while lab_jvms() > 0 {
        assert!(Instant::now() < until, "lab JVMs outlived `lab up`");
        std::thread::sleep(Duration::from_millis(200));
    }
}
