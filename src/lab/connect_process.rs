//! Kafka Connect next to the KRaft clusters of [`super::kafka_engine`]: a Connect
//! **distributed** worker ([`ConnectWorker`], REST on a free 127.0.0.1 port, optional basic
//! auth). MirrorMaker 2 in dedicated mode ([`super::mm2_process::Mm2Dedicated`]) uses the
//! same [`Service`]. Both are JVMs started like the brokers: the
//! [`EngineOptions::marker`] on the command line, a watchdog that SIGKILLs them once the
//! owning process is gone, and `Drop` that kills them. Recipes and timings:
//! `scripts/README-kafka.md`.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use super::kafka_engine::EngineOptions;
use super::kafka_process::{
    log4j2_file_config, service_log_tail, spawn_service, JvmProcess, BROKER_JVM_OPTS,
};

/// Main class of `connect-distributed.sh`.
pub const CONNECT_DISTRIBUTED: &str = "org.apache.kafka.connect.cli.ConnectDistributed";
/// The REST extension of `connect-basic-auth-extension` (JAAS login context `KafkaConnect`).
pub const BASIC_AUTH_EXTENSION: &str =
    "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension";
/// Its login module: `user=password` lines in a properties file.
pub const PROPERTY_FILE_LOGIN_MODULE: &str =
    "org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule";
pub const JSON_CONVERTER: &str = "org.apache.kafka.connect.json.JsonConverter";
/// What MirrorMaker 2's connectors need as key, value and header converter: the records'
/// bytes unchanged.
pub const BYTE_ARRAY_CONVERTER: &str = "org.apache.kafka.connect.converters.ByteArrayConverter";

/// How long a graceful stop waits before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(30);

/// Credentials of the REST API's basic auth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicAuth {
    pub username: String,
    pub password: String,
}

impl BasicAuth {
    pub fn new(username: &str, password: &str) -> Self {
        BasicAuth {
            username: username.to_string(),
            password: password.to_string(),
        }
    }

    /// The `Authorization` header value: `Basic base64(user:password)`.
    pub fn header_value(&self) -> String {
        format!(
            "Basic {}",
            base64(format!("{}:{}", self.username, self.password).as_bytes())
        )
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What to start: one Connect worker of the Connect cluster `name` (its group and storage
/// topics are named after it, so two workers with the same name form one Connect cluster).
#[derive(Clone, Debug)]
pub struct ConnectSpec {
    pub name: String,
    /// The Kafka cluster the worker stores its state in (and MM2 writes to).
    pub bootstrap: String,
    /// Of the config/offset/status topics: the Kafka cluster's size, at most 3.
    pub replication_factor: usize,
    /// Basic auth on the REST API (connect-basic-auth-extension).
    pub basic_auth: Option<BasicAuth>,
    /// Extra/overriding worker properties.
    pub extra_props: Vec<(String, String)>,
}

impl ConnectSpec {
    pub fn new(name: &str, bootstrap: &str, replication_factor: usize) -> Self {
        ConnectSpec {
            name: name.to_string(),
            bootstrap: bootstrap.to_string(),
            replication_factor,
            basic_auth: None,
            extra_props: Vec::new(),
        }
    }

    pub fn with_basic_auth(mut self, username: &str, password: &str) -> Self {
        self.basic_auth = Some(BasicAuth::new(username, password));
        self
    }

    pub fn with_prop(mut self, key: &str, value: &str) -> Self {
        self.extra_props.push((key.to_string(), value.to_string()));
        self
    }

    pub fn group_id(&self) -> String {
        format!("connect-{}", self.name)
    }

    /// The config, offset and status topics.
    pub fn storage_topics(&self) -> [String; 3] {
        ["configs", "offsets", "status"].map(|t| format!("connect-{}-{t}", self.name))
    }

    /// The worker's `connect-distributed.properties` for REST port `port`.
    pub fn worker_properties(&self, port: u16) -> String {
        let rf = self.replication_factor.clamp(1, 3).to_string();
        let [configs, offsets, status] = self.storage_topics();
        let mut props: Vec<(String, String)> = [
            ("bootstrap.servers", self.bootstrap.clone()),
            ("group.id", self.group_id()),
            // The worker's defaults; MM2's connectors set ByteArrayConverter themselves.
            ("key.converter", JSON_CONVERTER.to_string()),
            ("value.converter", JSON_CONVERTER.to_string()),
            ("key.converter.schemas.enable", "false".to_string()),
            ("value.converter.schemas.enable", "false".to_string()),
            ("config.storage.topic", configs),
            ("offset.storage.topic", offsets),
            ("status.storage.topic", status),
            ("config.storage.replication.factor", rf.clone()),
            ("offset.storage.replication.factor", rf.clone()),
            ("status.storage.replication.factor", rf),
            ("offset.storage.partitions", "1".to_string()),
            ("status.storage.partitions", "1".to_string()),
            // Source task commits (and MM2's delayed offset syncs) every second.
            ("offset.flush.interval.ms", "1000".to_string()),
            ("listeners", format!("http://127.0.0.1:{port}")),
            ("rest.advertised.host.name", "127.0.0.1".to_string()),
            ("rest.advertised.port", port.to_string()),
            ("rest.advertised.listener", "http".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if self.basic_auth.is_some() {
            props.push((
                "rest.extension.classes".to_string(),
                BASIC_AUTH_EXTENSION.to_string(),
            ));
        }
        for (k, v) in &self.extra_props {
            props.retain(|(key, _)| key != k);
            props.push((k.clone(), v.clone()));
        }
        props.iter().map(|(k, v)| format!("{k}={v}\n")).collect()
    }
}

/// The JAAS file of the basic-auth extension, reading `credentials`.
fn jaas_config(credentials: &Path) -> String {
    format!(
        "KafkaConnect {{\n  {PROPERTY_FILE_LOGIN_MODULE} required\n  file=\"{}\";\n}};\n",
        credentials.display()
    )
}

/// One long-running JVM (Connect worker, MirrorMaker) with its own directory and log4j2
/// config; restartable. `Drop` SIGKILLs it.
pub(super) struct Service {
    label: String,
    log_file: &'static str,
    pub(super) opts: EngineOptions,
    proc: Mutex<Option<JvmProcess>>,
    // Last: removed after the JVM is gone.
    pub(super) dir: tempfile::TempDir,
}

impl Service {
    pub(super) fn new(
        label: &str,
        log_file: &'static str,
        opts: &EngineOptions,
    ) -> anyhow::Result<Self> {
        let mut builder = tempfile::Builder::new();
        let prefix = format!("kafka-failover-{label}-");
        builder.prefix(&prefix);
        let mut dir = match &opts.work_dir {
            Some(parent) => {
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
                builder.tempdir_in(parent)
            }
            None => builder.tempdir(),
        }
        .with_context(|| format!("creating the directory of {label}"))?;
        if opts.keep_dirs {
            dir.disable_cleanup(true);
            log::info!("{label}: keeping {}", dir.path().display());
        }
        fs::write(
            dir.path().join("log4j2.properties"),
            log4j2_file_config(&dir.path().join(log_file)),
        )?;
        Ok(Service {
            label: label.to_string(),
            log_file,
            opts: opts.clone(),
            proc: Mutex::new(None),
            dir,
        })
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Option<JvmProcess>> {
        self.proc.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn spawn(
        &self,
        system_props: &[String],
        class: &str,
        args: &[PathBuf],
    ) -> anyhow::Result<()> {
        let mut guard = self.lock();
        if let Some(p) = guard.as_mut() {
            if p.exited().is_none() {
                bail!("{} is already running", self.label);
            }
        }
        let mut cmd = self.opts.launcher().command(
            BROKER_JVM_OPTS,
            &self.dir.path().join("log4j2.properties"),
            system_props,
            class,
        );
        cmd.args(args);
        let cleanup = (!self.opts.keep_dirs).then(|| self.dir.path());
        *guard = Some(spawn_service(cmd, self.dir.path(), cleanup)?);
        Ok(())
    }

    pub(super) fn pid(&self) -> Option<u32> {
        self.lock().as_ref().map(JvmProcess::pid)
    }

    pub(super) fn is_running(&self) -> bool {
        self.lock().as_mut().is_some_and(|p| p.exited().is_none())
    }

    /// Fails with the log tail when the JVM has ended.
    pub(super) fn check_alive(&self) -> anyhow::Result<()> {
        let exited = self.lock().as_mut().map(|p| p.exited());
        match exited {
            None => bail!("{} is not running", self.label),
            Some(Some(status)) => bail!(
                "{} exited ({status}) while starting\n{}",
                self.label,
                self.log_tail(60)
            ),
            Some(None) => Ok(()),
        }
    }

    pub(super) fn kill(&self) {
        if let Some(p) = self.lock().take() {
            p.kill();
        }
    }

    pub(super) fn stop(&self) {
        if let Some(p) = self.lock().take() {
            if !p.terminate(STOP_GRACE) {
                log::warn!(
                    "{} ignored SIGTERM for {STOP_GRACE:?}, killed it",
                    self.label
                );
            }
        }
    }

    pub(super) fn log_tail(&self, lines: usize) -> String {
        service_log_tail(self.dir.path(), &self.label, self.log_file, lines)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A running Connect distributed worker. `Drop` SIGKILLs it and removes its directory.
pub struct ConnectWorker {
    spec: ConnectSpec,
    port: u16,
    started_in: Duration,
    service: Service,
}

impl ConnectWorker {
    /// Writes the worker config (and the basic-auth JAAS and credentials files), starts
    /// the JVM and waits (up to [`EngineOptions::start_timeout`]) until the REST API
    /// answers `GET /` and `GET /health` with 200. The error of a failed start carries
    /// the log tail.
    pub fn start(spec: ConnectSpec, opts: &EngineOptions) -> anyhow::Result<ConnectWorker> {
        let t0 = Instant::now();
        let service = Service::new(&format!("connect-{}", spec.name), "connect.log", opts)?;
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").context("binding a free 127.0.0.1 port")?;
            l.local_addr()?.port()
        };
        let dir = service.dir.path().to_path_buf();
        fs::write(dir.join("worker.properties"), spec.worker_properties(port))?;
        let mut worker = ConnectWorker {
            spec,
            port,
            started_in: Duration::ZERO,
            service,
        };
        if let Some(auth) = &worker.spec.basic_auth {
            let credentials = dir.join("credentials.properties");
            fs::write(
                &credentials,
                format!("{}={}\n", auth.username, auth.password),
            )?;
            restrict_to_owner(&credentials)?;
            fs::write(dir.join("jaas.conf"), jaas_config(&credentials))?;
        }
        worker.spawn()?;
        worker.wait_until_ready(worker.service.opts.start_timeout)?;
        worker.started_in = t0.elapsed();
        log::info!(
            "connect worker {} ({}) up in {:.1}s",
            worker.spec.name,
            worker.rest_url(),
            worker.started_in.as_secs_f64()
        );
        Ok(worker)
    }

    fn spawn(&self) -> anyhow::Result<()> {
        let dir = self.service.dir.path();
        let mut system_props = vec![format!("-Dkafka.failover.connect={}", self.spec.name)];
        if self.spec.basic_auth.is_some() {
            system_props.push(format!(
                "-Djava.security.auth.login.config={}",
                dir.join("jaas.conf").display()
            ));
        }
        self.service.spawn(
            &system_props,
            CONNECT_DISTRIBUTED,
            &[dir.join("worker.properties")],
        )
    }

    /// `http://127.0.0.1:PORT`
    pub fn rest_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn basic_auth(&self) -> Option<&BasicAuth> {
        self.spec.basic_auth.as_ref()
    }

    pub fn spec(&self) -> &ConnectSpec {
        &self.spec
    }

    pub fn group_id(&self) -> String {
        self.spec.group_id()
    }

    /// Holds `worker.properties`, `connect.log`, `stdout.log` (and `jaas.conf`).
    pub fn dir(&self) -> &Path {
        self.service.dir.path()
    }

    /// Wall time [`start`](Self::start) took (JVM start until the REST API answered).
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    pub fn pid(&self) -> Option<u32> {
        self.service.pid()
    }

    pub fn is_running(&self) -> bool {
        self.service.is_running()
    }

    /// Waits until `GET /` and `GET /health` answer 200 (with the credentials, if any).
    /// Fails with the log tail when the JVM exits or time runs out.
    pub fn wait_until_ready(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            self.service.check_alive()?;
            let Err(last) = self.probe() else {
                return Ok(());
            };
            if Instant::now() > deadline {
                bail!(
                    "connect worker {}: REST API at {} not ready after {timeout:?} ({last:#})\n{}",
                    self.spec.name,
                    self.rest_url(),
                    self.log_tail(60)
                );
            }
            thread::sleep(Duration::from_millis(250));
        }
    }

    fn probe(&self) -> anyhow::Result<()> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(5)))
            .http_status_as_error(false)
            .proxy(None)
            .build()
            .into();
        for path in ["/", "/health"] {
            let url = format!("{}{path}", self.rest_url());
            let mut req = agent.get(&url);
            if let Some(auth) = &self.spec.basic_auth {
                req = req.header("Authorization", auth.header_value());
            }
            let mut resp = req.call().with_context(|| format!("GET {url}"))?;
            let status = resp.status().as_u16();
            if status != 200 {
                let body = resp.body_mut().read_to_string().unwrap_or_default();
                bail!("GET {path} answered {status}: {body}");
            }
        }
        Ok(())
    }

    /// Graceful SIGTERM shutdown (the worker leaves its group); SIGKILL after 30 s.
    pub fn stop(&self) {
        self.service.stop();
    }

    /// SIGKILL (a crash).
    pub fn kill(&self) {
        self.service.kill();
    }

    /// Stops the worker (gracefully) and starts it again on the same port and config;
    /// waits until the REST API answers.
    pub fn restart(&self) -> anyhow::Result<()> {
        self.stop();
        self.spawn()?;
        self.wait_until_ready(self.service.opts.start_timeout)
    }

    /// The last `lines` lines of stdout.log and connect.log, then the last ERROR lines.
    pub fn log_tail(&self, lines: usize) -> String {
        self.service.log_tail(lines)
    }
}

#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
        .with_context(|| format!("chmod 600 {}", path.display()))
}

#[cfg(not(unix))]
fn restrict_to_owner(_: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_header_is_base64() {
        assert_eq!(
            BasicAuth::new("Aladdin", "open sesame").header_value(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn worker_properties_follow_the_recipe() {
        let spec = ConnectSpec::new("west", "127.0.0.1:9092", 1)
            .with_basic_auth("u", "p")
            .with_prop("offset.flush.interval.ms", "500");
        let p = spec.worker_properties(8083);
        assert!(p.contains("group.id=connect-west\n"));
        assert!(p.contains("config.storage.topic=connect-west-configs\n"));
        assert!(p.contains("status.storage.replication.factor=1\n"));
        assert!(p.contains("listeners=http://127.0.0.1:8083\n"));
        assert!(p.contains("rest.advertised.host.name=127.0.0.1\n"));
        assert!(p.contains(&format!("rest.extension.classes={BASIC_AUTH_EXTENSION}\n")));
        assert!(p.contains("offset.flush.interval.ms=500\n"));
        assert!(!p.contains("offset.flush.interval.ms=1000"));
        let five = ConnectSpec::new("x", "b", 5).worker_properties(1);
        assert!(five.contains("offset.storage.replication.factor=3\n"));
        assert!(!five.contains("rest.extension.classes"));
    }

    #[test]
    fn jaas_names_the_login_context_and_file() {
        let j = jaas_config(Path::new("/tmp/creds.properties"));
        assert!(j.starts_with("KafkaConnect {\n"));
        assert!(j.contains(&format!("{PROPERTY_FILE_LOGIN_MODULE} required")));
        assert!(j.contains("file=\"/tmp/creds.properties\";"));
    }
}
