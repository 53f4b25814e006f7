//! Kafka Connect and MirrorMaker 2 for integration tests: thin, panicking wrappers over
//! the library's launchers (`kafka_failover::lab::connect_process`, `mm2_process`), plus
//! a small Connect REST client ([`ConnectRest`]) and a runner for Kafka's own
//! `RemoteClusterUtils.translateOffsets`.
//!
//! The JVMs carry the same marker as the fixture's brokers (`-Dkafka.failover.test=1`) and
//! the same watchdog: they die with the test binary even when it is SIGKILLed.

use std::collections::BTreeMap;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use kafka_failover::lab::connect_process::{BasicAuth, ConnectSpec, ConnectWorker};
use kafka_failover::lab::kafka_process::TOOL_JVM_OPTS;
use kafka_failover::lab::mm2_process::Mm2Dedicated;

use super::kafka::{engine_options, KafkaCluster};

#[allow(unused_imports)] // re-exports: each test binary uses a subset
pub use kafka_failover::lab::connect_process::{BYTE_ARRAY_CONVERTER, JSON_CONVERTER};

fn ok<T>(r: anyhow::Result<T>) -> T {
    r.unwrap_or_else(|e| panic!("connect fixture: {e:#}"))
}

/// A running Connect distributed worker; `Drop` SIGKILLs it.
pub struct KafkaConnect {
    inner: ConnectWorker,
}

impl KafkaConnect {
    /// A worker of the Connect cluster `name` storing its state in `cluster`, without
    /// auth. Panics with the log tail when it does not come up.
    pub fn start(cluster: &KafkaCluster, name: &str) -> KafkaConnect {
        let rf = cluster.broker_ids().len();
        Self::start_spec(ConnectSpec::new(name, &cluster.bootstrap(), rf))
    }

    pub fn start_spec(spec: ConnectSpec) -> KafkaConnect {
        let opts = engine_options();
        let inner = ok(ConnectWorker::start(spec, &opts));
        eprintln!(
            "connect fixture: worker {} ({}) up in {:.1}s{}",
            inner.spec().name,
            inner.rest_url(),
            inner.started_in().as_secs_f64(),
            if opts.keep_dirs {
                format!(" (dir {})", inner.dir().display())
            } else {
                String::new()
            }
        );
        KafkaConnect { inner }
    }

    /// The library's worker, for Result-returning calls.
    pub fn engine(&self) -> &ConnectWorker {
        &self.inner
    }

    pub fn rest_url(&self) -> String {
        self.inner.rest_url()
    }

    /// A REST client with the worker's credentials (if it has basic auth).
    pub fn rest(&self) -> ConnectRest {
        ConnectRest::new(&self.rest_url(), self.inner.basic_auth().cloned())
    }

    pub fn restart(&self) {
        ok(self.inner.restart())
    }

    pub fn stop(&self) {
        self.inner.stop()
    }

    pub fn log_tail(&self, lines: usize) -> String {
        self.inner.log_tail(lines)
    }
}

/// MirrorMaker 2 in dedicated mode; `Drop` SIGKILLs it.
pub struct MirrorMaker2 {
    inner: Mm2Dedicated,
}

impl MirrorMaker2 {
    /// Starts it on `props` (all clusters of the file) and waits until it logged that it
    /// started. Panics with the log tail otherwise.
    pub fn start(props: &Path) -> MirrorMaker2 {
        let inner = ok(Mm2Dedicated::start(props, &engine_options()));
        eprintln!(
            "connect fixture: MirrorMaker 2 started in {:.1}s",
            inner.started_in().as_secs_f64()
        );
        MirrorMaker2 { inner }
    }

    /// Like [`start`](Self::start) with `--clusters`.
    pub fn start_for_clusters(props: &Path, clusters: &[&str]) -> MirrorMaker2 {
        let inner = ok(Mm2Dedicated::start_for_clusters(
            props,
            clusters,
            &engine_options(),
        ));
        eprintln!(
            "connect fixture: MirrorMaker 2 (--clusters {}) started in {:.1}s",
            clusters.join(" "),
            inner.started_in().as_secs_f64()
        );
        MirrorMaker2 { inner }
    }

    pub fn engine(&self) -> &Mm2Dedicated {
        &self.inner
    }

    /// Stops it gracefully and starts it again on the (edited) file.
    pub fn restart(&self) {
        ok(self.inner.restart());
        eprintln!(
            "connect fixture: MirrorMaker 2 restarted in {:.1}s",
            self.inner.started_in().as_secs_f64()
        );
    }

    pub fn stop(&self) {
        self.inner.stop()
    }

    /// Waits until MirrorMaker logged `needle` since its last (re)start; panics with the
    /// log tail after `timeout`.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) {
        ok(self.inner.wait_for_log(needle, timeout))
    }

    pub fn log_tail(&self, lines: usize) -> String {
        self.inner.log_tail(lines)
    }
}

/// An answer of the REST API: status and body (JSON, or the text as a JSON string,
/// `null` when empty).
#[derive(Clone, Debug)]
pub struct RestAnswer {
    pub status: u16,
    pub body: Value,
}

/// A blocking Connect REST client for tests (ureq; 30 s per request). It never panics
/// on an HTTP status: callers assert.
pub struct ConnectRest {
    base: String,
    auth: Option<BasicAuth>,
    agent: ureq::Agent,
}

impl ConnectRest {
    pub fn new(base: &str, auth: Option<BasicAuth>) -> ConnectRest {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .http_status_as_error(false)
            .proxy(None)
            .build()
            .into();
        ConnectRest {
            base: base.trim_end_matches('/').to_string(),
            auth,
            agent,
        }
    }

    /// The same API with other credentials (`None`: anonymous).
    pub fn with_auth(&self, auth: Option<BasicAuth>) -> ConnectRest {
        ConnectRest::new(&self.base, auth)
    }

    pub fn get(&self, path: &str) -> RestAnswer {
        self.request("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> RestAnswer {
        self.request("POST", path, Some(body))
    }

    pub fn put(&self, path: &str, body: Option<&Value>) -> RestAnswer {
        self.request("PUT", path, body)
    }

    pub fn delete(&self, path: &str) -> RestAnswer {
        self.request("DELETE", path, None)
    }

    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> RestAnswer {
        let url = format!("{}{path}", self.base);
        let auth = self.auth.as_ref().map(BasicAuth::header_value);
        macro_rules! with_headers {
            ($req:expr) => {{
                let mut req = $req.header("Accept", "application/json");
                if let Some(a) = &auth {
                    req = req.header("Authorization", a);
                }
                req
            }};
        }
        let result = match (method, body) {
            ("GET", _) => with_headers!(self.agent.get(&url)).call(),
            ("DELETE", _) => with_headers!(self.agent.delete(&url)).call(),
            (m, body) => {
                let req = match m {
                    "POST" => self.agent.post(&url),
                    "PUT" => self.agent.put(&url),
                    "PATCH" => self.agent.patch(&url),
                    other => panic!("unsupported method {other}"),
                };
                let req = with_headers!(req).header("Content-Type", "application/json");
                match body {
                    Some(b) => req.send(b.to_string()),
                    None => req.send_empty(),
                }
            }
        };
        let mut resp = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("{method} {url}: reading the body: {e}"));
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        RestAnswer { status, body }
    }

    /// `PUT /connectors/NAME/config` (create or update), retrying 409 (rebalance in
    /// progress) for 60 s; panics unless it ends 200 or 201.
    pub fn put_connector(&self, name: &str, config: &Value) -> Value {
        let path = format!("/connectors/{name}/config");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let a = self.put(&path, Some(config));
            match a.status {
                200 | 201 => return a.body,
                409 if Instant::now() < deadline => thread::sleep(Duration::from_millis(500)),
                s => panic!("PUT {path} answered {s}: {}", a.body),
            }
        }
    }

    /// `GET /connectors/NAME/status` (the body; `null` while it answers 404).
    pub fn connector_status(&self, name: &str) -> Value {
        let a = self.get(&format!("/connectors/{name}/status"));
        match a.status {
            200 => a.body,
            404 => Value::Null,
            s => panic!("GET /connectors/{name}/status answered {s}: {}", a.body),
        }
    }

    /// Waits until the connector is RUNNING with at least `min_tasks` tasks, all
    /// RUNNING. Panics with the last status (and a FAILED task's trace) after `timeout`.
    pub fn wait_running(&self, name: &str, min_tasks: usize, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let status = self.connector_status(name);
            let connector = status["connector"]["state"].as_str().unwrap_or("");
            let tasks = status["tasks"].as_array().cloned().unwrap_or_default();
            let running = connector == "RUNNING"
                && tasks.len() >= min_tasks
                && tasks.iter().all(|t| t["state"] == "RUNNING");
            if running {
                return status;
            }
            let failed = connector == "FAILED" || tasks.iter().any(|t| t["state"] == "FAILED");
            assert!(
                !failed && Instant::now() < deadline,
                "connector {name} not running with {min_tasks}+ tasks within {timeout:?}: {status:#}"
            );
            thread::sleep(Duration::from_millis(300));
        }
    }
}

/// Kafka's own `RemoteClusterUtils.translateOffsets(target, source_alias, group)`: the
/// latest checkpoints of `group` on the target cluster, `(topic, partition) -> offset`.
/// Runs `tests/support/java/TranslateOffsets.java` (Java's single-file source launch)
/// with the Kafka jars; the tools' log4j2 config of `target` sends WARN+ to stderr.
pub fn remote_cluster_utils_translate(
    target: &KafkaCluster,
    source_alias: &str,
    group: &str,
) -> BTreeMap<(String, i32), i64> {
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/java/TranslateOffsets.java");
    let opts = engine_options();
    let out = opts
        .launcher()
        .command(
            TOOL_JVM_OPTS,
            &target.dir().join("tools-log4j2.properties"),
            &[],
            &source.display().to_string(),
        )
        .args([&target.bootstrap(), source_alias, group])
        .output()
        .expect("running java TranslateOffsets.java");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "TranslateOffsets.java failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .filter_map(|l| {
            let mut cols = l.split_whitespace();
            let (topic, partition, offset) = (cols.next()?, cols.next()?, cols.next()?);
            Some((
                (topic.to_string(), partition.parse().ok()?),
                offset.parse().ok()?,
            ))
        })
        .collect()
}

/// The config of one of MM2's connectors between `source` (alias) and `target` (alias):
/// the common keys (aliases, bootstrap servers, DefaultReplicationPolicy, ByteArray
/// converters, one task) plus `extra`.
pub fn mm2_connector_config(
    class: &str,
    (source_alias, source): (&str, &KafkaCluster),
    (target_alias, target): (&str, &KafkaCluster),
    extra: &[(&str, &str)],
) -> Value {
    let mut config = json!({
        "connector.class": class,
        "tasks.max": "1",
        "source.cluster.alias": source_alias,
        "target.cluster.alias": target_alias,
        "source.cluster.bootstrap.servers": source.bootstrap(),
        "target.cluster.bootstrap.servers": target.bootstrap(),
        "replication.policy.class": "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
        "key.converter": BYTE_ARRAY_CONVERTER,
        "value.converter": BYTE_ARRAY_CONVERTER,
        "header.converter": BYTE_ARRAY_CONVERTER,
    });
    for (k, v) in extra {
        config[*k] = Value::String(v.to_string());
    }
    config
}
