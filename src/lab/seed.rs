//! What every lab engine does once its clusters run: seed records, commit the groups,
//! keep a trickle of records flowing, and point the topology at the lab.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

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
/// Each cluster's traffic can be paused and resumed: a drill stops the producers of the
/// DC it is about to lose, so that cluster's log then holds exactly what was acked.
pub struct Trickle {
    stop: Arc<AtomicBool>,
    control: Arc<Control>,
    /// Clusters the trickle writes to (those with produced topics).
    clusters: BTreeSet<String>,
    thread: Option<JoinHandle<()>>,
}

/// Which clusters are paused, and which of those the trickle thread has gone quiet on
/// (stopped sending and flushed what it had sent).
#[derive(Default)]
struct Control {
    state: Mutex<PauseState>,
    changed: Condvar,
}

#[derive(Default)]
struct PauseState {
    paused: BTreeSet<String>,
    quiet: BTreeSet<String>,
}

/// How long [`Trickle::pause`] waits for the last records to a cluster to be acked.
const PAUSE_FLUSH: Duration = Duration::from_secs(5);

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
                targets.push(Target {
                    cluster: c.name.clone(),
                    producer: RecordProducer::new(&settings(&bootstrap[&c.name]))?,
                    topics,
                });
            }
        }
        let clusters = targets.iter().map(|t| t.cluster.clone()).collect();
        let stop = Arc::new(AtomicBool::new(false));
        let control = Arc::new(Control::default());
        let (flag, ctl) = (stop.clone(), control.clone());
        let thread = std::thread::Builder::new()
            .name("lab-trickle".into())
            .spawn(move || run(targets, flag, ctl))?;
        Ok(Trickle {
            stop,
            control,
            clusters,
            thread: Some(thread),
        })
    }

    /// Stops sending to `cluster` and waits until the records already sent to it are
    /// acked (or [`PAUSE_FLUSH`] passed: a cluster that is already down cannot ack).
    /// Returns at once for a cluster the trickle does not write to.
    pub fn pause(&self, cluster: &str) -> anyhow::Result<()> {
        if !self.clusters.contains(cluster) {
            return Ok(());
        }
        let mut st = self.control.state.lock().unwrap_or_else(|e| e.into_inner());
        if st.paused.insert(cluster.to_string()) {
            st.quiet.remove(cluster);
        }
        let deadline = Instant::now() + PAUSE_FLUSH + Duration::from_secs(2);
        while !st.quiet.contains(cluster) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.thread.as_ref().is_none_or(|t| t.is_finished()) {
                bail!("the lab's trickle did not confirm it stopped writing to `{cluster}`");
            }
            st = self
                .control
                .changed
                .wait_timeout(st, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        Ok(())
    }

    /// Sends to `cluster` again from the next round on.
    pub fn resume(&self, cluster: &str) {
        let mut st = self.control.state.lock().unwrap_or_else(|e| e.into_inner());
        st.paused.remove(cluster);
        st.quiet.remove(cluster);
    }

    /// Whether `cluster`'s traffic is paused.
    pub fn is_paused(&self, cluster: &str) -> bool {
        let st = self.control.state.lock().unwrap_or_else(|e| e.into_inner());
        st.paused.contains(cluster)
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

struct Target {
    cluster: String,
    producer: RecordProducer,
    topics: Vec<(String, i32)>,
}

fn run(targets: Vec<Target>, stop: Arc<AtomicBool>, control: Arc<Control>) {
    let mut seq: u64 = 0;
    let mut tick: u64 = 0;
    while !stop.load(Ordering::SeqCst) {
        // Every 100 ms: answer pauses; every 500 ms: one round of records.
        let paused = quiesce(&targets, &control);
        if tick.is_multiple_of(5) {
            for t in targets.iter().filter(|t| !paused.contains(&t.cluster)) {
                for (topic, parts) in &t.topics {
                    for part in 0..*parts {
                        // A DC that is down makes sends fail or queue; the trickle carries on.
                        let _ = t.producer.send(
                            topic,
                            Some(part),
                            &format!("t{seq}"),
                            &format!("trickle-{seq}"),
                            now_ms(),
                        );
                    }
                }
            }
            seq += 1;
        }
        tick += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    for t in &targets {
        let _ = t.producer.flush(Duration::from_secs(1));
    }
}

/// Flushes the clusters newly paused and marks them quiet; returns every paused cluster.
fn quiesce(targets: &[Target], control: &Control) -> BTreeSet<String> {
    let (paused, newly): (BTreeSet<String>, Vec<String>) = {
        let st = control.state.lock().unwrap_or_else(|e| e.into_inner());
        let newly = st.paused.difference(&st.quiet).cloned().collect();
        (st.paused.clone(), newly)
    };
    if newly.is_empty() {
        return paused;
    }
    for t in targets.iter().filter(|t| newly.contains(&t.cluster)) {
        if let Err(e) = t.producer.flush(PAUSE_FLUSH) {
            log::warn!("lab trickle: records to `{}` not all acked: {e}", t.cluster);
        }
    }
    let mut st = control.state.lock().unwrap_or_else(|e| e.into_inner());
    for c in newly {
        // Resumed meanwhile: not quiet.
        if st.paused.contains(&c) {
            st.quiet.insert(c);
        }
    }
    control.changed.notify_all();
    st.paused.clone()
}

/// A lab's "stop the producers of `cluster`": pauses its trickle (when the lab has one)
/// after checking the cluster is part of the lab.
pub fn pause_traffic(
    trickle: Option<&Trickle>,
    plan: &LabPlan,
    cluster: &str,
) -> anyhow::Result<()> {
    known(plan, cluster)?;
    trickle.map_or(Ok(()), |t| t.pause(cluster))
}

/// Undoes [`pause_traffic`].
pub fn resume_traffic(
    trickle: Option<&Trickle>,
    plan: &LabPlan,
    cluster: &str,
) -> anyhow::Result<()> {
    known(plan, cluster)?;
    if let Some(t) = trickle {
        t.resume(cluster);
    }
    Ok(())
}

fn known(plan: &LabPlan, cluster: &str) -> anyhow::Result<()> {
    if plan.cluster(cluster).is_none() {
        bail!("the lab has no cluster `{cluster}`");
    }
    Ok(())
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
