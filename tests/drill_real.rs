//! `drill --lab --engine kafka`: the drills on real Apache Kafka brokers (KRaft, one
//! JVM per broker) with real MirrorMaker 2 on a Kafka Connect worker; the lost DC's
//! brokers are really killed (SIGKILL) and started again. Fails, never skips, without
//! the jars. Each drill leaves no JVM behind (the lab kills them when it ends).

mod common;

use common::{kf, root, stdout_json as json};
use kafka_failover::lab::kafka_process::locate_kafka_libs;

/// One real-Kafka lab at a time: two (7 JVMs) at once on a 2-core machine starve each
/// other's brokers past their session timeouts.
static ONE_LAB: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn drill(topology: &str) -> serde_json::Value {
    let _one = ONE_LAB.lock().unwrap_or_else(|e| e.into_inner());
    let libs = locate_kafka_libs().unwrap_or_else(|e| panic!("{e:#}"));
    let dir = tempfile::tempdir().unwrap();
    let out = kf()
        .args([
            "drill",
            "--lab",
            "--engine",
            "kafka",
            "-o",
            "json",
            // A killed broker's partitions get new leaders once the controller fences
            // it (broker.session.timeout.ms, 9 s by default): room for that.
            "--timeout",
            "20s",
            "--kafka-libs",
        ])
        .arg(libs)
        .arg("--state-dir")
        .arg(dir.path())
        .arg(root(topology))
        .output()
        .unwrap();
    let r = json(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{r:#}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(r["engine"], "kafka");
    assert_eq!(r["passed"], true);
    r
}

fn step<'a>(r: &'a serde_json::Value, phase: &str, id: &str) -> &'a serde_json::Value {
    r["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == phase)
        .and_then(|p| {
            p["steps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["id"] == id)
        })
        .unwrap_or_else(|| panic!("no step {phase}/{id}: {r:#}"))
}

#[test]
fn active_passive_drill_on_real_kafka_and_mirrormaker() {
    let r = drill("topologies/active-passive.yaml");
    assert!(step(&r, "outage", "kill-dc")["detail"]
        .as_str()
        .unwrap()
        .contains("kafka engine"));
    assert!(step(&r, "failover", "preflight")["detail"]
        .as_str()
        .unwrap()
        .contains("`east` is gone"));
    let groups = r["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "{r:#}");
    for g in groups {
        assert_eq!(g["to_cluster"], "west");
        assert_eq!(g["ended_as_expected"], true, "{g:#}");
    }
    // Real MirrorMaker 2's checkpoints and real ListOffsets by time: translated and
    // timestamp groups lose nothing (they re-read instead); latest skips by design.
    for name in ["payments-ledger", "refund-worker", "payments-notify-lab-1"] {
        let g = groups.iter().find(|g| g["group"] == name).unwrap();
        assert_eq!(g["lost"], 0, "{g:#}");
        assert!(g["read_after"].as_u64().unwrap() > 0, "{g:#}");
    }
    // The failback reversed real MM2 and restored it.
    assert_eq!(step(&r, "failback", "reverse-mirror")["status"], "done");
    assert_eq!(step(&r, "failback", "restore-mirror")["status"], "done");
}

#[test]
fn stretched_drill_on_real_kafka_kills_a_zone() {
    let r = drill("topologies/stretched.yaml");
    assert!(step(&r, "failover", "preflight")["detail"]
        .as_str()
        .unwrap()
        .contains("2 broker(s)"));
    for g in r["groups"].as_array().unwrap() {
        assert_eq!(g["duplicates"], 0, "{g:#}");
        assert_eq!(g["lost"], 0, "{g:#}");
        assert_eq!(g["ended_as_expected"], true, "{g:#}");
    }
    assert_eq!(r["records_lost"], 0);
    assert!(step(&r, "failback", "wait-in-sync")["detail"]
        .as_str()
        .unwrap()
        .contains("fully in sync"));
}
