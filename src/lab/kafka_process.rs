//! Process-level pieces of the real-Kafka engine ([`super::kafka_engine`]): where the jars
//! and `java` are, JVM options, the combined-mode KRaft `server.properties` recipe
//! (verified in `scripts/README-kafka.md`), log4j2 configs, and one node's JVM with the
//! watchdog that kills it once the owning process is gone.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// The Kafka release `scripts/fetch-kafka` pins.
pub const KAFKA_VERSION: &str = "4.1.1";

/// JVM marker of the test fixture's JVMs (`pkill -f kafka.failover.test`).
pub const TEST_MARKER: &str = "-Dkafka.failover.test=1";
/// JVM marker of the lab's JVMs (`pkill -f kafka.failover.lab`).
pub const LAB_MARKER: &str = "-Dkafka.failover.lab=1";

/// Options of every broker JVM: small heap; C1 only (~35% faster start of a 3-node
/// cluster on 2 cores; lab traffic is tiny, peak throughput does not matter).
pub const BROKER_JVM_OPTS: &[&str] = &[
    "-Xmx384m",
    "-Xms128m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
];
/// Options of tool JVMs (StorageTool, ConsumerGroupCommand...).
pub const TOOL_JVM_OPTS: &[&str] = &[
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
];

/// `dir` if it holds the Kafka jars (`kafka_2.13-*.jar`), e.g. from `--kafka-libs DIR`.
pub fn kafka_libs_in(dir: &Path) -> anyhow::Result<PathBuf> {
    if !has_jar(dir, "kafka_2.13-") {
        bail!(
            "{} holds no kafka_2.13-*.jar: point it at a folder of Kafka {KAFKA_VERSION} jars \
             (`scripts/fetch-kafka` fills one)",
            dir.display()
        );
    }
    Ok(dir.to_path_buf())
}

/// The jars from the environment: `$KAFKA_LIBS`, else
/// `${KAFKA_FAILOVER_CACHE:-$HOME/.cache/kafka-failover}/kafka-<v>/libs` (only when
/// `scripts/fetch-kafka` completed it: `kafka-<v>/libs.complete` exists).
pub fn locate_kafka_libs() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("KAFKA_LIBS").filter(|d| !d.is_empty()) {
        return kafka_libs_in(Path::new(&dir)).context("KAFKA_LIBS");
    }
    let root = std::env::var_os("KAFKA_FAILOVER_CACHE")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/kafka-failover")))
        .context("neither KAFKA_FAILOVER_CACHE nor HOME is set")?;
    let versioned = root.join(format!("kafka-{KAFKA_VERSION}"));
    let libs = versioned.join("libs");
    if !(versioned.join("libs.complete").is_file() && has_jar(&libs, "kafka_2.13-")) {
        bail!(
            "Kafka {KAFKA_VERSION} jars not found in {}: run `scripts/fetch-kafka` \
             (or set KAFKA_LIBS to a folder of Kafka jars)",
            libs.display()
        );
    }
    Ok(libs)
}

fn has_jar(dir: &Path, prefix: &str) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
    })
}

/// `$JAVA_HOME/bin/java` when it exists, else `java` from PATH.
pub fn java_binary() -> PathBuf {
    match std::env::var_os("JAVA_HOME").map(|h| Path::new(&h).join("bin/java")) {
        Some(java) if java.is_file() => java,
        _ => PathBuf::from("java"),
    }
}

/// Builds the command lines of every JVM the engine starts (brokers, tools, Connect
/// workers, MirrorMaker): `java OPTS MARKER -Dlog4j2.configurationFile=CFG [-Dk=v...]
/// -cp "LIBS/*" CLASS`, arguments to be added by the caller.
#[derive(Clone, Copy, Debug)]
pub struct JavaLauncher<'a> {
    pub java: &'a Path,
    /// Folder of Kafka jars.
    pub libs: &'a Path,
    /// e.g. [`TEST_MARKER`] or [`LAB_MARKER`].
    pub marker: &'a str,
}

impl JavaLauncher<'_> {
    /// `system_props` are whole JVM arguments (`-Dkey=value`), put before the class.
    pub fn command(
        &self,
        jvm_opts: &[&str],
        log4j2_config: &Path,
        system_props: &[String],
        class: &str,
    ) -> Command {
        let mut cmd = Command::new(self.java);
        cmd.args(jvm_opts)
            .arg(self.marker)
            .arg(format!(
                "-Dlog4j2.configurationFile={}",
                log4j2_config.display()
            ))
            .args(system_props)
            .arg("-cp")
            .arg(format!("{}/*", self.libs.display()))
            .arg(class);
        cmd
    }
}

/// Spawns a long-running JVM (`cmd` from [`JavaLauncher::command`]) in `dir`: stdin
/// closed, stdout and stderr appended to `dir/stdout.log`, with the watchdog of
/// [`JvmProcess::spawn`].
pub fn spawn_service(
    mut cmd: Command,
    dir: &Path,
    cleanup_dir: Option<&Path>,
) -> anyhow::Result<JvmProcess> {
    let out = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("stdout.log"))
        .with_context(|| format!("opening {}/stdout.log", dir.display()))?;
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out);
    JvmProcess::spawn(cmd, cleanup_dir)
}

/// Sends `sig` (a name such as `TERM`, `STOP`) to `pid` with `kill(1)`.
pub fn signal(pid: u32, sig: &str) -> anyhow::Result<()> {
    let status = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status()
        .context("running kill")?;
    if !status.success() {
        bail!("kill -{sig} {pid} failed ({status})");
    }
    Ok(())
}

/// A Kafka cluster id: 16 random bytes, base64url without padding (what
/// `StorageTool random-uuid` prints), never starting with '-'.
pub fn random_cluster_id() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut f = fs::File::open("/dev/urandom").context("opening /dev/urandom")?;
    loop {
        let mut bytes = [0u8; 16];
        std::io::Read::read_exact(&mut f, &mut bytes).context("reading /dev/urandom")?;
        let mut bits: u128 = u128::from_be_bytes(bytes);
        // 22 base64 chars cover 132 bits: the last char holds the low 2 bits << 4.
        let mut chars = Vec::with_capacity(22);
        let last = ((bits & 0b11) << 4) as usize;
        bits >>= 2;
        for _ in 0..21 {
            chars.push(ALPHABET[(bits & 63) as usize]);
            bits >>= 6;
        }
        chars.reverse();
        chars.push(ALPHABET[last]);
        let id: String = chars.into_iter().map(char::from).collect();
        if !id.starts_with('-') && bytes != [0u8; 16] {
            return Ok(id);
        }
    }
}

/// What `server.properties` of one combined node depends on.
pub struct NodeConfig<'a> {
    pub id: i32,
    pub rack: Option<&'a str>,
    pub broker_port: u16,
    pub controller_port: u16,
    pub data_dir: &'a Path,
    /// `controller.quorum.voters`: `1@127.0.0.1:port,2@...`
    pub voters: &'a str,
    pub cluster_size: usize,
}

/// The verified combined-mode KRaft recipe (static quorum); `extra` overrides or adds
/// properties.
pub fn server_properties(node: &NodeConfig<'_>, extra: &[(String, String)]) -> String {
    let rf = node.cluster_size.min(3);
    let min_isr = node.cluster_size.min(2);
    let (broker_port, controller_port, voters) =
        (node.broker_port, node.controller_port, node.voters);
    let mut props: Vec<(String, String)> = [
        ("process.roles", "broker,controller".to_string()),
        ("node.id", node.id.to_string()),
        ("controller.quorum.voters", voters.to_string()),
        (
            "listeners",
            format!("PLAINTEXT://127.0.0.1:{broker_port},CONTROLLER://127.0.0.1:{controller_port}"),
        ),
        (
            "advertised.listeners",
            format!("PLAINTEXT://127.0.0.1:{broker_port}"),
        ),
        ("controller.listener.names", "CONTROLLER".to_string()),
        ("inter.broker.listener.name", "PLAINTEXT".to_string()),
        (
            "listener.security.protocol.map",
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT".to_string(),
        ),
        ("log.dirs", node.data_dir.display().to_string()),
        ("offsets.topic.replication.factor", rf.to_string()),
        ("offsets.topic.num.partitions", "10".to_string()),
        ("transaction.state.log.replication.factor", rf.to_string()),
        ("transaction.state.log.min.isr", min_isr.to_string()),
        ("transaction.state.log.num.partitions", "10".to_string()),
        (
            "share.coordinator.state.topic.replication.factor",
            rf.to_string(),
        ),
        ("share.coordinator.state.topic.min.isr", min_isr.to_string()),
        ("group.initial.rebalance.delay.ms", "0".to_string()),
        ("num.network.threads", "2".to_string()),
        ("num.io.threads", "2".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(rack) = node.rack {
        props.push(("broker.rack".to_string(), rack.to_string()));
    }
    for (k, v) in extra {
        props.retain(|(key, _)| key != k);
        props.push((k.clone(), v.clone()));
    }
    let mut out = String::new();
    for (k, v) in props {
        let _ = writeln!(out, "{k}={v}");
    }
    out
}

/// log4j2 config of a broker: INFO and up into `file`.
pub fn log4j2_file_config(file: &Path) -> String {
    format!(
        "status = warn\n\
         appender.file.type = File\n\
         appender.file.name = FILE\n\
         appender.file.fileName = {}\n\
         appender.file.layout.type = PatternLayout\n\
         appender.file.layout.pattern = [%d] %p %m (%c)%n\n\
         rootLogger.level = INFO\n\
         rootLogger.appenderRef.file.ref = FILE\n",
        file.display()
    )
}

/// log4j2 config of the tools: WARN and up to stderr.
pub const TOOLS_LOG4J2: &str = "status = warn\n\
appender.err.type = Console\n\
appender.err.name = STDERR\n\
appender.err.target = SYSTEM_ERR\n\
appender.err.layout.type = PatternLayout\n\
appender.err.layout.pattern = [%d] %p %m (%c)%n\n\
rootLogger.level = WARN\n\
rootLogger.appenderRef.err.ref = STDERR\n";

/// The last `lines` lines of stdout.log and server.log in a node's `dir`, then its last
/// ERROR/FATAL lines (stack traces push the cause out of the tail).
pub fn node_log_tail(dir: &Path, node_id: i32, lines: usize) -> String {
    service_log_tail(dir, &format!("node {node_id}"), "server.log", lines)
}

/// The last `lines` lines of `dir/stdout.log` and of the log4j2 file `dir/log_file` of a
/// JVM named `label`, then the last ERROR/FATAL lines of `log_file` (stack traces push
/// the cause out of the tail).
pub fn service_log_tail(dir: &Path, label: &str, log_file: &str, lines: usize) -> String {
    let mut out = String::new();
    for file in ["stdout.log", log_file] {
        let path = dir.join(file);
        let text = fs::read_to_string(&path).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        let from = all.len().saturating_sub(lines);
        let _ = writeln!(out, "----- {label} {} (last {lines} lines)", path.display());
        for line in &all[from..] {
            let _ = writeln!(out, "{line}");
        }
    }
    let log = fs::read_to_string(dir.join(log_file)).unwrap_or_default();
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
    let _ = writeln!(out, "----- {label} last ERROR/FATAL lines of {log_file}");
    for line in &errors[errors.len().saturating_sub(10)..] {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// Waits (up to 5 s) until `/proc/PID/stat` says the process is stopped (`T`) or not.
/// Without `/proc` (not Linux) it returns at once.
pub fn wait_for_state(pid: u32, stopped: bool) -> anyhow::Result<()> {
    let state = || -> Option<char> {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.rsplit(')').next()?.trim_start().chars().next()
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match state() {
            None => return Ok(()),
            Some(s) if (s == 'T') == stopped => return Ok(()),
            Some(s) if Instant::now() > deadline => {
                bail!("process {pid} is still in state {s} 5 s after the signal")
            }
            Some(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// `sh` loop that SIGKILLs `jvm_pid` (and removes `cleanup_dir`, if any) once this
/// process is gone, even when it was SIGKILLed.
fn spawn_watchdog(jvm_pid: u32, cleanup_dir: Option<&Path>) -> anyhow::Result<Child> {
    const SCRIPT: &str = r#"
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
if ! kill -0 "$1" 2>/dev/null; then
  kill -9 "$2" 2>/dev/null
  if [ -n "$3" ]; then sleep 1; rm -rf -- "$3"; fi
fi
"#;
    Command::new("sh")
        .arg("-c")
        .arg(SCRIPT)
        .arg("kafka-failover-watchdog")
        .arg(std::process::id().to_string())
        .arg(jvm_pid.to_string())
        .arg(
            cleanup_dir
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("spawning the watchdog sh")
}

/// A running JVM and its watchdog. Dropping it SIGKILLs both.
pub struct JvmProcess {
    jvm: Child,
    watchdog: Child,
}

impl JvmProcess {
    /// Spawns `cmd` and its watchdog (which removes `cleanup_dir` after this process
    /// died, if given). If the watchdog cannot start, the JVM is killed again.
    pub fn spawn(mut cmd: Command, cleanup_dir: Option<&Path>) -> anyhow::Result<JvmProcess> {
        let program = cmd.get_program().to_string_lossy().into_owned();
        let mut jvm = cmd.spawn().with_context(|| format!("starting {program}"))?;
        match spawn_watchdog(jvm.id(), cleanup_dir) {
            Ok(watchdog) => Ok(JvmProcess { jvm, watchdog }),
            Err(e) => {
                let _ = jvm.kill();
                let _ = jvm.wait();
                Err(e)
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.jvm.id()
    }

    /// The exit status if the JVM has ended (a frozen JVM has not).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.jvm.try_wait().ok().flatten()
    }

    /// SIGKILL (a crash) and reap.
    pub fn kill(mut self) {
        self.kill_in_place();
    }

    /// SIGTERM (after SIGCONT, in case it is frozen), then SIGKILL after `grace`.
    /// Returns whether it ended within `grace`.
    pub fn terminate(mut self, grace: Duration) -> bool {
        self.stop_watchdog();
        let pid = self.jvm.id();
        let _ = signal(pid, "TERM");
        let _ = signal(pid, "CONT");
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.jvm.try_wait() {
                return true;
            }
            thread::sleep(Duration::from_millis(100));
        }
        self.kill_in_place();
        false
    }

    fn stop_watchdog(&mut self) {
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
    }

    fn kill_in_place(&mut self) {
        self.stop_watchdog();
        let _ = self.jvm.kill();
        let _ = self.jvm.wait();
    }
}

impl Drop for JvmProcess {
    fn drop(&mut self) {
        if self.exited().is_none() {
            self.kill_in_place();
        } else {
            self.stop_watchdog();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_ids_look_like_random_uuid() {
        let id = random_cluster_id().unwrap();
        assert_eq!(id.len(), 22);
        assert!(!id.starts_with('-'));
        assert_ne!(id, random_cluster_id().unwrap());
    }

    #[test]
    fn properties_follow_the_recipe_and_extras_override() {
        let data = PathBuf::from("/tmp/x/data");
        let node = NodeConfig {
            id: 2,
            rack: Some("zone-b"),
            broker_port: 1000,
            controller_port: 1001,
            data_dir: &data,
            voters: "1@127.0.0.1:2001,2@127.0.0.1:1001",
            cluster_size: 2,
        };
        let extra = [("num.io.threads".to_string(), "4".to_string())];
        let p = server_properties(&node, &extra);
        assert!(p.contains("node.id=2\n"));
        assert!(p.contains("broker.rack=zone-b\n"));
        assert!(p.contains("offsets.topic.replication.factor=2\n"));
        assert!(p.contains("num.io.threads=4\n") && !p.contains("num.io.threads=2"));
        assert!(p.contains("listeners=PLAINTEXT://127.0.0.1:1000,CONTROLLER://127.0.0.1:1001\n"));
    }

    #[test]
    fn libs_dir_needs_the_kafka_jar() {
        let dir = std::env::temp_dir();
        assert!(kafka_libs_in(&dir.join("no-such-kafka-libs")).is_err());
    }
}
