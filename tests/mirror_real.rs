//! `mirror` and translated `offsets reset` against real MirrorMaker 2 connectors on a
//! real Kafka Connect worker (basic auth, password from the environment) between two
//! real single-node clusters: status, pause/resume, a translated reset that lands where
//! Kafka's `RemoteClusterUtils.translateOffsets` says, `mirror reverse` (new records on
//! the standby reach the primary, nothing crosses twice, nothing loops back) and
//! `mirror rollback`.

mod common;
mod support;

use std::time::{Duration, Instant};

use common::{kf, stdout_json as json};
use kafka_failover::lab::connect_process::ConnectSpec;
use kafka_failover::mirror::{
    driver_for, mm2_connector_configs, ConnectorNameSet, DriverOptions, Mm2ConnectorOptions,
};
use support::connect::{remote_cluster_utils_translate, KafkaConnect};
use support::kafka::*;

const PASSWORD_ENV: &str = "KF_TEST_CONNECT_PASSWORD";

fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn total_end(bootstrap: &str, topic: &str) -> i64 {
    end_offsets(bootstrap, topic).iter().map(|(_, e)| e).sum()
}

#[test]
fn connect_mirror_status_pause_translate_reverse_and_rollback() {
    let mut clusters = KafkaCluster::start_all(vec![
        ClusterSpec::single("primary"),
        ClusterSpec::single("standby"),
    ]);
    let standby = clusters.pop().unwrap();
    let primary = clusters.pop().unwrap();
    let (pb, sb) = (primary.bootstrap(), standby.bootstrap());
    let worker = KafkaConnect::start_spec(
        ConnectSpec::new("mm2-west", &sb, 1).with_basic_auth("failover", "canary-pw-8841"),
    );
    std::env::set_var(PASSWORD_ENV, "canary-pw-8841");
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "version: 1\nname: real-mm2\npattern: active-passive\n\
         datacenters:\n  dc-a: {{}}\n  dc-b: {{}}\n\
         clusters:\n  primary: {{datacenter: dc-a, role: primary, bootstrap: \"{pb}\"}}\n\
         \x20 standby: {{datacenter: dc-b, role: standby, bootstrap: \"{sb}\"}}\n\
         mirrors:\n  p2s:\n    source: primary\n    target: standby\n    runs-in: dc-b\n\
         \x20   topics: {{include: [\"orders\"]}}\n    groups: {{include: [\"orders-.*\"]}}\n\
         \x20   driver:\n      connect:\n        url: \"{}\"\n\
         \x20       auth: {{username: failover, password: {{env: {PASSWORD_ENV}}}}}\n",
        worker.rest_url()
    );
    let topo = dir.path().join("t.yaml");
    std::fs::write(&topo, &yaml).unwrap();
    let t = kafka_failover::topology::load_str("t.yaml", &yaml)
        .unwrap()
        .topology;
    let m = &t.mirrors["p2s"];

    // Records and a consumer group on the primary, then the three MM2 connectors, built
    // by the library from the topology.
    create_topic(&pb, "orders", 2, 1);
    produce_to_partition(&pb, "orders", 0, 10, |_| now_ms());
    produce_to_partition(&pb, "orders", 1, 6, |_| now_ms());
    commit_offsets(&pb, "orders-app", &[("orders", 0, 7), ("orders", 1, 6)]);
    let mut opts = Mm2ConnectorOptions {
        replication_factor: Some(1),
        emit_checkpoints_interval_seconds: 1,
        refresh_topics_interval_seconds: 1,
        refresh_groups_interval_seconds: 1,
        ..Default::default()
    };
    opts.extra
        .insert("sync.topic.acls.enabled".into(), "false".into());
    let names = ConnectorNameSet::resolve(m, &Default::default());
    let driver = driver_for("p2s", m, &DriverOptions::default()).unwrap();
    for c in mm2_connector_configs(&t, m, &names, &opts).unwrap() {
        driver.put_config(&c.name, &c.config).unwrap();
    }
    wait_for("p2s running", Duration::from_secs(120), || {
        driver
            .status()
            .is_ok_and(|s| s.is_running() && s.present().count() == 3)
    });
    wait_for("16 records on standby", Duration::from_secs(90), || {
        total_end(&sb, "primary.orders") == 16
    });

    // Status: healthy, no lag, the password nowhere.
    let out = kf()
        .arg("mirror")
        .arg("status")
        .arg(&topo)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("canary-pw-8841"));
    let v = json(&out);
    assert_eq!(v[0]["running"], true, "{all}");
    assert_eq!(v[0]["total_lag"], 0, "{all}");

    // Translated reset on the standby = Kafka's RemoteClusterUtils.translateOffsets.
    wait_for("checkpoints of orders-app", Duration::from_secs(90), || {
        remote_cluster_utils_translate(&standby, "primary", "orders-app").len() == 2
    });
    let theirs = remote_cluster_utils_translate(&standby, "primary", "orders-app");
    let out = kf()
        .arg("offsets")
        .arg("reset")
        .arg(&topo)
        .args([
            "--cluster",
            "standby",
            "--group",
            "orders-app",
            "--translated-from",
            "primary",
            "--execute",
            "--yes",
            "-o",
            "json",
            "--journal-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ours = committed_offsets(&sb, "orders-app", "primary.orders", &[0, 1]);
    assert_eq!(
        ours,
        vec![
            theirs.get(&("primary.orders".into(), 0)).copied(),
            theirs.get(&("primary.orders".into(), 1)).copied()
        ],
        "ours vs RemoteClusterUtils.translateOffsets"
    );

    // Pause: new records stay on the primary; resume: they cross.
    let run = |args: &[&str]| {
        kf().arg("mirror")
            .args(args)
            .arg("--journal-dir")
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let topo_s = topo.to_str().unwrap();
    let out = run(&["pause", topo_s, "--mirror", "p2s", "--execute", "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    produce_to_partition(&pb, "orders", 0, 5, |_| now_ms());
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(
        total_end(&sb, "primary.orders"),
        16,
        "a paused mirror copies nothing"
    );
    let out = kf()
        .arg("mirror")
        .arg("status")
        .arg(topo_s)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a paused mirror is not healthy");
    let out = run(&["resume", topo_s, "--mirror", "p2s", "--execute", "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_for("21 records on standby", Duration::from_secs(60), || {
        total_end(&sb, "primary.orders") == 21
    });

    // Failover happened: producers write `orders` on the standby. Reverse the mirror.
    create_topic(&sb, "orders", 2, 1);
    produce_to_partition(&sb, "orders", 0, 4, |_| now_ms());
    produce_to_partition(&sb, "orders", 1, 3, |_| now_ms());
    let out = run(&[
        "reverse",
        topo_s,
        "--mirror",
        "p2s",
        "--execute",
        "--yes",
        "-o",
        "json",
        "--connector-config",
        "replication.factor=1",
        "--connector-config",
        "offset-syncs.topic.replication.factor=1",
        "--connector-config",
        "checkpoints.topic.replication.factor=1",
        "--connector-config",
        "heartbeats.topic.replication.factor=1",
        "--connector-config",
        "sync.topic.acls.enabled=false",
        "--connector-config",
        "refresh.topics.interval.seconds=1",
    ]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    let plan = json(&out);
    let skipped = plan["reverse"]["skipped_topics"].to_string();
    assert!(skipped.contains("primary.orders"), "{skipped}");
    let journal = err
        .lines()
        .find_map(|l| l.strip_prefix("journal: "))
        .expect("journal path printed")
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(90);
    while total_end(&pb, "standby.orders") != 7 {
        if Instant::now() > deadline {
            let st = kf()
                .arg("mirror")
                .arg("status")
                .arg(&topo)
                .output()
                .unwrap();
            panic!(
                "7 records never reached the primary: {:?} from {:?}; task: {}\nplan: {plan:#}\nstderr: {err}\nstatus: {}\nworker log:\n{}",
                end_offsets(&pb, "standby.orders"),
                end_offsets(&sb, "orders"),
                worker.rest().connector_status("standby-primary-source"),
                String::from_utf8_lossy(&st.stdout),
                std::fs::read_to_string(worker.engine().dir().join("connect.log"))
                    .unwrap_or_default()
                    .lines()
                    .filter(|l| l.contains("standby.orders") || l.contains("ERROR") || l.contains("Exception") || l.contains("reat"))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .take(60)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let back = consume(&pb, "standby.orders", 7, Duration::from_secs(30));
    assert_eq!(back.len(), 7);
    // The old direction is stopped: 3 more records on the primary stay there.
    produce_to_partition(&pb, "orders", 1, 3, |_| now_ms());
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(total_end(&sb, "primary.orders"), 21);
    // Nothing loops: no remote-of-remote topic on either side.
    let admin = kafka_failover::kafka::AdminClient::new(
        kafka_failover::kafka::ClientSettings::new(pb.clone()),
    )
    .unwrap();
    let topics = admin.list_topics(Duration::from_secs(10)).unwrap();
    assert!(
        !topics.iter().any(|t| t.starts_with("standby.primary.")),
        "{topics:?}"
    );
    assert_eq!(
        total_end(&pb, "standby.orders"),
        7,
        "no record crossed twice"
    );

    // Rollback: the reverse connectors go, the old direction runs again.
    let out = kf()
        .args(["mirror", "rollback", &journal, "--execute", "--yes"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_for("p2s running again", Duration::from_secs(90), || {
        driver.status().is_ok_and(|s| s.is_running())
    });
    wait_for("24 records on standby", Duration::from_secs(60), || {
        total_end(&sb, "primary.orders") == 24
    });
    let reverse = driver_for(
        "p2s-reversed",
        &kafka_failover::mirror::reverse::reversed(&t, m),
        &DriverOptions::default(),
    )
    .unwrap();
    assert_eq!(
        reverse.status().unwrap().present().count(),
        0,
        "reverse connectors deleted"
    );
    drop(worker);
}
