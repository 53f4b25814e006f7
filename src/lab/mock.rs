//! The embedded lab on librdkafka's mock clusters: one `MockKafka` per topology cluster,
//! owned by a lab thread (mock clusters are not `Send`), seeded with records and committed
//! group offsets, and fed a steady trickle of records. The topology's mirrors run on the
//! lab's in-process mirror (`lab::mirror`), driven over a Connect REST subset
//! (`lab::connect_api`) that the topology the lab writes points at.

use std::collections::BTreeMap;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{anyhow, Context};

use super::connect_api::ConnectServer;
use super::mirror::{self, connector_names, planned_config, LabMirrors, MirrorEnv, TopicMaker};
use super::plan::{plan, LabClusterPlan, LabOptions, LabPlan};
use super::seed::{pointed_at, seed, topology_yaml, Trickle};
use crate::kafka::MockKafka;
use crate::offsets::mm2_records::{checkpoints_topic, offset_syncs_topic};
use crate::topology::{ConnectDriver, ConnectorNames, MirrorDriverSpec, Topology};

/// A cluster's survivors, the partitions to lead and the groups to coordinate.
type Reelection = (String, Vec<i32>, Vec<(String, i32)>, Vec<String>);

type MockJob = Box<dyn FnOnce(&BTreeMap<String, MockKafka>) + Send>;

/// A running lab. Dropping it stops the traffic and the mock clusters.
pub struct MockLab {
    pub plan: LabPlan,
    /// Bootstrap address per cluster.
    pub bootstrap: BTreeMap<String, String>,
    /// The topology, pointed at the lab's clusters; its mirrors' drivers point at the
    /// lab's Connect REST API.
    pub topology: Topology,
    /// Base URL of the lab's Connect REST subset (when the topology has mirrors).
    pub connect_url: Option<String>,
    jobs: mpsc::Sender<MockJob>,
    trickle: Option<Trickle>,
    connect: Option<ConnectServer>,
    mirrors: Option<Arc<LabMirrors>>,
    threads: Vec<JoinHandle<()>>,
}

impl MockLab {
    /// Starts mock clusters shaped like `t`, seeds them, and starts the trickle.
    pub fn start(t: &Topology, opts: &LabOptions) -> anyhow::Result<MockLab> {
        let plan = plan(t, opts);
        let (jobs_tx, jobs_rx) = mpsc::channel::<MockJob>();
        let (ready_tx, ready_rx) = mpsc::channel();
        let cluster_plans = plan.clusters.clone();
        let owner = std::thread::Builder::new()
            .name("lab-mock-clusters".into())
            .spawn(move || run_owner(cluster_plans, jobs_rx, ready_tx))?;
        let bootstrap: BTreeMap<String, String> = ready_rx
            .recv()
            .map_err(|_| anyhow!("the lab thread ended before its clusters were up"))??;
        let mut lab = MockLab {
            topology: pointed_at(t, &bootstrap),
            plan,
            bootstrap,
            connect_url: None,
            jobs: jobs_tx,
            trickle: None,
            connect: None,
            mirrors: None,
            threads: vec![owner],
        };
        seed(&lab.plan, &lab.bootstrap, opts).context("seeding the lab")?;
        // The run lock's topic: the mock has no CreateTopics for the lock to make it.
        let lock_rf: Vec<(String, i32)> = lab
            .plan
            .clusters
            .iter()
            .map(|c| (c.name.clone(), c.brokers.len().min(3) as i32))
            .collect();
        lab.with_mocks(move |m| {
            for (cluster, rf) in lock_rf {
                m[&cluster].ensure_topic(crate::runbook::lock::LOCK_TOPIC, 1, rf)?;
            }
            Ok::<_, crate::kafka::KafkaError>(())
        })??;
        if !t.mirrors.is_empty() {
            lab.start_mirrors(t).context("starting the lab's mirror")?;
        }
        lab.trickle = Some(Trickle::start(&lab.plan, &lab.bootstrap)?);
        Ok(lab)
    }

    /// MM2's internal topics, the mirror's engines (one per topology mirror, through its
    /// three connectors) and the Connect REST server; points the topology's mirrors at it.
    fn start_mirrors(&mut self, t: &Topology) -> anyhow::Result<()> {
        let mut internal = Vec::new();
        for m in t.mirrors.values() {
            internal.push((m.source.clone(), offset_syncs_topic(m.target_alias())));
            internal.push((m.target.clone(), checkpoints_topic(m.source_alias())));
        }
        // Replicated like the lab's other topics (MM2 asks for 3 replicas).
        let rf: BTreeMap<String, i32> = self
            .plan
            .clusters
            .iter()
            .map(|c| (c.name.clone(), c.brokers.len().min(3) as i32))
            .collect();
        self.with_mocks(move |mocks| {
            for (cluster, topic) in internal {
                mocks[&cluster].ensure_topic(&topic, 1, rf[&cluster])?;
            }
            Ok::<_, crate::kafka::KafkaError>(())
        })??;
        let mut groups: Vec<String> = self
            .plan
            .clusters
            .iter()
            .flat_map(|c| c.groups.iter().map(|g| g.id.clone()))
            .chain(t.consumer_groups.iter().filter_map(|g| g.name.clone()))
            .collect();
        groups.sort();
        groups.dedup();
        let mirrors = Arc::new(LabMirrors::new(MirrorEnv {
            topic_maker: self.topic_maker(),
            candidate_groups: groups,
            client_timeout: Duration::from_secs(5),
            clusters: self.bootstrap.clone(),
            down: Default::default(),
        }));
        for m in t.mirrors.values() {
            for (kind, name) in connector_names(m) {
                let source = &self.bootstrap[&m.source];
                let config = planned_config(kind, &name, m, source, &self.bootstrap[&m.target]);
                mirrors
                    .put_config(&name, config, None, false)
                    .map_err(|e| anyhow!("connector `{name}`: {e}"))?;
            }
        }
        let server = ConnectServer::start(mirrors.clone())?;
        let url = server.url().to_string();
        for m in self.topology.mirrors.values_mut() {
            let [(_, source), (_, checkpoint), (_, heartbeat)] = connector_names(m);
            m.driver = MirrorDriverSpec::Connect(ConnectDriver {
                url: url.clone(),
                connectors: ConnectorNames {
                    source: Some(source),
                    checkpoint: Some(checkpoint),
                    heartbeat: Some(heartbeat),
                },
                auth: None,
                ca_file: None,
                insecure_skip_tls_verify: false,
            });
        }
        self.plan.notes.push(format!(
            "the lab serves a Connect REST subset at {url} and runs an in-process mirror for {} mirror(s): MirrorMaker 2's topics, record formats and connector API, not MirrorMaker 2",
            t.mirrors.len()
        ));
        self.connect_url = Some(url);
        self.connect = Some(server);
        self.mirrors = Some(mirrors);
        Ok(())
    }

    /// Makes topics for the mirror on the mock clusters (the mock has no CreateTopics).
    fn topic_maker(&self) -> TopicMaker {
        let jobs = self.jobs.clone();
        let clusters = self.bootstrap.clone();
        let rf: BTreeMap<String, i32> = self
            .plan
            .clusters
            .iter()
            .map(|c| (c.name.clone(), c.brokers.len().min(3) as i32))
            .collect();
        Box::new(move |bootstrap, topic, partitions| {
            let cluster = mirror::cluster_of(&clusters, bootstrap)
                .ok_or_else(|| format!("{bootstrap} is not a cluster of this lab"))?
                .to_string();
            let (topic, rf) = (topic.to_string(), rf[&cluster]);
            let (tx, rx) = mpsc::channel();
            jobs.send(Box::new(move |m: &BTreeMap<String, MockKafka>| {
                let r = m[&cluster].ensure_topic(&topic, partitions, rf);
                let _ = tx.send(r.map(|_| ()).map_err(|e| e.to_string()));
            }))
            .map_err(|_| "the lab has stopped".to_string())?;
            rx.recv().map_err(|_| "the lab has stopped".to_string())?
        })
    }

    /// The lab's mirror (its connectors and engines), when the topology has mirrors.
    pub fn mirrors(&self) -> Option<&LabMirrors> {
        self.mirrors.as_deref()
    }

    /// Runs `f` on the thread that owns the mock clusters and returns its result.
    pub fn with_mocks<R: Send + 'static>(
        &self,
        f: impl FnOnce(&BTreeMap<String, MockKafka>) -> R + Send + 'static,
    ) -> anyhow::Result<R> {
        let (tx, rx) = mpsc::channel();
        self.jobs
            .send(Box::new(move |m| {
                let _ = tx.send(f(m));
            }))
            .map_err(|_| anyhow!("the lab has stopped"))?;
        rx.recv().map_err(|_| anyhow!("the lab has stopped"))
    }

    /// Takes every broker of `dc` down, in every cluster (a DC outage).
    pub fn dc_down(&self, dc: &str) -> anyhow::Result<usize> {
        self.set_dc(dc, false)
    }

    /// Brings every broker of `dc` back.
    pub fn dc_up(&self, dc: &str) -> anyhow::Result<usize> {
        self.set_dc(dc, true)
    }

    fn set_dc(&self, dc: &str, up: bool) -> anyhow::Result<usize> {
        let targets: Vec<(String, i32)> = self
            .plan
            .clusters
            .iter()
            .flat_map(|c| {
                c.brokers
                    .iter()
                    .filter(|b| b.datacenter == dc)
                    .map(|b| (c.name.clone(), b.id))
            })
            .collect();
        let n = targets.len();
        // Clusters entirely in `dc`: the mirror leaves them alone before they go down
        // and until they are back.
        let whole: Vec<String> = self
            .plan
            .clusters
            .iter()
            .filter(|c| !c.brokers.is_empty() && c.brokers.iter().all(|b| b.datacenter == dc))
            .map(|c| c.name.clone())
            .collect();
        if let (Some(mirrors), false) = (&self.mirrors, up) {
            whole.iter().for_each(|c| mirrors.set_down(c, true));
        }
        // The mock does not elect: where a cluster keeps brokers outside `dc` (a
        // stretched cluster), move leadership and group coordination to them, as
        // Kafka's controller and coordinator election would.
        let mut moves: Vec<Reelection> = Vec::new();
        if !up {
            for c in &self.plan.clusters {
                let survivors: Vec<i32> = c
                    .brokers
                    .iter()
                    .filter(|b| b.datacenter != dc)
                    .map(|b| b.id)
                    .collect();
                if survivors.is_empty() || survivors.len() == c.brokers.len() {
                    continue;
                }
                let mut parts: Vec<(String, i32)> = c
                    .topics
                    .iter()
                    .flat_map(|t| (0..t.partitions).map(move |p| (t.name.clone(), p)))
                    .collect();
                parts.push((crate::runbook::lock::LOCK_TOPIC.to_string(), 0));
                let mut groups: Vec<String> = c.groups.iter().map(|g| g.id.clone()).collect();
                groups.extend(
                    self.topology
                        .consumer_groups
                        .iter()
                        .filter_map(|g| g.name.clone()),
                );
                moves.push((c.name.clone(), survivors, parts, groups));
            }
        }
        self.with_mocks(move |m| {
            for (cluster, id) in targets {
                let mk = &m[&cluster];
                let r = if up {
                    mk.broker_up(id)
                } else {
                    mk.broker_down(id)
                };
                r?;
            }
            for (cluster, survivors, parts, groups) in moves {
                let mk = &m[&cluster];
                for (i, (topic, p)) in parts.iter().enumerate() {
                    mk.set_leader(topic, *p, Some(survivors[i % survivors.len()]))?;
                }
                for (i, g) in groups.iter().enumerate() {
                    mk.set_group_coordinator(g, survivors[i % survivors.len()])?;
                }
            }
            Ok::<_, crate::kafka::KafkaError>(())
        })??;
        if let (Some(mirrors), true) = (&self.mirrors, up) {
            whole.iter().for_each(|c| mirrors.set_down(c, false));
        }
        Ok(n)
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

impl super::Lab for MockLab {
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
        "mock"
    }
    fn dc_down(&self, dc: &str) -> anyhow::Result<usize> {
        MockLab::dc_down(self, dc)
    }
    fn dc_up(&self, dc: &str) -> anyhow::Result<usize> {
        MockLab::dc_up(self, dc)
    }
    fn pause_traffic(&self, cluster: &str) -> anyhow::Result<()> {
        MockLab::pause_traffic(self, cluster)
    }
    fn resume_traffic(&self, cluster: &str) -> anyhow::Result<()> {
        MockLab::resume_traffic(self, cluster)
    }
    fn topology_yaml(&self) -> anyhow::Result<String> {
        MockLab::topology_yaml(self)
    }
}

impl Drop for MockLab {
    fn drop(&mut self) {
        // The REST server and the engines hold job senders (topic making): they go first.
        drop(self.connect.take());
        if let Some(m) = self.mirrors.take() {
            m.shutdown();
        }
        drop(self.trickle.take());
        // Closing the job channel ends the owner thread, which drops the clusters.
        let (tx, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.jobs, tx));
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn run_owner(
    plans: Vec<LabClusterPlan>,
    jobs: mpsc::Receiver<MockJob>,
    ready: mpsc::Sender<anyhow::Result<BTreeMap<String, String>>>,
) {
    let build = || -> anyhow::Result<BTreeMap<String, MockKafka>> {
        let mut m = BTreeMap::new();
        for c in &plans {
            let racks: Vec<Option<String>> = c.brokers.iter().map(|b| b.rack.clone()).collect();
            let mk = MockKafka::new(&racks)
                .with_context(|| format!("starting mock cluster `{}`", c.name))?;
            for t in &c.topics {
                mk.create_topic(&t.name, t.partitions, t.replication_factor)?;
                // The mock picks leaders at random; Kafka spreads preferred leaders over
                // the brokers. Do the same where every broker holds a replica.
                if t.replication_factor as usize == c.brokers.len() {
                    for p in 0..t.partitions {
                        mk.set_leader(
                            &t.name,
                            p,
                            Some(c.brokers[p as usize % c.brokers.len()].id),
                        )?;
                    }
                }
            }
            m.insert(c.name.clone(), mk);
        }
        Ok(m)
    };
    let mocks = match build() {
        Ok(m) => m,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(mocks
        .iter()
        .map(|(n, m)| (n.clone(), m.bootstrap()))
        .collect()));
    while let Ok(job) = jobs.recv() {
        job(&mocks);
    }
}
