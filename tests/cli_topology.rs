//! `topology validate|lint|schema|show` and the CLI conventions around them.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::{files_in, kf, root};
use predicates::prelude::*;

const EXAMPLES: [&str; 3] = [
    "topologies/stretched.yaml",
    "topologies/active-passive.yaml",
    "topologies/active-active.yaml",
];

#[test]
fn shipped_examples_are_valid_and_lint_clean() {
    kf().current_dir(root(""))
        .args(["topology", "validate"])
        .args(EXAMPLES)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "topologies/active-passive.yaml: ok (active-passive, 2 datacenters, 2 clusters, 1 mirror, 4 consumer groups)",
        ));
    kf().current_dir(root(""))
        .args(["topology", "lint", "--deny", "warnings"])
        .args(EXAMPLES)
        .assert()
        .success();
}

#[test]
fn validate_json_is_an_empty_list_when_valid() {
    let out = kf()
        .current_dir(root(""))
        .args(["-o", "json", "topology", "validate"])
        .args(EXAMPLES)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn validate_reads_stdin() {
    let text = std::fs::read_to_string(root("topologies/stretched.yaml")).unwrap();
    kf().args(["topology", "validate", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(
            "<stdin>: ok (stretched, 3 datacenters, 1 cluster, 0 mirrors, 2 consumer groups)\n",
        );
    kf().args(["topology", "validate", "-"])
        .write_stdin("version: 1\nname: x\n")
        .assert()
        .code(2)
        .stdout("<stdin>:1:1: error[missing-field]: missing field `pattern`\n");
}

#[test]
fn mixed_files_report_every_bad_one_and_exit_2() {
    kf().current_dir(root(""))
        .args([
            "topology",
            "validate",
            "topologies/stretched.yaml",
            "tests/malformed/pattern-typo.yaml",
            "tests/malformed/inline-secret.yaml",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "pattern-typo.yaml:3:10: error[unknown-value]",
        ))
        .stdout(predicate::str::contains(
            "inline-secret.yaml:13:22: error[inline-secret]",
        ))
        .stdout(predicate::str::contains("stretched.yaml: ok"))
        .stderr("3 files checked: 2 errors, 0 warnings\n");
}

#[test]
fn lint_names_each_rule_exactly() {
    for name in files_in("tests/lint") {
        let Some(stem) = name.strip_suffix(".yaml") else {
            continue;
        };
        let rel = format!("tests/lint/{name}");
        let expected =
            std::fs::read_to_string(root(&format!("tests/lint/{stem}.expected"))).unwrap();
        kf().current_dir(root(""))
            .args(["topology", "lint", &rel])
            .assert()
            .success()
            .stdout(expected);
        kf().current_dir(root(""))
            .args(["-q", "topology", "lint", "--deny", "warnings", &rel])
            .assert()
            .code(1);
    }
}

#[test]
fn lint_covers_every_documented_rule() {
    let mut seen = std::collections::BTreeSet::new();
    for name in files_in("tests/lint") {
        if name.ends_with(".yaml") {
            let out = kf()
                .current_dir(root(""))
                .args([
                    "-o",
                    "json",
                    "topology",
                    "lint",
                    &format!("tests/lint/{name}"),
                ])
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            for f in v.as_array().unwrap() {
                seen.insert(f["rule"].as_str().unwrap().to_string());
            }
        }
    }
    let out = kf()
        .args(["-o", "json", "topology", "lint", "--list-rules"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for r in rules.as_array().unwrap() {
        let id = r["rule"].as_str().unwrap();
        assert!(seen.contains(id), "no test triggers lint rule {id}");
        assert!(r["explanation"].as_str().unwrap().len() > 20);
    }
}

#[test]
fn lint_on_an_invalid_file_exits_2() {
    kf().current_dir(root(""))
        .args([
            "topology",
            "lint",
            "tests/malformed/unknown-datacenter.yaml",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("error[unknown-datacenter]"));
}

#[test]
fn schema_is_json_schema_of_the_format() {
    let out = kf().args(["topology", "schema"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Topology");
    let props = v["properties"].as_object().unwrap();
    for key in [
        "version",
        "name",
        "pattern",
        "datacenters",
        "clusters",
        "mirrors",
        "consumer-groups",
        "placement",
        "hooks",
    ] {
        assert!(props.contains_key(key), "schema lacks {key}");
    }
    // Hook events are a closed set: a typo in an event name is refused, not ignored.
    let schema = String::from_utf8_lossy(&out.stdout);
    for event in [
        "before-failover",
        "stop-producers",
        "start-consumers",
        "after-failback",
    ] {
        assert!(
            schema.contains(&format!("\"{event}\"")),
            "schema lacks {event}"
        );
    }
    assert_eq!(v["additionalProperties"], false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"env\"") && text.contains("\"file\""));
}

#[test]
fn show_summarises_without_secret_locations() {
    kf().current_dir(root(""))
        .args(["topology", "show", "topologies/active-passive.yaml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("payments (active-passive)"))
        .stdout(predicate::str::contains("east -> west"))
        .stdout(predicate::str::contains("payments-ledger"))
        .stdout(predicate::str::contains("translated (margin 5m)"))
        .stdout(predicate::str::contains("client.key.pass").not());
    let out = kf()
        .current_dir(root(""))
        .args([
            "-o",
            "yaml",
            "topology",
            "show",
            "topologies/stretched.yaml",
        ])
        .output()
        .unwrap();
    let v: serde_yaml::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pattern"], "stretched");
    assert_eq!(
        v["clusters"]["orders"]["secrets"]["sasl.password"]["env"],
        "ORDERS_KAFKA_PASSWORD"
    );
}

#[test]
fn show_of_an_invalid_file_prints_findings_on_stderr() {
    kf().current_dir(root(""))
        .args([
            "topology",
            "show",
            "tests/malformed/mirror-onto-itself.yaml",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "mirror-onto-itself.yaml:19:13: error[mirror-self]",
        ))
        .stderr(predicate::str::contains(
            "error: tests/malformed/mirror-onto-itself.yaml is not a valid topology (2 errors)",
        ));
}

#[test]
fn runbook_commands_refuse_missing_or_bad_arguments_before_touching_anything() {
    // Without --lost / --returning: clap's usage error.
    kf().current_dir(root(""))
        .args(["failover", "topologies/active-passive.yaml", "--execute"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--lost"));
    kf().current_dir(root(""))
        .args(["failback", "topologies/active-passive.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--returning"));
    // An invalid topology: its findings, exit 2.
    kf().current_dir(root(""))
        .args([
            "failover",
            "tests/malformed/mirror-onto-itself.yaml",
            "--lost",
            "dc-a",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mirror-onto-itself.yaml:19:13"));
    // Plan only, offline: the example's clusters are never contacted to plan.
    kf().current_dir(root(""))
        .args(["failover", "topologies/stretched.yaml", "--lost", "zone-b"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("placement-what-if"))
        .stderr(predicate::str::contains("plan only"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    kf().args(["topology", "validate"]).assert().code(2);
    kf().args(["--output", "xml", "topology", "schema"])
        .assert()
        .code(2);
    kf().args(["no-such-command"]).assert().code(2);
    kf().arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Exit codes: 0 ok, 1 problems found",
        ));
    kf().arg("--version").assert().success();
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `kafka-failover topology schema | head -c 1`: the reader goes away early.
    let bin = assert_cmd::cargo::cargo_bin("kafka-failover");
    let mut child = std::process::Command::new(bin)
        .args(["topology", "lint", "--list-rules"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    stdout.read_exact(&mut one).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
