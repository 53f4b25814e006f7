//! The embedded lab on real Apache Kafka: one KRaft cluster per topology cluster (one
//! JVM per planned broker, `broker.rack` from the plan), started in parallel, with the
//! planned topics, seeded records, committed groups and a trickle of records; the same
//! surface as [`super::MockLab`].
//!
//! Every topology mirror runs on real MirrorMaker 2: one Kafka Connect worker per mirror,
//! attached to the mirror's target cluster, with MM2's three connectors
//! ([`crate::mirror::mm2_connector_configs`]); the lab's topology points the mirror's
//! driver at that worker's REST API.
//!
//! Each broker is a JVM of ~300 MB RSS (`-Xmx384m`) that needs a few CPU-seconds to
//! start: size the lab with [`LabOptions::min_brokers`] (1 = one broker per DC per
//! cluster).

use std::collections::BTreeMap;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};

use super::connect_process::{ConnectSpec, ConnectWorker};
use super::kafka_engine::{kafka_libs_in, ClusterSpec, EngineOptions, KraftCluster, LAB_MARKER};
use super::plan::{plan, LabClusterPlan, LabOptions, LabPlan};
use super::seed::{pointed_at, seed, topology_yaml, Trickle};
use crate::kafka::{AdminClient, ClientSettings, ErrorCode, NewTopicSpec};
use crate::mirror::{
    driver_for, mm2_connector_configs, ConnectorNameSet, DriverOptions, Mm2ConnectorOptions,
};
use crate::topology::{ConnectDriver, ConnectorNames, Mirror, MirrorDriverSpec, Topology};

/// A running lab. Dropping it stops the traffic, SIGKILLs every JVM and removes the
/// clusters' directories.
pub struct KafkaLab {
    pub plan: LabPlan,
    /// Bootstrap address per cluster.
    pub bootstrap: BTreeMap<String, String>,
    /// The topology, pointed at the lab's clusters; its mirrors' drivers point at the
    /// lab's Connect workers.
    pub topology: Topology,
    /// REST URL of the Connect worker running each mirror (by mirror name).
    pub connect_urls: BTreeMap<String, String>,
    trickle: Option<Trickle>,
    workers: Vec<ConnectWorker>,
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
        let mut lab = KafkaLab {
            topology: pointed_at(t, &bootstrap),
            plan,
            bootstrap,
            connect_urls: BTreeMap::new(),
            trickle: None,
            workers: Vec::new(),
            clusters,
            started_in: Duration::ZERO,
        };
        seed(&lab.plan, &lab.bootstrap, opts).context("seeding the lab")?;
        if !lab.topology.mirrors.is_empty() {
            lab.start_mirrors(engine)
                .context("starting MirrorMaker 2 for the lab's mirrors")?;
            log::info!("lab: mirrors running after {:?}", t0.elapsed());
        }
        lab.trickle = Some(Trickle::start(&lab.plan, &lab.bootstrap)?);
        lab.started_in = t0.elapsed();
        log::info!("lab: seeded and trickling after {:?}", lab.started_in);
        Ok(lab)
    }

    /// One Connect worker per mirror (in parallel), on the mirror's target cluster, with
    /// MM2's three connectors; waits until they run and points the mirrors at the workers.
    fn start_mirrors(&mut self, engine: &EngineOptions) -> anyhow::Result<()> {
        let mirrors: Vec<(String, Mirror)> = self
            .topology
            .mirrors
            .iter()
            .map(|(n, m)| (n.clone(), m.clone()))
            .collect();
        let sizes: BTreeMap<String, usize> = self
            .plan
            .clusters
            .iter()
            .map(|c| (c.name.clone(), c.brokers.len()))
            .collect();
        let brokers = |cluster: &str| sizes.get(cluster).copied().unwrap_or(1);
        let workers: Vec<ConnectWorker> = thread::scope(|s| {
            let handles: Vec<_> = mirrors
                .iter()
                .map(|(name, m)| {
                    let spec = ConnectSpec::new(
                        &worker_name(name),
                        &self.bootstrap[&m.target],
                        brokers(&m.target),
                    );
                    s.spawn(move || {
                        ConnectWorker::start(spec, engine)
                            .with_context(|| format!("the Connect worker of mirror `{name}`"))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow!("a Connect worker thread panicked")))
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })?;
        let deadline = Instant::now() + engine.start_timeout.max(Duration::from_secs(120));
        let mut drivers = Vec::new();
        for ((name, m), worker) in mirrors.iter().zip(&workers) {
            let names = ConnectorNameSet::resolve(m, &declared_names(m));
            // Remote topics on the target, offset syncs on the source: both must fit.
            let rf = brokers(&m.source).min(brokers(&m.target)).clamp(1, 3);
            let mut copts = Mm2ConnectorOptions {
                replication_factor: Some(rf as u16),
                emit_checkpoints_interval_seconds: 1,
                refresh_topics_interval_seconds: 5,
                refresh_groups_interval_seconds: 5,
                ..Default::default()
            };
            for (k, v) in [
                ("sync.topic.acls.enabled", "false"),
                ("emit.heartbeats.interval.seconds", "1"),
            ] {
                copts.extra.insert(k.into(), v.into());
            }
            let configs = mm2_connector_configs(&self.topology, m, &names, &copts)
                .map_err(|e| anyhow!("mirror `{name}`: {e}"))?;
            let url = worker.rest_url();
            let mut pointed = m.clone();
            pointed.driver = MirrorDriverSpec::Connect(ConnectDriver {
                url: url.clone(),
                connectors: ConnectorNames {
                    source: Some(names.source.clone()),
                    checkpoint: Some(names.checkpoint.clone()),
                    heartbeat: Some(names.heartbeat.clone()),
                },
                auth: None,
                ca_file: None,
                insecure_skip_tls_verify: false,
            });
            let driver = driver_for(name, &pointed, &DriverOptions::default())
                .map_err(|e| anyhow!("mirror `{name}`: {e}"))?;
            for c in &configs {
                driver
                    .put_config(&c.name, &c.config)
                    .map_err(|e| anyhow!("mirror `{name}`, connector `{}`: {e}", c.name))?;
            }
            self.topology.mirrors.insert(name.clone(), pointed);
            self.connect_urls.insert(name.clone(), url.clone());
            self.plan.notes.push(format!(
                "mirror `{name}` runs on real MirrorMaker 2: a Kafka Connect worker at {url} (storing its state on `{}`) with connectors {}, {}, {}",
                m.target, names.source, names.checkpoint, names.heartbeat
            ));
            drivers.push((name, driver));
        }
        self.workers = workers;
        for (name, driver) in drivers {
            loop {
                let st = driver.status();
                if st
                    .as_ref()
                    .is_ok_and(|s| s.is_running() && s.present().count() == 3)
                {
                    break;
                }
                if Instant::now() > deadline {
                    bail!(
                        "the MirrorMaker 2 connectors of mirror `{name}` are not running: {}",
                        match st {
                            Ok(s) => format!("{s:?}"),
                            Err(e) => e.to_string(),
                        }
                    );
                }
                thread::sleep(Duration::from_millis(500));
            }
        }
        Ok(())
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

    /// See [`super::Lab::pause_traffic`].
    pub fn pause_traffic(&self, cluster: &str) -> anyhow::Result<()> {
        super::seed::pause_traffic(self.trickle.as_ref(), &self.plan, cluster)
    }

    /// See [`super::Lab::resume_traffic`].
    pub fn resume_traffic(&self, cluster: &str) -> anyhow::Result<()> {
        super::seed::resume_traffic(self.trickle.as_ref(), &self.plan, cluster)
    }
}

impl super::Lab for KafkaLab {
    fn topology(&self) -> &Topology {
        &self.topology
    }
    fn plan(&self) -> &LabPlan {
        &self.plan
    }
    fn bootstrap(&self) -> &BTreeMap<String, String> {
        &self.bootstrap
    }
    fn engine(&self) -> &'static str {
        "kafka"
    }
    fn dc_down(&self, dc: &str) -> anyhow::Result<usize> {
        KafkaLab::dc_down(self, dc)
    }
    fn dc_up(&self, dc: &str) -> anyhow::Result<usize> {
        KafkaLab::dc_up(self, dc)
    }
    fn pause_traffic(&self, cluster: &str) -> anyhow::Result<()> {
        KafkaLab::pause_traffic(self, cluster)
    }
    fn resume_traffic(&self, cluster: &str) -> anyhow::Result<()> {
        KafkaLab::resume_traffic(self, cluster)
    }
    fn topology_yaml(&self) -> anyhow::Result<String> {
        KafkaLab::topology_yaml(self)
    }
}

impl Drop for KafkaLab {
    fn drop(&mut self) {
        drop(self.trickle.take());
        // Workers before the clusters they store their state in.
        self.workers.clear();
        // Each cluster's Drop kills its JVMs and removes its directory.
        self.clusters.clear();
    }
}

/// Connector names the topology gives (connect driver), else none (the defaults).
fn declared_names(m: &Mirror) -> ConnectorNames {
    match &m.driver {
        MirrorDriverSpec::Connect(c) => c.connectors.clone(),
        MirrorDriverSpec::Mm2Properties(_) => ConnectorNames::default(),
    }
}

/// A Connect cluster name for a mirror (it names the worker's group and topics).
fn worker_name(mirror: &str) -> String {
    let safe = crate::fsutil::safe_name(mirror);
    format!("lab-{safe}")
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
            configs: Vec::new(),
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
