//! Broker faults on librdkafka's mock cluster, across offset resets and failovers:
//! seeded random mixes of NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
//! COORDINATOR_NOT_AVAILABLE, REQUEST_TIMED_OUT and transport errors on the requests a
//! run makes, a broker taken down mid-run, and a high round-trip time. Every run must end
//! with every group at its planned offsets, or exit 3 with an account that matches the
//! clusters exactly (applied groups at the target, the others untouched or at the
//! target, never anywhere else), after which `--resume` finishes; no run may hang past
//! its timeouts. `KF_FAULT_SEED` replays a run.

mod common;

use std::collections::BTreeMap;
use std::process::{Output, Stdio};
use std::time::Duration;

use common::failover_lab::{fixture, partitions_written, stderr, Rng};
use common::{figure, kf, stdout_json as json, wait_bounded};
use kafka_failover::kafka::*;
use rdkafka::types::RDKafkaRespErr as E;

const T: Duration = Duration::from_secs(10);

/// The coordinator and transport errors a broker answers under load or failover.
const ERRORS: &[E] = &[
    E::RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
    E::RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
    E::RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
    E::RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
    E::RD_KAFKA_RESP_ERR__TRANSPORT,
];

/// The requests an offsets reset and a failover make that the mock answers (it has no
/// DescribeGroups: faults queued there would never fire).
const APIS: &[ApiKey] = &[
    ApiKey::OffsetCommit,
    ApiKey::OffsetFetch,
    ApiKey::FindCoordinator,
    ApiKey::ListOffsets,
    ApiKey::Metadata,
];

fn seed() -> u64 {
    std::env::var("KF_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(9)
}

/// `n` faults drawn from the seeded generator, grouped per API (in push order).
fn draw(rng: &mut Rng, n: usize) -> BTreeMap<i32, (ApiKey, Vec<E>)> {
    let mut by_api: BTreeMap<i32, (ApiKey, Vec<E>)> = BTreeMap::new();
    for _ in 0..n {
        let api = APIS[rng.below(APIS.len() as u64) as usize];
        let err = ERRORS[rng.below(ERRORS.len() as u64) as usize];
        by_api
            .entry(api as i32)
            .or_insert_with(|| (api, Vec::new()))
            .1
            .push(err);
    }
    by_api
}

/// Lines the tool logged at `-vv` for a request it retried after a fault.
fn retried(o: &Output) -> usize {
    stderr(o).matches("retrying after").count()
}

// ---------------------------------------------------------------------------------
// Offset resets.

/// The offsets journals in `dir`.
fn journals(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().ends_with(".journal.jsonl"))
                .collect()
        })
        .unwrap_or_default()
}

struct ResetFixture {
    mock: MockKafka,
    admin: AdminClient,
    dir: tempfile::TempDir,
    topo: std::path::PathBuf,
    groups: Vec<String>,
}

/// 3 brokers, `orders` (6 partitions, 60 records each), 16 groups committed at 10.
fn reset_fixture() -> ResetFixture {
    let (mock, admin) = common::mock_orders::orders_cluster(6, 60);
    let groups: Vec<String> = (0..16).map(|i| format!("faulty-{i}")).collect();
    let dir = tempfile::tempdir().unwrap();
    let topo = common::mock_orders::stretched_topology(dir.path(), "mock", &mock.bootstrap());
    let f = ResetFixture {
        mock,
        admin,
        dir,
        topo,
        groups,
    };
    f.commit_all(10);
    f
}

impl ResetFixture {
    /// `--resume JOURNAL` (faults gone): exit 0 and every group at `target`.
    fn resume_to(&self, journal: &std::path::Path, target: i64, ctx: &str) {
        let out = kf()
            .args(["offsets", "reset"])
            .arg(&self.topo)
            .args(["--cluster", "main", "--resume"])
            .arg(journal)
            .args(["--execute", "--yes"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{ctx}: resume: {}", stderr(&out));
        for (g, offs) in self.offsets() {
            assert_eq!(offs, vec![Some(target); 6], "{ctx}: after resume {g}");
        }
    }

    fn commit_all(&self, at: i64) {
        let updates: Vec<GroupOffsetsUpdate> = self
            .groups
            .iter()
            .map(|g| GroupOffsetsUpdate {
                group: g.clone(),
                offsets: (0..6)
                    .map(|p| TopicPartitionOffset::new("orders", p, at))
                    .collect(),
            })
            .collect();
        for (g, r) in self
            .admin
            .alter_group_offsets_batch(&updates, &BatchOptions::new(T))
        {
            r.unwrap_or_else(|e| panic!("commit {g}: {e}"));
        }
    }

    fn offsets(&self) -> BTreeMap<String, Vec<Option<i64>>> {
        let parts: Vec<TopicPartition> = (0..6).map(|p| TopicPartition::new("orders", p)).collect();
        let queries: Vec<GroupOffsetsQuery> = self
            .groups
            .iter()
            .map(|g| GroupOffsetsQuery::partitions(g.clone(), parts.clone()))
            .collect();
        // The test's own read rides out a broker that just came back.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let got = loop {
            let got = self
                .admin
                .list_group_offsets_batch(&queries, &BatchOptions::new(T));
            if got.values().all(|r| r.is_ok()) || std::time::Instant::now() >= deadline {
                break got;
            }
            std::thread::sleep(Duration::from_millis(500));
        };
        self.groups
            .iter()
            .map(|g| {
                let o = got[g].as_ref().unwrap();
                (
                    g.clone(),
                    (0..6).map(|p| o.offset_of("orders", p)).collect(),
                )
            })
            .collect()
    }

    fn reset_cmd(&self, extra: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("kafka-failover"));
        c.args(["-vv", "-o", "json", "offsets", "reset"])
            .arg(&self.topo)
            .args(["--cluster", "main", "--topic", "orders", "--timeout", "4s"]);
        for g in &self.groups {
            c.args(["--group", g]);
        }
        c.args(extra)
            .arg("--journal-dir")
            .arg(self.dir.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }
}

#[test]
fn resets_under_injected_faults_end_at_the_plan_or_account_exactly() {
    let seed = seed();
    let mut rng = Rng(seed);
    let f = reset_fixture();
    let (mut queued, mut seen, mut partial, mut downs, mut slow) = (0, 0, 0, 0, 0);
    let mut aborts: Vec<String> = Vec::new();
    let rounds = 14;
    for round in 0..rounds {
        let before = f.offsets();
        let target = 11 + round as i64; // every round moves every partition
        let faults = draw(&mut rng, 8);
        for (api, errs) in faults.values() {
            f.mock.request_errors(*api, errs);
            queued += errs.len();
        }
        // Some rounds: a WAN-like round trip on every broker, or a broker down for
        // part of the run (the coordinator of some of the groups).
        let high_rtt = round % 4 == 1;
        let down = (round % 4 == 3).then(|| 1 + (round / 4) % 3);
        if high_rtt {
            slow += 1;
            for b in 1..=3 {
                f.mock
                    .round_trip_time(b, Duration::from_millis(250))
                    .unwrap();
            }
        }
        let earlier = journals(f.dir.path());
        let child = f
            .reset_cmd(&["--to-offset", &target.to_string(), "--execute", "--yes"])
            .spawn()
            .unwrap();
        if let Some(b) = down {
            downs += 1;
            std::thread::sleep(Duration::from_millis(150));
            f.mock.broker_down(b).unwrap();
            std::thread::sleep(Duration::from_millis(1500));
            f.mock.broker_up(b).unwrap();
        }
        let (out, _) = wait_bounded(child, Duration::from_secs(90), "offsets reset");
        for (api, _) in faults.values() {
            f.mock.clear_request_errors(*api);
        }
        for b in 1..=3 {
            f.mock.round_trip_time(b, Duration::ZERO).unwrap();
        }
        seen += retried(&out);
        let ctx = format!("seed {seed}, round {round}, faults {faults:?}, down {down:?}");
        let after = f.offsets();
        match out.status.code() {
            Some(0) => {
                for (g, offs) in &after {
                    assert_eq!(offs, &vec![Some(target); 6], "{ctx}: {g}");
                }
            }
            Some(3) => {
                partial += 1;
                // The account: applied groups are at the target; the others were not
                // moved anywhere else.
                let v = json(&out);
                let groups = v["result"]["groups"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                assert!(!groups.is_empty(), "{ctx}: no account: {v:#}");
                for g in groups {
                    let name = g["group"].as_str().unwrap();
                    let offs = &after[name];
                    match g["status"].as_str().unwrap() {
                        "applied" | "already-at-target" => {
                            assert_eq!(offs, &vec![Some(target); 6], "{ctx}: {name}")
                        }
                        _ => assert!(
                            offs.iter()
                                .zip(&before[name])
                                .all(|(o, b)| *o == Some(target) || o == b),
                            "{ctx}: {name} at {offs:?}, before {:?}",
                            before[name]
                        ),
                    }
                }
                // Resume (faults gone): every group at the target.
                let journal = v["result"]["journal"].as_str().unwrap().to_string();
                f.resume_to(std::path::Path::new(&journal), target, &ctx);
            }
            None => {
                // Killed by a signal: librdkafka aborting the process (its mock with a
                // broker down mid-request). A crash must leave an exact account too:
                // the journal's applied groups are at the target, the rest unmoved,
                // and --resume finishes.
                let why = stderr(&out);
                aborts.push(
                    why.lines()
                        .last()
                        .unwrap_or("")
                        .chars()
                        .take(160)
                        .collect::<String>(),
                );
                let journal = journals(f.dir.path())
                    .into_iter()
                    .find(|j| !earlier.contains(j));
                let Some(journal) = journal else {
                    // Died before its journal: it wrote nothing; run it again.
                    assert_eq!(after, before, "{ctx}: changed without a journal");
                    let out = f
                        .reset_cmd(&["--to-offset", &target.to_string(), "--execute", "--yes"])
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{ctx}: again: {}", stderr(&out));
                    for (g, offs) in f.offsets() {
                        assert_eq!(offs, vec![Some(target); 6], "{ctx}: after rerun {g}");
                    }
                    continue;
                };
                let text = std::fs::read_to_string(&journal).unwrap();
                for line in text.lines() {
                    let v: serde_json::Value = serde_json::from_str(line).unwrap();
                    if v["kind"] == "result" && v["status"] == "applied" {
                        let name = v["group"].as_str().unwrap();
                        assert_eq!(after[name], vec![Some(target); 6], "{ctx}: {name}");
                    }
                }
                for (g, offs) in &after {
                    assert!(
                        offs.iter()
                            .zip(&before[g])
                            .all(|(o, b)| *o == Some(target) || o == b),
                        "{ctx}: {g} at {offs:?}"
                    );
                }
                f.resume_to(&journal, target, &ctx);
            }
            other => panic!("{ctx}: exit {other:?}: {}", stderr(&out)),
        }
    }
    assert!(seen > 0, "the tool never saw a fault");
    figure(
        "broker faults: resets",
        &format!(
            "{queued} faults queued (seed {seed}) across {rounds} resets of 16 groups × 6 partitions, \
             plus {downs} broker-down-mid-run and {slow} 250 ms RTT rounds; {seen} retries logged; \
             {partial} runs exited 3 with an exact account and resumed; {} killed by librdkafka \
             aborting {aborts:?}, journal exact and resumed; 0 wrong offsets",
            aborts.len()
        ),
    );
}

// ---------------------------------------------------------------------------------
// Failovers on the active/passive lab.

#[test]
fn failovers_under_injected_faults_end_at_the_plan_or_account_exactly() {
    let seed = seed();
    let mut rng = Rng(seed ^ 0x5eed);
    let f = fixture(&[]);
    let s0 = f.offsets();
    // The reference: S1, without faults.
    let out = f.failover(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s1 = f.offsets();
    assert!(partitions_written(&json(&out)) > 0);
    f.rollback(&f.journals()[0]);
    assert_eq!(f.offsets(), s0);

    let (mut queued, mut seen, mut partial, mut downs, mut slow) = (0, 0, 0, 0, 0);
    let mut aborts = 0;
    let rounds = 6;
    for round in 0..rounds {
        let faults = draw(&mut rng, 18);
        let pushed: Vec<(ApiKey, Vec<E>)> = faults.values().cloned().collect();
        queued += pushed.iter().map(|(_, e)| e.len()).sum::<usize>();
        let high_rtt = round % 4 == 1;
        let down = (round % 4 == 3).then(|| 1 + round % 3);
        f.lab
            .with_mocks(move |m| {
                let west = &m["west"];
                for (api, errs) in &pushed {
                    west.request_errors(*api, errs);
                }
                if high_rtt {
                    for b in 1..=3 {
                        west.round_trip_time(b, Duration::from_millis(200)).unwrap();
                    }
                }
            })
            .unwrap();
        slow += usize::from(high_rtt);
        let before = f.journals().len();
        let child = f
            .failover_cmd(&["-vv"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(b) = down {
            // A broker of the surviving cluster goes down mid-run and comes back.
            downs += 1;
            std::thread::sleep(Duration::from_millis(1200));
            f.lab
                .with_mocks(move |m| m["west"].broker_down(b))
                .unwrap()
                .unwrap();
            std::thread::sleep(Duration::from_millis(2000));
            f.lab
                .with_mocks(move |m| m["west"].broker_up(b))
                .unwrap()
                .unwrap();
        }
        let (out, _) = wait_bounded(child, Duration::from_secs(120), "failover");
        let apis: Vec<ApiKey> = faults.values().map(|(a, _)| *a).collect();
        f.lab
            .with_mocks(move |m| {
                let west = &m["west"];
                for api in apis {
                    west.clear_request_errors(api);
                }
                for b in 1..=3 {
                    west.round_trip_time(b, Duration::ZERO).unwrap();
                }
            })
            .unwrap();
        seen += retried(&out);
        let ctx = format!("seed {seed}, round {round}, faults {faults:?}, down {down:?}");
        let journal = f.journals().into_iter().skip(before).last();
        match out.status.code() {
            Some(0) => assert_eq!(f.offsets(), s1, "{ctx}: end state"),
            Some(3) => {
                partial += 1;
                // Stopped at a failed step, with the account in the report: every
                // partition is where it was or where the plan puts it, nowhere else.
                let now = f.offsets();
                for (k, v) in &now {
                    assert!(v == &s0[k] || v == &s1[k], "{ctx}: {k:?} at {v:?}");
                }
                let r: serde_json::Value = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|_| panic!("{ctx}: exit 3 without a report: {}", stderr(&out)));
                assert!(
                    r["steps"]
                        .as_array()
                        .is_some_and(|s| s.iter().any(|s| s["status"] == "failed")),
                    "{ctx}: exit {:?} without a failed step: {r:#}",
                    out.status.code()
                );
                let j = journal.clone().expect("a run journal");
                let out = f.failover(&["--resume", j.to_str().unwrap()]);
                assert!(out.status.success(), "{ctx}: resume: {}", stderr(&out));
                assert_eq!(f.offsets(), s1, "{ctx}: after resume");
            }
            None => {
                // Killed by librdkafka aborting the process: the run journal resumes.
                aborts += 1;
                let j = journal.clone().expect("a run journal");
                let out = f.failover(&["--resume", j.to_str().unwrap()]);
                assert!(out.status.success(), "{ctx}: resume: {}", stderr(&out));
                assert_eq!(f.offsets(), s1, "{ctx}: after resume");
            }
            other => panic!("{ctx}: exit {other:?}: {}", stderr(&out)),
        }
        f.rollback(&journal.expect("a run journal"));
        assert_eq!(f.offsets(), s0, "{ctx}: rollback");
    }
    assert!(seen > 0, "the tool never saw a fault");
    figure(
        "broker faults: failovers",
        &format!(
            "{queued} faults queued (seed {seed}) across {rounds} failovers of the active/passive lab \
             on the surviving cluster, plus {downs} broker-down-mid-run and {slow} 200 ms RTT rounds; \
             {seen} retries logged; {partial} runs stopped at a failed step and resumed, \
             {aborts} killed by librdkafka aborting and resumed; \
             every run ended at the uninterrupted offsets; 0 wrong offsets"
        ),
    );
}
