//! Real Apache Kafka clusters on this machine, for the lab and the tests: each cluster is
//! a set of combined KRaft nodes (`process.roles=broker,controller`, one JVM per node) on
//! free 127.0.0.1 ports, configured in a temporary directory.
//!
//! Every JVM carries a marker on its command line ([`EngineOptions::marker`], e.g.
//! [`LAB_MARKER`]) so that stragglers can be found with `pgrep -f`, and has a small `sh`
//! watchdog that SIGKILLs it (and removes the cluster directory) once the process that
//! started it is gone, even when that process was SIGKILLed. `Drop` of a [`KraftCluster`]
//! kills its JVMs and removes its directory.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};

pub use super::kafka_process::{
    java_binary, kafka_libs_in, locate_kafka_libs, KAFKA_VERSION, LAB_MARKER, TEST_MARKER,
};
use super::kafka_process::{
    log4j2_file_config, node_log_tail, random_cluster_id, server_properties, signal, spawn_service,
    wait_for_state, JavaLauncher, JvmProcess, NodeConfig, BROKER_JVM_OPTS, TOOLS_LOG4J2,
    TOOL_JVM_OPTS,
};
use crate::kafka::{AdminClient, ClientSettings};

/// Main class of kafka-consumer-groups.
pub const CONSUMER_GROUP_COMMAND: &str =
    "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

/// How graceful [`KraftCluster::stop`] waits before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(30);

/// How the engine starts JVMs.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Folder of Kafka jars ([`kafka_libs_in`], [`locate_kafka_libs`]).
    pub libs: PathBuf,
    pub java: PathBuf,
    /// Put on every JVM command line, e.g. [`LAB_MARKER`] or [`TEST_MARKER`].
    pub marker: String,
    /// How long a cluster (or a restarted node) may take until its brokers are registered.
    pub start_timeout: Duration,
    /// Keep the cluster directories (logs, data) instead of removing them.
    pub keep_dirs: bool,
    /// Where the cluster directories are created (default: the system temp dir).
    pub work_dir: Option<PathBuf>,
}

impl EngineOptions {
    /// `java` from `JAVA_HOME`/PATH, 60 s start timeout, directories removed.
    pub fn new(libs: impl Into<PathBuf>, marker: &str) -> EngineOptions {
        EngineOptions {
            libs: libs.into(),
            java: java_binary(),
            marker: marker.to_string(),
            start_timeout: Duration::from_secs(60),
            keep_dirs: false,
            work_dir: None,
        }
    }

    /// How this engine's JVM command lines start (java, jars, marker).
    pub fn launcher(&self) -> JavaLauncher<'_> {
        JavaLauncher {
            java: &self.java,
            libs: &self.libs,
            marker: &self.marker,
        }
    }

    /// Applies `KAFKA_FAILOVER_START_TIMEOUT_SECS` and `KAFKA_FAILOVER_KEEP_DIRS`.
    pub fn with_env(mut self) -> EngineOptions {
        if let Some(secs) = std::env::var("KAFKA_FAILOVER_START_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
        {
            self.start_timeout = Duration::from_secs(secs);
        }
        if std::env::var_os("KAFKA_FAILOVER_KEEP_DIRS").is_some() {
            self.keep_dirs = true;
        }
        self
    }
}

/// What to start: one combined KRaft node per entry of `racks`, ids 1..=n.
#[derive(Clone, Debug)]
pub struct ClusterSpec {
    pub name: String,
    /// `Some(rack)` sets `broker.rack`; `None` leaves it unset.
    pub racks: Vec<Option<String>>,
    /// Extra/overriding `server.properties` lines for every node.
    pub extra_props: Vec<(String, String)>,
}

impl ClusterSpec {
    pub fn new(name: &str, racks: &[Option<&str>]) -> Self {
        ClusterSpec {
            name: name.to_string(),
            racks: racks.iter().map(|r| r.map(str::to_string)).collect(),
            extra_props: Vec::new(),
        }
    }

    /// One node per rack name.
    pub fn with_racks(name: &str, racks: &[&str]) -> Self {
        let racks: Vec<Option<&str>> = racks.iter().map(|r| Some(*r)).collect();
        Self::new(name, &racks)
    }

    /// A single node without rack.
    pub fn single(name: &str) -> Self {
        Self::new(name, &[None])
    }

    pub fn with_prop(mut self, key: &str, value: &str) -> Self {
        self.extra_props.push((key.to_string(), value.to_string()));
        self
    }
}

struct Node {
    id: i32,
    rack: Option<String>,
    broker_port: u16,
    dir: PathBuf,
    proc: Mutex<Option<JvmProcess>>,
}

impl Node {
    fn lock(&self) -> MutexGuard<'_, Option<JvmProcess>> {
        self.proc.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running KRaft cluster. `Drop` SIGKILLs its JVMs and removes its directory (kept
/// with [`EngineOptions::keep_dirs`]).
pub struct KraftCluster {
    name: String,
    cluster_id: String,
    opts: EngineOptions,
    nodes: Vec<Node>,
    started_in: Duration,
    // Last: removed after the JVMs are gone.
    dir: tempfile::TempDir,
}

impl KraftCluster {
    /// Formats and starts every node in parallel and waits (up to
    /// [`EngineOptions::start_timeout`]) until the metadata shows all brokers. The error
    /// of a failed start carries the nodes' log tails.
    pub fn start(spec: ClusterSpec, opts: &EngineOptions) -> anyhow::Result<KraftCluster> {
        let mut all = Self::start_all(vec![spec], opts)?;
        Ok(all.remove(0))
    }

    /// Starts several clusters at once (ports are picked for all before any JVM starts).
    /// On failure the clusters already up are stopped again.
    pub fn start_all(
        specs: Vec<ClusterSpec>,
        opts: &EngineOptions,
    ) -> anyhow::Result<Vec<KraftCluster>> {
        let t0 = Instant::now();
        let mut listeners = Vec::new();
        let mut clusters = Vec::new();
        for spec in specs {
            let (cluster, held) = Self::prepare(spec, opts)?;
            clusters.push(cluster);
            listeners.extend(held);
        }
        drop(listeners);
        let results: Vec<anyhow::Result<()>> = thread::scope(|s| {
            let handles: Vec<_> = clusters.iter().map(|c| s.spawn(|| c.launch())).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow!("a cluster start thread panicked")))
                })
                .collect()
        });
        for (c, r) in clusters.iter().zip(results) {
            r.with_context(|| format!("starting Kafka cluster `{}`", c.name))?;
        }
        for c in &mut clusters {
            c.started_in = t0.elapsed();
            log::info!(
                "kafka cluster {} ({} nodes, {}) up in {:.1}s",
                c.name,
                c.nodes.len(),
                c.bootstrap(),
                c.started_in.as_secs_f64()
            );
        }
        Ok(clusters)
    }

    /// Picks ports and writes the configs. The returned listeners hold the ports until
    /// every cluster of a start has its own.
    fn prepare(
        spec: ClusterSpec,
        opts: &EngineOptions,
    ) -> anyhow::Result<(KraftCluster, Vec<TcpListener>)> {
        if spec.racks.is_empty() {
            bail!("cluster spec `{}` has no node", spec.name);
        }
        let mut builder = tempfile::Builder::new();
        let prefix = format!("kafka-failover-{}-", spec.name);
        builder.prefix(&prefix);
        let mut dir = match &opts.work_dir {
            Some(parent) => {
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
                builder.tempdir_in(parent)
            }
            None => builder.tempdir(),
        }
        .context("creating the cluster directory")?;
        if opts.keep_dirs {
            dir.disable_cleanup(true);
            log::info!(
                "kafka cluster {}: keeping {}",
                spec.name,
                dir.path().display()
            );
        }
        let n = spec.racks.len();
        let listeners = (0..2 * n)
            .map(|_| TcpListener::bind("127.0.0.1:0"))
            .collect::<Result<Vec<_>, _>>()
            .context("binding a free 127.0.0.1 port")?;
        let ports = listeners
            .iter()
            .map(|l| l.local_addr().map(|a| a.port()))
            .collect::<Result<Vec<u16>, _>>()?;
        let voters = (0..n)
            .map(|i| format!("{}@127.0.0.1:{}", i + 1, ports[2 * i + 1]))
            .collect::<Vec<_>>()
            .join(",");
        let mut nodes = Vec::with_capacity(n);
        for (i, rack) in spec.racks.iter().enumerate() {
            let node = Node {
                id: i as i32 + 1,
                rack: rack.clone(),
                broker_port: ports[2 * i],
                dir: dir.path().join(format!("node-{}", i + 1)),
                proc: Mutex::new(None),
            };
            let data_dir = node.dir.join("data");
            let config = NodeConfig {
                id: node.id,
                rack: node.rack.as_deref(),
                broker_port: node.broker_port,
                controller_port: ports[2 * i + 1],
                data_dir: &data_dir,
                voters: &voters,
                cluster_size: n,
            };
            fs::create_dir_all(&node.dir)
                .with_context(|| format!("creating {}", node.dir.display()))?;
            fs::write(
                node.dir.join("server.properties"),
                server_properties(&config, &spec.extra_props),
            )?;
            fs::write(
                node.dir.join("log4j2.properties"),
                log4j2_file_config(&node.dir.join("server.log")),
            )?;
            nodes.push(node);
        }
        fs::write(dir.path().join("tools-log4j2.properties"), TOOLS_LOG4J2)?;
        let cluster = KraftCluster {
            name: spec.name,
            cluster_id: random_cluster_id()?,
            opts: opts.clone(),
            nodes,
            started_in: Duration::ZERO,
            dir,
        };
        Ok((cluster, listeners))
    }

    fn launch(&self) -> anyhow::Result<()> {
        self.format_all()?;
        for node in &self.nodes {
            self.spawn_node(node)?;
        }
        self.wait_until_registered(&self.broker_ids(), self.opts.start_timeout)
    }

    /// `StorageTool format` of every node, in parallel.
    fn format_all(&self) -> anyhow::Result<()> {
        let mut children = Vec::new();
        for node in &self.nodes {
            let log = fs::File::create(node.dir.join("format.log"))?;
            let child = self
                .tool_command("kafka.tools.StorageTool")
                .arg("format")
                .arg("-t")
                .arg(&self.cluster_id)
                .arg("-c")
                .arg(node.dir.join("server.properties"))
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log)
                .spawn()
                .with_context(|| format!("running {}", self.opts.java.display()))?;
            children.push((node, child));
        }
        let mut failed = None;
        for (node, mut child) in children {
            let status = child.wait()?;
            if !status.success() && failed.is_none() {
                let log = fs::read_to_string(node.dir.join("format.log")).unwrap_or_default();
                failed = Some(anyhow!(
                    "StorageTool format of node {} failed ({status}):\n{log}",
                    node.id
                ));
            }
        }
        failed.map_or(Ok(()), Err)
    }

    fn spawn_node(&self, node: &Node) -> anyhow::Result<()> {
        let mut guard = node.lock();
        if guard.is_some() {
            bail!("node {} of {} is already running", node.id, self.name);
        }
        let mut cmd = self.opts.launcher().command(
            BROKER_JVM_OPTS,
            &node.dir.join("log4j2.properties"),
            &[format!("-Dkafka.failover.cluster={}", self.name)],
            "kafka.Kafka",
        );
        cmd.arg(node.dir.join("server.properties"));
        let cleanup = (!self.opts.keep_dirs).then(|| self.dir.path());
        *guard = Some(spawn_service(cmd, &node.dir, cleanup)?);
        Ok(())
    }

    fn tool_command(&self, class: &str) -> Command {
        self.opts.launcher().command(
            TOOL_JVM_OPTS,
            &self.dir.path().join("tools-log4j2.properties"),
            &[],
            class,
        )
    }

    /// Runs a Kafka tool class (e.g. [`CONSUMER_GROUP_COMMAND`]) to completion; its WARN+
    /// logs go to stderr.
    pub fn run_tool(&self, class: &str, args: &[&str]) -> anyhow::Result<Output> {
        self.tool_command(class)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {class}"))
    }

    /// Like [`run_tool`](Self::run_tool) but fails unless it exits 0; returns stdout.
    pub fn run_tool_ok(&self, class: &str, args: &[&str]) -> anyhow::Result<String> {
        let out = self.run_tool(class, args)?;
        if !out.status.success() {
            bail!(
                "{class} {args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn cluster_id(&self) -> &str {
        &self.cluster_id
    }

    /// `127.0.0.1:p1,127.0.0.1:p2,...` (all brokers, running or not).
    pub fn bootstrap(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.broker_port))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn broker_address(&self, node_id: i32) -> anyhow::Result<String> {
        Ok(format!("127.0.0.1:{}", self.node(node_id)?.broker_port))
    }

    pub fn broker_ids(&self) -> Vec<i32> {
        self.nodes.iter().map(|n| n.id).collect()
    }

    pub fn rack(&self, node_id: i32) -> anyhow::Result<Option<&str>> {
        Ok(self.node(node_id)?.rack.as_deref())
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Holds `server.properties`, `server.log`, `stdout.log`, `data/`.
    pub fn node_dir(&self, node_id: i32) -> anyhow::Result<&Path> {
        Ok(&self.node(node_id)?.dir)
    }

    pub fn libs_dir(&self) -> &Path {
        &self.opts.libs
    }

    /// Wall time the start took (format + JVM start + registration).
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// The node's JVM pid, if it runs.
    pub fn pid(&self, node_id: i32) -> anyhow::Result<Option<u32>> {
        Ok(self.node(node_id)?.lock().as_ref().map(JvmProcess::pid))
    }

    /// Whether the node's JVM is alive (a frozen one counts as alive).
    pub fn is_running(&self, node_id: i32) -> anyhow::Result<bool> {
        let node = self.node(node_id)?;
        let mut guard = node.lock();
        Ok(guard.as_mut().is_some_and(|p| p.exited().is_none()))
    }

    /// SIGKILL the node's JVM (a crash) and reap it. Nothing to do if it is not running.
    pub fn kill(&self, node_id: i32) -> anyhow::Result<()> {
        if let Some(p) = self.node(node_id)?.lock().take() {
            p.kill();
        }
        Ok(())
    }

    /// Graceful SIGTERM shutdown (thaws a frozen node first); SIGKILL after 30 s.
    pub fn stop(&self, node_id: i32) -> anyhow::Result<()> {
        let Some(p) = self.node(node_id)?.lock().take() else {
            return Ok(());
        };
        if !p.terminate(STOP_GRACE) {
            log::warn!(
                "kafka cluster {}: node {node_id} ignored SIGTERM for {STOP_GRACE:?}, killed it",
                self.name
            );
        }
        Ok(())
    }

    /// SIGSTOP: the node hangs without closing its sockets. Returns once the JVM is
    /// stopped (signals reach a busy multi-threaded process a moment later).
    pub fn freeze(&self, node_id: i32) -> anyhow::Result<()> {
        let pid = self.running_pid(node_id)?;
        signal(pid, "STOP")?;
        wait_for_state(pid, true)
    }

    /// SIGCONT after [`freeze`](Self::freeze); returns once the JVM runs again.
    pub fn thaw(&self, node_id: i32) -> anyhow::Result<()> {
        let pid = self.running_pid(node_id)?;
        signal(pid, "CONT")?;
        wait_for_state(pid, false)
    }

    fn running_pid(&self, node_id: i32) -> anyhow::Result<u32> {
        self.pid(node_id)?
            .ok_or_else(|| anyhow!("node {node_id} of {} is not running", self.name))
    }

    /// Starts the node again on its old ports and dirs (stopping it first if it runs)
    /// and waits until it is registered again.
    pub fn restart(&self, node_id: i32) -> anyhow::Result<()> {
        self.stop(node_id)?;
        self.start_nodes(&[node_id])
    }

    /// Starts the nodes among `ids` that do not run, all before waiting: a quorum that
    /// lost its majority needs several back at once. Waits until all are registered.
    pub fn start_nodes(&self, ids: &[i32]) -> anyhow::Result<()> {
        for &id in ids {
            if !self.is_running(id)? {
                // Reap a JVM that ended by itself.
                self.kill(id)?;
                self.spawn_node(self.node(id)?)?;
            }
        }
        self.wait_until_registered(ids, self.opts.start_timeout)
    }

    /// Waits until the cluster lists every broker in `ids` (KRaft lists only registered,
    /// unfenced brokers). Fails, with log tails, when a node exits or time runs out.
    pub fn wait_until_registered(&self, ids: &[i32], timeout: Duration) -> anyhow::Result<()> {
        let admin = AdminClient::new(
            ClientSettings::new(self.bootstrap())
                .property("reconnect.backoff.max.ms", "500")
                .property("socket.connection.setup.timeout.ms", "2000")
                .timeout(Duration::from_secs(2)),
        )?;
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            for &id in ids {
                let exited = self.node(id)?.lock().as_mut().and_then(|p| p.exited());
                if let Some(status) = exited {
                    bail!(
                        "kafka node {id} of cluster {} exited ({status}) while starting\n{}",
                        self.name,
                        self.log_tails(60)
                    );
                }
            }
            if let Ok(c) = admin.describe_cluster(Duration::from_secs(2)) {
                seen = c.brokers.iter().map(|b| b.id).collect();
                if ids.iter().all(|id| seen.contains(id)) {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                bail!(
                    "kafka cluster {}: brokers {ids:?} not all registered after {timeout:?} \
                     (the cluster lists {seen:?})\n{}",
                    self.name,
                    self.log_tails(60)
                );
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    /// The last `lines` lines of the node's stdout.log and server.log, then its last
    /// ERROR/FATAL lines (stack traces push the cause out of the tail).
    pub fn log_tail(&self, node_id: i32, lines: usize) -> anyhow::Result<String> {
        Ok(node_log_tail(&self.node(node_id)?.dir, node_id, lines))
    }

    fn log_tails(&self, lines: usize) -> String {
        self.nodes
            .iter()
            .filter_map(|n| self.log_tail(n.id, lines).ok())
            .collect()
    }

    fn node(&self, node_id: i32) -> anyhow::Result<&Node> {
        self.nodes
            .iter()
            .find(|n| n.id == node_id)
            .ok_or_else(|| anyhow!("cluster {} has no node {node_id}", self.name))
    }
}

impl Drop for KraftCluster {
    fn drop(&mut self) {
        for node in &self.nodes {
            if let Some(p) = node.lock().take() {
                p.kill();
            }
        }
    }
}
