//! Hostile brokers and endpoints: garbage, truncated and impossible MirrorMaker 2 records
//! in the checkpoint and offset-sync topics, and a Connect endpoint that answers nonsense
//! or never answers. Each run ends within its timeout with a clear message, and nothing
//! is changed that the run could not justify: no offset is derived from a bad record, no
//! mutating request reaches a Connect that answered nonsense, and committed offsets are
//! unchanged where the run stopped.

mod common;

#[path = "support/http_stub.rs"]
mod http_stub;

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{figure, kf, stdout_json as json};
use http_stub::{Reply, StubServer};
use kafka_failover::kafka::{
    AdminClient, BatchOptions, ByteProducer, ClientSettings, GroupOffsetsQuery, GroupOffsetsUpdate,
    OutRecord, TopicPartition, TopicPartitionOffset,
};
use kafka_failover::lab::{Lab, LabOptions, MockLab};
use kafka_failover::offsets::mm2_records::{Checkpoint, OffsetSync};
use kafka_failover::topology::{load_str, MirrorDriverSpec, Topology};

const T: Duration = Duration::from_secs(10);
/// Far beyond any timeout the runs are given: reaching it means a hang.
const HANG: Duration = Duration::from_secs(60);

fn example(name: &str) -> Topology {
    common::example_topology(name)
}

fn start(dir: &Path) -> (MockLab, String) {
    let lab = MockLab::start(&example("active-passive"), &LabOptions::default()).unwrap();
    let path = dir.join("lab.yaml");
    std::fs::write(&path, lab.topology_yaml().unwrap()).unwrap();
    (lab, path.display().to_string())
}

/// The lab topology with its mirror's Connect driver at `url`.
fn pointed_at_connect(lab: &MockLab, dir: &Path, name: &str, url: &str) -> String {
    let mut t = load_str("lab.yaml", &lab.topology_yaml().unwrap())
        .unwrap()
        .topology;
    for m in t.mirrors.values_mut() {
        if let MirrorDriverSpec::Connect(c) = &mut m.driver {
            c.url = url.to_string();
        }
    }
    let p = dir.join(name);
    std::fs::write(&p, serde_yaml::to_string(&t).unwrap()).unwrap();
    p.display().to_string()
}

fn admin(lab: &MockLab, cluster: &str) -> AdminClient {
    AdminClient::new(ClientSettings::new(&lab.bootstrap()[cluster]).timeout(T)).unwrap()
}

/// Committed offsets of `group` on the 6 partitions of `topic`.
fn committed(a: &AdminClient, group: &str, topic: &str) -> Vec<Option<i64>> {
    let parts = (0..6).map(|p| TopicPartition::new(topic, p)).collect();
    let got = a
        .list_group_offsets(&GroupOffsetsQuery::partitions(group, parts), T)
        .unwrap();
    (0..6).map(|p| got.offset_of(topic, p)).collect()
}

fn commit(a: &AdminClient, group: &str, topic: &str, at: i64) {
    let offsets = (0..6)
        .map(|p| TopicPartitionOffset::new(topic, p, at))
        .collect();
    for (_, r) in a.alter_group_offsets_batch(
        &[GroupOffsetsUpdate {
            group: group.into(),
            offsets,
        }],
        &BatchOptions::new(T),
    ) {
        r.unwrap();
    }
}

/// Runs the CLI with a hang guard: killed and failed past [`HANG`].
fn run(args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let out = kf().args(args).timeout(HANG).output().unwrap();
    let took = started.elapsed();
    assert!(
        out.status.code().is_some() && took < HANG,
        "hung or killed after {took:?}: {args:?}\n{}",
        stderr(&out)
    );
    (out, took)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn all(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(o))
}

/// Waits until the lab's mirror has checkpointed the topology's translated groups.
fn wait_checkpoint(t: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (out, _) = run(&["ready", t, "-o", "json"]);
        let v = json(&out);
        if v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["check"] == "strategy")
            .all(|c| c["ok"] == true)
        {
            return;
        }
        assert!(Instant::now() < deadline, "no checkpoints: {v:#}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Where `offsets reset --translated-from east` would put `group` (plan only).
fn planned(t: &str, group: &str, extra: &[&str]) -> (serde_json::Value, Output) {
    let mut args = vec![
        "-o",
        "json",
        "offsets",
        "reset",
        t,
        "--cluster",
        "west",
        "--group",
        group,
        "--topic",
        "east.payments",
        "--translated-from",
        "east",
        "--timeout",
        "3s",
    ];
    args.extend(extra);
    let (out, _) = run(&args);
    (json(&out), out)
}

/// Per partition of the plan's only group: (target, reason).
fn rows(plan: &serde_json::Value) -> Vec<(Option<i64>, String)> {
    // With --execute the plan is one field of the report.
    let plan = if plan["plan"].is_object() {
        &plan["plan"]
    } else {
        plan
    };
    let groups = plan["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("no groups: {plan:#}"));
    let mut rows: Vec<(i64, Option<i64>, String)> = groups[0]["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["partition"].as_i64().unwrap(),
                p["target"].as_i64(),
                p["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, t, r)| (t, r)).collect()
}

fn checkpoint(group: &str, partition: i32, upstream: i64, downstream: i64) -> Checkpoint {
    Checkpoint {
        group: group.into(),
        topic: "east.payments".into(),
        partition,
        upstream_offset: upstream,
        downstream_offset: downstream,
        metadata: String::new(),
    }
}

fn out_record(topic: &str, key: Option<Vec<u8>>, value: Option<Vec<u8>>) -> OutRecord {
    OutRecord {
        topic: topic.into(),
        partition: 0,
        key,
        value,
        timestamp_ms: None,
    }
}

fn produce(lab: &MockLab, cluster: &str, records: &[OutRecord]) -> Vec<i64> {
    let p = ByteProducer::new(&ClientSettings::new(&lab.bootstrap()[cluster]).timeout(T)).unwrap();
    p.send_all(records)
        .into_iter()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn garbage_checkpoints_are_skipped_named_and_never_become_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let (lab, t) = start(dir.path());
    wait_checkpoint(&t);
    let west = admin(&lab, "west");
    let topic = "east.checkpoints.internal";
    // A group the lab's mirror never checkpoints, committed at 3 on the standby.
    commit(&west, "payments-hostile", "east.payments", 3);
    // Where the ledger translates to from the lab's real checkpoints, before any garbage.
    let (before_plan, _) = planned(&t, "payments-ledger", &[]);
    let ledger_targets: Vec<Option<i64>> = rows(&before_plan).iter().map(|r| r.0).collect();
    assert!(
        ledger_targets.iter().all(|o| o.is_some()),
        "{before_plan:#}"
    );

    // The hostile records, newest last: plain garbage, a truncated checkpoint, a
    // negative offset, a tombstone, and one past the log end, for the hostile group;
    // and truncated records newer than the ledger's real checkpoints.
    let truncated = |c: &Checkpoint| {
        let mut v = c.encode_value();
        v.truncate(9);
        v
    };
    let h = |p, u, d| checkpoint("payments-hostile", p, u, d);
    let records = vec![
        out_record(
            topic,
            Some(b"\xff\x00garbage".to_vec()),
            Some(b"<html>".to_vec()),
        ),
        out_record(
            topic,
            Some(h(0, 5, 5).encode_key()),
            Some(truncated(&h(0, 5, 5))),
        ),
        out_record(
            topic,
            Some(h(1, 5, -7).encode_key()),
            Some(h(1, 5, -7).encode_value()),
        ),
        out_record(topic, Some(h(3, 5, 5).encode_key()), None),
        out_record(
            topic,
            Some(h(2, 5, 1_000_000_000).encode_key()),
            Some(h(2, 5, 1_000_000_000).encode_value()),
        ),
        out_record(
            topic,
            Some(checkpoint("payments-ledger", 0, 1, 1).encode_key()),
            Some(truncated(&checkpoint("payments-ledger", 0, 1, 1))),
        ),
        out_record(
            topic,
            Some(checkpoint("payments-ledger", 1, 1, 1).encode_key()),
            Some(vec![0, 0, 1]),
        ),
    ];
    let at = produce(&lab, "west", &records);
    // Garbage offset syncs on the source.
    let sync = OffsetSync {
        topic: "payments".into(),
        partition: 0,
        upstream_offset: 1,
        downstream_offset: 1,
    };
    let mut short = sync.encode_value();
    short.truncate(5);
    let syncs_at = produce(
        &lab,
        "east",
        &[
            out_record(
                "mm2-offset-syncs.west.internal",
                Some(b"nonsense".to_vec()),
                Some(b"{}".to_vec()),
            ),
            out_record(
                "mm2-offset-syncs.west.internal",
                Some(sync.encode_key()),
                Some(short),
            ),
        ],
    );

    // offsets reset --translated-from, no fallback: nothing to translate from, nothing
    // written; every bad record named by partition and offset.
    let journals = dir.path().join("journals");
    std::fs::create_dir(&journals).unwrap();
    let (plan, out) = planned(
        &t,
        "payments-hostile",
        &[
            "--execute",
            "--yes",
            "--journal-dir",
            journals.to_str().unwrap(),
        ],
    );
    let err = stderr(&out);
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{err}\n{plan:#}"
    );
    assert_eq!(
        committed(&west, "payments-hostile", "east.payments"),
        vec![Some(3); 6],
        "{err}\n{plan:#}"
    );
    // Six records do not decode (the one past the log end does: the plan refuses it);
    // the first five are named, the sixth counted.
    let mut named = 0;
    for i in [0, 1, 2, 3, 5] {
        let want = format!("partition 0 offset {}:", at[i]);
        assert!(err.contains(&want), "record {i}: `{want}` not in {err}");
        named += 1;
    }
    assert!(err.contains("6 of "), "{err}");
    assert!(err.contains("and 1 more"), "{err}");
    assert!(err.contains("no offset is derived from them"), "{err}");
    for offset in &syncs_at {
        assert!(
            err.contains(&format!("partition 0 offset {offset}:")),
            "sync at {offset} not named: {err}"
        );
        named += 1;
    }
    let hostile = rows(&plan);
    assert!(hostile.iter().all(|r| r.0.is_none()), "{plan:#}");
    assert!(
        hostile[2].1.contains("past the log end") && hostile[2].1.contains("not trusted"),
        "{:?}",
        hostile[2]
    );
    assert!(
        hostile[0]
            .1
            .contains("no checkpoint and no fallback timestamp: unchanged"),
        "{:?}",
        hostile[0]
    );

    // The ledger's newer garbage does not shadow its valid checkpoints: same plan.
    let (after_plan, _) = planned(&t, "payments-ledger", &[]);
    let after: Vec<Option<i64>> = rows(&after_plan).iter().map(|r| r.0).collect();
    assert_eq!(after, ledger_targets);

    // The failover moves the ledger (translated) exactly where its valid checkpoints say.
    lab.dc_down("dc-east").unwrap();
    let state = dir.path().join("state");
    let (out, _) = run(&[
        "-o",
        "json",
        "failover",
        &t,
        "--lost",
        "dc-east",
        "--timeout",
        "2s",
        "--execute",
        "--yes",
        "--state-dir",
        state.to_str().unwrap(),
    ]);
    let report = json(&out);
    assert!(out.status.success(), "{}\n{report:#}", stderr(&out));
    assert!(
        stderr(&out).contains("are not valid MirrorMaker 2 checkpoints and were skipped"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        committed(&west, "payments-ledger", "east.payments"),
        ledger_targets
    );
    // The hostile group is not in the topology: never touched.
    assert_eq!(
        committed(&west, "payments-hostile", "east.payments"),
        vec![Some(3); 6]
    );
    figure(
        "hostile-checkpoints",
        &format!(
            "{} bad checkpoint + {} bad offset-sync records: {named} named by partition/offset, 0 offsets derived from them (6 partitions unchanged, ledger's 6 translated as before the garbage, also by the failover)",
            records.len(),
            syncs_at.len()
        ),
    );
}

/// A port that accepts connections and never answers (keeps them open), or closes each
/// at once. Stopped when dropped.
struct RawTcp {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl RawTcp {
    fn start(close_at_once: bool) -> RawTcp {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for c in l.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut c) = c else { continue };
                if close_at_once {
                    drop(c);
                } else {
                    let _ = c.set_read_timeout(Some(Duration::from_millis(10)));
                    let _ = c.read(&mut [0u8; 1024]);
                    held.push(c);
                }
            }
        });
        RawTcp { addr, stop }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RawTcp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn is_mutating(method: &str) -> bool {
    matches!(method, "PUT" | "POST" | "DELETE" | "PATCH")
}

#[test]
fn a_connect_that_answers_nonsense_or_never_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (lab, _t) = start(dir.path());
    let west = admin(&lab, "west");
    let before = committed(&west, "payments-ledger", "east.payments");

    let http = |body: &str| {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let nonsense: Vec<(&str, Reply)> = vec![
        (
            "HTML",
            Reply::Raw(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n<html><body>It works!</body></html>"
                    .to_vec(),
            ),
        ),
        ("truncated JSON", Reply::Raw(http(r#"[{"name": "east-west-sou"#))),
        (
            "wrong JSON shape",
            Reply::Raw(http(r#"{"connectors": 3, "status": ["RUNNING"]}"#)),
        ),
        ("200 with an empty body", Reply::Raw(http(""))),
        (
            "body shorter than its content-length",
            Reply::Raw(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\nconnection: close\r\n\r\n{\"east-we"
                    .to_vec(),
            ),
        ),
        ("not HTTP at all", Reply::Raw(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec())),
    ];
    let endpoints = nonsense.len() + 2;
    let mut runs = 0;
    let mut slowest = Duration::ZERO;
    let mut requests = 0;
    let commands = |t: &str, j: &str| -> Vec<Vec<String>> {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        vec![
            v(&["mirror", "status", t, "--timeout", "2s"]),
            v(&[
                "mirror",
                "pause",
                t,
                "--mirror",
                "east-to-west",
                "--execute",
                "--yes",
                "--journal-dir",
                j,
                "--timeout",
                "2s",
            ]),
            v(&[
                "mirror",
                "reverse",
                t,
                "--mirror",
                "east-to-west",
                "--execute",
                "--yes",
                "--journal-dir",
                j,
                "--timeout",
                "2s",
            ]),
            // The "lost" DC still answers: a mirror that cannot be stopped may still be
            // copying, so the run must stop before any group moves.
            v(&[
                "failover",
                t,
                "--lost",
                "dc-east",
                "--execute",
                "--yes",
                "--state-dir",
                &format!("{j}/state"),
                "--timeout",
                "2s",
                "--wait",
                "5s",
            ]),
        ]
    };
    let mut check = |label: &str, t: &str, stub: Option<&StubServer>| {
        let j = dir.path().join(format!("j-{}", runs));
        std::fs::create_dir_all(&j).unwrap();
        for cmd in commands(t, j.to_str().unwrap()) {
            let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let (out, took) = run(&args);
            slowest = slowest.max(took);
            runs += 1;
            let text = all(&out);
            assert!(
                matches!(out.status.code(), Some(1) | Some(3)),
                "{label}: {args:?} should fail: {text}"
            );
            assert!(
                text.contains("error") || text.contains("NOT HEALTHY"),
                "{label}: {args:?}: no clear error: {text}"
            );
            assert!(!text.contains("panicked"), "{label}: {text}");
            assert_eq!(
                committed(&west, "payments-ledger", "east.payments"),
                before,
                "{label}: {args:?} moved the ledger: {text}"
            );
            eprintln!(
                "{label}: {:?} exit {:?} in {took:?}: {}",
                &args[..2],
                out.status.code(),
                text.lines().find(|l| l.contains("error")).unwrap_or("")
            );
        }
        if let Some(s) = stub {
            let reqs = s.requests();
            requests += reqs.len();
            let mutating: Vec<String> = reqs
                .iter()
                .filter(|r| is_mutating(&r.method))
                .map(|r| r.line())
                .collect();
            assert!(
                mutating.is_empty(),
                "{label}: mutating requests sent to a Connect that answered nonsense: {mutating:?}"
            );
        }
    };
    for (label, reply) in nonsense {
        let stub = StubServer::start(move |_, _| reply.clone());
        let t = pointed_at_connect(&lab, dir.path(), "nonsense.yaml", &stub.url());
        check(label, &t, Some(&stub));
    }
    for (label, close) in [("never answers", false), ("accepts then closes", true)] {
        let raw = RawTcp::start(close);
        let t = pointed_at_connect(&lab, dir.path(), "silent.yaml", &raw.url());
        check(label, &t, None);
    }
    figure(
        "hostile-connect",
        &format!(
            "{endpoints} hostile Connect endpoints × 4 commands = {runs} runs: all failed with a clear error within {:.1} s (slowest), 0 of {requests} requests mutating, committed offsets unchanged",
            slowest.as_secs_f64()
        ),
    );
}
