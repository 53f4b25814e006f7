//! Every file under tests/malformed/ is rejected with exit 2 and exactly the finding
//! recorded in tests/malformed-expected/<file>.txt: position, rule and wording are an
//! interface that CI jobs and people rely on.

mod common;

use common::{files_in, kf, root};

#[test]
fn corpus_is_large_enough() {
    assert!(files_in("tests/malformed").len() >= 150);
}

#[test]
fn each_malformed_file_gets_its_exact_finding() {
    let mut failures = Vec::new();
    for name in files_in("tests/malformed") {
        let rel = format!("tests/malformed/{name}");
        let expected =
            std::fs::read_to_string(root(&format!("tests/malformed-expected/{name}.txt")))
                .unwrap_or_else(|_| panic!("no expected finding recorded for {rel}"));
        let out = kf()
            .current_dir(root(""))
            .args(["topology", "validate", &rel])
            .output()
            .unwrap();
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
