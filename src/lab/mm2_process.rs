//! MirrorMaker 2 in **dedicated mode** (`connect-mirror-maker.sh mm2.properties`), next to
//! the KRaft clusters of [`super::kafka_engine`]: a JVM started like the brokers and the
//! Connect worker (marker, watchdog, killed on `Drop`; see [`super::connect_process`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::bail;

use super::connect_process::Service;
use super::kafka_engine::EngineOptions;

/// Main class of `connect-mirror-maker.sh` (MirrorMaker 2, dedicated mode).
pub const MIRROR_MAKER: &str = "org.apache.kafka.connect.mirror.MirrorMaker";

/// MirrorMaker 2 in dedicated mode (`connect-mirror-maker.sh mm2.properties`). `Drop`
/// SIGKILLs it. The properties file is the caller's: edit it, then
/// [`restart`](Mm2Dedicated::restart) (what a reload command does).
pub struct Mm2Dedicated {
    props: PathBuf,
    clusters: Vec<String>,
    /// How long the last (re)start took, and the size of mm2.log before it.
    last_start: Mutex<(Duration, u64)>,
    service: Service,
}

/// The line MirrorMaker logs once its herders are started (connectors are configured a
/// moment later, when a herder's worker leads its group).
const MM2_STARTED: &str = "Kafka MirrorMaker started";

impl Mm2Dedicated {
    /// Starts MirrorMaker 2 on `props` for all clusters of the file; see
    /// [`start_for_clusters`](Self::start_for_clusters).
    pub fn start(props: &Path, opts: &EngineOptions) -> anyhow::Result<Mm2Dedicated> {
        Self::start_for_clusters(props, &[], opts)
    }

    /// Starts MirrorMaker 2 on `props` (`--clusters` = `clusters` unless empty) and waits
    /// until it logged that its herders started. It has no REST API unless the file
    /// enables one (`dedicated.mode.enable.internal.rest`): watch the data.
    pub fn start_for_clusters(
        props: &Path,
        clusters: &[&str],
        opts: &EngineOptions,
    ) -> anyhow::Result<Mm2Dedicated> {
        if !props.is_file() {
            bail!("{} is not a file", props.display());
        }
        let props = fs::canonicalize(props)?;
        let mm2 = Mm2Dedicated {
            props,
            clusters: clusters.iter().map(|c| c.to_string()).collect(),
            last_start: Mutex::new((Duration::ZERO, 0)),
            service: Service::new("mm2", "mm2.log", opts)?,
        };
        mm2.launch()?;
        Ok(mm2)
    }

    fn launch(&self) -> anyhow::Result<()> {
        let t0 = Instant::now();
        let log_start = fs::metadata(self.log_path()).map_or(0, |m| m.len());
        self.lock_last_start().1 = log_start;
        let mut args = vec![self.props.clone()];
        if !self.clusters.is_empty() {
            args.push(PathBuf::from("--clusters"));
            args.extend(self.clusters.iter().map(PathBuf::from));
        }
        self.service
            .spawn(&["-Dkafka.failover.mm2=1".to_string()], MIRROR_MAKER, &args)?;
        self.wait_for_log(MM2_STARTED, self.service.opts.start_timeout)?;
        self.lock_last_start().0 = t0.elapsed();
        log::info!(
            "MirrorMaker 2 on {} started in {:.1}s",
            self.props.display(),
            t0.elapsed().as_secs_f64()
        );
        Ok(())
    }

    fn lock_last_start(&self) -> std::sync::MutexGuard<'_, (Duration, u64)> {
        self.last_start.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn log_path(&self) -> PathBuf {
        self.service.dir.path().join("mm2.log")
    }

    /// What MirrorMaker logged (INFO and up) since its last (re)start.
    pub fn log_since_start(&self) -> String {
        let from = self.lock_last_start().1 as usize;
        let bytes = fs::read(self.log_path()).unwrap_or_default();
        String::from_utf8_lossy(bytes.get(from..).unwrap_or_default()).into_owned()
    }

    /// Waits until the log since the last (re)start contains `needle`, e.g.
    /// `Stopping task-thread-MirrorSourceConnector-0 took` (a source task of the old
    /// configuration stopped). Fails with the log tail when the JVM exits or time runs out.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        while !self.log_since_start().contains(needle) {
            self.service.check_alive()?;
            if Instant::now() > deadline {
                bail!(
                    "MirrorMaker 2 did not log `{needle}` within {timeout:?}\n{}",
                    self.log_tail(60)
                );
            }
            thread::sleep(Duration::from_millis(200));
        }
        Ok(())
    }

    /// Graceful stop (SIGTERM), then start again on the (possibly edited) file; waits as
    /// [`start`](Self::start) does.
    pub fn restart(&self) -> anyhow::Result<()> {
        self.stop();
        self.launch()
    }

    /// Graceful SIGTERM shutdown; SIGKILL after 30 s.
    pub fn stop(&self) {
        self.service.stop();
    }

    /// SIGKILL.
    pub fn kill(&self) {
        self.service.kill();
    }

    pub fn props_path(&self) -> &Path {
        &self.props
    }

    /// How long the last (re)start took until MirrorMaker logged that it started.
    pub fn started_in(&self) -> Duration {
        self.lock_last_start().0
    }

    pub fn pid(&self) -> Option<u32> {
        self.service.pid()
    }

    pub fn is_running(&self) -> bool {
        self.service.is_running()
    }

    /// Holds `mm2.log` and `stdout.log`.
    pub fn dir(&self) -> &Path {
        self.service.dir.path()
    }

    pub fn log_tail(&self, lines: usize) -> String {
        self.service.log_tail(lines)
    }
}
