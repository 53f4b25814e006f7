//! The embedded lab on librdkafka's mock clusters: one `MockKafka` per topology cluster,
//! owned by a lab thread (mock clusters are not `Send`), seeded with records and committed
//! group offsets, and fed a steady trickle of records.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{anyhow, Context};

use super::plan::{plan, LabClusterPlan, LabOptions, LabPlan};
use super::seed::{pointed_at, seed, topology_yaml, Trickle};
use crate::kafka::MockKafka;
use crate::topology::Topology;

type MockJob = Box<dyn FnOnce(&BTreeMap<String, MockKafka>) + Send>;

/// A running lab. Dropping it stops the traffic and the mock clusters.
pub struct MockLab {
    pub plan: LabPlan,
    /// Bootstrap address per cluster.
    pub bootstrap: BTreeMap<String, String>,
    /// The topology, pointed at the lab's clusters.
    pub topology: Topology,
    jobs: mpsc::Sender<MockJob>,
    trickle: Option<Trickle>,
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
            jobs: jobs_tx,
            trickle: None,
            threads: vec![owner],
        };
        seed(&lab.plan, &lab.bootstrap, opts).context("seeding the lab")?;
        lab.trickle = Some(Trickle::start(&lab.plan, &lab.bootstrap)?);
        Ok(lab)
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
            Ok::<_, crate::kafka::KafkaError>(())
        })??;
        Ok(n)
    }

    /// The rewritten topology as YAML.
    pub fn topology_yaml(&self) -> anyhow::Result<String> {
        topology_yaml(&self.topology)
    }
}

impl Drop for MockLab {
    fn drop(&mut self) {
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
