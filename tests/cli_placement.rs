//! `placement check|propose` on the mock lab (rack-aware by construction) and their
//! usage errors. Real-Kafka placement tests are in tests/placement_real.rs.

mod common;

use common::{interrupt, kf, start_lab, stdout_json};

#[test]
fn mock_lab_placement_passes_and_the_what_if_names_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let topo = dir.path().join("lab.yaml");
    let lab = start_lab("topologies/stretched.yaml", &topo);

    let out = kf()
        .args(["placement", "check"])
        .arg(&topo)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            // The groups' two topics and the runbooks' lock topic the lab makes.
            "orders: 13 partitions in 3 topics; 0 violate the placement requirements\n"
        ),
        "{text}"
    );

    let out = kf()
        .args([
            "-o",
            "json",
            "placement",
            "check",
            "--lose",
            "zone-a",
            "--topic",
            "orders",
        ])
        .arg(&topo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    let r = &v[0];
    assert_eq!(r["totals"]["partitions"], 6);
    assert_eq!(r["totals"]["offline_if_lost"], 0);
    let parts = r["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 6);
    for p in parts {
        assert_eq!(p["replicas_per_dc"].as_object().unwrap().len(), 3, "{p}");
        let l = &p["if_lost"];
        assert_eq!(l["leader_lost"], p["leader_dc"] == "zone-a");
        assert_eq!(l["leader_candidates"].as_array().unwrap().len(), 2);
    }

    let reassignment = dir.path().join("r.json");
    kf().args(["placement", "propose", "--out"])
        .arg(&reassignment)
        .arg(&topo)
        .assert()
        .success();
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&reassignment).unwrap()).unwrap();
    assert_eq!(j, serde_json::json!({"version": 1, "partitions": []}));

    kf().args(["placement", "check", "--lose", "zone-x"])
        .arg(&topo)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--lose zone-x: no such datacenter in the topology",
        ));
    kf().args(["placement", "check", "--topic", "(bad"])
        .arg(&topo)
        .assert()
        .code(2);
    interrupt(lab);
}

#[test]
fn propose_needs_a_cluster_when_there_are_several() {
    kf().args([
        "placement",
        "propose",
        "topologies/active-passive.yaml",
        "--out",
        "/dev/null",
    ])
    .current_dir(common::root(""))
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "the topology has 2 clusters: name one with --cluster",
    ));
}
