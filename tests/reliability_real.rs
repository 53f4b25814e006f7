//! Brokers killed (SIGKILL) or frozen (SIGSTOP) mid-run, on real Apache Kafka 4.x:
//! an `offsets reset` of 1,000 groups loses a broker after its first batch, and a
//! failover loses a broker of the surviving cluster between stopping the mirror and
//! moving the groups. Every run ends with every group at the planned offsets or exits 3
//! with an account that matches the cluster exactly; `--resume` then finishes;
//! rollback restores the exact previous offsets; no run hangs past its bound. Offsets
//! are read back with an independent client (librdkafka's OffsetFetch through the
//! admin API). The two tests run side by side (their brokers mostly wait).

mod common;
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{figure, kf, stdout_json as json, wait_bounded};
use kafka_failover::kafka::{
    AdminClient, BatchOptions, ClientSettings, GroupOffsetsQuery, GroupOffsetsUpdate,
    TopicPartition, TopicPartitionOffset,
};
use support::kafka::*;

const T: Duration = Duration::from_secs(20);
const PARTS: i32 = 6;
const RECORDS: usize = 50;

fn admin_for(bootstrap: &str) -> AdminClient {
    AdminClient::new(ClientSettings::new(bootstrap).timeout(T)).unwrap()
}

fn commit_all(admin: &AdminClient, groups: &[String], topic: &str, at: i64) {
    let updates: Vec<GroupOffsetsUpdate> = groups
        .iter()
        .map(|g| GroupOffsetsUpdate {
            group: g.clone(),
            offsets: (0..PARTS)
                .map(|p| TopicPartitionOffset::new(topic, p, at))
                .collect(),
        })
        .collect();
    for (g, r) in admin.alter_group_offsets_batch(&updates, &BatchOptions::new(T * 3)) {
        r.unwrap_or_else(|e| panic!("commit {g}: {e}"));
    }
}

fn offsets(admin: &AdminClient, groups: &[String], topic: &str) -> BTreeMap<String, Vec<i64>> {
    let parts: Vec<TopicPartition> = (0..PARTS).map(|p| TopicPartition::new(topic, p)).collect();
    let queries: Vec<GroupOffsetsQuery> = groups
        .iter()
        .map(|g| GroupOffsetsQuery::partitions(g.clone(), parts.clone()))
        .collect();
    let got = admin.list_group_offsets_batch(&queries, &BatchOptions::new(T * 3));
    groups
        .iter()
        .map(|g| {
            let o = got[g].as_ref().unwrap_or_else(|e| panic!("read {g}: {e}"));
            let v = (0..PARTS)
                .map(|p| o.offset_of(topic, p).unwrap_or(-1))
                .collect();
            (g.clone(), v)
        })
        .collect()
}

/// `topic` with PARTS partitions (RF 3) of RECORDS records each, known to every broker.
fn seeded_topic(bootstrap: &str, topic: &str) {
    create_topic(bootstrap, topic, PARTS, 3);
    wait_for_topic(bootstrap, topic, PARTS, T);
    for p in 0..PARTS {
        produce_to_partition(bootstrap, topic, p, RECORDS, |_| now_ms());
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every group at `target`, or (exit 3) the report's account matching the cluster:
/// applied groups at `target`, the others at `before` or `target`. Returns whether the
/// run was partial.
fn check_account(
    out: &Output,
    now: &BTreeMap<String, Vec<i64>>,
    before: &BTreeMap<String, Vec<i64>>,
    target: &dyn Fn(&str) -> Vec<i64>,
    ctx: &str,
) -> bool {
    match out.status.code() {
        Some(0) => {
            for (g, o) in now {
                assert_eq!(o, &target(g), "{ctx}: {g}");
            }
            false
        }
        Some(3) => {
            for (g, o) in now {
                let t = target(g);
                assert!(
                    o.iter()
                        .zip(&before[g])
                        .zip(&t)
                        .all(|((o, b), t)| o == b || o == t),
                    "{ctx}: {g} at {o:?} (before {:?}, target {t:?})",
                    before[g]
                );
            }
            true
        }
        other => panic!("{ctx}: exit {other:?}: {}", stderr(out)),
    }
}

// ---------------------------------------------------------------------------------

fn stretched_topology(dir: &Path, bootstrap: &str) -> PathBuf {
    let p = dir.join("real.yaml");
    std::fs::write(
        &p,
        format!(
            "version: 1\nname: rel\npattern: stretched\n\
             datacenters:\n  dc-a: {{racks: [dc-a]}}\n  dc-b: {{racks: [dc-b]}}\n  dc-c: {{racks: [dc-c]}}\n\
             clusters:\n  main:\n    datacenters: [dc-a, dc-b, dc-c]\n    bootstrap: \"{bootstrap}\"\n\
             placement: {{replication-factor: 3, min-insync-replicas: 2}}\n"
        ),
    )
    .unwrap();
    p
}

/// Spawns a reset of every `rel-*` group to `to`, and once its journal shows the first
/// batch done, does `fault` to a broker. Returns the run's output, how many groups were
/// journaled before the fault and how long the run took.
fn reset_with_fault(
    topo: &Path,
    journals: &Path,
    to: i64,
    fault: &dyn Fn(),
) -> (Output, usize, Duration) {
    let before: Vec<PathBuf> = list(journals);
    let child = Command::new(assert_cmd::cargo::cargo_bin("kafka-failover"))
        .args(["-o", "json", "offsets", "reset"])
        .arg(topo)
        .args(["--cluster", "main", "--group-regex", "rel-.*"])
        .args(["--to-offset", &to.to_string(), "--execute", "--yes"])
        .args(["--timeout", "15s", "--journal-dir"])
        .arg(journals)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut done_before = 0;
    while started.elapsed() < Duration::from_secs(60) {
        if let Some(j) = list(journals).into_iter().find(|p| !before.contains(p)) {
            let n = std::fs::read_to_string(&j)
                .unwrap_or_default()
                .matches("\"kind\":\"result\"")
                .count();
            if n > 0 {
                done_before = n;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    fault();
    let (out, took) = wait_bounded(child, Duration::from_secs(150), "offsets reset");
    (out, done_before, took)
}

fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn resets_ride_out_a_broker_killed_or_frozen_mid_run() {
    let cluster = KafkaCluster::start(ClusterSpec::with_racks(
        "relreset",
        &["dc-a", "dc-b", "dc-c"],
    ));
    let bootstrap = cluster.bootstrap();
    let admin = admin_for(&bootstrap);
    let topic = "orders";
    seeded_topic(&bootstrap, topic);
    let groups: Vec<String> = (0..1000).map(|i| format!("rel-{i:04}")).collect();
    commit_all(&admin, &groups, topic, 5);
    let dir = tempfile::tempdir().unwrap();
    let topo = stretched_topology(dir.path(), &bootstrap);
    let journals = dir.path().join("journals");
    let mut lines = Vec::new();

    for (round, (what, to)) in [("SIGKILL", 20i64), ("SIGSTOP", 30)]
        .into_iter()
        .enumerate()
    {
        let victim = cluster.broker_ids()[1 + round];
        let before = offsets(&admin, &groups, topic);
        let fault = || match what {
            "SIGKILL" => cluster.kill(victim),
            _ => cluster.freeze(victim),
        };
        let (out, done_before, took) = reset_with_fault(&topo, &journals, to, &fault);
        // The broker comes back (restarted, or thawed) before the account is read.
        match what {
            "SIGKILL" => cluster.restart(victim),
            _ => cluster.thaw(victim),
        }
        cluster.wait_until_registered(&cluster.broker_ids(), Duration::from_secs(60));
        let ctx = format!("{what} of broker {victim} after {done_before} groups");
        let now = offsets(&admin, &groups, topic);
        let partial = check_account(&out, &now, &before, &|_| vec![to; PARTS as usize], &ctx);
        let mut resumed = String::new();
        if partial {
            let v = json(&out);
            let j = v["result"]["journal"].as_str().expect("journal path");
            let failed = v["result"]["groups"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|g| g["status"] == "failed")
                .count();
            let out = kf()
                .args(["offsets", "reset"])
                .arg(&topo)
                .args(["--cluster", "main", "--resume", j, "--execute", "--yes"])
                .args(["--timeout", "20s"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{ctx}: resume: {}", stderr(&out));
            for (g, o) in offsets(&admin, &groups, topic) {
                assert_eq!(o, vec![to; PARTS as usize], "{ctx}: after resume {g}");
            }
            resumed = format!(", {failed} failed groups resumed");
        }
        lines.push(format!(
            "{what} of a broker after {done_before}/1000 groups: exit {} in {:.1} s{resumed}",
            out.status.code().unwrap_or(-1),
            took.as_secs_f64()
        ));
    }
    figure(
        "broker faults: real Kafka resets",
        &format!(
            "1,000 groups × {PARTS} partitions; {}; every group at its target, 0 wrong offsets",
            lines.join("; ")
        ),
    );
}

// ---------------------------------------------------------------------------------

fn active_passive_topology(dir: &Path, west: &str, east: &str, hook: &str, mm2: &Path) -> PathBuf {
    let p = dir.join("ap.yaml");
    std::fs::write(
        &p,
        format!(
            "version: 1\nname: relap\npattern: active-passive\n\
             datacenters:\n  dc-a: {{racks: [dc-a]}}\n  dc-b: {{racks: [dc-b, dc-c, dc-d]}}\n\
             clusters:\n  east:\n    datacenter: dc-a\n    role: primary\n    bootstrap: \"{east}\"\n\
             \x20 west:\n    datacenter: dc-b\n    role: standby\n    bootstrap: \"{west}\"\n\
             mirrors:\n  east-to-west:\n    source: east\n    target: west\n    runs-in: dc-b\n\
             \x20   driver:\n      mm2-properties: {{file: \"{}\", reload: \"true\"}}\n\
             consumer-groups:\n  - pattern: \"pay-.*\"\n    topics: [orders]\n    active-in: [dc-a]\n\
             \x20   mode: single-active\n    failover: {{strategy: latest}}\n\
             hooks:\n  stop-consumers: {{command: \"{hook}\"}}\n",
            mm2.display()
        ),
    )
    .unwrap();
    p
}

/// Until `cluster status` finds west healthy again (every replica back in sync): one
/// fault at a time, as an operator meets them.
fn wait_healthy(topo: &Path) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let out = kf()
            .args(["cluster", "status"])
            .arg(topo)
            .args(["--cluster", "west", "--timeout", "5s"])
            .output()
            .unwrap();
        if out.status.success() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "west never healthy again: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[test]
fn failovers_ride_out_a_surviving_broker_killed_or_frozen_mid_run() {
    let mut clusters = KafkaCluster::start_all(vec![
        ClusterSpec::with_racks("releast", &["dc-a"]),
        ClusterSpec::with_racks("relwest", &["dc-b", "dc-c", "dc-d"]),
    ]);
    let west = clusters.pop().unwrap();
    let east = clusters.pop().unwrap();
    let wb = west.bootstrap();
    let admin = admin_for(&wb);
    let topic = "east.orders";
    seeded_topic(&wb, topic);
    let groups: Vec<String> = (0..100).map(|i| format!("pay-{i:03}")).collect();
    commit_all(&admin, &groups, topic, 5);
    let dir = tempfile::tempdir().unwrap();
    let mm2 = dir.path().join("mm2.properties");
    std::fs::write(
        &mm2,
        format!(
            "clusters = east, west\neast.bootstrap.servers = {}\nwest.bootstrap.servers = {wb}\n\
             east->west.enabled = true\neast->west.topics = orders\n",
            east.bootstrap()
        ),
    )
    .unwrap();
    // The disaster: the primary's DC is gone.
    let east_bootstrap = east.bootstrap();
    drop(east);
    let s0 = offsets(&admin, &groups, topic);
    let end = vec![RECORDS as i64; PARTS as usize];
    let state = dir.path().join("state");
    let mut lines = Vec::new();

    let only = std::env::var("KF_REAL_ROUND").ok();
    for (round, what) in ["SIGKILL", "SIGSTOP"]
        .into_iter()
        .enumerate()
        .filter(|(_, w)| only.as_deref().is_none_or(|o| o == *w))
    {
        let victim = west.broker_ids()[round];
        let pid = west.pid(victim).expect("broker pid");
        let signal = if what == "SIGKILL" { "-9" } else { "-STOP" };
        // The stop-consumers hook runs after the mirror is stopped, right before the
        // groups move: the broker goes then, while the run holds its lock.
        let topo = active_passive_topology(
            dir.path(),
            &wb,
            &east_bootstrap,
            &format!("kill {signal} {pid}"),
            &mm2,
        );
        let before_runs = list(&state.join("relap/runs")).len();
        let child = Command::new(assert_cmd::cargo::cargo_bin("kafka-failover"))
            .args(["-o", "json", "failover"])
            .arg(&topo)
            .args(["--lost", "dc-a", "--execute", "--yes", "--timeout", "15s"])
            .args(["--wait", "30s", "--state-dir"])
            .arg(&state)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (out, took) = wait_bounded(child, Duration::from_secs(150), "failover");
        let code = out.status.code().unwrap_or(-1);
        match what {
            "SIGKILL" => west.restart(victim),
            _ => west.thaw(victim),
        }
        west.wait_until_registered(&west.broker_ids(), Duration::from_secs(60));
        wait_healthy(&topo);
        let ctx = format!("{what} of west broker {victim} mid-failover");
        let now = offsets(&admin, &groups, topic);
        let partial = check_account(&out, &now, &s0, &|_| end.clone(), &ctx);
        let run = list(&state.join("relap/runs"))
            .into_iter()
            .max_by_key(|p| p.metadata().unwrap().modified().unwrap())
            .unwrap()
            .join("run.jsonl");
        assert!(list(&state.join("relap/runs")).len() > before_runs);
        let mut resumed = String::new();
        if partial {
            let failed = json(&out)["steps"]
                .as_array()
                .and_then(|s| s.iter().find(|s| s["status"] == "failed").cloned())
                .unwrap_or_default();
            eprintln!("{ctx}: stopped at {failed:#}");
            resumed = format!(
                ", stopped at `{}` ({}), resumed to the end",
                failed["id"].as_str().unwrap_or("?"),
                failed["detail"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(160)
                    .collect::<String>()
            );
            let out = kf()
                .args(["failover"])
                .arg(&topo)
                .args(["--lost", "dc-a", "--execute", "--yes", "--timeout", "15s"])
                .arg("--resume")
                .arg(&run)
                .output()
                .unwrap();
            assert!(out.status.success(), "{ctx}: resume: {}", stderr(&out));
            for (g, o) in offsets(&admin, &groups, topic) {
                assert_eq!(o, end, "{ctx}: after resume {g}");
            }
        }
        // Rollback: the exact previous offsets (and the mirror re-enabled).
        let out = kf()
            .arg("rollback")
            .arg(&run)
            .args(["--execute", "--yes", "--timeout", "15s"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{ctx}: rollback: {}", stderr(&out));
        assert_eq!(offsets(&admin, &groups, topic), s0, "{ctx}: rollback");
        lines.push(format!(
            "{what} of a surviving broker mid-failover: exit {code} in {:.1} s{resumed}, rollback exact",
            took.as_secs_f64()
        ));
    }
    figure(
        "broker faults: real Kafka failovers",
        &format!(
            "100 groups × {PARTS} partitions moved to the standby; {}; 0 wrong offsets",
            lines.join("; ")
        ),
    );
}
