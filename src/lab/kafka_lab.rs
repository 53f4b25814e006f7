//! The embedded lab on real Apache Kafka: one KRaft cluster per topology cluster (one
//! JVM per planned broker, `broker.rack` from the plan), started in parallel, with the
//! planned topics, seeded records, committed groups and a trickle of records; the same
//! surface as [`super::MockLab`].
//!
//! Each broker is a JVM of ~300 MB RSS (`-Xmx384m`) that needs a few CPU-seconds to
//! start: size the lab with [`LabOptions::min_brokers`] (1 = one broker per DC per
//! cluster).

use std::collections::BTreeMap;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};

use super::kafka_engine::{kafka_libs_in, ClusterSpec, EngineOptions, KraftCluster, LAB_MARKER};
use super::plan::{plan, LabClusterPlan, LabOptions, LabPlan};
use super::seed::{pointed_at, seed, topology_yaml, Trickle};
use crate::kafka::{AdminClient, ClientSettings, ErrorCode, NewTopicSpec};
use crate::topology::Topology;

/// A running lab. Dropping it stops the traffic, SIGKILLs every JVM and removes the
/// clusters' directories.
pub struct KafkaLab {
    pub plan: LabPlan,
    /// Bootstrap address per cluster.
    pub bootstrap: BTreeMap<String, String>,
    /// The topology, pointed at the lab's clusters.
    pub topology: Topology,
    trickle: Option<Trickle>,
    clusters: BTreeMap<String, KraftCluster>,
    started_in: Duration,
}

impl KafkaLab {
    /// Starts real Kafka clusters shaped like `t` with the jars in `libs_dir` (JVMs
    /// marked [`LAB_MARKER`]), creates the planned topics, seeds them and starts the
    /// trickle. `KAFKA_FAILOVER_START_TIMEOUT_SECS` / `KAFKA_FAILOVER_KEEP_DIRS` apply.
    pub fn start(t: &Topology, opts: &LabOptions, libs_dir: &Path) -> anyhow::Result<KafkaLab> {
        let engine = EngineOptions::new(kafka_libs_in(libs_dir)?, LAB_MARKER);
        let mut engine = engine.with_env();
        if std::env::var_os("KAFKA_FAILOVER_START_TIMEOUT_SECS").is_none() {
            let brokers: usize = plan(t, opts).clusters.iter().map(|c| c.brokers.len()).sum();
            engine.start_timeout = start_timeout(brokers);
        }
        Self::start_with(t, opts, &engine)
    }

    /// [`start`](Self::start) with explicit engine options.
    pub fn start_with(
        t: &Topology,
        opts: &LabOptions,
        engine: &EngineOptions,
    ) -> anyhow::Result<KafkaLab> {
        let t0 = Instant::now();
        let plan = plan(t, opts);
        let specs = plan.clusters.iter().map(spec_of).collect();
        let started = KraftCluster::start_all(specs, engine)?;
        let clusters: BTreeMap<String, KraftCluster> = started
            .into_iter()
            .map(|c| (c.name().to_string(), c))
            .collect();
        let bootstrap: BTreeMap<String, String> = clusters
            .iter()
            .map(|(n, c)| (n.clone(), c.bootstrap()))
            .collect();
        log::info!(
            "lab: {} clusters up after {:?}",
            clusters.len(),
            t0.elapsed()
        );
        thread::scope(|s| {
            let handles: Vec<_> = plan
                .clusters
                .iter()
                .map(|c| s.spawn(|| create_topics(c, &bootstrap[&c.name])))
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("a topic creation thread panicked")))
            })
        })?;
        let mut plan = plan;
        if !plan.mirrors.is_empty() {
            plan.notes.push(format!(
                "{} mirror(s) planned: their target topics exist, but `--engine kafka` does not run MirrorMaker 2 yet (planned), so no records are copied",
                plan.mirrors.len()
            ));
        }
        let mut lab = KafkaLab {
            topology: pointed_at(t, &bootstrap),
            plan,
            bootstrap,
            trickle: None,
            clusters,
            started_in: Duration::ZERO,
        };
        seed(&lab.plan, &lab.bootstrap, opts).context("seeding the lab")?;
        lab.trickle = Some(Trickle::start(&lab.plan, &lab.bootstrap)?);
        lab.started_in = t0.elapsed();
        log::info!("lab: seeded and trickling after {:?}", lab.started_in);
        Ok(lab)
    }

    /// Wall time [`start`](Self::start) took (clusters, topics, seeding).
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// The engine's handle on one cluster (pids, logs, single-node faults).
    pub fn cluster(&self, name: &str) -> Option<&KraftCluster> {
        self.clusters.get(name)
    }

    /// SIGKILLs every node of `dc`, in every cluster (a DC outage). Returns how many.
    pub fn dc_down(&self, dc: &str) -> anyhow::Result<usize> {
        let targets = self.nodes_in(dc)?;
        let mut n = 0;
        for (cluster, ids) in &targets {
            for &id in ids {
                self.clusters[cluster].kill(id)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Starts the nodes of `dc` again (all clusters in parallel) and waits until they
    /// are registered. Returns how many nodes it covers.
    pub fn dc_up(&self, dc: &str) -> anyhow::Result<usize> {
        let targets = self.nodes_in(dc)?;
        let n = targets.values().map(Vec::len).sum();
        thread::scope(|s| {
            let handles: Vec<_> = targets
                .iter()
                .map(|(cluster, ids)| {
                    let c = &self.clusters[cluster];
                    s.spawn(move || {
                        c.start_nodes(ids)
                            .with_context(|| format!("restarting {ids:?} of `{cluster}`"))
                    })
                })
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("a restart thread panicked")))
            })
        })?;
        Ok(n)
    }

    /// Node ids of `dc` per cluster (clusters without any left out).
    fn nodes_in(&self, dc: &str) -> anyhow::Result<BTreeMap<String, Vec<i32>>> {
        if !self.topology.datacenters.contains_key(dc) {
            bail!("the topology has no datacenter `{dc}`");
        }
        Ok(self
            .plan
            .clusters
            .iter()
            .map(|c| {
                let ids = c
                    .brokers
                    .iter()
                    .filter(|b| b.datacenter == dc)
                    .map(|b| b.id)
                    .collect::<Vec<_>>();
                (c.name.clone(), ids)
            })
            .filter(|(_, ids)| !ids.is_empty())
            .collect())
    }

    /// The rewritten topology as YAML.
    pub fn topology_yaml(&self) -> anyhow::Result<String> {
        topology_yaml(&self.topology)
    }
}

impl Drop for KafkaLab {
    fn drop(&mut self) {
        drop(self.trickle.take());
        // Each cluster's Drop kills its JVMs and removes its directory.
        self.clusters.clear();
    }
}

/// 60 s, plus 15 s per broker beyond three: JVMs starting together share the CPU (on
/// 2 busy cores 15 brokers took 100–130 s).
fn start_timeout(brokers: usize) -> Duration {
    Duration::from_secs(60 + 15 * brokers.saturating_sub(3) as u64)
}

/// The engine's spec of a planned cluster: node i+1 is planned broker id i+1.
fn spec_of(c: &LabClusterPlan) -> ClusterSpec {
    debug_assert!(c
        .brokers
        .iter()
        .enumerate()
        .all(|(i, b)| b.id == i as i32 + 1));
    let racks: Vec<Option<&str>> = c.brokers.iter().map(|b| b.rack.as_deref()).collect();
    ClusterSpec::new(&c.name, &racks)
}

/// Creates the planned topics of `c`, retrying what fails transiently (right after the
/// start librdkafka may drop a request while it swaps its bootstrap brokers for the
/// brokers the metadata names); a retried topic that already exists was created.
fn create_topics(c: &LabClusterPlan, bootstrap: &str) -> anyhow::Result<()> {
    if c.topics.is_empty() {
        return Ok(());
    }
    let admin = AdminClient::new(ClientSettings::new(bootstrap).timeout(Duration::from_secs(10)))?;
    let mut pending: Vec<NewTopicSpec> = c
        .topics
        .iter()
        .map(|t| NewTopicSpec {
            name: t.name.clone(),
            partitions: t.partitions,
            replication_factor: t.replication_factor,
        })
        .collect();
    let mut created_before = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut attempt = 0;
    while !pending.is_empty() {
        attempt += 1;
        let left = deadline.saturating_duration_since(Instant::now());
        let last_chance = left < Duration::from_secs(1);
        let answers = match admin.create_topics(&pending, left) {
            Err(e) if e.is_retriable() && !last_chance => {
                log::debug!("lab: creating topics on {}: {e} (retrying)", c.name);
                thread::sleep(Duration::from_millis(500));
                continue;
            }
            r => r.with_context(|| format!("creating the topics of `{}`", c.name))?,
        };
        let mut again = Vec::new();
        for (name, r) in answers {
            match r {
                Ok(()) => {}
                Err(e) if attempt > 1 && e.code() == Some(ErrorCode::TOPIC_ALREADY_EXISTS) => {
                    created_before.push(name)
                }
                Err(e) if e.is_retriable() && !last_chance => {
                    log::debug!("lab: creating topic {name} on {}: {e} (retrying)", c.name);
                    again.extend(pending.iter().filter(|t| t.name == name).cloned());
                }
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("creating topic `{name}` on `{}`", c.name))
                }
            }
        }
        if !again.is_empty() {
            thread::sleep(Duration::from_millis(500));
        }
        pending = again;
    }
    if !created_before.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        admin
            .wait_for_topic_leaders(&created_before, left.max(Duration::from_secs(5)))
            .with_context(|| format!("waiting for partition leaders on `{}`", c.name))?;
    }
    Ok(())
}
