//! Node-level pieces of the real-Kafka fixture: JVM options, the
//! combined-mode KRaft `server.properties` recipe, log4j2 configs, the
//! watchdog that reaps JVMs of a dead test process, signals.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// The Kafka release `scripts/fetch-kafka` pins.
pub const KAFKA_VERSION: &str = "4.1.1";

/// Where the Kafka jars are.
pub struct KafkaLibs;

impl KafkaLibs {
    /// `$KAFKA_LIBS`, else `${KAFKA_FAILOVER_CACHE:-$HOME/.cache/kafka-failover}/kafka-<v>/libs`
    /// (only when `scripts/fetch-kafka` completed it). Panics when missing.
    pub fn locate() -> PathBuf {
        static LIBS: OnceLock<PathBuf> = OnceLock::new();
        LIBS.get_or_init(|| {
            if let Some(dir) = std::env::var_os("KAFKA_LIBS").filter(|d| !d.is_empty()) {
                let dir = PathBuf::from(dir);
                assert!(
                    has_jar(&dir, "kafka_2.13-"),
                    "KAFKA_LIBS={} holds no kafka_2.13-*.jar; run scripts/fetch-kafka",
                    dir.display()
                );
                return dir;
            }
            let root = std::env::var_os("KAFKA_FAILOVER_CACHE")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/kafka-failover"))
                })
                .expect("neither KAFKA_FAILOVER_CACHE nor HOME is set");
            let versioned = root.join(format!("kafka-{KAFKA_VERSION}"));
            let libs = versioned.join("libs");
            assert!(
                versioned.join("libs.complete").is_file() && has_jar(&libs, "kafka_2.13-"),
                "Kafka {KAFKA_VERSION} jars not found in {}: run `scripts/fetch-kafka` \
                 (or set KAFKA_LIBS to a folder of Kafka jars). Real-broker tests fail \
                 rather than skip without them.",
                libs.display()
            );
            libs
        })
        .clone()
    }
}

fn has_jar(dir: &Path, prefix: &str) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
    })
}

pub const BROKER_JVM_OPTS: &[&str] = &[
    "-Xmx384m",
    "-Xms128m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    // C1 only: ~35% faster start of a 3-node cluster on 2 cores; test
    // traffic is tiny, peak throughput does not matter.
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
];
pub const TOOL_JVM_OPTS: &[&str] = &[
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
];

/// `$JAVA_HOME/bin/java` when it exists, else `java` from PATH.
pub fn java_binary() -> PathBuf {
    match std::env::var_os("JAVA_HOME").map(|h| Path::new(&h).join("bin/java")) {
        Some(java) if java.is_file() => java,
        _ => PathBuf::from("java"),
    }
}

/// `sh` loop that SIGKILLs `jvm_pid` (and removes `cleanup_dir`) once this
/// test process is gone. Killed by the fixture when it stops the JVM itself.
pub fn spawn_watchdog(jvm_pid: u32, cleanup_dir: String) -> Child {
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
        .arg(cleanup_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn watchdog sh")
}

pub fn signal(pid: u32, sig: &str) {
    let status = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    if !status.success() {
        eprintln!("kafka fixture: kill -{sig} {pid} failed ({status})");
    }
}

/// A Kafka cluster id: 16 random bytes, base64url without padding (what
/// `StorageTool random-uuid` prints), never starting with '-'.
pub fn random_cluster_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    loop {
        let mut bytes = [0u8; 16];
        let mut f = fs::File::open("/dev/urandom").expect("open /dev/urandom");
        std::io::Read::read_exact(&mut f, &mut bytes).expect("read /dev/urandom");
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
        let id = String::from_utf8(chars).expect("ascii");
        if !id.starts_with('-') && bytes != [0u8; 16] {
            return id;
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

/// The verified combined-mode KRaft recipe (static quorum); `extra`
/// overrides or adds properties.
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

pub const TOOLS_LOG4J2: &str = "status = warn\n\
appender.err.type = Console\n\
appender.err.name = STDERR\n\
appender.err.target = SYSTEM_ERR\n\
appender.err.layout.type = PatternLayout\n\
appender.err.layout.pattern = [%d] %p %m (%c)%n\n\
rootLogger.level = WARN\n\
rootLogger.appenderRef.err.ref = STDERR\n";
