//! What every lab engine does once its clusters run: seed records, commit the groups,
//! keep a trickle of records flowing, and point the topology at the lab.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;

use super::plan::{LabClusterPlan, LabOptions, LabPlan};
use crate::kafka::{
    AdminClient, BatchOptions, ClientSettings, GroupOffsetsUpdate, RecordProducer,
    TopicPartitionOffset,
};
use crate::topology::Topology;

pub use crate::clock::now_ms;

fn settings(bootstrap: &str) -> ClientSettings {
    ClientSettings::new(bootstrap).timeout(Duration::from_secs(10))
}

/// Produces the initial records (timestamps one second apart, ending now) and commits
/// every group at the middle of each partition.
pub fn seed(
    plan: &LabPlan,
    bootstrap: &BTreeMap<String, String>,
    opts: &LabOptions,
) -> anyhow::Result<()> {
    let n = opts.records_per_partition as i64;
    let start = now_ms() - n * 1000;
    for c in &plan.clusters {
        let s = settings(&bootstrap[&c.name]);
        let produced: Vec<_> = c.topics.iter().filter(|t| t.produced).collect();
        if !produced.is_empty() {
            let producer = RecordProducer::new(&s)?;
            for t in &produced {
                for p in 0..t.partitions {
                    for i in 0..n {
                        producer.send(
                            &t.name,
                            Some(p),
                            &format!("k{i}"),
                            &format!("seed-{p}-{i}"),
                            start + i * 1000,
                        )?;
                    }
                }
            }
            producer.flush(Duration::from_secs(30))?;
        }
        commit_groups(c, &s, if produced.is_empty() { 0 } else { n / 2 })?;
    }
    Ok(())
}

fn commit_groups(c: &LabClusterPlan, s: &ClientSettings, offset: i64) -> anyhow::Result<()> {
    if c.groups.is_empty() {
        return Ok(());
    }
    let admin = AdminClient::new(s.clone())?;
    let updates: Vec<GroupOffsetsUpdate> = c
        .groups
        .iter()
        .map(|g| GroupOffsetsUpdate {
            group: g.id.clone(),
            offsets: g
                .topics
                .iter()
                .filter_map(|tn| c.topics.iter().find(|t| &t.name == tn))
                .flat_map(|t| {
                    (0..t.partitions).map(|p| TopicPartitionOffset::new(&t.name, p, offset))
                })
                .collect(),
        })
        .collect();
    let results =
        admin.alter_group_offsets_batch(&updates, &BatchOptions::new(Duration::from_secs(30)));
    for (group, r) in results {
        r.with_context(|| format!("committing offsets of group `{group}` on `{}`", c.name))?;
    }
    Ok(())
}

/// One record per partition of every produced topic, twice a second, until dropped.
pub struct Trickle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Trickle {
    pub fn start(plan: &LabPlan, bootstrap: &BTreeMap<String, String>) -> anyhow::Result<Trickle> {
        let mut targets = Vec::new();
        for c in &plan.clusters {
            let topics: Vec<(String, i32)> = c
                .topics
                .iter()
                .filter(|t| t.produced)
                .map(|t| (t.name.clone(), t.partitions))
                .collect();
            if !topics.is_empty() {
                targets.push((RecordProducer::new(&settings(&bootstrap[&c.name]))?, topics));
            }
        }
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("lab-trickle".into())
            .spawn(move || run(targets, flag))?;
        Ok(Trickle {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Trickle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(producers: Vec<(RecordProducer, Vec<(String, i32)>)>, stop: Arc<AtomicBool>) {
    let mut seq: u64 = 0;
    while !stop.load(Ordering::SeqCst) {
        for (p, topics) in &producers {
            for (t, parts) in topics {
                for part in 0..*parts {
                    // A DC that is down makes sends fail or queue; the trickle carries on.
                    let _ = p.send(
                        t,
                        Some(part),
                        &format!("t{seq}"),
                        &format!("trickle-{seq}"),
                        now_ms(),
                    );
                }
            }
        }
        seq += 1;
        for _ in 0..5 {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    for (p, _) in &producers {
        let _ = p.flush(Duration::from_secs(1));
    }
}

/// `t` with every cluster pointed at the lab: lab bootstrap, no TLS/SASL properties and no
/// secrets (the lab's brokers are plaintext on 127.0.0.1).
pub fn pointed_at(t: &Topology, bootstrap: &BTreeMap<String, String>) -> Topology {
    let mut out = t.clone();
    for (name, c) in out.clusters.iter_mut() {
        c.bootstrap = bootstrap[name].clone();
        c.properties.retain(|k, _| {
            !(k.starts_with("security.") || k.starts_with("ssl.") || k.starts_with("sasl."))
        });
        c.secrets.clear();
    }
    out
}

/// A lab topology as YAML, with a header saying where it came from.
pub fn topology_yaml(t: &Topology) -> anyhow::Result<String> {
    Ok(format!(
        "# Written by `kafka-failover lab up`: the topology, pointed at the lab's clusters.\n{}",
        serde_yaml::to_string(t)?
    ))
}
