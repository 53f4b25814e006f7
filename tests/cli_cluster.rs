//! `lab up` and `cluster status` as processes: a lab in one, the status of its clusters
//! in another; unreachable clusters; secrets never printed.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{interrupt, kf, start_lab, stdout_json};
use predicates::prelude::PredicateBooleanExt;

fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn status_of_a_healthy_stretched_lab() {
    let dir = tempfile::tempdir().unwrap();
    let topo = dir.path().join("lab.yaml");
    let lab = start_lab("topologies/stretched.yaml", &topo);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&topo).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let out = kf()
        .args(["-o", "json", "cluster", "status"])
        .arg(&topo)
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    let c = &v[0];
    assert_eq!(c["cluster"], "orders");
    assert_eq!(c["reachable"], true);
    assert_eq!(c["healthy"], true);
    for dc in ["zone-a", "zone-b", "zone-c"] {
        assert_eq!(c["brokers_per_dc"][dc].as_array().unwrap().len(), 1, "{dc}");
    }
    // The two topics the groups read, and the runbooks' lock topic (one partition).
    assert_eq!(c["topics"], 3);
    assert_eq!(c["partitions"], 13);
    // The mock cannot list groups: said plainly, not a failure.
    assert!(c["groups_note"]
        .as_str()
        .unwrap()
        .contains("not supported by this cluster"));
    let table = kf()
        .args(["cluster", "status"])
        .arg(&topo)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("| orders  | healthy | zone-a: 1, zone-b: 1, zone-c: 1 |"),
        "{text}"
    );
    interrupt(lab);
}

#[test]
fn active_passive_lab_has_both_clusters_and_seeded_groups() {
    let dir = tempfile::tempdir().unwrap();
    let topo = dir.path().join("lab.yaml");
    let lab = start_lab("topologies/active-passive.yaml", &topo);
    kf().args(["topology", "validate"])
        .arg(&topo)
        .assert()
        .success();
    let out = kf()
        .args(["-o", "yaml", "cluster", "status", "--cluster", "west"])
        .arg(&topo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_yaml::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["cluster"], "west");
    assert_eq!(v.as_sequence().unwrap().len(), 1);
    kf().args(["cluster", "status", "--cluster", "wset"])
        .arg(&topo)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--cluster wset: no such cluster in the topology (did you mean `west`?)",
        ));
    interrupt(lab);
}

fn write_topology(dir: &Path, bootstrap: &str, extra: &str) -> std::path::PathBuf {
    let p = dir.join("t.yaml");
    std::fs::write(
        &p,
        format!(
            "version: 1\nname: t\npattern: stretched\ndatacenters:\n  a: {{racks: [a]}}\n  b: {{racks: [b]}}\n  c: {{racks: [c]}}\n\
             clusters:\n  east:\n    datacenters: [a, b, c]\n    bootstrap: \"{bootstrap}\"\n{extra}\
             placement: {{replication-factor: 3, min-insync-replicas: 2}}\n"
        ),
    )
    .unwrap();
    p
}

#[test]
fn an_unreachable_cluster_is_reported_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let topo = write_topology(dir.path(), &format!("127.0.0.1:{}", closed_port()), "");
    let started = Instant::now();
    let out = kf()
        .args(["-o", "json", "cluster", "status", "--timeout", "2s"])
        .arg(&topo)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v[0]["reachable"], false);
    assert!(
        v[0]["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("unreachable: "),
        "{v:#}"
    );
}

#[test]
fn an_unknown_client_property_is_named_with_its_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let topo = write_topology(dir.path(), "127.0.0.1:9", "");
    let out = kf()
        .args(["cluster", "status", "-X", "no.such.property=1"])
        .arg(&topo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("east: unreachable: cannot configure the client"),
        "{text}"
    );
    assert!(text.contains("no.such.property"), "{text}");
    kf().args(["cluster", "status", "-X", "novalue"])
        .arg(&topo)
        .assert()
        .code(2);
}

#[test]
fn canary_secrets_never_appear_in_any_output() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("keypass");
    std::fs::write(&secret_file, "canary-from-file-7f3a\n").unwrap();
    std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let extra = format!(
        "    properties: {{security.protocol: SASL_PLAINTEXT, sasl.mechanism: PLAIN, sasl.username: ops}}\n\
         \x20   secrets:\n      sasl.password: {{env: KF_CANARY_PW}}\n      ssl.key.password: {{file: {}}}\n",
        secret_file.display()
    );
    let topo = write_topology(dir.path(), &format!("127.0.0.1:{}", closed_port()), &extra);
    for format in ["table", "json", "yaml"] {
        let out = kf()
            .env("KF_CANARY_PW", "canary-from-env-91c2")
            .args(["-vvv", "-o", format, "cluster", "status", "--timeout", "2s"])
            .args(["-X", "sasl.oauthbearer.client.secret=canary-from-flag-55d0"])
            .arg(&topo)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains("canary-"),
            "{format}: a secret leaked:\n{all}"
        );
        assert_eq!(out.status.code(), Some(1));
        // The secrets were resolved and handed to librdkafka: the failure is the network.
        assert!(
            all.contains("unreachable: ") && !all.contains("secret `"),
            "{all}"
        );
    }
    kf().args(["topology", "show", "-o", "json"])
        .arg(&topo)
        .assert()
        .success()
        .stdout(predicates::str::contains("canary").not());
    // A secret file others can read is refused, naming the fix, never the content.
    std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = kf()
        .env("KF_CANARY_PW", "canary-from-env-91c2")
        .args(["cluster", "status", "--timeout", "2s"])
        .arg(&topo)
        .output()
        .unwrap();
    // Validation refuses it before any client is built: bad input, exit 2, the finding
    // on stderr.
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("is readable by group or others (mode 644); run `chmod 600"),
        "{text}"
    );
    assert!(!text.contains("canary-"));
    assert!(text.contains("error[secret-file]"), "{text}");
    assert_eq!(out.status.code(), Some(2));
    std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    // A missing variable names the variable.
    let out = kf()
        .args(["cluster", "status"])
        .arg(&topo)
        .env_remove("KF_CANARY_PW")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("comes from $KF_CANARY_PW, which is not set")
    );
}
