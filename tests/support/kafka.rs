//! Real Apache Kafka clusters for integration tests.
//!
//! Each cluster is a set of combined KRaft nodes (`process.roles=broker,controller`,
//! one JVM per node) on free 127.0.0.1 ports, configured in a temporary
//! directory. The jars come from `scripts/fetch-kafka` (see
//! `scripts/README-kafka.md`); a test that cannot start its broker FAILS, it is
//! never skipped.
//!
//! Every JVM is started with `-Dkafka.failover.test=1` on its command line (CI
//! can `pkill -f kafka.failover.test` stragglers) and with a small `sh`
//! watchdog that SIGKILLs it once the test process is gone, so clusters held in
//! a `static` (whose `Drop` never runs) die with the test binary, even when the
//! binary is SIGKILLed.

use std::fmt::Write as _;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::ClientConfig;

pub use super::kafka_client::*;
use super::kafka_node::{
    java_binary, log4j2_file_config, random_cluster_id, server_properties, signal, spawn_watchdog,
    NodeConfig, BROKER_JVM_OPTS, TOOLS_LOG4J2, TOOL_JVM_OPTS,
};
#[allow(unused_imports)] // re-exports: each test binary uses a subset
pub use super::kafka_node::{KafkaLibs, KAFKA_VERSION};

/// Marker put on every JVM command line this fixture starts.
pub const JVM_MARKER: &str = "-Dkafka.failover.test=1";
/// Main class of kafka-consumer-groups.
pub const CONSUMER_GROUP_COMMAND: &str =
    "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

/// Seconds to wait for a cluster or a restarted node (env override).
fn start_timeout() -> Duration {
    let secs = std::env::var("KAFKA_FAILOVER_START_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
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

struct NodeProc {
    jvm: Child,
    watchdog: Child,
}

struct Node {
    id: i32,
    rack: Option<String>,
    broker_port: u16,
    dir: PathBuf,
    proc: Mutex<Option<NodeProc>>,
}

impl Node {
    fn lock(&self) -> MutexGuard<'_, Option<NodeProc>> {
        self.proc.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running cluster; `Drop` SIGKILLs its JVMs and removes its directory
/// (kept when `KAFKA_FAILOVER_KEEP_DIRS` is set).
pub struct KafkaCluster {
    name: String,
    cluster_id: String,
    libs: PathBuf,
    java: PathBuf,
    dir: tempfile::TempDir,
    nodes: Vec<Node>,
    started_in: Duration,
}

/// The shared 3-node cluster (racks dc-a, dc-b, dc-c) of this test binary.
/// Never kill/stop/freeze its nodes: other tests use it concurrently.
pub fn shared_cluster_3_racks() -> &'static KafkaCluster {
    static SHARED: OnceLock<KafkaCluster> = OnceLock::new();
    SHARED.get_or_init(|| {
        KafkaCluster::start(ClusterSpec::with_racks(
            "shared3",
            &["dc-a", "dc-b", "dc-c"],
        ))
    })
}

impl KafkaCluster {
    /// Formats and starts every node in parallel and waits (see
    /// `KAFKA_FAILOVER_START_TIMEOUT_SECS`, default 60) until the metadata
    /// shows all brokers. Panics with the nodes' log tails on failure.
    pub fn start(spec: ClusterSpec) -> KafkaCluster {
        assert!(
            !spec.racks.is_empty(),
            "ClusterSpec {} has no node",
            spec.name
        );
        let t0 = Instant::now();
        let libs = KafkaLibs::locate();
        let java = java_binary();
        let mut dir = tempfile::Builder::new()
            .prefix(&format!("kafka-failover-{}-", spec.name))
            .tempdir()
            .expect("create cluster tempdir");
        if std::env::var_os("KAFKA_FAILOVER_KEEP_DIRS").is_some() {
            dir.disable_cleanup(true);
            eprintln!("kafka fixture: keeping {}", dir.path().display());
        }
        let n = spec.racks.len();
        // Hold every listener until the configs are written: distinct free ports.
        let listeners: Vec<TcpListener> = (0..2 * n)
            .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind a free 127.0.0.1 port"))
            .collect();
        let ports: Vec<u16> = listeners
            .iter()
            .map(|l| l.local_addr().unwrap().port())
            .collect();
        let voters = (0..n)
            .map(|i| format!("{}@127.0.0.1:{}", i + 1, ports[2 * i + 1]))
            .collect::<Vec<_>>()
            .join(",");
        let cluster_id = random_cluster_id();
        let nodes: Vec<Node> = spec
            .racks
            .iter()
            .enumerate()
            .map(|(i, rack)| {
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
                let props = server_properties(&config, &spec.extra_props);
                fs::create_dir_all(&node.dir).expect("create node dir");
                fs::write(node.dir.join("server.properties"), props)
                    .expect("write server.properties");
                fs::write(
                    node.dir.join("log4j2.properties"),
                    log4j2_file_config(&node.dir.join("server.log")),
                )
                .expect("write log4j2.properties");
                node
            })
            .collect();
        fs::write(dir.path().join("tools-log4j2.properties"), TOOLS_LOG4J2)
            .expect("write tools log4j2");

        let mut cluster = KafkaCluster {
            name: spec.name,
            cluster_id,
            libs,
            java,
            dir,
            nodes,
            started_in: Duration::ZERO,
        };
        cluster.format_all();
        drop(listeners);
        for node in &cluster.nodes {
            cluster.spawn_node(node);
        }
        let ids = cluster.broker_ids();
        cluster.wait_until_registered(&ids, start_timeout());
        let started_in = t0.elapsed();
        eprintln!(
            "kafka fixture: cluster {} ({} nodes, {}) up in {:.1}s",
            cluster.name,
            ids.len(),
            cluster.bootstrap(),
            started_in.as_secs_f64()
        );
        cluster.started_in = started_in;
        cluster
    }

    /// `StorageTool format` of every node, in parallel.
    fn format_all(&self) {
        let children: Vec<(i32, Child)> = self
            .nodes
            .iter()
            .map(|node| {
                let log = fs::File::create(node.dir.join("format.log")).expect("create format.log");
                let child = self
                    .tool_command("kafka.tools.StorageTool")
                    .arg("format")
                    .arg("-t")
                    .arg(&self.cluster_id)
                    .arg("-c")
                    .arg(node.dir.join("server.properties"))
                    .stdin(Stdio::null())
                    .stdout(log.try_clone().expect("dup format.log"))
                    .stderr(log)
                    .spawn()
                    .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.java.display()));
                (node.id, child)
            })
            .collect();
        for (id, mut child) in children {
            let status = child.wait().expect("wait for StorageTool");
            if !status.success() {
                let log =
                    fs::read_to_string(self.node(id).dir.join("format.log")).unwrap_or_default();
                panic!("StorageTool format of node {id} failed ({status}):\n{log}");
            }
        }
    }

    fn spawn_node(&self, node: &Node) {
        let mut guard = node.lock();
        assert!(
            guard.is_none(),
            "node {} of {} is already running",
            node.id,
            self.name
        );
        let out = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(node.dir.join("stdout.log"))
            .expect("open stdout.log");
        let jvm = Command::new(&self.java)
            .args(BROKER_JVM_OPTS)
            .arg(JVM_MARKER)
            .arg(format!("-Dkafka.failover.cluster={}", self.name))
            .arg(format!(
                "-Dlog4j2.configurationFile={}",
                node.dir.join("log4j2.properties").display()
            ))
            .arg("-cp")
            .arg(self.classpath())
            .arg("kafka.Kafka")
            .arg(node.dir.join("server.properties"))
            .current_dir(&node.dir)
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("dup stdout.log"))
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.java.display()));
        let watchdog = spawn_watchdog(jvm.id(), self.cleanup_dir());
        *guard = Some(NodeProc { jvm, watchdog });
    }

    /// The dir a watchdog removes after the test process died ("" = keep).
    fn cleanup_dir(&self) -> String {
        if std::env::var_os("KAFKA_FAILOVER_KEEP_DIRS").is_some() {
            String::new()
        } else {
            self.dir.path().display().to_string()
        }
    }

    fn classpath(&self) -> String {
        format!("{}/*", self.libs.display())
    }

    fn tool_command(&self, class: &str) -> Command {
        let mut cmd = Command::new(&self.java);
        cmd.args(TOOL_JVM_OPTS)
            .arg(JVM_MARKER)
            .arg(format!(
                "-Dlog4j2.configurationFile={}",
                self.dir.path().join("tools-log4j2.properties").display()
            ))
            .arg("-cp")
            .arg(self.classpath())
            .arg(class);
        cmd
    }

    /// Runs a Kafka tool class (e.g. [`CONSUMER_GROUP_COMMAND`]) to completion;
    /// its WARN+ logs go to stderr.
    pub fn run_tool(&self, class: &str, args: &[&str]) -> Output {
        self.tool_command(class)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {class}: {e}"))
    }

    /// Like [`run_tool`](Self::run_tool) but panics unless it exits 0; returns stdout.
    pub fn run_tool_ok(&self, class: &str, args: &[&str]) -> String {
        let out = self.run_tool(class, args);
        assert!(
            out.status.success(),
            "{class} {args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
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

    pub fn broker_address(&self, node_id: i32) -> String {
        format!("127.0.0.1:{}", self.node(node_id).broker_port)
    }

    pub fn broker_ids(&self) -> Vec<i32> {
        self.nodes.iter().map(|n| n.id).collect()
    }

    pub fn rack(&self, node_id: i32) -> Option<&str> {
        self.node(node_id).rack.as_deref()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Holds `server.properties`, `server.log`, `stdout.log`, `data/`.
    pub fn node_dir(&self, node_id: i32) -> &Path {
        &self.node(node_id).dir
    }

    pub fn libs_dir(&self) -> &Path {
        &self.libs
    }

    /// Wall time `start` took (format + JVM start + registration).
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    pub fn pid(&self, node_id: i32) -> Option<u32> {
        self.node(node_id).lock().as_ref().map(|p| p.jvm.id())
    }

    /// Whether the node's JVM is alive (a frozen one counts as alive).
    pub fn is_running(&self, node_id: i32) -> bool {
        let mut guard = self.node(node_id).lock();
        match guard.as_mut() {
            Some(p) => matches!(p.jvm.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// SIGKILL the node's JVM (a crash) and reap it.
    pub fn kill(&self, node_id: i32) {
        if let Some(mut p) = self.node(node_id).lock().take() {
            let _ = p.watchdog.kill();
            let _ = p.watchdog.wait();
            let _ = p.jvm.kill();
            let _ = p.jvm.wait();
        }
    }

    /// Graceful SIGTERM shutdown (thaws a frozen node first); SIGKILL after 30 s.
    pub fn stop(&self, node_id: i32) {
        let Some(mut p) = self.node(node_id).lock().take() else {
            return;
        };
        let _ = p.watchdog.kill();
        let _ = p.watchdog.wait();
        signal(p.jvm.id(), "TERM");
        signal(p.jvm.id(), "CONT");
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = p.jvm.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        eprintln!("kafka fixture: node {node_id} ignored SIGTERM for 30 s, killing it");
        let _ = p.jvm.kill();
        let _ = p.jvm.wait();
    }

    /// SIGSTOP: the node hangs without closing its sockets.
    pub fn freeze(&self, node_id: i32) {
        let pid = self
            .pid(node_id)
            .unwrap_or_else(|| panic!("node {node_id} is not running"));
        signal(pid, "STOP");
    }

    /// SIGCONT after [`freeze`](Self::freeze).
    pub fn thaw(&self, node_id: i32) {
        let pid = self
            .pid(node_id)
            .unwrap_or_else(|| panic!("node {node_id} is not running"));
        signal(pid, "CONT");
    }

    /// Starts the node again on its old ports and dirs (stopping it first if
    /// it runs) and waits until it is registered again.
    pub fn restart(&self, node_id: i32) {
        if self.node(node_id).lock().is_some() {
            self.stop(node_id);
        }
        self.spawn_node(self.node(node_id));
        self.wait_until_registered(&[node_id], start_timeout());
    }

    /// Waits until the cluster metadata lists every broker in `ids` (KRaft
    /// lists only registered, unfenced brokers). Panics with log tails.
    pub fn wait_until_registered(&self, ids: &[i32], timeout: Duration) {
        let client: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .set("reconnect.backoff.max.ms", "500")
            .set("socket.connection.setup.timeout.ms", "2000")
            .create()
            .expect("create metadata client");
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            for &id in ids {
                let mut guard = self.node(id).lock();
                let exited = match guard.as_mut() {
                    Some(p) => p.jvm.try_wait().ok().flatten(),
                    None => None,
                };
                drop(guard);
                if let Some(status) = exited {
                    panic!(
                        "kafka node {id} of cluster {} exited ({status}) while starting\n{}",
                        self.name,
                        self.log_tails(60)
                    );
                }
            }
            if let Ok(md) = client.fetch_metadata(None, Duration::from_secs(2)) {
                seen = md.brokers().iter().map(|b| b.id()).collect();
                if ids.iter().all(|id| seen.contains(id)) {
                    return;
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "kafka cluster {}: brokers {ids:?} not all registered after {timeout:?} (metadata shows {seen:?})\n{}",
                    self.name,
                    self.log_tails(60)
                );
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    /// The last `lines` lines of the node's server.log and stdout.log.
    pub fn log_tail(&self, node_id: i32, lines: usize) -> String {
        let mut out = String::new();
        for file in ["stdout.log", "server.log"] {
            let path = self.node(node_id).dir.join(file);
            let text = fs::read_to_string(&path).unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            let from = all.len().saturating_sub(lines);
            let _ = writeln!(
                out,
                "----- node {node_id} {} (last {lines} lines)",
                path.display()
            );
            for line in &all[from..] {
                let _ = writeln!(out, "{line}");
            }
        }
        // Stack traces push the cause out of the tail: repeat the last errors.
        let log = fs::read_to_string(self.node(node_id).dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let errors: Vec<String> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains("] ERROR ") || l.contains("] FATAL "))
            .map(|(i, l)| match lines.get(i + 1) {
                // The exception line right after it names the cause.
                Some(next) if !next.starts_with('[') => format!("{l}\n{next}"),
                _ => l.to_string(),
            })
            .collect();
        let _ = writeln!(
            out,
            "----- node {node_id} last ERROR/FATAL lines of server.log"
        );
        for line in &errors[errors.len().saturating_sub(10)..] {
            let _ = writeln!(out, "{line}");
        }
        out
    }

    fn log_tails(&self, lines: usize) -> String {
        self.broker_ids()
            .iter()
            .map(|&id| self.log_tail(id, lines))
            .collect()
    }

    fn node(&self, node_id: i32) -> &Node {
        self.nodes
            .iter()
            .find(|n| n.id == node_id)
            .unwrap_or_else(|| panic!("cluster {} has no node {node_id}", self.name))
    }
}

impl Drop for KafkaCluster {
    fn drop(&mut self) {
        for node in &self.nodes {
            if let Some(mut p) = node.lock().take() {
                let _ = p.watchdog.kill();
                let _ = p.jvm.kill();
                let _ = p.watchdog.wait();
                let _ = p.jvm.wait();
            }
        }
    }
}

impl KafkaCluster {
    /// `ConsumerGroupCommand --describe --group` through Kafka's own tool, parsed.
    pub fn describe_group_offsets(&self, group: &str) -> Vec<GroupOffsetRow> {
        let stdout = self.run_tool_ok(
            CONSUMER_GROUP_COMMAND,
            &[
                "--bootstrap-server",
                &self.bootstrap(),
                "--describe",
                "--group",
                group,
            ],
        );
        parse_group_describe(&stdout)
    }

    /// `ConsumerGroupCommand --list` through Kafka's own tool.
    pub fn list_groups(&self) -> Vec<String> {
        let stdout = self.run_tool_ok(
            CONSUMER_GROUP_COMMAND,
            &["--bootstrap-server", &self.bootstrap(), "--list"],
        );
        stdout
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}
