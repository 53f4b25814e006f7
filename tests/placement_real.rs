//! `placement check|propose` against real Apache Kafka with `broker.rack` set: the shared
//! 3-node cluster (racks dc-a, dc-b, dc-c, one broker each), and a one-node cluster whose
//! broker has no rack. The proposal is applied with Kafka's own reassignment tool.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{kf, stdout_json as json};
use support::kafka::{
    create_topic, create_topic_with_assignment, shared_cluster_3_racks, unique_name, ClusterSpec,
    KafkaCluster,
};

const REASSIGN: &str = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";
const ELECT: &str = "org.apache.kafka.tools.LeaderElectionCommand";

/// A stretched topology over the cluster: one DC per rack, RF 3, min ISR 2, survive one.
fn three_dc_topology(dir: &Path, bootstrap: &str) -> PathBuf {
    let p = dir.join("three-dc.yaml");
    std::fs::write(
        &p,
        format!(
            "version: 1\nname: real\npattern: stretched\n\
             datacenters:\n  dc-a: {{racks: [dc-a]}}\n  dc-b: {{racks: [dc-b]}}\n  dc-c: {{racks: [dc-c]}}\n\
             clusters:\n  real:\n    datacenters: [dc-a, dc-b, dc-c]\n    bootstrap: \"{bootstrap}\"\n\
             placement: {{replication-factor: 3, min-insync-replicas: 2, survive-dc-loss: 1}}\n"
        ),
    )
    .unwrap();
    p
}

/// Two DCs: racks dc-a and dc-b form `east`, dc-c is `west`; RF 2, min ISR 1.
fn two_dc_topology(dir: &Path, bootstrap: &str) -> PathBuf {
    let p = dir.join("two-dc.yaml");
    std::fs::write(
        &p,
        format!(
            "version: 1\nname: real2\npattern: stretched\n\
             datacenters:\n  east: {{racks: [dc-a, dc-b]}}\n  west: {{racks: [dc-c]}}\n\
             clusters:\n  real:\n    datacenters: [east, west]\n    bootstrap: \"{bootstrap}\"\n\
             placement: {{replication-factor: 2, min-insync-replicas: 1, survive-dc-loss: 1, max-leader-share: 1.0}}\n"
        ),
    )
    .unwrap();
    p
}

fn broker_with_rack(c: &KafkaCluster, rack: &str) -> i32 {
    c.broker_ids()
        .into_iter()
        .find(|b| c.rack(*b) == Some(rack))
        .unwrap()
}

#[test]
fn kafka_rack_aware_placement_passes_and_survives_losing_a_dc() {
    let c = shared_cluster_3_racks();
    let dir = tempfile::tempdir().unwrap();
    let topo = three_dc_topology(dir.path(), &c.bootstrap());
    let topic = unique_name("placed");
    create_topic(&c.bootstrap(), &topic, 6, 3);
    let filter = format!("^{topic}$");
    let out = kf()
        .args(["-o", "json", "placement", "check", "--topic", &filter])
        .arg(&topo)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    let parts = v[0]["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 6);
    for p in parts {
        assert_eq!(
            p["replicas_per_dc"],
            serde_json::json!({"dc-a": 1, "dc-b": 1, "dc-c": 1})
        );
        assert!(p["violations"].as_array().unwrap().is_empty());
    }
    // Losing dc-a: nothing offline, nothing under min ISR; leaders in dc-a move.
    let out = kf()
        .args([
            "-o",
            "json",
            "placement",
            "check",
            "--lose",
            "dc-a",
            "--topic",
            &filter,
        ])
        .arg(&topo)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0));
    let totals = &v[0]["totals"];
    assert_eq!(totals["offline_if_lost"], 0);
    assert_eq!(totals["under_min_isr_if_lost"], 0);
    let led_from_a = v[0]["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["leader_dc"] == "dc-a")
        .count();
    assert_eq!(totals["leader_lost_if_lost"], led_from_a);
    // The table starts with the summary line.
    let out = kf()
        .args(["placement", "check", "--lose", "dc-a", "--topic", &filter])
        .arg(&topo)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!("real: 6 partitions in 1 topics; 0 violate the placement requirements; if dc-a is lost: 0 offline, 0 under min ISR, {led_from_a} lose their leader")),
        "{text}"
    );
}

#[test]
fn a_manual_assignment_in_one_dc_is_named_and_goes_offline_with_it() {
    let c = shared_cluster_3_racks();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (broker_with_rack(c, "dc-a"), broker_with_rack(c, "dc-b"));
    let topic = unique_name("onedc");
    create_topic_with_assignment(&c.bootstrap(), &topic, vec![vec![a, b], vec![b, a]]);
    let filter = format!("^{topic}$");
    let topo = two_dc_topology(dir.path(), &c.bootstrap());
    let out = kf()
        .args(["placement", "check", "--topic", &filter])
        .arg(&topo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("| {topic} | 0")) && text.contains("all replicas in east"),
        "{text}"
    );
    let out = kf()
        .args([
            "-o",
            "json",
            "placement",
            "check",
            "--lose",
            "east",
            "--topic",
            &filter,
        ])
        .arg(&topo)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v[0]["totals"]["violating"], 2);
    assert_eq!(v[0]["totals"]["offline_if_lost"], 2);
    assert_eq!(
        v[0]["partitions"][0]["violations"][0],
        serde_json::json!({"rule": "single-dc", "datacenter": "east"})
    );
}

#[test]
fn the_proposal_applied_by_kafka_makes_the_check_pass() {
    let c = shared_cluster_3_racks();
    let dir = tempfile::tempdir().unwrap();
    let topo = three_dc_topology(dir.path(), &c.bootstrap());
    let a = broker_with_rack(c, "dc-a");
    let topic = unique_name("fixme");
    create_topic_with_assignment(&c.bootstrap(), &topic, vec![vec![a], vec![a], vec![a]]);
    let filter = format!("^{topic}$");
    kf().args(["placement", "check", "--topic", &filter])
        .arg(&topo)
        .assert()
        .code(1);

    let plan = dir.path().join("reassignment.json");
    let out = kf()
        .args(["placement", "propose", "--topic", &filter, "--out"])
        .arg(&plan)
        .arg(&topo)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("real: 6 replica(s) to copy in 3 partition(s)"),
        "{text}"
    );
    assert!(
        text.contains("after the reassignment: real: 3 partitions in 1 topics; 0 violate"),
        "{text}"
    );
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let mut leaders = std::collections::BTreeSet::new();
    for p in j["partitions"].as_array().unwrap() {
        let replicas = p["replicas"].as_array().unwrap();
        assert_eq!(replicas.len(), 3);
        assert!(
            replicas.contains(&serde_json::json!(a)),
            "the existing replica stays"
        );
        leaders.insert(replicas[0].as_i64().unwrap());
    }
    // All three were led from dc-a; the proposal spreads the preferred leaders.
    assert_eq!(leaders.len(), 3, "{j}");

    let plan_s = plan.display().to_string();
    c.run_tool_ok(
        REASSIGN,
        &[
            "--bootstrap-server",
            &c.bootstrap(),
            "--reassignment-json-file",
            &plan_s,
            "--execute",
        ],
    );
    // Kafka copies the data; then a preferred-leader election moves leadership to the
    // proposal's first replicas (the same JSON file lists the partitions).
    let until = Instant::now() + Duration::from_secs(90);
    loop {
        let verify = c.run_tool_ok(
            REASSIGN,
            &[
                "--bootstrap-server",
                &c.bootstrap(),
                "--reassignment-json-file",
                &plan_s,
                "--verify",
            ],
        );
        if !verify.contains("still in progress") {
            assert!(verify.contains("is completed"), "{verify}");
            break;
        }
        assert!(Instant::now() < until, "reassignment not done: {verify}");
        std::thread::sleep(Duration::from_secs(2));
    }
    c.run_tool_ok(
        ELECT,
        &[
            "--bootstrap-server",
            &c.bootstrap(),
            "--election-type",
            "PREFERRED",
            "--path-to-json-file",
            &plan_s,
        ],
    );
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let out = kf()
            .args(["-o", "json", "placement", "check", "--topic", &filter])
            .arg(&topo)
            .output()
            .unwrap();
        if out.status.code() == Some(0) {
            let v = json(&out);
            for p in v[0]["partitions"].as_array().unwrap() {
                assert_eq!(
                    p["replicas_per_dc"],
                    serde_json::json!({"dc-a": 1, "dc-b": 1, "dc-c": 1})
                );
            }
            break;
        }
        assert!(
            Instant::now() < until,
            "placement check still fails after the reassignment:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        std::thread::sleep(Duration::from_secs(2));
    }
}

#[test]
fn a_broker_without_rack_is_a_violation() {
    let c = KafkaCluster::start(ClusterSpec::single("norack"));
    let dir = tempfile::tempdir().unwrap();
    let topo = three_dc_topology(dir.path(), &c.bootstrap());
    let out = kf()
        .args(["-o", "json", "placement", "check"])
        .arg(&topo)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(1), "{v:#}");
    assert_eq!(
        v[0]["cluster_findings"],
        serde_json::json!([{"rule": "broker-without-rack", "broker": 1}])
    );
    let out = kf()
        .args(["placement", "check"])
        .arg(&topo)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("real: broker 1 has no broker.rack: its DC is unknown"));
}
