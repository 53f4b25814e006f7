//! Every file under tests/malformed/ is rejected with exit 2 and exactly the finding
//! recorded in tests/malformed-expected/<file>.txt: position, rule and wording are an
//! interface that CI jobs and people rely on.

mod common;

use std::time::{Duration, Instant};

use common::{figure, files_in, kf, root};

#[test]
fn corpus_is_large_enough() {
    assert!(files_in("tests/malformed").len() >= 150);
}

#[test]
fn each_malformed_file_gets_its_exact_finding() {
    let mut failures = Vec::new();
    let mut times = Vec::new();
    for name in files_in("tests/malformed") {
        let rel = format!("tests/malformed/{name}");
        let expected =
            std::fs::read_to_string(root(&format!("tests/malformed-expected/{name}.txt")))
                .unwrap_or_else(|_| panic!("no expected finding recorded for {rel}"));
        let started = Instant::now();
        let out = kf()
            .current_dir(root(""))
            .args(["topology", "validate", &rel])
            .output()
            .unwrap();
        let took = started.elapsed();
        // A hang guard, not a performance assertion: the figure below is the measure.
        assert!(took < Duration::from_secs(5), "{rel} took {took:?}");
        times.push((took, name.clone()));
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.code() != Some(2) || stdout != expected {
            failures.push(format!(
                "{rel}: exit {:?}\n--- expected\n{expected}--- got\n{stdout}",
                out.status.code()
            ));
        }
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{rel} made the tool panic"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (slowest, which) = times.last().unwrap();
    figure(
        "hostile topologies",
        &format!(
            "{} malformed files rejected by `topology validate` with exit 2 and their exact file:line:col finding; wall time per run (process start included, this build): median {:.0} ms, slowest {:.0} ms ({which})",
            times.len(),
            ms(times[times.len() / 2].0),
            ms(*slowest),
        ),
    );
}

/// Every malformed file, given to commands that would talk to Kafka (with every
/// cluster's bootstrap overridden to point at a decoy listener), is refused with exit 2
/// before any connection is made.
#[test]
fn nothing_reaches_a_broker() {
    let decoy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    decoy.set_nonblocking(true).unwrap();
    let bootstrap = format!("bootstrap.servers={}", decoy.local_addr().unwrap());
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().to_str().unwrap();
    let (mut runs, mut failures) = (0, Vec::new());
    for (i, name) in files_in("tests/malformed").iter().enumerate() {
        let rel = format!("tests/malformed/{name}");
        let failover = vec![
            "failover",
            &rel,
            "--lost",
            "dc-a",
            "--execute",
            "--yes",
            "--state-dir",
            state_dir,
        ];
        let other: Vec<&str> = match i % 3 {
            0 => vec!["cluster", "status", &rel],
            1 => vec![
                "offsets",
                "reset",
                &rel,
                "--cluster",
                "east",
                "--all-groups",
                "--to-earliest",
                "--execute",
                "--yes",
            ],
            _ => vec!["ready", &rel],
        };
        for args in [failover, other] {
            let out = kf()
                .current_dir(root(""))
                .args(&args)
                .args(["-X", &bootstrap, "--timeout", "2s"])
                .output()
                .unwrap();
            runs += 1;
            if out.status.code() != Some(2) {
                failures.push(format!("{}: exit {:?}", args.join(" "), out.status.code()));
            }
        }
    }
    let mut connections = 0;
    while decoy.accept().is_ok() {
        connections += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        connections, 0,
        "a malformed topology reached the decoy broker"
    );
    figure(
        "hostile topologies",
        &format!("{runs} runs of failover --execute --yes, offsets reset --execute, cluster status and ready on the malformed files: all exit 2, {connections} connections to the decoy broker"),
    );
}

#[test]
fn json_findings_carry_file_line_column_rule() {
    for name in files_in("tests/malformed") {
        let rel = format!("tests/malformed/{name}");
        let out = kf()
            .current_dir(root(""))
            .args(["-o", "json", "topology", "validate", &rel])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{rel}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        let findings = v.as_array().unwrap();
        assert!(!findings.is_empty(), "{rel}");
        for f in findings {
            assert_eq!(f["file"], rel.as_str());
            assert!(f["line"].as_u64().unwrap() >= 1);
            assert!(f["column"].as_u64().unwrap() >= 1);
            assert_eq!(f["severity"], "error");
            assert!(!f["rule"].as_str().unwrap().is_empty());
        }
    }
}

#[test]
fn a_ten_megabyte_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let line = "# padding padding padding padding padding padding padding padding\n";
    std::fs::write(&path, line.repeat(10 * 1024 * 1024 / line.len() + 1)).unwrap();
    let out = kf()
        .args(["topology", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(":1:1: error[too-large]: the file is 10485")
            && stdout.contains("at most 1048576 bytes"),
        "{stdout}"
    );
}

#[test]
fn a_directory_and_a_missing_file_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = kf()
        .args(["topology", "validate"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[io]: this is a directory"));
    let out = kf()
        .args(["topology", "validate", "no/such/file.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("no/such/file.yaml:1:1: error[io]: cannot read the file"));
}
