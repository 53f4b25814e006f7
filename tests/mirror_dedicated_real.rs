//! `mirror` with the `mm2-properties` driver against real MirrorMaker 2 in dedicated mode
//! between two real single-node clusters: status, pause/resume (the flow's
//! `enabled` key, then the reload command), a failing reload (the file is put back and MM2
//! keeps copying), `mirror reverse` (new records on the standby reach the primary, nothing
//! crosses twice, nothing loops) and `mirror rollback` (the previous file, the old
//! direction again). Comments and unrelated keys of the file survive every edit.
//!
//! The reload command is a small script that asks this test to restart MirrorMaker
//! (`Mm2Dedicated::restart`: SIGTERM, start on the edited file, wait until it started) and
//! waits for the answer, as `systemctl restart mm2` would. MirrorMaker stays a child of the
//! test (watchdog, killed on `Drop`), and nothing is matched by a process name.

mod common;
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::{kf, stdout_json as json};
use kafka_failover::lab::mm2_process::Mm2Dedicated;
use support::kafka::*;

/// MirrorMaker logs this when the source task of a flow stops (after a restart on a file
/// that disables the flow, the task of the stored config runs ~2 s more).
const TASK_STOPPED: &str = "Stopping task-thread-MirrorSourceConnector-0 took";

fn total_end(bootstrap: &str, topic: &str) -> i64 {
    end_offsets(bootstrap, topic).iter().map(|(_, e)| e).sum()
}

/// Restarts MirrorMaker when the reload script asks (`request` holds the request id) and
/// answers in `done.<id>` (0 = restarted). Stops the thread and MirrorMaker on `Drop`.
struct ReloadSupervisor {
    mm2: Arc<Mm2Dedicated>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    script: PathBuf,
    reloads: Arc<std::sync::atomic::AtomicUsize>,
}

impl ReloadSupervisor {
    fn start(mm2: Mm2Dedicated, dir: &Path) -> ReloadSupervisor {
        let mm2 = Arc::new(mm2);
        let stop = Arc::new(AtomicBool::new(false));
        let reloads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let script = dir.join("reload-mm2.sh");
        let d = dir.display();
        fs::write(
            &script,
            format!(
                "#!/bin/sh\n\
                 # Asks the test to restart MirrorMaker 2 and waits for its answer.\n\
                 id=$$\n\
                 echo $id > '{d}/request.tmp'\n\
                 mv '{d}/request.tmp' '{d}/request'\n\
                 while [ ! -e '{d}/done.'$id ]; do sleep 0.2; done\n\
                 exit $(cat '{d}/done.'$id)\n"
            ),
        )
        .unwrap();
        let thread = {
            let (mm2, stop, reloads, dir) = (
                mm2.clone(),
                stop.clone(),
                reloads.clone(),
                dir.to_path_buf(),
            );
            thread::spawn(move || {
                let request = dir.join("request");
                while !stop.load(Ordering::SeqCst) {
                    let Ok(id) = fs::read_to_string(&request) else {
                        thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    let _ = fs::remove_file(&request);
                    let t0 = Instant::now();
                    let code = match mm2.restart() {
                        Ok(()) => 0,
                        Err(e) => {
                            eprintln!("reload: MirrorMaker 2 restart failed: {e:#}");
                            1
                        }
                    };
                    reloads.fetch_add(1, Ordering::SeqCst);
                    eprintln!(
                        "reload: MirrorMaker 2 restarted in {:.1}s",
                        t0.elapsed().as_secs_f64()
                    );
                    fs::write(dir.join(format!("done.{}", id.trim())), format!("{code}\n"))
                        .unwrap();
                }
            })
        };
        ReloadSupervisor {
            mm2,
            stop,
            thread: Some(thread),
            script,
            reloads,
        }
    }

    fn command(&self) -> String {
        format!("sh {}", self.script.display())
    }

    fn reloads(&self) -> usize {
        self.reloads.load(Ordering::SeqCst)
    }
}

impl Drop for ReloadSupervisor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.mm2.kill();
    }
}

const PROPS_HEAD: &str = "# MirrorMaker 2, dedicated mode (tests/mirror_dedicated_real.rs)\n\
                          ! an old-style comment that must survive\n";

fn mm2_properties(pb: &str, sb: &str) -> String {
    format!(
        "{PROPS_HEAD}\
         clusters = primary, standby\n\
         primary.bootstrap.servers = {pb}\n\
         standby.bootstrap.servers = {sb}\n\
         \n\
         # The normal direction.\n\
         primary->standby.enabled = true\n\
         primary->standby.topics = orders\n\
         \n\
         # single-broker clusters\n\
         replication.factor = 1\n\
         checkpoints.topic.replication.factor = 1\n\
         heartbeats.topic.replication.factor = 1\n\
         offset-syncs.topic.replication.factor = 1\n\
         offset.storage.replication.factor = 1\n\
         status.storage.replication.factor = 1\n\
         config.storage.replication.factor = 1\n\
         \n\
         refresh.topics.interval.seconds = 1\n\
         refresh.groups.interval.seconds = 1\n\
         emit.checkpoints.interval.seconds = 1\n\
         emit.heartbeats.interval.seconds = 1\n\
         sync.topic.acls.enabled = false\n\
         sync.group.offsets.enabled = false\n\
         offset.flush.interval.ms = 1000\n\
         # an unrelated key with odd spacing\n\
         tasks.max\t=\t1\n"
    )
}

fn topology(name: &str, pb: &str, sb: &str, props: &Path, reload: &str) -> String {
    format!(
        "version: 1\nname: {name}\npattern: active-passive\n\
         datacenters:\n  dc-a: {{}}\n  dc-b: {{}}\n\
         clusters:\n  primary: {{datacenter: dc-a, role: primary, bootstrap: \"{pb}\"}}\n\
         \x20 standby: {{datacenter: dc-b, role: standby, bootstrap: \"{sb}\"}}\n\
         mirrors:\n  p2s:\n    source: primary\n    target: standby\n    runs-in: dc-b\n\
         \x20   topics: {{include: [\"orders\"]}}\n\
         \x20   driver:\n      mm2-properties:\n        file: \"{}\"\n        reload: \"{reload}\"\n",
        props.display()
    )
}

fn assert_ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The value of `key` in a properties text (simple `key = value` lines only).
fn prop<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix(key)?;
        let rest = rest.trim_start();
        let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
        Some(rest.trim())
    })
}

/// The file's lines that are comments or keys the tool never edits.
fn kept_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.contains("->") && !l.trim().is_empty())
        .collect()
}

#[test]
fn dedicated_mirror_status_pause_failed_reload_reverse_and_rollback() {
    let t0 = Instant::now();
    let mut clusters = KafkaCluster::start_all(vec![
        ClusterSpec::single("primary"),
        ClusterSpec::single("standby"),
    ]);
    let standby = clusters.pop().unwrap();
    let primary = clusters.pop().unwrap();
    let (pb, sb) = (primary.bootstrap(), standby.bootstrap());
    eprintln!("clusters up in {:.1}s", t0.elapsed().as_secs_f64());

    let dir = tempfile::tempdir().unwrap();
    let props = dir.path().join("mm2.properties");
    let original = mm2_properties(&pb, &sb);
    fs::write(&props, &original).unwrap();
    create_topic(&pb, "orders", 2, 1);
    produce_to_partition(&pb, "orders", 0, 10, |_| now_ms());
    produce_to_partition(&pb, "orders", 1, 6, |_| now_ms());

    // All clusters of the file: the reverse flow's herder (writing to `primary`) is
    // needed later.
    let mm2 = Mm2Dedicated::start(&props, &engine_options())
        .unwrap_or_else(|e| panic!("MirrorMaker 2 did not start: {e:#}"));
    eprintln!(
        "MirrorMaker 2 started in {:.1}s",
        mm2.started_in().as_secs_f64()
    );
    let sup = ReloadSupervisor::start(mm2, dir.path());
    let mm2 = sup.mm2.clone();
    let log_tail = || mm2.log_tail(80);
    let wait_records = |bootstrap: &str, topic: &str, n: i64, timeout: Duration| {
        let deadline = Instant::now() + timeout;
        loop {
            let got = total_end(bootstrap, topic);
            if got == n {
                return;
            }
            assert!(
                got < n && Instant::now() < deadline,
                "{topic} on {bootstrap} holds {got} records, expected {n}\n{}",
                log_tail()
            );
            thread::sleep(Duration::from_millis(300));
        }
    };
    wait_records(&sb, "primary.orders", 16, Duration::from_secs(120));
    eprintln!(
        "16 records on the standby after {:.1}s",
        t0.elapsed().as_secs_f64()
    );

    let topo = dir.path().join("t.yaml");
    fs::write(
        &topo,
        topology("dedicated", &pb, &sb, &props, &sup.command()),
    )
    .unwrap();
    let topo_s = topo.to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        kf().arg("mirror")
            .args(args)
            .arg("--journal-dir")
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let status = |topo: &str| {
        kf().args(["mirror", "status", topo, "-o", "json"])
            .output()
            .unwrap()
    };

    // Status: the flow is enabled (the file is all this driver sees).
    let out = status(&topo_s);
    assert_ok(&out);
    let v = json(&out);
    assert_eq!(v[0]["running"], true, "{v:#}");
    let flows = v[0]["runtime"]["flows"].to_string() + &v.to_string();
    assert!(flows.contains("\"enabled\":true"), "{v:#}");

    // Pause: the flow is disabled and MirrorMaker restarted; once the old task stopped,
    // new records stay on the primary.
    let reloads = sup.reloads();
    let out = run(&["pause", &topo_s, "--mirror", "p2s", "--execute", "--yes"]);
    assert_ok(&out);
    assert_eq!(sup.reloads(), reloads + 1, "pause reloaded once");
    let text = fs::read_to_string(&props).unwrap();
    assert_eq!(
        prop(&text, "primary->standby.enabled"),
        Some("false"),
        "{text}"
    );
    assert_eq!(kept_lines(&text), kept_lines(&original));
    mm2.wait_for_log(TASK_STOPPED, Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{e:#}"));
    produce_to_partition(&pb, "orders", 0, 5, |_| now_ms());
    thread::sleep(Duration::from_secs(6));
    assert_eq!(
        total_end(&sb, "primary.orders"),
        16,
        "a paused flow copies nothing\n{}",
        log_tail()
    );
    let out = status(&topo_s);
    assert_eq!(out.status.code(), Some(1), "a paused mirror is not healthy");

    // Resume: the held-back records follow.
    let out = run(&["resume", &topo_s, "--mirror", "p2s", "--execute", "--yes"]);
    assert_ok(&out);
    let text = fs::read_to_string(&props).unwrap();
    assert_eq!(
        prop(&text, "primary->standby.enabled"),
        Some("true"),
        "{text}"
    );
    wait_records(&sb, "primary.orders", 21, Duration::from_secs(90));
    eprintln!(
        "resumed flow caught up at {:.1}s",
        t0.elapsed().as_secs_f64()
    );

    // A failing reload command: exit non-zero, the file as it was, MirrorMaker (never
    // restarted) still copying.
    let bad = dir.path().join("bad.yaml");
    fs::write(&bad, topology("dedicated-bad", &pb, &sb, &props, "false")).unwrap();
    let before = fs::read(&props).unwrap();
    let pid = mm2.pid();
    let out = run(&[
        "pause",
        bad.to_str().unwrap(),
        "--mirror",
        "p2s",
        "--execute",
        "--yes",
    ]);
    assert!(
        !out.status.success(),
        "a failed reload must fail the command"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("false"), "names the reload command: {err}");
    assert_eq!(fs::read(&props).unwrap(), before, "file restored");
    assert_eq!(mm2.pid(), pid, "MirrorMaker was not restarted");
    produce_to_partition(&pb, "orders", 1, 2, |_| now_ms());
    wait_records(&sb, "primary.orders", 23, Duration::from_secs(60));

    // Failover: producers write `orders` on the standby. Reverse the mirror.
    create_topic(&sb, "orders", 2, 1);
    produce_to_partition(&sb, "orders", 0, 4, |_| now_ms());
    produce_to_partition(&sb, "orders", 1, 3, |_| now_ms());
    let before_reverse = fs::read_to_string(&props).unwrap();
    let reloads = sup.reloads();
    let out = run(&[
        "reverse",
        &topo_s,
        "--mirror",
        "p2s",
        "--execute",
        "--yes",
        "-o",
        "json",
    ]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_ok(&out);
    assert_eq!(sup.reloads(), reloads + 1, "reverse reloaded once");
    let plan = json(&out);
    let skipped = plan["reverse"]["skipped_topics"].to_string();
    assert!(skipped.contains("primary.orders"), "{skipped}");
    let journal = err
        .lines()
        .find_map(|l| l.strip_prefix("journal: "))
        .expect("journal path printed")
        .to_string();
    let text = fs::read_to_string(&props).unwrap();
    assert_eq!(
        prop(&text, "primary->standby.enabled"),
        Some("false"),
        "{text}"
    );
    assert_eq!(
        prop(&text, "standby->primary.enabled"),
        Some("true"),
        "{text}"
    );
    assert_eq!(kept_lines(&text), kept_lines(&original), "{text}");
    eprintln!("reversed file:\n{text}");

    wait_records(&pb, "standby.orders", 7, Duration::from_secs(120));
    eprintln!(
        "7 standby records reached the primary at {:.1}s",
        t0.elapsed().as_secs_f64()
    );
    let back = consume(&pb, "standby.orders", 7, Duration::from_secs(30));
    assert_eq!(back.len(), 7);
    // The old direction is stopped: once its task stopped, 3 more primary records stay.
    mm2.wait_for_log(TASK_STOPPED, Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{e:#}"));
    produce_to_partition(&pb, "orders", 1, 3, |_| now_ms());
    // And 2 more standby records cross exactly once.
    produce_to_partition(&sb, "orders", 0, 2, |_| now_ms());
    wait_records(&pb, "standby.orders", 9, Duration::from_secs(60));
    thread::sleep(Duration::from_secs(5));
    assert_eq!(
        total_end(&sb, "primary.orders"),
        23,
        "old direction stopped"
    );
    assert_eq!(
        total_end(&pb, "standby.orders"),
        9,
        "no record crossed twice"
    );
    // Nothing loops: no remote-of-remote topic on either side.
    for (b, prefix) in [(&pb, "standby.primary."), (&sb, "primary.standby.")] {
        let admin = kafka_failover::kafka::AdminClient::new(
            kafka_failover::kafka::ClientSettings::new(b.to_string()),
        )
        .unwrap();
        let topics = admin.list_topics(Duration::from_secs(10)).unwrap();
        assert!(!topics.iter().any(|t| t.starts_with(prefix)), "{topics:?}");
    }

    // Rollback: the previous file again, MirrorMaker restarted on it: the old direction
    // copies the 3 held-back primary records, the reverse one stops.
    let out = kf()
        .args(["mirror", "rollback", &journal, "--execute", "--yes"])
        .output()
        .unwrap();
    assert_ok(&out);
    assert_eq!(
        fs::read_to_string(&props).unwrap(),
        before_reverse,
        "rollback restores the file byte for byte"
    );
    wait_records(&sb, "primary.orders", 26, Duration::from_secs(90));
    mm2.wait_for_log(TASK_STOPPED, Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{e:#}"));
    produce_to_partition(&sb, "orders", 1, 2, |_| now_ms());
    thread::sleep(Duration::from_secs(6));
    assert_eq!(
        total_end(&pb, "standby.orders"),
        9,
        "the reverse flow stopped after the rollback"
    );
    let out = status(&topo_s);
    assert_ok(&out);
    drop(sup);
    eprintln!("done in {:.1}s", t0.elapsed().as_secs_f64());
}
