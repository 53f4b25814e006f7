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

/// Path of a file under the crate root.
pub fn root(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
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

/// `lab up` in the background, until the pointed topology file appears.
pub fn start_lab(topology: &str, out: &Path) -> Child {
    let bin = assert_cmd::cargo::cargo_bin("kafka-failover");
    let mut child = StdCommand::new(bin)
        .args([
            "lab",
            "up",
            topology,
            "--for",
            "120s",
            "--records",
            "20",
            "--write-topology",
        ])
        .arg(out)
        .current_dir(root(""))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while !out.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("lab up exited early: {status}");
        }
        assert!(
            Instant::now() < until,
            "the lab did not write {}",
            out.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

/// Ctrl-C (SIGINT) ends the lab cleanly and quickly.
pub fn interrupt(mut child: Child) {
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
