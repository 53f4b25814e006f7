//! Helpers shared by the CLI test binaries.
#![allow(dead_code)]

use std::path::PathBuf;

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
