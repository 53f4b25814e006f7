//! Runbook hooks run as real shell commands: what they see, how they fail, how a timeout
//! ends them and everything they started.

use std::path::Path;
use std::time::{Duration, Instant};

use kafka_failover::runbook::hooks::{run_hook, HookContext, HookError};
use kafka_failover::topology::{Hook, HookEvent};

fn ctx(event: HookEvent) -> HookContext {
    HookContext {
        event,
        run_id: "run-42".into(),
        runbook: "failover".into(),
        topology_path: "/etc/kf/payments.yaml".into(),
        topology_name: "payments".into(),
        pattern: "active-passive".into(),
        lost_dc: Some("dc-east".into()),
        returning_dc: None,
        from_cluster: Some("east".into()),
        to_cluster: Some("west".into()),
        to_bootstrap: Some("127.0.0.1:9093".into()),
        groups: vec!["payments-ledger".into(), "payments-dashboard".into()],
        journal: Some("/var/lib/kf/run-42.journal".into()),
        withheld_env: vec!["KF_TEST_CANARY_SECRET".into()],
    }
}

fn hook(command: &str, timeout: Option<&str>) -> Hook {
    Hook {
        command: command.into(),
        timeout: timeout.map(str::to_string),
    }
}

#[test]
fn the_hook_sees_the_run_in_kf_variables_and_no_secret() {
    // Set in this process as a topology's `{env: ...}` secret would be; the hook must
    // not inherit it. (No other test in this binary reads it.)
    std::env::set_var("KF_TEST_CANARY_SECRET", "canary-7f3a");
    let mut lines = Vec::new();
    let out = run_hook(
        &hook(
            "env | grep -E '^KF_' | sort; echo \"canary=${KF_TEST_CANARY_SECRET:-absent}\"",
            None,
        ),
        &ctx(HookEvent::StopConsumers),
        &mut |l| lines.push(l.to_string()),
    )
    .unwrap();
    assert_eq!(out.exit_code, 0);
    assert_eq!(
        lines,
        [
            "KF_EVENT=stop-consumers",
            "KF_FROM_CLUSTER=east",
            "KF_GROUPS=payments-ledger,payments-dashboard",
            "KF_JOURNAL=/var/lib/kf/run-42.journal",
            "KF_LOST_DC=dc-east",
            "KF_PATTERN=active-passive",
            "KF_RUNBOOK=failover",
            "KF_RUN_ID=run-42",
            "KF_TOPOLOGY=/etc/kf/payments.yaml",
            "KF_TOPOLOGY_NAME=payments",
            "KF_TO_BOOTSTRAP=127.0.0.1:9093",
            "KF_TO_CLUSTER=west",
            "canary=absent",
        ]
    );
    assert!(out.output_tail.ends_with("canary=absent"));
}

#[test]
fn output_is_forwarded_line_by_line_in_order() {
    let mut lines = Vec::new();
    let mut seen_at = Vec::new();
    let started = Instant::now();
    run_hook(
        &hook("for i in 1 2 3 4 5; do echo line-$i; sleep 0.2; done", None),
        &ctx(HookEvent::StartConsumers),
        &mut |l| {
            lines.push(l.to_string());
            seen_at.push(started.elapsed());
        },
    )
    .unwrap();
    assert_eq!(lines, ["line-1", "line-2", "line-3", "line-4", "line-5"]);
    // Streamed as the hook writes, not collected at the end.
    assert!(
        seen_at[4] - seen_at[0] >= Duration::from_millis(600),
        "{seen_at:?}"
    );
}

#[test]
fn a_failing_hook_is_failed_with_its_output_tail() {
    let mut lines = Vec::new();
    let e = run_hook(
        &hook(
            "echo stopping payments-api; echo 'Unit payments-api.service not loaded.' >&2; exit 5",
            None,
        ),
        &ctx(HookEvent::StopProducers),
        &mut |l| lines.push(l.to_string()),
    )
    .unwrap_err();
    assert_eq!(lines.len(), 2);
    match &e {
        HookError::Failed { event, code, tail } => {
            assert_eq!(*event, HookEvent::StopProducers);
            assert_eq!(*code, Some(5));
            assert!(
                tail.contains("Unit payments-api.service not loaded."),
                "{tail}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(e
        .to_string()
        .starts_with("the `stop-producers` hook exited with status 5"));
}

fn alive(pid: u32) -> bool {
    // A killed process whose parent has not reaped it yet is a zombie: dead all the same.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z')),
        Err(_) => false,
    }
}

#[test]
fn a_timeout_kills_the_hook_its_child_and_its_grandchild() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    // The hook's shell starts a child shell, which starts `sleep 30` in the background
    // (a grandchild of the hook) and waits on its own `sleep 30`.
    let command = format!(
        "sh -c 'sleep 30 & echo $! > {p}.grandchild; echo $$ > {p}.child; sleep 30'",
        p = pids.display()
    );
    let started = Instant::now();
    let e = run_hook(
        &hook(&command, Some("700ms")),
        &ctx(HookEvent::StopConsumers),
        &mut |_| {},
    )
    .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(e, HookError::TimedOut { after, .. } if after == Duration::from_millis(700)),
        "{e:?}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    let read = |suffix: &str| -> u32 {
        let p = Path::new(&format!("{}.{suffix}", pids.display())).to_path_buf();
        std::fs::read_to_string(p).unwrap().trim().parse().unwrap()
    };
    let (child, grandchild) = (read("child"), read("grandchild"));
    let deadline = Instant::now() + Duration::from_secs(3);
    while (alive(child) || alive(grandchild)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(child), "child {child} survived the timeout");
    assert!(
        !alive(grandchild),
        "grandchild {grandchild} survived the timeout"
    );
}
