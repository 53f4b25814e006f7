//! `failover`, `failback`, `ready` and `rollback` through the CLI against the embedded
//! mock lab, run in this process so the test can take a DC down: plans change nothing,
//! no terminal means no apply, the lock on the surviving cluster refuses a second run,
//! hooks see the run's facts and a failing hook stops the run (exit 3), a run killed
//! mid-way resumes to the same end state, and rollback restores the offsets.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{kf, stdout_json as json};
use kafka_failover::kafka::{AdminClient, ClientSettings, GroupOffsetsQuery, TopicPartition};
use kafka_failover::lab::{Lab, LabOptions, MockLab};
use kafka_failover::runbook::lock::{acquire, Claimant};
use kafka_failover::topology::{Hook, HookEvent, Topology};

fn example(name: &str) -> Topology {
    common::example_topology(name)
}

fn start(t: &Topology, dir: &Path) -> (MockLab, String) {
    let lab = MockLab::start(t, &LabOptions::default()).unwrap();
    let path = dir.join("lab.yaml");
    std::fs::write(&path, lab.topology_yaml().unwrap()).unwrap();
    (lab, path.display().to_string())
}

/// Committed offsets of `group` on `east.payments` (6 partitions) of `west`.
fn committed(lab: &MockLab, cluster: &str, group: &str, topic: &str) -> Vec<Option<i64>> {
    let admin = AdminClient::new(
        ClientSettings::new(&lab.bootstrap()[cluster]).timeout(Duration::from_secs(10)),
    )
    .unwrap();
    let parts = (0..6).map(|p| TopicPartition::new(topic, p)).collect();
    let got = admin
        .list_group_offsets(
            &GroupOffsetsQuery::partitions(group, parts),
            Duration::from_secs(10),
        )
        .unwrap();
    (0..6).map(|p| got.offset_of(topic, p)).collect()
}

use common::failover_lab::wait_checkpoint;

fn failover(t: &str, state: &Path, extra: &[&str]) -> std::process::Output {
    kf().args([
        "failover",
        t,
        "--lost",
        "dc-east",
        "--timeout",
        "5s",
        "--state-dir",
    ])
    .arg(state)
    .args(["--group", "payments-notify-lab-1"])
    .args(extra)
    .output()
    .unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn plan_only_refusals_lock_execute_rerun_and_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let (lab, t) = start(&example("active-passive"), dir.path());
    // The ledger ran on the standby once before (offsets at 0 there): rollback must
    // bring those back. (Restoring "no committed offset" needs OffsetDelete, which
    // librdkafka's mock lacks; tests/offsets_real.rs proves it on Kafka.)
    let admin = AdminClient::new(
        ClientSettings::new(&lab.bootstrap()["west"]).timeout(Duration::from_secs(10)),
    )
    .unwrap();
    let zeros: Vec<_> = (0..6)
        .map(|p| kafka_failover::kafka::TopicPartitionOffset::new("east.payments", p, 0))
        .collect();
    for (_, r) in admin.alter_group_offsets_batch(
        &[kafka_failover::kafka::GroupOffsetsUpdate {
            group: "payments-ledger".into(),
            offsets: zeros,
        }],
        &kafka_failover::kafka::BatchOptions::new(Duration::from_secs(10)),
    ) {
        r.unwrap();
    }
    wait_checkpoint(&t);

    // Plan only: the steps, exit 0, nothing changed.
    let out = failover(&t, &state, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("failover of `payments` (active-passive): lose dc-east"),
        "{text}"
    );
    assert!(
        text.contains("move-groups") && text.contains("stop-mirror"),
        "{text}"
    );
    assert!(stderr(&out).contains("plan only"));
    assert_eq!(
        committed(&lab, "west", "payments-ledger", "east.payments"),
        vec![Some(0); 6]
    );
    // -o json: the plan as data.
    let out = kf()
        .args(["-o", "json", "failover", &t, "--lost", "dc-east"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["steps"].as_array().unwrap().len(), 10);
    // Bad DC: usage error naming the flag.
    let out = kf()
        .args(["failover", &t, "--lost", "dc-moon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--lost dc-moon"), "{}", stderr(&out));
    // No terminal, no --yes: refused (exit 4), nothing written.
    let out = failover(&t, &state, &["--execute"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(!state.exists());

    lab.dc_down("dc-east").unwrap();
    // Another run holds the lock on the surviving cluster: refused, holder named.
    let settings = ClientSettings::new(&lab.bootstrap()["west"]).timeout(Duration::from_secs(10));
    let other = Claimant {
        run_id: "other-run".into(),
        holder: "alice@ops-2".into(),
        host: "ops-2".into(),
        pid: 4242,
        command: "failover --lost dc-east".into(),
    };
    let guard = acquire(
        &settings,
        "payments",
        other,
        Duration::from_secs(60),
        Duration::from_secs(10),
    )
    .unwrap();
    let out = failover(&t, &state, &["--execute", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("alice@ops-2"), "{}", stderr(&out));
    assert_eq!(
        committed(&lab, "west", "payments-ledger", "east.payments"),
        vec![Some(0); 6]
    );
    // The operator sees who holds it, and breaks it (the other run is known dead).
    let out = kf()
        .args(["lock", "status", &t, "--cluster", "west", "-o", "json"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["held"], true, "{v:#}");
    assert_eq!(v["holder"], "alice@ops-2");
    let out = kf()
        .args([
            "lock",
            "break",
            &t,
            "--cluster",
            "west",
            "--execute",
            "--yes",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = kf()
        .args(["lock", "status", &t, "--cluster", "west"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("free"),
        "{out:?}"
    );
    drop(guard);

    // Executed: every step done, groups on the standby, journal 0600.
    let out = failover(&t, &state, &["--execute", "--yes", "-o", "json"]);
    let report = json(&out);
    assert!(out.status.success(), "{}\n{report:#}", stderr(&out));
    assert_eq!(report["ok"], true);
    let ledger = committed(&lab, "west", "payments-ledger", "east.payments");
    assert!(
        ledger.iter().all(|o| o.is_some_and(|x| x > 0)),
        "{ledger:?}"
    );
    let journal = report["journal"].as_str().unwrap().to_string();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&journal).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let moved = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "move-groups")
        .unwrap()
        .clone();
    assert!(
        moved["detail"]
            .as_str()
            .unwrap()
            .contains("4 group(s) to `west`"),
        "{moved:#}"
    );

    // The same failover again writes nothing new.
    let out = failover(&t, &state, &["--execute", "--yes", "-o", "json"]);
    let again = json(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    let detail = again["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "move-groups")
        .unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("0 partition(s) set"), "{detail}");
    assert_eq!(
        committed(&lab, "west", "payments-ledger", "east.payments"),
        ledger
    );

    // Rollback of the first run: offsets back to 0, the mirror resumed.
    lab.dc_up("dc-east").unwrap();
    let out = kf().args(["rollback", &journal]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(
        plan.contains("restore the previous offsets of 4 group(s) on `west`"),
        "{plan}"
    );
    assert!(plan.contains("resume"), "{plan}");
    // Three groups had no offsets on the standby before: restoring that needs
    // OffsetDelete, which the mock lacks, so they are refused there (exit 3, said);
    // the ledger's offsets and the mirror are restored all the same.
    let out = kf()
        .args(["rollback", &journal, "--execute", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("OffsetDelete"), "{}", stderr(&out));
    assert_eq!(
        committed(&lab, "west", "payments-ledger", "east.payments"),
        vec![Some(0); 6]
    );
    let out = kf()
        .args(["mirror", "status", &t, "-o", "json"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(
        v[0]["runtime"]["connectors"][0]["state"], "RUNNING",
        "{v:#}"
    );
}

#[test]
fn hooks_see_the_run_a_killed_run_resumes_and_a_failing_hook_stops_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let marker = dir.path().join("killed-once");
    let env_file = dir.path().join("hook-env");
    let mut t = example("active-passive");
    t.hooks.insert(
        HookEvent::StopConsumers,
        Hook {
            command: format!("env | grep ^KF_ | sort > {}", env_file.display()),
            timeout: Some("10s".into()),
        },
    );
    // The first time, start-consumers kills the tool itself (SIGKILL), after the
    // groups moved: the run is left half done.
    t.hooks.insert(
        HookEvent::StartConsumers,
        Hook {
            command: format!(
                "test -f {m} || {{ touch {m}; kill -9 $PPID; }}",
                m = marker.display()
            ),
            timeout: None,
        },
    );
    t.hooks.insert(
        HookEvent::AfterFailover,
        Hook {
            command: "echo dns not repointed >&2; exit 3".into(),
            timeout: None,
        },
    );
    let (lab, path) = start(&t, dir.path());
    wait_checkpoint(&path);
    lab.dc_down("dc-east").unwrap();

    let out = failover(&path, &state, &["--execute", "--yes"]);
    assert_eq!(
        out.status.code(),
        None,
        "killed by the hook: {}",
        stderr(&out)
    );
    let env = std::fs::read_to_string(&env_file).unwrap();
    for want in [
        "KF_EVENT=stop-consumers",
        "KF_RUNBOOK=failover",
        "KF_LOST_DC=dc-east",
        "KF_TO_CLUSTER=west",
        "KF_FROM_CLUSTER=east",
        "KF_TOPOLOGY_NAME=payments",
    ] {
        assert!(env.contains(want), "{want} not in {env}");
    }
    assert!(
        env.contains("KF_GROUPS=") && env.contains("payments-ledger"),
        "{env}"
    );
    let journal = std::fs::read_dir(state.join("payments/runs"))
        .unwrap()
        .map(|e| e.unwrap().path().join("run.jsonl"))
        .next()
        .unwrap();
    let after_crash = committed(&lab, "west", "payments-ledger", "east.payments");
    assert!(after_crash.iter().all(|o| o.is_some()));

    // Resume: finishes the steps left; the after-failover hook fails: exit 3, named.
    let out = kf()
        .args([
            "failover",
            &path,
            "--lost",
            "dc-east",
            "--execute",
            "--yes",
            "-o",
            "json",
            "--resume",
        ])
        .arg(&journal)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let r = json(&out);
    let steps = r["steps"].as_array().unwrap();
    let earlier: Vec<&str> = steps
        .iter()
        .filter(|s| s["earlier"] == true)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(earlier.contains(&"move-groups"), "{earlier:?}");
    let last = steps.last().unwrap();
    assert_eq!(last["id"], "hook-after-failover");
    assert!(
        last["detail"]
            .as_str()
            .unwrap()
            .contains("dns not repointed"),
        "{last:#}"
    );
    assert!(stderr(&out).contains("--resume"), "{}", stderr(&out));
    // The resumed run ends where the uninterrupted one would: the offsets the plan set.
    assert_eq!(
        committed(&lab, "west", "payments-ledger", "east.payments"),
        after_crash
    );
}

#[test]
fn ready_passes_on_a_healthy_lab_and_names_what_fails_without_a_dc() {
    let dir = tempfile::tempdir().unwrap();
    let (lab, t) = start(&example("active-passive"), dir.path());
    wait_checkpoint(&t);
    let out = kf().args(["ready", &t]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("READY"), "{text}");
    lab.dc_down("dc-west").unwrap();
    let out = kf()
        .args(["ready", &t, "--timeout", "3s", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let failed: Vec<String> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| format!("{} {}", c["check"], c["detail"]))
        .collect();
    assert!(
        failed
            .iter()
            .any(|f| f.contains("reachable") && f.contains("west")),
        "{failed:?}"
    );
}

#[test]
fn two_runs_at_once_exactly_one_proceeds_and_the_other_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = example("active-passive");
    // The winner holds the lock a while: the loser must meet it.
    t.hooks.insert(
        HookEvent::BeforeFailover,
        Hook {
            command: "sleep 3".into(),
            timeout: None,
        },
    );
    let (lab, path) = start(&t, dir.path());
    wait_checkpoint(&path);
    lab.dc_down("dc-east").unwrap();
    let spawn = |state: &str| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("kafka-failover"))
            .args([
                "failover",
                &path,
                "--lost",
                "dc-east",
                "--execute",
                "--yes",
                "--state-dir",
            ])
            .arg(dir.path().join(state))
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn("a"), spawn("b"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    assert_eq!(codes, [Some(0), Some(1)], "{}\n{}", stderr(&a), stderr(&b));
    let loser = if a.status.code() == Some(1) { &a } else { &b };
    let why = stderr(loser);
    assert!(
        why.contains("locked by run") && why.contains("since"),
        "{why}"
    );
}
