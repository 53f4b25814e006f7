//! Real Apache Kafka clusters for integration tests: a thin, panicking wrapper over the
//! library's engine (`kafka_failover::lab::kafka_engine`), which the lab uses too.
//!
//! Each cluster is a set of combined KRaft nodes (one JVM per node) on free 127.0.0.1
//! ports, configured in a temporary directory. The jars come from `scripts/fetch-kafka`
//! (see `scripts/README-kafka.md`); a test that cannot start its broker FAILS, it is
//! never skipped.
//!
//! Every JVM is started with `-Dkafka.failover.test=1` on its command line (CI can
//! `pkill -f kafka.failover.test` stragglers) and with a small `sh` watchdog that
//! SIGKILLs it once the test process is gone, so clusters held in a `static` (whose
//! `Drop` never runs) die with the test binary, even when the binary is SIGKILLed.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::time::Duration;

use kafka_failover::lab::kafka_engine::{
    locate_kafka_libs, EngineOptions, KraftCluster, TEST_MARKER,
};

pub use super::kafka_client::*;
#[allow(unused_imports)] // re-exports: each test binary uses a subset
pub use kafka_failover::lab::kafka_engine::{ClusterSpec, CONSUMER_GROUP_COMMAND, KAFKA_VERSION};

/// Marker put on every JVM command line this fixture starts.
pub const JVM_MARKER: &str = TEST_MARKER;

/// Where the Kafka jars are.
pub struct KafkaLibs;

impl KafkaLibs {
    /// `$KAFKA_LIBS`, else `${KAFKA_FAILOVER_CACHE:-$HOME/.cache/kafka-failover}/kafka-<v>/libs`
    /// (only when `scripts/fetch-kafka` completed it). Panics when missing.
    pub fn locate() -> PathBuf {
        static LIBS: OnceLock<PathBuf> = OnceLock::new();
        LIBS.get_or_init(|| {
            locate_kafka_libs().unwrap_or_else(|e| {
                panic!("{e:#}. Real-broker tests fail rather than skip without the jars.")
            })
        })
        .clone()
    }
}

/// The engine options of the fixture: test marker, env overrides
/// (`KAFKA_FAILOVER_START_TIMEOUT_SECS`, `KAFKA_FAILOVER_KEEP_DIRS`).
pub fn engine_options() -> EngineOptions {
    EngineOptions::new(KafkaLibs::locate(), TEST_MARKER).with_env()
}

fn ok<T>(r: anyhow::Result<T>) -> T {
    r.unwrap_or_else(|e| panic!("kafka fixture: {e:#}"))
}

/// A running cluster; `Drop` SIGKILLs its JVMs and removes its directory
/// (kept when `KAFKA_FAILOVER_KEEP_DIRS` is set).
pub struct KafkaCluster {
    inner: KraftCluster,
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
        let opts = engine_options();
        if opts.keep_dirs {
            eprintln!(
                "kafka fixture: keeping the directory of cluster {}",
                spec.name
            );
        }
        let inner = ok(KraftCluster::start(spec, &opts));
        eprintln!(
            "kafka fixture: cluster {} ({} nodes, {}) up in {:.1}s{}",
            inner.name(),
            inner.broker_ids().len(),
            inner.bootstrap(),
            inner.started_in().as_secs_f64(),
            if opts.keep_dirs {
                format!(" (dir {})", inner.dir().display())
            } else {
                String::new()
            }
        );
        KafkaCluster { inner }
    }

    /// Starts several clusters in parallel (ports picked for all first); panics with the
    /// nodes' log tails on failure.
    pub fn start_all(specs: Vec<ClusterSpec>) -> Vec<KafkaCluster> {
        let opts = engine_options();
        let clusters = ok(KraftCluster::start_all(specs, &opts));
        clusters
            .into_iter()
            .map(|inner| {
                eprintln!(
                    "kafka fixture: cluster {} ({} nodes, {}) up in {:.1}s{}",
                    inner.name(),
                    inner.broker_ids().len(),
                    inner.bootstrap(),
                    inner.started_in().as_secs_f64(),
                    if opts.keep_dirs {
                        format!(" (dir {})", inner.dir().display())
                    } else {
                        String::new()
                    }
                );
                KafkaCluster { inner }
            })
            .collect()
    }

    /// The engine's cluster, for Result-returning calls.
    pub fn engine(&self) -> &KraftCluster {
        &self.inner
    }

    /// Runs a Kafka tool class (e.g. [`CONSUMER_GROUP_COMMAND`]) to completion;
    /// its WARN+ logs go to stderr.
    pub fn run_tool(&self, class: &str, args: &[&str]) -> Output {
        ok(self.inner.run_tool(class, args))
    }

    /// Like [`run_tool`](Self::run_tool) but panics unless it exits 0; returns stdout.
    pub fn run_tool_ok(&self, class: &str, args: &[&str]) -> String {
        ok(self.inner.run_tool_ok(class, args))
    }

    pub fn name(&self) -> &str {
        self.inner.name()
    }

    pub fn cluster_id(&self) -> &str {
        self.inner.cluster_id()
    }

    /// `127.0.0.1:p1,127.0.0.1:p2,...` (all brokers, running or not).
    pub fn bootstrap(&self) -> String {
        self.inner.bootstrap()
    }

    pub fn broker_address(&self, node_id: i32) -> String {
        ok(self.inner.broker_address(node_id))
    }

    pub fn broker_ids(&self) -> Vec<i32> {
        self.inner.broker_ids()
    }

    pub fn rack(&self, node_id: i32) -> Option<&str> {
        ok(self.inner.rack(node_id))
    }

    pub fn dir(&self) -> &Path {
        self.inner.dir()
    }

    /// Holds `server.properties`, `server.log`, `stdout.log`, `data/`.
    pub fn node_dir(&self, node_id: i32) -> &Path {
        ok(self.inner.node_dir(node_id))
    }

    pub fn libs_dir(&self) -> &Path {
        self.inner.libs_dir()
    }

    /// Wall time `start` took (format + JVM start + registration).
    pub fn started_in(&self) -> Duration {
        self.inner.started_in()
    }

    pub fn pid(&self, node_id: i32) -> Option<u32> {
        ok(self.inner.pid(node_id))
    }

    /// Whether the node's JVM is alive (a frozen one counts as alive).
    pub fn is_running(&self, node_id: i32) -> bool {
        ok(self.inner.is_running(node_id))
    }

    /// SIGKILL the node's JVM (a crash) and reap it.
    pub fn kill(&self, node_id: i32) {
        ok(self.inner.kill(node_id))
    }

    /// Graceful SIGTERM shutdown (thaws a frozen node first); SIGKILL after 30 s.
    pub fn stop(&self, node_id: i32) {
        ok(self.inner.stop(node_id))
    }

    /// SIGSTOP: the node hangs without closing its sockets.
    pub fn freeze(&self, node_id: i32) {
        ok(self.inner.freeze(node_id))
    }

    /// SIGCONT after [`freeze`](Self::freeze).
    pub fn thaw(&self, node_id: i32) {
        ok(self.inner.thaw(node_id))
    }

    /// Starts the node again on its old ports and dirs (stopping it first if
    /// it runs) and waits until it is registered again.
    pub fn restart(&self, node_id: i32) {
        ok(self.inner.restart(node_id))
    }

    /// Waits until the cluster metadata lists every broker in `ids` (KRaft
    /// lists only registered, unfenced brokers). Panics with log tails.
    pub fn wait_until_registered(&self, ids: &[i32], timeout: Duration) {
        ok(self.inner.wait_until_registered(ids, timeout))
    }

    /// The last `lines` lines of the node's server.log and stdout.log.
    pub fn log_tail(&self, node_id: i32, lines: usize) -> String {
        ok(self.inner.log_tail(node_id, lines))
    }

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
