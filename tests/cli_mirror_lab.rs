//! `mirror` through the CLI against the embedded mock lab (its in-process mirror and
//! Connect REST subset): status, pause/resume, reverse with a reversed topology written,
//! rollback, and the error paths (unknown mirror, unreachable Connect, no terminal).

mod common;

use common::{interrupt, kf, start_lab, stdout_json as json};

fn run(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    kf().arg("mirror")
        .args(args)
        .arg("--journal-dir")
        .arg(dir)
        .output()
        .unwrap()
}

#[test]
fn status_pause_resume_reverse_and_rollback_on_the_lab() {
    let dir = tempfile::tempdir().unwrap();
    let topo = dir.path().join("lab.yaml");
    let lab = start_lab("topologies/active-passive.yaml", &topo);
    let t = topo.to_str().unwrap();

    // Healthy once the lab's mirror has caught up.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let v = loop {
        let out = kf()
            .args(["mirror", "status", t, "-o", "json"])
            .output()
            .unwrap();
        let v = json(&out);
        if out.status.success() {
            break v;
        }
        assert!(std::time::Instant::now() < deadline, "never healthy: {v:#}");
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    assert_eq!(v[0]["mirror"], "east-to-west");
    assert_eq!(v[0]["runtime"]["connectors"].as_array().unwrap().len(), 3);
    assert!(v[0]["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["target_topic"] == "east.payments"));

    // No terminal, no --yes: refused, nothing changed.
    let out = kf()
        .args([
            "mirror",
            "pause",
            t,
            "--mirror",
            "east-to-west",
            "--execute",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let out = run(
        &["pause", t, "--mirror", "east-to-west", "--execute", "--yes"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kf()
        .args(["mirror", "status", t, "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)[0]["runtime"]["connectors"][0]["state"], "PAUSED");
    let out = run(
        &[
            "resume",
            t,
            "--mirror",
            "east-to-west",
            "--execute",
            "--yes",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Reverse, with the reversed topology written and valid.
    let reversed = dir.path().join("reversed.yaml");
    let out = run(
        &[
            "reverse",
            t,
            "--mirror",
            "east-to-west",
            "--execute",
            "--yes",
            "--write-topology",
            reversed.to_str().unwrap(),
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    let out = kf()
        .args(["topology", "validate"])
        .arg(&reversed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kf()
        .args(["mirror", "status"])
        .arg(&reversed)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v[0]["mirror"], "east-to-west-reversed");
    assert_eq!(v[0]["source"], "west");
    assert_eq!(v[0]["running"], true, "{v:#}");
    let journal = err
        .lines()
        .find_map(|l| l.strip_prefix("journal: "))
        .unwrap()
        .to_string();

    // Rollback: the old direction runs again, the reverse connectors are gone.
    let out = kf()
        .args(["mirror", "rollback", &journal, "--execute", "--yes"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kf()
        .args(["mirror", "status", t, "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&out)[0]["running"], true);
    let out = kf()
        .args(["mirror", "status"])
        .arg(&reversed)
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    interrupt(lab);
}

#[test]
fn unknown_mirror_and_unreachable_connect() {
    let dir = tempfile::tempdir().unwrap();
    let out = kf()
        .args([
            "mirror",
            "pause",
            "topologies/active-passive.yaml",
            "--mirror",
            "east-to-wset",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `east-to-west`"));
    // A topology whose Connect URL and clusters answer nothing: status says why, exit 1,
    // within the timeout.
    let yaml = "version: 1\nname: down\npattern: active-passive\n\
        datacenters: {dc-a: {}, dc-b: {}}\n\
        clusters:\n  east: {datacenter: dc-a, role: primary, bootstrap: \"127.0.0.1:9\"}\n\
        \x20 west: {datacenter: dc-b, role: standby, bootstrap: \"127.0.0.1:9\"}\n\
        mirrors:\n  e2w:\n    source: east\n    target: west\n    runs-in: dc-b\n\
        \x20   driver:\n      connect:\n        url: http://127.0.0.1:9\n\
        \x20       auth: {username: u, password: {env: CONNECT_PASSWORD}}\n";
    let topo = dir.path().join("down.yaml");
    std::fs::write(&topo, yaml).unwrap();
    let started = std::time::Instant::now();
    let out = kf()
        .env("CONNECT_PASSWORD", "canary-5531")
        .args(["mirror", "status"])
        .arg(&topo)
        .args([
            "--timeout",
            "2s",
            "-o",
            "json",
            "-X",
            "security.protocol=plaintext",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!text.contains("canary-5531"));
    let v = json(&out);
    assert_eq!(v[0]["healthy"], false);
    assert!(
        v[0]["reasons"].to_string().contains("cannot reach"),
        "{v:#}"
    );
}
