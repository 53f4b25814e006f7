//! The embedded lab on librdkafka's mock clusters: one `MockKafka` per topology cluster,
//! owned by a lab thread (mock clusters are not `Send`), seeded with records and committed
//! group offsets, and fed a steady trickle of records.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, Context};

use super::plan::{plan, LabClusterPlan, LabOptions, LabPlan};
use crate::kafka::{AdminClient, ClientSettings, GroupOffsetsUpdate, MockKafka, RecordProducer, TopicPartitionOffset};
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
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
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
        let stop = Arc::new(AtomicBool::new(false));
        let mut lab = MockLab {
            topology: pointed_at(t, &bootstrap),
            plan,
            bootstrap,
            jobs: jobs_tx,
            stop: stop.clone(),
            threads: vec![owner],
        };
        lab.seed(opts).context("seeding the lab")?;
        let trickle = lab.trickle_targets();
        let stop2 = stop.clone();
        lab.threads.push(
            std::thread::Builder::new()
                .name("lab-trickle".into())
                .spawn(move || run_trickle(trickle, stop2))?,
        );
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
                let r = if up { mk.broker_up(id) } else { mk.broker_down(id) };
                r?;
            }
            Ok::<_, crate::kafka::KafkaError>(())
        })??;
        Ok(n)
    }

    /// The rewritten topology as YAML.
    pub fn topology_yaml(&self) -> anyhow::Result<String> {
        Ok(format!(
            "# Written by `kafka-failover lab up`: the topology, pointed at the lab's clusters.\n{}",
            serde_yaml::to_string(&self.topology)?
        ))
    }

    fn settings(&self, cluster: &str) -> ClientSettings {
        ClientSettings::new(&self.bootstrap[cluster]).timeout(Duration::from_secs(10))
    }

    /// Produces the initial records (timestamps one second apart, ending now) and commits
    /// every group at the middle of each partition.
    fn seed(&self, opts: &LabOptions) -> anyhow::Result<()> {
        let n = opts.records_per_partition as i64;
        let start = now_ms() - n * 1000;
        for c in &self.plan.clusters {
            let produced: Vec<_> = c.topics.iter().filter(|t| t.produced).collect();
            if !produced.is_empty() {
                let producer = RecordProducer::new(&self.settings(&c.name))?;
                for t in &produced {
                    for p in 0..t.partitions {
                        for i in 0..n {
                            producer.send(&t.name, Some(p), &format!("k{i}"), &format!("seed-{p}-{i}"), start + i * 1000)?;
                        }
                    }
                }
                producer.flush(Duration::from_secs(30))?;
            }
            self.commit_groups(c, if produced.is_empty() { 0 } else { n / 2 })?;
        }
        Ok(())
    }

    fn commit_groups(&self, c: &LabClusterPlan, offset: i64) -> anyhow::Result<()> {
        if c.groups.is_empty() {
            return Ok(());
        }
        let admin = AdminClient::new(self.settings(&c.name))?;
        let updates: Vec<GroupOffsetsUpdate> = c
            .groups
            .iter()
            .map(|g| GroupOffsetsUpdate {
                group: g.id.clone(),
                offsets: g
                    .topics
                    .iter()
                    .filter_map(|tn| c.topics.iter().find(|t| &t.name == tn))
                    .flat_map(|t| (0..t.partitions).map(|p| TopicPartitionOffset::new(&t.name, p, offset)))
                    .collect(),
            })
            .collect();
        let results = admin.alter_group_offsets_batch(&updates, &crate::kafka::BatchOptions::new(Duration::from_secs(30)));
        for (group, r) in results {
            r.with_context(|| format!("committing offsets of group `{group}` on `{}`", c.name))?;
        }
        Ok(())
    }

    fn trickle_targets(&self) -> Vec<(ClientSettings, Vec<(String, i32)>)> {
        self.plan
            .clusters
            .iter()
            .map(|c| {
                let topics: Vec<(String, i32)> =
                    c.topics.iter().filter(|t| t.produced).map(|t| (t.name.clone(), t.partitions)).collect();
                (self.settings(&c.name), topics)
            })
            .filter(|(_, t)| !t.is_empty())
            .collect()
    }
}

impl Drop for MockLab {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
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
            let mk = MockKafka::new(&racks).with_context(|| format!("starting mock cluster `{}`", c.name))?;
            for t in &c.topics {
                mk.create_topic(&t.name, t.partitions, t.replication_factor)?;
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
    let _ = ready.send(Ok(mocks.iter().map(|(n, m)| (n.clone(), m.bootstrap())).collect()));
    while let Ok(job) = jobs.recv() {
        job(&mocks);
    }
}

/// One record per partition of every produced topic, twice a second, until stopped.
fn run_trickle(targets: Vec<(ClientSettings, Vec<(String, i32)>)>, stop: Arc<AtomicBool>) {
    let producers: Vec<_> = targets
        .into_iter()
        .filter_map(|(s, topics)| RecordProducer::new(&s).ok().map(|p| (p, topics)))
        .collect();
    let mut seq: u64 = 0;
    while !stop.load(Ordering::SeqCst) {
        for (p, topics) in &producers {
            for (t, parts) in topics {
                for part in 0..*parts {
                    // A DC that is down makes sends fail or queue; the trickle carries on.
                    let _ = p.send(t, Some(part), &format!("t{seq}"), &format!("trickle-{seq}"), now_ms());
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
fn pointed_at(t: &Topology, bootstrap: &BTreeMap<String, String>) -> Topology {
    let mut out = t.clone();
    for (name, c) in out.clusters.iter_mut() {
        c.bootstrap = bootstrap[name].clone();
        c.properties
            .retain(|k, _| !(k.starts_with("security.") || k.starts_with("ssl.") || k.starts_with("sasl.")));
        c.secrets.clear();
    }
    out
}
