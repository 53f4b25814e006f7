//! Helpers shared by the CLI test binaries.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// The built `kafka-failover` binary, with color and terminal detection out of the way.
pub fn kf() -> Command {
    let mut c = Command::cargo_bin("kafka-failover").expect("binary is built");
    c.env("NO_COLOR", "1").env_remove("RUST_LOG");
    c
}

/// A command's stdout as JSON; on failure, the panic shows stdout and stderr.
pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Path of a file under the crate root.
pub fn root(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Records a figure of the reliability suite (`issue 9`): a count, not "it works". Printed
/// on stderr (seen with `--nocapture`) and appended to `target/test-figures.txt`, which
/// `scripts/test` empties before the run and prints at its end.
pub fn figure(item: &str, text: &str) {
    use std::io::Write;
    let line = format!("figure [{item}] {text}");
    eprintln!("{line}");
    let path = root("target/test-figures.txt");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{line}");
    }
}

pub mod failover_lab;
pub mod mock_orders;

/// An example topology from `topologies/NAME.yaml`, loaded.
pub fn example_topology(name: &str) -> kafka_failover::topology::Topology {
    let path = root(&format!("topologies/{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    kafka_failover::topology::load_str(&path.display().to_string(), &text)
        .unwrap()
        .topology
}

/// Waits for a child whose stdout and stderr are piped, reading both as it runs (a
/// child blocked on a full pipe is not a hang of the tool), and fails, killing it, if it
/// outlives `limit`: a hang. Returns its output and how long it ran.
pub fn wait_bounded(
    mut child: Child,
    limit: Duration,
    what: &str,
) -> (std::process::Output, Duration) {
    use std::io::Read;
    let started = Instant::now();
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            let err = err.join().unwrap_or_default();
            panic!(
                "{what} hung past {limit:?}: {}",
                String::from_utf8_lossy(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = std::process::Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    };
    (output, started.elapsed())
}

/// Sorted file names in a directory under the crate root.
pub fn files_in(rel: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root(rel))
        .expect("directory exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A `lab up` process. Dropped without `interrupt` (a failed assertion), it is killed, so a
/// failing test never leaves a lab running; its JVMs, if any, die with it (watchdogs).
pub struct LabProcess(Option<Child>);

impl LabProcess {
    pub fn id(&self) -> u32 {
        self.0.as_ref().expect("running").id()
    }
}

impl Drop for LabProcess {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// `lab up TOPOLOGY ARGS… --write-topology OUT` in the background, until OUT appears.
pub fn spawn_lab(topology: &str, args: &[&str], out: &Path, timeout: Duration) -> LabProcess {
    let bin = assert_cmd::cargo::cargo_bin("kafka-failover");
    let child = StdCommand::new(bin)
        .args(["lab", "up", topology])
        .args(args)
        .arg("--write-topology")
        .arg(out)
        .current_dir(root(""))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lab = LabProcess(Some(child));
    let until = Instant::now() + timeout;
    while !out.exists() {
        if let Ok(Some(status)) = lab.0.as_mut().unwrap().try_wait() {
            panic!("lab up exited early: {status}");
        }
        assert!(
            Instant::now() < until,
            "the lab did not write {}",
            out.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    lab
}

/// A mock lab for a topology, seeded with 20 records per partition.
pub fn start_lab(topology: &str, out: &Path) -> LabProcess {
    spawn_lab(
        topology,
        &["--for", "120s", "--records", "20"],
        out,
        Duration::from_secs(60),
    )
}

/// Ctrl-C (SIGINT) ends the lab cleanly and quickly.
pub fn interrupt(mut lab: LabProcess) {
    let mut child = lab.0.take().expect("running");
    let started = Instant::now();
    StdCommand::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "lab up after Ctrl-C");
    assert!(started.elapsed() < Duration::from_secs(10));
}
