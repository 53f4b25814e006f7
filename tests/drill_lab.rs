//! `drill --lab` on the embedded mock lab for each example topology, through the CLI:
//! exit 0 only when the drill met the targets, the JSON / JUnit / Markdown reports in
//! `--report-dir`, every group resumed where the runbook set it; and a planned
//! switchover that reads nothing twice and loses nothing.

mod common;

use common::{kf, root, stdout_json as json};

fn drill(topology: &str, extra: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = kf()
        .args(["drill", "--lab", "-o", "json", "--report-dir"])
        .arg(dir.path().join("reports"))
        .arg("--state-dir")
        .arg(dir.path().join("state"))
        .arg(root(topology))
        .args(extra)
        .output()
        .unwrap();
    (out, dir)
}

fn check<'a>(r: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {r:#}"))
}

fn assert_drill_passed(out: &std::process::Output, dir: &std::path::Path) -> serde_json::Value {
    let r = json(out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{r:#}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(r["passed"], true);
    for name in ["failover", "groups-resumed", "failback"] {
        assert_eq!(check(&r, name)["passed"], true, "{name}: {r:#}");
    }
    assert!(r["rto_ms"].as_u64().unwrap() > 0);
    let phases: Vec<&str> = r["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        phases,
        ["outage", "failover", "consumers", "recovery", "failback"]
    );
    // The reports on disk say the same.
    let reports = dir.join("reports");
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("drill-report.json")).unwrap())
            .unwrap();
    assert_eq!(on_disk["passed"], true);
    assert_eq!(on_disk["groups"], r["groups"]);
    let xml = std::fs::read_to_string(reports.join("drill-report.xml")).unwrap();
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(xml.contains("<testcase"), "{xml}");
    let md = std::fs::read_to_string(reports.join("drill-report.md")).unwrap();
    assert!(md.contains("PASS"), "{md}");
    r
}

#[test]
fn active_passive_disaster_drill_passes_and_counts_what_translation_rereads() {
    let (out, dir) = drill("topologies/active-passive.yaml", &[]);
    let r = assert_drill_passed(&out, dir.path());
    assert_eq!(r["pattern"], "active-passive");
    assert_eq!(r["lost_dc"], "dc-east");
    let groups = r["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "{r:#}");
    let ledger = groups
        .iter()
        .find(|g| g["group"] == "payments-ledger")
        .unwrap();
    assert_eq!(ledger["strategy"], "translated");
    assert_eq!(ledger["to_cluster"], "west");
    // MM2 translates to one past its newest offset sync at or before the checkpoint:
    // the lab syncs every 100 records, so a group at 50 re-reads 49 per partition and
    // loses nothing.
    assert_eq!(ledger["lost"], 0, "{ledger:#}");
    assert_eq!(ledger["duplicates"], 6 * 49, "{ledger:#}");
    let dashboard = groups
        .iter()
        .find(|g| g["group"] == "payments-dashboard")
        .unwrap();
    assert_eq!(dashboard["strategy"], "latest");
    assert_eq!(dashboard["duplicates"], 0);
    assert_eq!(check(&r, "max-duplicates")["passed"], true);
}

#[test]
fn planned_switchover_reads_nothing_twice_and_loses_nothing() {
    let (out, dir) = drill("topologies/active-passive.yaml", &["--planned"]);
    let r = assert_drill_passed(&out, dir.path());
    assert_eq!(r["planned"], true);
    assert_eq!(check(&r, "zero-loss")["passed"], true, "{r:#}");
    assert_eq!(check(&r, "zero-duplicates")["passed"], true, "{r:#}");
    assert_eq!(r["records_duplicated"], 0);
    assert_eq!(r["records_lost"], 0);
    for g in r["groups"].as_array().unwrap() {
        assert_eq!(g["duplicates"], 0, "{g:#}");
        assert_eq!(g["lost"], 0, "{g:#}");
    }
    let failover = &r["phases"][1]["steps"];
    let ids: Vec<&str> = failover
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"wait-mirror-drained") && ids.contains(&"wait-groups-caught-up"),
        "{ids:?}"
    );
}

#[test]
fn stretched_drill_keeps_offsets_and_waits_for_isr() {
    let (out, dir) = drill("topologies/stretched.yaml", &[]);
    let r = assert_drill_passed(&out, dir.path());
    assert_eq!(r["pattern"], "stretched");
    for g in r["groups"].as_array().unwrap() {
        assert_eq!(g["strategy"], "kept");
        assert_eq!(g["duplicates"], 0, "{g:#}");
        assert_eq!(g["lost"], 0, "{g:#}");
        assert_eq!(g["from_cluster"], g["to_cluster"]);
    }
    assert_eq!(r["records_lost"], 0);
    let failback: Vec<&str> = r["phases"][4]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(failback.contains(&"wait-in-sync"), "{failback:?}");
}

#[test]
fn active_active_drill_moves_aggregate_readers_and_checks_headroom() {
    let (out, dir) = drill("topologies/active-active.yaml", &[]);
    let r = assert_drill_passed(&out, dir.path());
    assert_eq!(r["lost_dc"], "dc-1");
    let groups = r["groups"].as_array().unwrap();
    assert!(!groups.is_empty());
    for g in groups {
        assert_eq!(g["from_cluster"], "aggregate-1", "{g:#}");
        assert_eq!(g["to_cluster"], "aggregate-2", "{g:#}");
    }
    let headroom = r["phases"][1]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "headroom")
        .unwrap()
        .clone();
    assert!(
        headroom["detail"].as_str().unwrap().contains("dc-2 60/100"),
        "{headroom:#}"
    );
}

#[test]
fn a_drill_that_misses_its_target_exits_1_and_says_which() {
    // The same lab with a zero-duplicate target that translation cannot meet.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root("topologies/active-passive.yaml"))
        .unwrap()
        .replace("max-duplicates: 10000", "max-duplicates: 0");
    let topo = dir.path().join("strict.yaml");
    std::fs::write(&topo, text).unwrap();
    let out = kf()
        .args(["drill", "--lab", "-o", "json", "--state-dir"])
        .arg(dir.path().join("state"))
        .arg(&topo)
        .output()
        .unwrap();
    let r = json(&out);
    assert_eq!(out.status.code(), Some(1), "{r:#}");
    assert_eq!(r["passed"], false);
    assert_eq!(check(&r, "max-duplicates")["passed"], false);
    assert_eq!(check(&r, "failover")["passed"], true);
}

#[test]
fn drill_needs_the_lab_flag_and_a_known_dc() {
    let out = kf()
        .args(["drill"])
        .arg(root("topologies/active-passive.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lab"));
    let out = kf()
        .args(["drill", "--lab", "--lost", "dc-moon"])
        .arg(root("topologies/active-passive.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lost dc-moon"));
}
