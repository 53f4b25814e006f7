//! `offsets` through the CLI against librdkafka's mock cluster (in this process; the
//! CLI runs as a child): injected coordinator and transport errors still end with
//! every group at its planned offsets; refusals, usage errors and partial failures
//! get their documented exit codes and change nothing they should not.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{kf, stdout_json as json};
use kafka_failover::kafka::*;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::types::RDKafkaRespErr as E;
use rdkafka::ClientConfig;

const T: Duration = Duration::from_secs(10);

struct Fixture {
    mock: MockKafka,
    admin: AdminClient,
    dir: tempfile::TempDir,
    topo: PathBuf,
}

/// 3 brokers, topic `orders` (4 partitions, 50 records each), groups committed at 20.
fn fixture(groups: &[String]) -> Fixture {
    let (mock, admin) = common::mock_orders::orders_cluster(4, 50);
    commit(&admin, groups, 20);
    let dir = tempfile::tempdir().unwrap();
    let topo = common::mock_orders::stretched_topology(dir.path(), "mock", &mock.bootstrap());
    Fixture {
        mock,
        admin,
        dir,
        topo,
    }
}

fn commit(admin: &AdminClient, groups: &[String], at: i64) {
    let updates: Vec<GroupOffsetsUpdate> = groups
        .iter()
        .map(|g| GroupOffsetsUpdate {
            group: g.clone(),
            offsets: (0..4)
                .map(|p| TopicPartitionOffset::new("orders", p, at))
                .collect(),
        })
        .collect();
    for (g, r) in admin.alter_group_offsets_batch(&updates, &BatchOptions::new(T)) {
        r.unwrap_or_else(|e| panic!("commit {g}: {e}"));
    }
}

/// Committed offsets of `orders` per group (the mock lists only given partitions).
fn offsets(admin: &AdminClient, groups: &[String]) -> Vec<Vec<Option<i64>>> {
    let parts: Vec<TopicPartition> = (0..4).map(|p| TopicPartition::new("orders", p)).collect();
    let queries: Vec<GroupOffsetsQuery> = groups
        .iter()
        .map(|g| GroupOffsetsQuery::partitions(g.clone(), parts.clone()))
        .collect();
    let got = admin.list_group_offsets_batch(&queries, &BatchOptions::new(T));
    groups
        .iter()
        .map(|g| {
            let o = got[g].as_ref().unwrap();
            (0..4).map(|p| o.offset_of("orders", p)).collect()
        })
        .collect()
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

fn reset(f: &Fixture, groups: &[String], extra: &[&str]) -> std::process::Output {
    let mut cmd = kf();
    cmd.arg("offsets")
        .arg("reset")
        .arg(&f.topo)
        .args(["--cluster", "main", "--topic", "orders"]);
    for g in groups {
        cmd.args(["--group", g]);
    }
    cmd.args(extra)
        .arg("--journal-dir")
        .arg(f.dir.path())
        .output()
        .unwrap()
}

fn journals(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".journal.jsonl")
        })
        .count()
}

#[test]
fn injected_coordinator_and_transport_errors_still_end_at_the_plan() {
    let groups = names("faulty", 12);
    let f = fixture(&groups);
    let mut injected = 0;
    for (round, err) in [
        E::RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        E::RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
        E::RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
        E::RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        E::RD_KAFKA_RESP_ERR__TRANSPORT,
    ]
    .into_iter()
    .enumerate()
    {
        let target = 5 + round as i64;
        f.mock
            .request_errors(ApiKey::OffsetCommit, &[err, err, err]);
        f.mock.request_errors(ApiKey::OffsetFetch, &[err]);
        injected += 4;
        let out = reset(
            &f,
            &groups,
            &[
                "--to-offset",
                &target.to_string(),
                "--execute",
                "--yes",
                "-o",
                "json",
            ],
        );
        assert!(
            out.status.success(),
            "{err:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(json(&out)["result"]["groups"].as_array().unwrap().len(), 12);
        for (g, offs) in groups.iter().zip(offsets(&f.admin, &groups)) {
            assert_eq!(offs, vec![Some(target); 4], "{err:?}: group {g}");
        }
        f.mock.clear_request_errors(ApiKey::OffsetCommit);
        f.mock.clear_request_errors(ApiKey::OffsetFetch);
    }
    eprintln!("figure: {injected} injected errors across 5 resets of 12 groups; 0 wrong offsets");
}

#[test]
fn without_a_terminal_or_yes_nothing_is_applied_exit_4() {
    let groups = names("prompt", 2);
    let f = fixture(&groups);
    let out = reset(&f, &groups, &["--to-earliest", "--execute"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--yes") && err.contains("Nothing was changed"),
        "{err}"
    );
    assert_eq!(offsets(&f.admin, &groups), vec![vec![Some(20); 4]; 2]);
    assert_eq!(journals(f.dir.path()), 0);
    // Without --execute it is a plan: exit 0, plan on stdout, nothing written.
    let out = reset(&f, &groups, &["--to-earliest", "-o", "json"]);
    assert!(out.status.success());
    assert_eq!(json(&out)["groups"][0]["partitions"][0]["target"], 0);
    assert_eq!(offsets(&f.admin, &groups), vec![vec![Some(20); 4]; 2]);
}

#[test]
fn bad_flags_exit_2_and_change_nothing() {
    let groups = names("flags", 1);
    let f = fixture(&groups);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--to-datetime", "2026-11-24T03:00:00"], "zone"),
        (vec!["--to-earliest", "--to-latest"], "cannot be used with"),
        (vec![], "choose a strategy"),
        (vec!["--to-offset", "-3"], "offsets are >= 0"),
        (
            vec!["--to-earliest", "--fallback-by-duration", "5m"],
            "needs --translated-from",
        ),
        (
            vec!["--translated-from", "nowhere"],
            "no mirror from `nowhere`",
        ),
        (
            vec!["--shift-by", "1", "--topic", "orders:x"],
            "not a non-negative number",
        ),
        (
            vec!["--to-earliest", "--topic", "missing"],
            "--topic missing: the topic does not exist",
        ),
        (vec!["--by-duration", "5 parsecs"], "5m"),
    ];
    for (args, want) in cases {
        let out = reset(&f, &groups, &[&args[..], &["--execute", "--yes"]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let out = kf()
        .arg("offsets")
        .arg("reset")
        .arg(&f.topo)
        .args(["--cluster", "mian", "--group", "g", "--to-earliest"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `main`"));
    assert_eq!(offsets(&f.admin, &groups), vec![vec![Some(20); 4]]);
    assert_eq!(journals(f.dir.path()), 0);
}

#[test]
fn a_failed_group_exits_3_with_the_journal_and_resume_finishes_it() {
    let groups = names("partial", 3);
    let f = fixture(&groups);
    // Not retriable: the first group's commit fails, the others land.
    f.mock.request_errors(
        ApiKey::OffsetCommit,
        &[E::RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED],
    );
    let out = reset(&f, &groups, &["--to-offset", "33", "--execute", "--yes"]);
    f.mock.clear_request_errors(ApiKey::OffsetCommit);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("2 group(s) applied") && err.contains("1 failed"),
        "{err}"
    );
    let after = offsets(&f.admin, &groups);
    assert_eq!(after.iter().filter(|o| **o == vec![Some(33); 4]).count(), 2);
    assert_eq!(after.iter().filter(|o| **o == vec![Some(20); 4]).count(), 1);
    let journal = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".journal.jsonl"))
        .unwrap();
    assert!(err.contains(journal.to_str().unwrap()), "{err}");
    let out = kf()
        .arg("offsets")
        .arg("reset")
        .arg(&f.topo)
        .args(["--cluster", "main", "--resume"])
        .arg(&journal)
        .args(["--execute", "--yes", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(
        v["result"]["groups"].as_array().unwrap().len(),
        1,
        "only the failed group is written again"
    );
    assert_eq!(offsets(&f.admin, &groups), vec![vec![Some(33); 4]; 3]);
}

#[test]
fn a_live_member_stops_the_reset_even_where_members_cannot_be_listed() {
    let groups = names("member", 1);
    let f = fixture(&groups);
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", f.mock.bootstrap())
        .set("group.id", &groups[0])
        .create()
        .unwrap();
    consumer.subscribe(&["orders"]).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while consumer.assignment().unwrap().count() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "member never got partitions"
        );
        consumer.poll(Duration::from_millis(100));
    }
    let out = reset(&f, &groups, &["--to-earliest", "--execute", "--yes"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&groups[0]) && err.contains("nothing was changed"),
        "{err}"
    );
    assert!(err.contains("cannot describe groups"), "{err}");
    drop(consumer);
}

#[test]
fn show_reports_committed_bounds_and_lag() {
    let groups = names("shown", 1);
    let f = fixture(&groups);
    let out = kf()
        .arg("offsets")
        .arg("show")
        .arg(&f.topo)
        .args([
            "--cluster",
            "main",
            "--group",
            &groups[0],
            "--topic",
            "orders:1,3",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let parts = v[0]["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[1]["partition"], 3);
    assert_eq!(
        (
            parts[1]["committed"].as_i64(),
            parts[1]["log_end"].as_i64(),
            parts[1]["lag"].as_i64()
        ),
        (Some(20), Some(50), Some(30))
    );
    assert_eq!(v[0]["total_lag"], 60);
}

#[test]
fn ctrl_c_during_apply_stops_between_chunks_exit_130_and_resume_finishes() {
    let groups = names("signal", 1000);
    let f = fixture(&groups);
    for id in f.mock.broker_ids() {
        f.mock
            .round_trip_time(id, Duration::from_millis(500))
            .unwrap();
    }
    // 1,000 groups from a plan file (Kafka's 4-column CSV).
    let plan = f.dir.path().join("plan.csv");
    let mut csv = String::new();
    for g in &groups {
        for p in 0..4 {
            csv.push_str(&format!("{g},orders,{p},7\n"));
        }
    }
    std::fs::write(&plan, csv).unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kafka-failover"))
        .arg("offsets")
        .arg("reset")
        .arg(&f.topo)
        .args(["--cluster", "main", "--from-file"])
        .arg(&plan)
        .args(["--execute", "--yes", "--timeout", "30s", "--journal-dir"])
        .arg(f.dir.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first chunk's results in the journal, then Ctrl-C.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let journal = loop {
        assert!(
            std::time::Instant::now() < deadline,
            "no journal result in time"
        );
        let found = std::fs::read_dir(f.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(".journal.jsonl"));
        if let Some(j) = found {
            if std::fs::read_to_string(&j)
                .unwrap_or_default()
                .contains("\"result\"")
            {
                break j;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("resume with `offsets reset --resume"), "{err}");
    for id in f.mock.broker_ids() {
        f.mock.round_trip_time(id, Duration::ZERO).unwrap();
    }
    let text = std::fs::read_to_string(&journal).unwrap();
    let done = text.matches("\"status\":\"applied\"").count();
    assert!(
        (250..1000).contains(&done),
        "{done} groups applied before Ctrl-C"
    );
    let at_target = offsets(&f.admin, &groups)
        .iter()
        .filter(|o| **o == vec![Some(7); 4])
        .count();
    assert_eq!(
        at_target, done,
        "the journal accounts for exactly what was written"
    );
    let out = kf()
        .arg("offsets")
        .arg("reset")
        .arg(&f.topo)
        .args(["--cluster", "main", "--resume"])
        .arg(&journal)
        .args(["--execute", "--yes", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        json(&out)["result"]["groups"].as_array().unwrap().len(),
        1000 - done
    );
    assert!(offsets(&f.admin, &groups)
        .iter()
        .all(|o| *o == vec![Some(7); 4]));
    eprintln!(
        "figure: Ctrl-C after {done} of 1000 groups; resume wrote the other {}",
        1000 - done
    );
}
