//! `kafka-failover cluster status` against real Apache Kafka 4.1.1
//! (tests/support/kafka.rs): the healthy shared 3-rack cluster, an own
//! 3-node cluster that loses a broker, and a bootstrap nobody listens on.
//! Fails (never skips) when the Kafka jars are missing: run
//! scripts/fetch-kafka.

mod common;
mod support;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::Value;

use common::kf;
use support::kafka::*;

/// A stretched topology: one cluster over dc-a/dc-b/dc-c (one rack each),
/// placement RF 3 / min ISR 2.
fn topology(bootstrap: &str) -> tempfile::NamedTempFile {
    let yaml = format!(
        "version: 1
name: status-real-test
pattern: stretched
datacenters:
  dc-a:
    racks: [dc-a]
  dc-b:
    racks: [dc-b]
  dc-c:
    racks: [dc-c]
clusters:
  main:
    datacenters: [dc-a, dc-b, dc-c]
    bootstrap: {bootstrap}
placement:
  replication-factor: 3
  min-insync-replicas: 2
"
    );
    let file = tempfile::Builder::new()
        .suffix(".yaml")
        .tempfile()
        .expect("temp topology");
    std::fs::write(file.path(), yaml).expect("write topology");
    file
}

/// Runs `cluster status TOPOLOGY -o json ARGS`: exit code, the one cluster's
/// JSON status, stderr.
fn status(topology: &tempfile::NamedTempFile, args: &[&str]) -> (i32, Value, String) {
    let out = kf()
        .args(["cluster", "status", "-o", "json"])
        .arg(topology.path())
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run kafka-failover");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    let clusters = json.as_array().expect("a JSON array of clusters");
    assert_eq!(clusters.len(), 1, "{json:#}");
    let code = out.status.code().expect("exit code");
    (code, clusters[0].clone(), stderr)
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect()
}

fn problems(s: &Value) -> Vec<String> {
    s["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn healthy_shared_cluster_is_reported_healthy() {
    let cluster = shared_cluster_3_racks();
    let bootstrap = cluster.bootstrap();
    let topic = unique_name("status-ok");
    create_topic(&bootstrap, &topic, 3, 3);
    let group = unique_name("status-group");
    commit_offsets(&bootstrap, &group, &[(&topic, 0, 0)]);
    let topo = topology(&bootstrap);

    let t0 = Instant::now();
    let (code, s, stderr) = status(&topo, &[]);
    eprintln!("cluster status (healthy) took {:?}", t0.elapsed());
    assert_eq!(code, 0, "{s:#}\n{stderr}");
    assert_eq!(s["cluster"], "main");
    assert_eq!(s["bootstrap"], bootstrap.as_str());
    assert_eq!(s["reachable"], true);
    assert_eq!(s["healthy"], true, "{s:#}");
    assert!(problems(&s).is_empty(), "{s:#}");
    assert_eq!(s["cluster_id"], cluster.cluster_id());
    let controller = s["controller_id"].as_i64().expect("controller id");
    assert!((1..=3).contains(&controller), "{controller}");
    let per_dc = s["brokers_per_dc"].as_object().expect("brokers_per_dc");
    assert_eq!(per_dc.len(), 3, "{per_dc:?}");
    assert_eq!(ids(&per_dc["dc-a"]), vec![1]);
    assert_eq!(ids(&per_dc["dc-b"]), vec![2]);
    assert_eq!(ids(&per_dc["dc-c"]), vec![3]);
    let brokers = s["brokers"].as_array().unwrap();
    let racks: Vec<(i64, &str, &str)> = brokers
        .iter()
        .map(|b| {
            (
                b["id"].as_i64().unwrap(),
                b["rack"].as_str().unwrap(),
                b["datacenter"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        racks,
        vec![
            (1, "dc-a", "dc-a"),
            (2, "dc-b", "dc-b"),
            (3, "dc-c", "dc-c")
        ]
    );
    // My topic and __consumer_offsets (10 partitions) at least.
    assert!(s["topics"].as_u64().unwrap() >= 2, "{s:#}");
    assert!(s["partitions"].as_u64().unwrap() >= 13, "{s:#}");
    for key in ["under_replicated", "offline", "under_min_isr"] {
        assert_eq!(s[key].as_array().unwrap().len(), 0, "{key}: {s:#}");
    }
    let groups = s["groups_by_state"]
        .as_object()
        .unwrap_or_else(|| panic!("groups_by_state missing: {s:#}"));
    assert!(groups["empty"].as_u64().unwrap() >= 1, "{groups:?}");
    assert!(s.get("groups_note").is_none(), "{s:#}");

    // The table says the same.
    let out = kf()
        .args(["cluster", "status"])
        .arg(topo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("healthy"), "{table}");
    assert!(table.contains("dc-a: 1, dc-b: 1, dc-c: 1"), "{table}");
}

#[test]
fn losing_a_broker_makes_the_cluster_unhealthy() {
    let cluster = KafkaCluster::start(ClusterSpec::with_racks(
        "status3",
        &["dc-a", "dc-b", "dc-c"],
    ));
    let bootstrap = cluster.bootstrap();
    let spread = unique_name("spread");
    create_topic(&bootstrap, &spread, 3, 3);
    // min.insync.replicas=3: one replica lost and acks=all producers fail.
    let strict = unique_name("strict");
    create_topic_with_configs(&bootstrap, &strict, 1, 3, &[("min.insync.replicas", "3")]);
    // Only on broker 3: offline once it is gone. (Names sort: lonely-* <
    // spread-* < strict-*.)
    let lonely = unique_name("lonely");
    create_topic_with_assignment(&bootstrap, &lonely, vec![vec![3]]);
    let topo = topology(&bootstrap);
    let (code, s, stderr) = status(&topo, &[]);
    assert_eq!(
        (code, &s["healthy"]),
        (0, &Value::Bool(true)),
        "{s:#}\n{stderr}"
    );

    cluster.kill(3);
    let killed_at = Instant::now();
    // Until Kafka fences broker 3 (~9 s) and shrinks the ISRs.
    let s = loop {
        let (code, s, stderr) = status(&topo, &["--timeout", "5s"]);
        let shrunk = s["under_replicated"]
            .as_array()
            .is_some_and(|u| u.iter().filter(|p| p["topic"] == spread.as_str()).count() == 3);
        if code == 1 && shrunk && s["offline"].as_array().is_some_and(|o| !o.is_empty()) {
            break s;
        }
        assert!(
            killed_at.elapsed() < Duration::from_secs(40),
            "ISR did not shrink within 40 s (exit {code}):\n{s:#}\n{stderr}"
        );
        std::thread::sleep(Duration::from_secs(1));
    };
    eprintln!(
        "status unhealthy {:?} after killing broker 3",
        killed_at.elapsed()
    );
    assert_eq!(s["reachable"], true);
    assert_eq!(s["healthy"], false);
    let per_dc = s["brokers_per_dc"].as_object().unwrap();
    assert_eq!(ids(&per_dc["dc-a"]), vec![1]);
    assert_eq!(ids(&per_dc["dc-b"]), vec![2]);
    assert_eq!(ids(&per_dc["dc-c"]), Vec::<i64>::new());
    let brokers: Vec<i64> = s["brokers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_i64().unwrap())
        .collect();
    assert_eq!(brokers, vec![1, 2]);

    // Every under-replicated partition lost broker 3 from its ISR.
    let under = s["under_replicated"].as_array().unwrap();
    for p in under {
        assert!(ids(&p["replicas"]).contains(&3), "{p}");
        assert!(!ids(&p["isr"]).contains(&3), "{p}");
    }
    let mine: Vec<(i64, Vec<i64>, Vec<i64>)> = under
        .iter()
        .filter(|p| p["topic"] == spread.as_str())
        .map(|p| {
            let mut isr = ids(&p["isr"]);
            isr.sort();
            (p["partition"].as_i64().unwrap(), ids(&p["replicas"]), isr)
        })
        .collect();
    assert_eq!(mine.iter().map(|m| m.0).collect::<Vec<_>>(), vec![0, 1, 2]);
    assert!(mine.iter().all(|m| m.2 == vec![1, 2]), "{mine:?}");
    // min.insync.replicas comes from the topic config, not the topology.
    let under_min: Vec<(&str, i64, usize)> = s["under_min_isr"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["topic"].as_str().unwrap(),
                p["min_isr"].as_i64().unwrap(),
                p["isr"].as_array().unwrap().len(),
            )
        })
        .collect();
    // The offline partition is under its min ISR too (Kafka 4.1, with
    // eligible leader replicas, empties the ISR of a partition whose last
    // replica died).
    assert_eq!(
        under_min,
        vec![(lonely.as_str(), 1, 0), (strict.as_str(), 3, 2)]
    );
    let offline: Vec<(&str, i64, &Value)> = s["offline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["topic"].as_str().unwrap(),
                p["partition"].as_i64().unwrap(),
                &p["leader"],
            )
        })
        .collect();
    assert_eq!(offline, vec![(lonely.as_str(), 0, &Value::Null)]);

    let problems = problems(&s);
    let text = problems.join("\n");
    assert!(
        problems
            .iter()
            .any(|p| p == "no broker of this cluster answers in datacenter `dc-c`"),
        "{text}"
    );
    assert!(text.contains("1 offline partition (no leader)"), "{text}");
    assert!(
        text.contains("2 under-min-ISR partitions (acks=all producers fail)"),
        "{text}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p == &format!("{} under-replicated partitions", under.len())),
        "{text}"
    );
}

#[test]
fn unreachable_bootstrap_fails_fast_with_a_reason() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let topo = topology(&format!("127.0.0.1:{port}"));
    let t0 = Instant::now();
    let (code, s, stderr) = status(&topo, &["--timeout", "2s"]);
    let took = t0.elapsed();
    eprintln!("cluster status (unreachable) took {took:?}");
    assert_eq!(code, 1, "{s:#}\n{stderr}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(s["reachable"], false);
    assert_eq!(s["healthy"], false);
    let problems = problems(&s);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("unreachable: ") && problems[0].len() > "unreachable: ".len(),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("_TRANSPORT") || problems[0].contains("timed out"),
        "{problems:?}"
    );
    assert_eq!(s["brokers"].as_array().unwrap().len(), 0);
    assert_eq!(s["groups_by_state"], Value::Null);
}
