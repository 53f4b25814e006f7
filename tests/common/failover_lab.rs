//! The active/passive mock lab of the reliability tests (crash/resume, faults), run in
//! the test's process so a test can take a DC down, inject faults and read the clusters
//! directly: every group committed on the standby, checkpoints in, dc-east down,
//! traffic stopped — so every failover of it ends at the same offsets.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{kf, stdout_json as json};
use kafka_failover::kafka::{
    AdminClient, BatchOptions, ClientSettings, GroupOffsetsQuery, GroupOffsetsUpdate,
    TopicPartition, TopicPartitionOffset,
};
use kafka_failover::lab::{Lab, LabOptions, MockLab};
use kafka_failover::topology::{Hook, HookEvent, Topology};

/// The groups the failover moves, and the topic (on the standby) each reads.
pub const GROUPS: &[(&str, &str)] = &[
    ("payments-ledger", "east.payments"),
    ("payments-notify-lab-1", "east.payments"),
    ("payments-dashboard", "east.payments"),
    ("refund-worker", "east.refunds"),
];

pub type Offsets = BTreeMap<(String, String, i32), Option<i64>>;

/// splitmix64: a tiny seeded generator, so a failing round can be replayed exactly.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub lab: MockLab,
    pub topology: String,
    pub state: PathBuf,
    pub admin: AdminClient,
    pub partitions: BTreeMap<String, i32>,
}

pub fn example(name: &str, hooks: &[(HookEvent, String)]) -> Topology {
    let mut t = super::example_topology(name);
    for (event, command) in hooks {
        t.hooks.insert(
            *event,
            Hook {
                command: command.clone(),
                timeout: None,
            },
        );
    }
    t
}

/// The lab, every group committed on the standby (so "before" is a real offset that
/// rollback can restore), checkpoints in, dc-east down, traffic stopped.
pub fn fixture(hooks: &[(HookEvent, String)]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let lab = MockLab::start(&example("active-passive", hooks), &LabOptions::default()).unwrap();
    let topology = dir.path().join("lab.yaml");
    std::fs::write(&topology, lab.topology_yaml().unwrap()).unwrap();
    let admin = AdminClient::new(
        ClientSettings::new(&lab.bootstrap()["west"]).timeout(Duration::from_secs(10)),
    )
    .unwrap();
    let mut partitions = BTreeMap::new();
    for (_, topic) in GROUPS {
        let n = wait_for_topic(&admin, topic);
        partitions.insert(topic.to_string(), n);
    }
    let updates: Vec<GroupOffsetsUpdate> = GROUPS
        .iter()
        .map(|(g, topic)| GroupOffsetsUpdate {
            group: g.to_string(),
            offsets: (0..partitions[*topic])
                .map(|p| TopicPartitionOffset::new(*topic, p, 1 + p as i64))
                .collect(),
        })
        .collect();
    for (_, r) in
        admin.alter_group_offsets_batch(&updates, &BatchOptions::new(Duration::from_secs(10)))
    {
        r.unwrap();
    }
    let f = Fixture {
        state: dir.path().join("state"),
        topology: topology.display().to_string(),
        dir,
        lab,
        admin,
        partitions,
    };
    wait_checkpoint(&f.topology);
    f.lab.pause_traffic("east").unwrap();
    f.lab.dc_down("dc-east").unwrap();
    f
}

pub fn wait_for_topic(admin: &AdminClient, topic: &str) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(meta) = admin.describe_topics(&[topic.to_string()], Duration::from_secs(5)) {
            if let Some(t) = meta
                .iter()
                .find(|t| t.name == topic && !t.partitions.is_empty())
            {
                return t.partitions.len() as i32;
            }
        }
        assert!(Instant::now() < deadline, "{topic} never appeared");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits until the lab's mirror has checkpointed the translated groups.
pub fn wait_checkpoint(t: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = kf().args(["ready", t, "-o", "json"]).output().unwrap();
        let v = json(&out);
        let ok = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["check"] == "strategy")
            .all(|c| c["ok"] == true);
        if ok {
            return;
        }
        assert!(Instant::now() < deadline, "no checkpoints: {v:#}");
        std::thread::sleep(Duration::from_millis(300));
    }
}

impl Fixture {
    pub fn offsets(&self) -> Offsets {
        let mut out = Offsets::new();
        for (g, topic) in GROUPS {
            let parts = (0..self.partitions[*topic])
                .map(|p| TopicPartition::new(*topic, p))
                .collect();
            let got = self
                .admin
                .list_group_offsets(
                    &GroupOffsetsQuery::partitions(*g, parts),
                    Duration::from_secs(10),
                )
                .unwrap();
            for p in 0..self.partitions[*topic] {
                out.insert(
                    (g.to_string(), topic.to_string(), p),
                    got.offset_of(topic, p),
                );
            }
        }
        out
    }

    pub fn failover_cmd(&self, extra: &[&str]) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("kafka-failover"));
        c.args([
            "failover",
            &self.topology,
            "--lost",
            "dc-east",
            "--execute",
            "--yes",
        ])
        .args([
            "--timeout",
            "5s",
            "--group",
            "payments-notify-lab-1",
            "-o",
            "json",
        ])
        .arg("--state-dir")
        .arg(&self.state)
        .args(extra)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
        c
    }

    pub fn failover(&self, extra: &[&str]) -> Output {
        self.failover_cmd(extra).output().unwrap()
    }

    /// Run journals, newest last.
    pub fn journals(&self) -> Vec<PathBuf> {
        let runs = self.state.join("payments/runs");
        let mut v: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&runs)
            .map(|d| {
                d.map(|e| e.unwrap().path().join("run.jsonl"))
                    .filter(|p| p.exists())
                    .map(|p| (p.metadata().unwrap().modified().unwrap(), p))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v.into_iter().map(|(_, p)| p).collect()
    }

    pub fn rollback(&self, journal: &Path) {
        let out = kf()
            .args(["rollback"])
            .arg(journal)
            .args(["--execute", "--yes", "--timeout", "5s"])
            .output()
            .unwrap();
        assert!(out.status.success(), "rollback: {}", stderr(&out));
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Partitions the move-groups step of a run report changed (before != after).
pub fn partitions_written(report: &serde_json::Value) -> usize {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["id"] == "move-groups" && s["earlier"] != true)
        .flat_map(|s| s["data"].as_array().cloned().unwrap_or_default())
        .flat_map(|g| g["partitions"].as_array().cloned().unwrap_or_default())
        .filter(|p| p["before"] != p["after"])
        .count()
}

/// The step a killed run's journal reached: the last `started` step id, or "-".
pub fn reached(journal: &Path) -> String {
    let text = std::fs::read_to_string(journal).unwrap_or_default();
    text.lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["entry"] == "started")
        .find_map(|v| v["id"].as_str().map(String::from))
        .unwrap_or_else(|| "-".into())
}
