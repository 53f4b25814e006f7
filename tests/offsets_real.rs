//! `offsets show|reset|rollback` against real Apache Kafka (the shared 3-node
//! cluster): every strategy lands where Kafka's own `kafka-consumer-groups
//! --reset-offsets` lands, live groups are refused, the journal restores exact
//! offsets (also "no committed offset"), resume converges, stale plans are refused,
//! and MM2 translation reads checkpoint records written as MirrorMaker 2 writes them.
//! Offsets are read back with an independent client (rdkafka's OffsetFetch).

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{kf, stdout_json as json};
use kafka_failover::offsets::mm2_records::Checkpoint;
use support::kafka::*;

const PARTS: i32 = 3;
const PER_PART: usize = 30;

fn topology(dir: &Path, bootstrap: &str) -> PathBuf {
    let p = dir.join("real.yaml");
    std::fs::write(
        &p,
        format!(
            "version: 1\nname: real\npattern: active-passive\n\
             datacenters:\n  dc-a: {{racks: [dc-a]}}\n  dc-b: {{racks: [dc-b, dc-c]}}\n\
             clusters:\n  east:\n    datacenter: dc-a\n    role: primary\n    bootstrap: \"127.0.0.1:9\"\n\
             \x20 west:\n    datacenter: dc-b\n    role: standby\n    bootstrap: \"{bootstrap}\"\n\
             mirrors:\n  east-to-west:\n    source: east\n    target: west\n    runs-in: dc-b\n\
             \x20   driver:\n      mm2-properties: {{file: /nonexistent/mm2.properties, reload: \"true\"}}\n"
        ),
    )
    .unwrap();
    p
}

/// A topic of PARTS partitions with PER_PART records each, record i of a partition
/// stamped `base + i * 1000` ms.
fn seeded_topic(bootstrap: &str, base: i64) -> String {
    let topic = unique_name("orders");
    create_topic(bootstrap, &topic, PARTS, 3);
    for p in 0..PARTS {
        produce_to_partition(bootstrap, &topic, p, PER_PART, |i| base + i as i64 * 1000);
    }
    topic
}

fn committed(bootstrap: &str, group: &str, topic: &str) -> Vec<Option<i64>> {
    committed_offsets(bootstrap, group, topic, &(0..PARTS).collect::<Vec<_>>())
}

fn commit_all(bootstrap: &str, group: &str, topic: &str, at: i64) {
    let offs: Vec<(&str, i32, i64)> = (0..PARTS).map(|p| (topic, p, at)).collect();
    commit_offsets(bootstrap, group, &offs);
}

#[test]
fn every_strategy_lands_where_kafka_consumer_groups_lands() {
    let c = shared_cluster_3_racks();
    let b = c.bootstrap();
    let dir = tempfile::tempdir().unwrap();
    let topo = topology(dir.path(), &b);
    let base = now_ms() - 3_600_000;
    let topic = seeded_topic(&b, base);
    let mid = kafka_failover::offsets::fmt_ms(base + 12_500); // between records 12 and 13
    let future = kafka_failover::offsets::fmt_ms(now_ms() + 3_600_000);
    let cases: Vec<(Vec<String>, Vec<String>, i64)> = vec![
        (
            vec!["--to-earliest".into()],
            vec!["--to-earliest".into()],
            0,
        ),
        (vec!["--to-latest".into()], vec!["--to-latest".into()], 30),
        (
            vec!["--to-datetime".into(), mid.clone()],
            vec!["--to-datetime".into(), mid.clone()],
            13,
        ),
        (
            vec!["--to-datetime".into(), future.clone()],
            vec!["--to-datetime".into(), future.clone()],
            30,
        ),
        (
            vec!["--shift-by".into(), "-5".into()],
            vec!["--shift-by".into(), "-5".into()],
            10,
        ),
        (
            vec!["--shift-by".into(), "100".into()],
            vec!["--shift-by".into(), "100".into()],
            30,
        ),
        (
            vec!["--to-offset".into(), "7".into()],
            vec!["--to-offset".into(), "7".into()],
            7,
        ),
        (
            vec!["--to-offset".into(), "1000".into()],
            vec!["--to-offset".into(), "1000".into()],
            30,
        ),
    ];
    for (ours, theirs, expected) in cases {
        let g_ours = unique_name("ours");
        let g_kafka = unique_name("kafka");
        commit_all(&b, &g_ours, &topic, 15);
        commit_all(&b, &g_kafka, &topic, 15);
        let out = kf()
            .arg("offsets")
            .arg("reset")
            .arg(&topo)
            .args(["--cluster", "west", "--group", &g_ours, "--topic", &topic])
            .args(&ours)
            .args(["--execute", "--yes", "-o", "json", "--journal-dir"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{ours:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out);
        let planned: Vec<i64> = v["plan"]["groups"][0]["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["target"].as_i64().unwrap())
            .collect();
        let mut args: Vec<String> = vec![
            "--bootstrap-server".into(),
            b.clone(),
            "--reset-offsets".into(),
            "--group".into(),
            g_kafka.clone(),
            "--topic".into(),
            topic.clone(),
        ];
        args.extend(theirs);
        args.push("--execute".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        c.run_tool_ok(CONSUMER_GROUP_COMMAND, &args);
        let theirs_end = committed(&b, &g_kafka, &topic);
        let ours_end = committed(&b, &g_ours, &topic);
        assert_eq!(
            ours_end, theirs_end,
            "{ours:?}: ours vs kafka-consumer-groups"
        );
        assert_eq!(ours_end, vec![Some(expected); PARTS as usize], "{ours:?}");
        assert_eq!(
            planned,
            vec![expected; PARTS as usize],
            "{ours:?}: plan = end state"
        );
    }
}

#[test]
fn live_group_is_refused_then_reset_once_it_empties() {
    let c = shared_cluster_3_racks();
    let b = c.bootstrap();
    let dir = tempfile::tempdir().unwrap();
    let topo = topology(dir.path(), &b);
    let topic = seeded_topic(&b, now_ms());
    let group = unique_name("live");
    commit_all(&b, &group, &topic, 5);
    let member = join_group(&b, &group, "live-member", &topic, PARTS as usize);
    let reset = || {
        let mut cmd = kf();
        cmd.arg("offsets")
            .arg("reset")
            .arg(&topo)
            .args([
                "--cluster",
                "west",
                "--group",
                &group,
                "--to-latest",
                "--execute",
                "--yes",
                "--journal-dir",
            ])
            .arg(dir.path());
        cmd
    };
    let out = reset().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&group) && err.contains("live member"), "{err}");
    assert_eq!(
        committed(&b, &group, &topic),
        vec![Some(5); 3],
        "nothing changed"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no journal for a refused run"
    );
    // The member leaves while the tool waits.
    let leaver = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        drop(member);
    });
    let out = reset().args(["--wait-empty", "60s"]).output().unwrap();
    leaver.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(committed(&b, &group, &topic), vec![Some(30); 3]);
}

fn journals(dir: &Path, what: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_string_lossy()
                .contains(&format!("kafka-failover-{what}-"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn journal_rollback_resume_rerun_and_stale_plans() {
    use std::os::unix::fs::PermissionsExt;
    let c = shared_cluster_3_racks();
    let b = c.bootstrap();
    let dir = tempfile::tempdir().unwrap();
    let topo = topology(dir.path(), &b);
    let topic = seeded_topic(&b, now_ms());
    let group = unique_name("journaled");
    // Partition 2 has no committed offset: rollback must restore exactly that.
    commit_offsets(&b, &group, &[(&topic, 0, 4), (&topic, 1, 9)]);
    let run = |args: &[&str]| {
        kf().arg("offsets")
            .args(args)
            .arg("--journal-dir")
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let topo_s = topo.to_str().unwrap();
    let reset = [
        "reset",
        topo_s,
        "--cluster",
        "west",
        "--group",
        &group,
        "--topic",
        &topic,
        "--to-latest",
    ];
    let out = run(&[&reset[..], &["--execute", "--yes"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(committed(&b, &group, &topic), vec![Some(30); 3]);
    let j = journals(dir.path(), "reset");
    assert_eq!(j.len(), 1);
    assert_eq!(
        std::fs::metadata(&j[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(j[0].to_str().unwrap()),
        "journal path printed"
    );

    // Same reset again: nothing to write, no new journal.
    let out = run(&[&reset[..], &["--execute", "--yes"]].concat());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already at its target"));
    assert_eq!(journals(dir.path(), "reset").len(), 1);

    // Rollback: exact previous offsets, partition 2 without a committed offset again.
    let out = run(&["rollback", j[0].to_str().unwrap(), "--execute", "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(committed(&b, &group, &topic), vec![Some(4), Some(9), None]);

    // Resume after a crash that happened before any result was journaled: the
    // journal's targets are reached; running it again writes nothing.
    let text = std::fs::read_to_string(&j[0]).unwrap();
    let crashed: String = text
        .lines()
        .filter(|l| !l.contains("\"result\""))
        .map(|l| format!("{l}\n"))
        .collect();
    let cj = dir.path().join("crashed.journal.jsonl");
    std::fs::write(&cj, crashed).unwrap();
    let resume = [
        "reset",
        topo_s,
        "--cluster",
        "west",
        "--resume",
        cj.to_str().unwrap(),
        "--execute",
        "--yes",
    ];
    let out = run(&resume);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(committed(&b, &group, &topic), vec![Some(30); 3]);
    assert!(std::fs::read_to_string(&cj)
        .unwrap()
        .contains("\"status\":\"applied\""));
    let out = run(&resume);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already at its target"));

    // A plan exported now goes stale when the group moves; --force applies it anyway.
    let plan = dir.path().join("plan.csv");
    let out = run(&[
        "reset",
        topo_s,
        "--cluster",
        "west",
        "--group",
        &group,
        "--topic",
        &topic,
        "--to-offset",
        "11",
        "--export",
        plan.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    commit_all(&b, &group, &topic, 20);
    let apply = [
        "reset",
        topo_s,
        "--cluster",
        "west",
        "--from-file",
        plan.to_str().unwrap(),
        "--execute",
        "--yes",
    ];
    let out = run(&apply);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("stale plan"));
    assert_eq!(committed(&b, &group, &topic), vec![Some(20); 3]);
    let out = run(&[&apply[..], &["--force"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(committed(&b, &group, &topic), vec![Some(11); 3]);
}

#[test]
fn kafka_consumer_groups_export_is_accepted_by_from_file() {
    let c = shared_cluster_3_racks();
    let b = c.bootstrap();
    let dir = tempfile::tempdir().unwrap();
    let topo = topology(dir.path(), &b);
    let topic = seeded_topic(&b, now_ms());
    let group = unique_name("imported");
    commit_all(&b, &group, &topic, 2);
    let csv = c.run_tool_ok(
        CONSUMER_GROUP_COMMAND,
        &[
            "--bootstrap-server",
            &b,
            "--reset-offsets",
            "--group",
            &group,
            "--topic",
            &topic,
            "--to-offset",
            "17",
            "--dry-run",
            "--export",
        ],
    );
    let file = dir.path().join("kafka.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = kf()
        .arg("offsets")
        .arg("reset")
        .arg(&topo)
        .args(["--cluster", "west", "--group", &group, "--from-file"])
        .arg(&file)
        .args(["--execute", "--yes", "--journal-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{csv}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(committed(&b, &group, &topic), vec![Some(17); 3]);
}

#[test]
fn translated_reset_follows_checkpoints_and_falls_back_to_timestamp() {
    let c = shared_cluster_3_racks();
    let b = c.bootstrap();
    let dir = tempfile::tempdir().unwrap();
    let topo = topology(dir.path(), &b);
    // The mirrored topic on the target, records 2.5 minutes apart over the last
    // 50 minutes (Kafka rejects records much older than an hour by default).
    let base = now_ms() - 50 * 60_000;
    let remote = format!("east.{}", unique_name("payments"));
    create_topic(&b, &remote, PARTS, 3);
    for p in 0..PARTS {
        produce_to_partition(&b, &remote, p, 20, |i| base + i as i64 * 150_000);
    }
    // Checkpoints exactly as MM2 writes them (our encoder is checked byte for byte
    // against Kafka's format in mm2_records' tests); the newest per key wins.
    let group = unique_name("translated");
    let cp = |p: i32, up: i64, down: i64| {
        let c = Checkpoint {
            group: group.clone(),
            topic: remote.clone(),
            partition: p,
            upstream_offset: up,
            downstream_offset: down,
            metadata: String::new(),
        };
        (c.encode_key(), c.encode_value(), now_ms() - 5_000)
    };
    let checkpoints = "east.checkpoints.internal";
    create_topic(&b, checkpoints, 1, 3);
    produce_raw(
        &b,
        checkpoints,
        0,
        &[
            cp(0, 100, 12),
            cp(1, 40, 3),
            cp(1, 50, 5),
            (vec![1, 2, 3], vec![0, 0], now_ms()),
        ],
    );
    let out = kf()
        .arg("offsets")
        .arg("reset")
        .arg(&topo)
        .args([
            "--cluster",
            "west",
            "--group",
            &group,
            "--topic",
            &remote,
            "--translated-from",
            "east",
            "--fallback-by-duration",
            "25m",
            "--execute",
            "--yes",
            "-o",
            "json",
            "--journal-dir",
        ])
        .arg(dir.path())
        .args(["--timeout", "3s"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("1 of 4 records are not valid MirrorMaker 2 checkpoints and were skipped"),
        "{err}"
    );
    assert!(err.contains("source `east` does not answer"), "{err}");
    let v = json(&out);
    let rows = v["plan"]["groups"][0]["partitions"].as_array().unwrap();
    assert_eq!(rows[0]["confidence"]["kind"], "exact");
    assert!(rows[0]["checkpoint_age_ms"].as_i64().unwrap() >= 5_000);
    assert_eq!(rows[2]["confidence"]["kind"], "no-checkpoint");
    assert!(rows[2]["reason"]
        .as_str()
        .unwrap()
        .starts_with("no checkpoint: fell back to timestamp"));
    // now - 25m is record 10 (base + 10 * 2.5 min): the first at or after it.
    let end = committed_offsets(&b, &group, &remote, &[0, 1, 2]);
    assert_eq!(end[0], Some(12));
    assert_eq!(end[1], Some(5));
    assert!(matches!(end[2], Some(10) | Some(11)), "{end:?}");
}
