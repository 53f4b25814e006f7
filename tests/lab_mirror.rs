//! The lab's mirror on the mock lab of `topologies/active-passive.yaml`: records reach the
//! remote topics as they are, offset syncs and checkpoints are MM2's records with MM2's
//! translation, the Connect REST subset pauses, resumes, stops and moves offsets, a
//! reverse-direction connector copies the other way, and `offsets reset
//! --translated-from` plans what the lab's checkpoints say.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kafka_failover::kafka::{
    read_topic_to_end, AdminClient, ClientSettings, KafkaError, OffsetSpec, RawRecord,
    RecordProducer, TopicPartition,
};
use kafka_failover::lab::mirror::FlowReport;
use kafka_failover::lab::{LabOptions, MockLab};
use kafka_failover::offsets::mm2_records::{Checkpoint, OffsetSync};
use kafka_failover::topology::{load_file, MirrorDriverSpec, Topology};
use serde_json::{json, Value};

use common::{interrupt, kf, root, start_lab, stdout_json};

const T: Duration = Duration::from_secs(10);

fn topology() -> Topology {
    load_file(&root("topologies/active-passive.yaml"))
        .unwrap()
        .topology
}

fn start(records: u32, partitions: i32) -> MockLab {
    let opts = LabOptions {
        partitions,
        records_per_partition: records,
        min_brokers: 1,
    };
    MockLab::start(&topology(), &opts).unwrap()
}

fn read(bootstrap: &str, topic: &str) -> Vec<RawRecord> {
    read_topic_to_end(&ClientSettings::new(bootstrap).timeout(T), topic, T).unwrap()
}

fn by_partition(records: Vec<RawRecord>) -> BTreeMap<i32, Vec<RawRecord>> {
    let mut out: BTreeMap<i32, Vec<RawRecord>> = BTreeMap::new();
    for r in records {
        out.entry(r.partition).or_default().push(r);
    }
    out
}

/// Log end offsets of `topic`'s partitions 0..n.
fn ends(bootstrap: &str, topic: &str, n: i32) -> Vec<i64> {
    let admin = AdminClient::new(ClientSettings::new(bootstrap).timeout(T)).unwrap();
    let tps: Vec<TopicPartition> = (0..n).map(|p| TopicPartition::new(topic, p)).collect();
    admin
        .list_offsets_for(&tps, OffsetSpec::Latest, T)
        .unwrap()
        .into_iter()
        .map(|o| o.result.unwrap().offset.unwrap())
        .collect()
}

fn wait_for<R>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<R>) -> R {
    let until = Instant::now() + timeout;
    loop {
        if let Some(r) = f() {
            return r;
        }
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn flow(lab: &MockLab, source: &str) -> FlowReport {
    lab.mirrors()
        .unwrap()
        .flows()
        .into_iter()
        .find(|f| f.source_alias == source)
        .unwrap()
}

/// The same record: key, value and timestamp.
fn same(a: &RawRecord, b: &RawRecord) -> bool {
    (&a.key, &a.value, a.timestamp_ms) == (&b.key, &b.value, b.timestamp_ms)
}

/// Every record of the target partition is the source record at the same offset (the
/// target topics start empty, so a gap or a duplicate would shift them).
fn assert_copied_one_to_one(east: &str, west: &str, source: &str, remote: &str) {
    // Target first: the source only grows, so every copied record is in a later read of
    // it (read the other way round, a record copied in between has no source to match).
    let w = by_partition(read(west, remote));
    let e = by_partition(read(east, source));
    for (p, recs) in &w {
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r.offset, i as i64, "{remote}[{p}] offsets are contiguous");
            let src = &e[p][i];
            assert!(same(r, src), "{remote}[{p}]@{i}: {r:?} is not {src:?}");
        }
    }
}

/// MM2's translation, written out independently: the last sync (in log order, upstream
/// offsets never going back here) at or before `committed`; past it, one more.
fn mm2_rule(syncs: &[(i64, i64)], committed: i64) -> Option<i64> {
    let (up, down) = syncs.iter().rev().find(|(up, _)| *up <= committed)?;
    Some(if *up == committed { *down } else { down + 1 })
}

fn syncs_of(east: &str) -> BTreeMap<(String, i32), Vec<(i64, i64)>> {
    let mut out: BTreeMap<(String, i32), Vec<(i64, i64)>> = BTreeMap::new();
    for r in read(east, "mm2-offset-syncs.west.internal") {
        assert_eq!(r.partition, 0);
        let s = OffsetSync::decode(r.key.as_deref(), r.value.as_deref()).unwrap();
        out.entry((s.topic, s.partition))
            .or_default()
            .push((s.upstream_offset, s.downstream_offset));
    }
    out
}

fn checkpoints_of(west: &str) -> Vec<Checkpoint> {
    read(west, "east.checkpoints.internal")
        .iter()
        .map(|r| {
            assert_eq!(r.partition, 0);
            Checkpoint::decode(r.key.as_deref(), r.value.as_deref()).unwrap()
        })
        .collect()
}

#[test]
fn records_offset_syncs_and_checkpoints_are_mm2s() {
    let lab = start(20, 3);
    let (east, west) = (&lab.bootstrap["east"], &lab.bootstrap["west"]);
    let pairs = lab.plan.mirrors[0].topics.clone();
    let f = wait_for("the flow's topics", T, || {
        let f = flow(&lab, "east");
        (f.topics.len() == pairs.len()).then_some(f)
    });
    let listed: Vec<(String, String)> = f
        .topics
        .iter()
        .map(|(s, t, _)| (s.clone(), t.clone()))
        .collect();
    assert_eq!(listed, pairs, "the flow mirrors what the lab planned");

    for (source, remote) in &pairs {
        let at_least = ends(east, source, 3);
        wait_for("the seeded records on west", T * 2, || {
            let w = ends(west, remote, 3);
            w.iter().zip(&at_least).all(|(w, e)| w >= e).then_some(())
        });
        assert_copied_one_to_one(east, west, source, remote);
    }

    let syncs = syncs_of(east);
    assert_eq!(
        syncs.len(),
        6,
        "one set of syncs per mirrored partition: {syncs:?}"
    );
    for (tp, s) in &syncs {
        assert_eq!(s[0], (0, 0), "{tp:?}: the first record is synced at once");
        assert!(
            s.iter().all(|(up, down)| up == down),
            "{tp:?}: copied one to one"
        );
        assert!(s.windows(2).all(|w| w[0].0 <= w[1].0), "{tp:?}: {s:?}");
    }

    // Every seeded group (committed at 10 of 20) gets, per partition, a checkpoint whose
    // downstream offset is MM2's translation of 10 through the syncs.
    let east_groups = lab.plan.cluster("east").unwrap().groups.clone();
    assert_eq!(east_groups.len(), 4);
    let until = Instant::now() + T * 2;
    loop {
        let syncs = syncs_of(east);
        let cps = checkpoints_of(west);
        let newest: BTreeMap<(String, String, i32), &Checkpoint> = cps
            .iter()
            .map(|c| ((c.group.clone(), c.topic.clone(), c.partition), c))
            .collect();
        let mut wrong = Vec::new();
        for g in &east_groups {
            for t in &g.topics {
                for p in 0..3 {
                    let key = (g.id.clone(), format!("east.{t}"), p);
                    let want = mm2_rule(&syncs[&(t.clone(), p)], 10);
                    match newest.get(&key) {
                        Some(c) if c.upstream_offset == 10 && Some(c.downstream_offset) == want => {
                        }
                        other => wrong.push(format!("{key:?}: {other:?}, want {want:?}")),
                    }
                }
            }
        }
        if wrong.is_empty() {
            // Only changed checkpoints are written: never the same one twice in a row.
            let mut seq: BTreeMap<(String, String, i32), Vec<(i64, i64)>> = BTreeMap::new();
            for c in &cps {
                assert!(c.metadata.is_empty());
                seq.entry((c.group.clone(), c.topic.clone(), c.partition))
                    .or_default()
                    .push((c.upstream_offset, c.downstream_offset));
            }
            for (k, s) in seq {
                assert!(s.windows(2).all(|w| w[0] != w[1]), "{k:?}: {s:?}");
            }
            break;
        }
        assert!(
            Instant::now() < until,
            "checkpoints are not MM2's translation:\n{}",
            wrong.join("\n")
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let f = flow(&lab, "east");
    assert!(f.syncs_written >= 6 && f.checkpoints_written >= 12, "{f:?}");
    assert_eq!(f.failed, None);
}

fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// (status, JSON body or Null).
fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
    let mut r = r.unwrap();
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    (status, body)
}

#[test]
fn rest_pause_resume_stop_and_offsets() {
    let lab = start(20, 3);
    let (east, west) = (lab.bootstrap["east"].clone(), lab.bootstrap["west"].clone());
    let url = lab.connect_url.clone().unwrap();
    let a = http();
    let get = |path: &str| answer(a.get(format!("{url}{path}")).call());
    let put = |path: &str| answer(a.put(format!("{url}{path}")).send_empty());
    let patch = |path: &str, body: Value| answer(a.patch(format!("{url}{path}")).send_json(body));
    let src = "/connectors/east-west-source";

    // The pointed topology drives the mirror through this API, under its names.
    match &lab.topology.mirrors["east-to-west"].driver {
        MirrorDriverSpec::Connect(c) => {
            assert_eq!(c.url, url);
            assert_eq!(c.connectors.source.as_deref(), Some("east-west-source"));
            assert!(c.auth.is_none());
        }
        other => panic!("{other:?}"),
    }
    let (s, v) = get("/");
    assert_eq!(s, 200);
    assert_eq!(v["version"], "4.1.1");
    assert!(v["commit"].is_string() && v["kafka_cluster_id"].is_string());
    assert_eq!(
        get("/connectors"),
        (
            200,
            json!([
                "east-west-checkpoint",
                "east-west-heartbeat",
                "east-west-source"
            ])
        )
    );
    let (s, v) = get("/connectors?expand=status&expand=info");
    assert_eq!(s, 200);
    let worker = url.trim_start_matches("http://");
    assert_eq!(
        v["east-west-source"]["status"],
        json!({"name": "east-west-source", "connector": {"state": "RUNNING", "worker_id": worker},
               "tasks": [{"id": 0, "state": "RUNNING", "worker_id": worker}], "type": "source"})
    );
    let info = &v["east-west-checkpoint"]["info"];
    assert_eq!(info["type"], "source");
    assert_eq!(
        info["tasks"],
        json!([{"connector": "east-west-checkpoint", "task": 0}])
    );
    assert_eq!(
        info["config"]["connector.class"],
        "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"
    );
    let (s, config) = get(&format!("{src}/config"));
    assert_eq!(
        (s, config["source.cluster.alias"].as_str()),
        (200, Some("east"))
    );
    assert_eq!(get(src).1["config"], config);

    // Unknown connectors, paths and methods.
    assert_eq!(
        get("/connectors/nope/status"),
        (
            404,
            json!({"error_code": 404, "message": "Connector nope not found"})
        )
    );
    assert_eq!(put("/connectors/nope/pause").0, 404);
    assert_eq!(get("/nowhere").0, 404);
    assert_eq!(answer(a.delete(format!("{url}/connectors")).call()).0, 405);

    // Offsets cannot move while the connector runs.
    let move0 = json!({"offsets": [{"partition": {"cluster": "east", "topic": "payments", "partition": 0}, "offset": {"offset": 4}}]});
    let (s, v) = patch(&format!("{src}/offsets"), move0.clone());
    assert_eq!(s, 400);
    assert_eq!(v["error_code"], 400);
    assert_eq!(
        v["message"],
        "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/east-west-source/stop' endpoint"
    );

    // Paused: nothing is copied while the source keeps growing.
    wait_for("the seeded records on west", T * 2, || {
        (ends(&west, "east.payments", 3).iter().all(|&e| e >= 20)).then_some(())
    });
    assert_eq!(put(&format!("{src}/pause")), (202, Value::Null));
    let (_, st) = get(&format!("{src}/status"));
    assert_eq!(
        (
            st["connector"]["state"].as_str(),
            st["tasks"][0]["state"].as_str()
        ),
        (Some("PAUSED"), Some("PAUSED"))
    );
    let paused_at = ends(&west, "east.payments", 3);
    let east_then = ends(&east, "payments", 3);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        ends(&west, "east.payments", 3),
        paused_at,
        "copied while paused"
    );
    assert!(
        ends(&east, "payments", 3) > east_then,
        "the trickle goes on"
    );

    // Resumed: it continues where it stopped, without a gap or a duplicate.
    assert_eq!(put(&format!("{src}/resume")).0, 202);
    let east_now = ends(&east, "payments", 3);
    wait_for("copying to resume", T * 2, || {
        let w = ends(&west, "east.payments", 3);
        w.iter().zip(&east_now).all(|(w, e)| w >= e).then_some(())
    });
    assert_copied_one_to_one(&east, &west, "payments", "east.payments");

    // Stopped: no task; offsets are each partition's last copied offset.
    assert_eq!(put(&format!("{src}/stop")), (204, Value::Null));
    let (_, st) = get(&format!("{src}/status"));
    assert_eq!(
        (st["connector"]["state"].as_str(), st["tasks"].clone()),
        (Some("STOPPED"), json!([]))
    );
    assert_eq!(get(src).1["tasks"], json!([]));
    let (s, offs) = get(&format!("{src}/offsets"));
    assert_eq!(s, 200);
    let offs = offs["offsets"].as_array().unwrap().clone();
    assert_eq!(offs.len(), 6, "{offs:?}");
    for (t, remote) in [("payments", "east.payments"), ("refunds", "east.refunds")] {
        let w = ends(&west, remote, 3);
        for (p, end) in w.iter().enumerate() {
            let o = offs
                .iter()
                .find(|o| o["partition"] == json!({"cluster": "east", "topic": t, "partition": p}))
                .unwrap_or_else(|| panic!("no offset for {t}-{p}: {offs:?}"));
            assert_eq!(o["offset"], json!({"offset": end - 1}), "{t}-{p}");
        }
    }
    assert_eq!(
        patch(&format!("{src}/offsets"), json!({"offsets": []})),
        (
            400,
            json!({"error_code": 400, "message": "Partitions / offsets need to be provided for an alter offsets request"})
        )
    );
    let (s, v) = patch(
        &format!("{src}/offsets"),
        json!({"offsets": [{"partition": {"cluster": "east", "topic": "payments", "partition": 0}, "offset": {"offset": -3}}]}),
    );
    assert_eq!(s, 500);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .ends_with("which cannot be negative"),
        "{v}"
    );

    // Move three positions: payments-0 back to offset 4 (5 is copied next), payments-1
    // past records not copied yet, refunds-1 to nothing (its log start).
    let w = ends(&west, "east.payments", 3);
    let skip_to = wait_for("new records on east", T, || {
        let e = ends(&east, "payments", 3)[1];
        (e >= w[1] + 3).then_some(e)
    });
    let wr = ends(&west, "east.refunds", 3);
    let (s, v) = patch(
        &format!("{src}/offsets"),
        json!({"offsets": [
            {"partition": {"cluster": "east", "topic": "payments", "partition": 0}, "offset": {"offset": 4}},
            {"partition": {"cluster": "east", "topic": "payments", "partition": 1}, "offset": {"offset": skip_to - 1}},
            {"partition": {"cluster": "east", "topic": "refunds", "partition": 1}, "offset": null}
        ]}),
    );
    assert_eq!(
        (s, v),
        (
            200,
            json!({"message": "The offsets for this connector have been altered successfully"})
        )
    );
    let offs = get(&format!("{src}/offsets")).1["offsets"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(offs.len(), 5);
    assert!(offs.contains(&json!({"partition": {"cluster": "east", "topic": "payments", "partition": 0}, "offset": {"offset": 4}})));
    assert_eq!(put(&format!("{src}/resume")).0, 202);
    wait_for("copying from the new positions", T * 2, || {
        let now = ends(&west, "east.payments", 3);
        let r = ends(&west, "east.refunds", 3);
        (now[0] > w[0] && now[1] > w[1] && r[1] > wr[1]).then_some(())
    });
    let e = by_partition(read(&east, "payments"));
    let wp = by_partition(read(&west, "east.payments"));
    assert!(
        same(&wp[&0][w[0] as usize], &e[&0][5]),
        "payments-0 resumes at 5"
    );
    assert!(
        same(&wp[&1][w[1] as usize], &e[&1][skip_to as usize]),
        "payments-1 skips"
    );
    let er = by_partition(read(&east, "refunds"));
    let wrr = by_partition(read(&west, "east.refunds"));
    assert!(
        same(&wrr[&1][wr[1] as usize], &er[&1][0]),
        "refunds-1 starts over"
    );

    // The checkpoint connector's offsets (MM2 keeps {group, topic, partition} -> 0).
    let (_, cp) = get("/connectors/east-west-checkpoint/offsets");
    let cp = cp["offsets"].as_array().unwrap();
    assert!(cp.contains(&json!({"partition": {"group": "payments-ledger", "topic": "east.payments", "partition": 0}, "offset": {"offset": 0}})), "{cp:?}");
    assert_eq!(
        answer(
            a.delete(format!("{url}/connectors/east-west-checkpoint/offsets"))
                .call()
        )
        .0,
        400
    );
}

#[test]
fn a_reverse_connector_put_over_rest_copies_the_other_way() {
    let lab = start(10, 3);
    let (east, west) = (lab.bootstrap["east"].clone(), lab.bootstrap["west"].clone());
    let url = lab.connect_url.clone().unwrap();
    // After a failover producers write `payments` on west.
    lab.with_mocks(|m| m["west"].ensure_topic("payments", 3, 1).map(|_| ()))
        .unwrap()
        .unwrap();
    let p = RecordProducer::new(&ClientSettings::new(&west)).unwrap();
    for part in 0..3 {
        for i in 0..5 {
            p.send(
                "payments",
                Some(part),
                &format!("w{i}"),
                &format!("west-{part}-{i}"),
                1_700_000_000_000 + i,
            )
            .unwrap();
        }
    }
    p.flush(T).unwrap();

    let a = http();
    let config = json!({
        "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector",
        "source.cluster.alias": "west",
        "target.cluster.alias": "east",
        "source.cluster.bootstrap.servers": west,
        "target.cluster.bootstrap.servers": east,
        "topics": ".*",
        "replication.policy.class": "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
        "tasks.max": 1
    });
    let r = a
        .put(format!("{url}/connectors/west-east-source/config"))
        .send_json(&config)
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("{url}/connectors/west-east-source")
    );
    let (s, info) = answer(Ok(r));
    assert_eq!(s, 201);
    assert_eq!(info["name"], "west-east-source");
    assert_eq!(info["config"]["tasks.max"], "1");
    // Updating it answers 200.
    let (s, _) = answer(
        a.put(format!("{url}/connectors/west-east-source/config"))
            .send_json(&config),
    );
    assert_eq!(s, 200);
    let (s, _) = answer(
        a.post(format!("{url}/connectors"))
            .send_json(json!({"name": "west-east-source", "config": config})),
    );
    assert_eq!(s, 409);
    let mut elsewhere = config.clone();
    elsewhere["target.cluster.bootstrap.servers"] = json!("192.0.2.1:9092");
    let (s, v) = answer(
        a.put(format!("{url}/connectors/x/config"))
            .send_json(&elsewhere),
    );
    assert_eq!(s, 400);
    assert!(
        v["message"].as_str().unwrap().starts_with(
            "Connector configuration is invalid and contains the following 1 error(s):"
        ),
        "{v}"
    );

    let copied = wait_for("west.payments on east", T * 3, || {
        match read_topic_to_end(&ClientSettings::new(&east).timeout(T), "west.payments", T) {
            Ok(r) if r.len() >= 15 => Some(by_partition(r)),
            Ok(_) | Err(KafkaError::UnknownTopicOrPartition { .. }) => None,
            Err(e) => panic!("{e}"),
        }
    });
    let original = by_partition(read(&west, "payments"));
    for part in 0..3 {
        assert_eq!(copied[&part].len(), 5);
        for (c, o) in copied[&part].iter().zip(&original[&part]) {
            assert!(same(c, o), "{c:?} vs {o:?}");
        }
    }
    // Topics that came from east are not sent back.
    let f = flow(&lab, "west");
    assert_eq!(
        f.topics,
        vec![("payments".to_string(), "west.payments".to_string(), 3)]
    );
    let admin = AdminClient::new(ClientSettings::new(&east).timeout(T)).unwrap();
    let topics = admin.list_topics(T).unwrap();
    assert!(
        !topics.iter().any(|t| t.starts_with("west.east.")),
        "{topics:?}"
    );
    let syncs = read(&west, "mm2-offset-syncs.east.internal");
    assert!(syncs.len() >= 3, "offset syncs of the reverse flow on west");

    assert_eq!(
        answer(
            a.delete(format!("{url}/connectors/west-east-source"))
                .call()
        )
        .0,
        204
    );
    assert_eq!(
        answer(a.get(format!("{url}/connectors/west-east-source")).call()).0,
        404
    );
    assert_eq!(lab.mirrors().unwrap().flows().len(), 1);
}

#[test]
fn copy_rate_and_offset_sync_spacing() {
    const N: i64 = 3000;
    let lab = start(N as u32, 6);
    let t0 = Instant::now();
    let c0 = flow(&lab, "east").copied;
    let f = wait_for(
        "the seeded records copied",
        Duration::from_secs(120),
        || {
            let f = flow(&lab, "east");
            (f.positions.len() == 12 && f.positions.values().all(|&p| p >= N)).then_some(f)
        },
    );
    let secs = t0.elapsed().as_secs_f64();
    let rate = (f.copied - c0) as f64 / secs;
    eprintln!(
        "lab mirror: {} records copied in {secs:.2} s after start ({c0} before): {rate:.0} records/s",
        f.copied - c0
    );
    // A sync at least every offset.lag.max (100) records: translation is never further
    // behind than that.
    for ((t, p), s) in syncs_of(&lab.bootstrap["east"]) {
        let mut ups: Vec<i64> = s.iter().map(|(up, _)| *up).collect();
        ups.dedup();
        assert!(
            ups.windows(2).all(|w| w[1] - w[0] <= 101),
            "{t}-{p}: {ups:?}"
        );
        assert!(*ups.last().unwrap() >= N - 101, "{t}-{p}: {ups:?}");
    }
}

#[test]
fn offsets_reset_translated_from_the_lab_plans_its_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let topo = dir.path().join("lab.yaml");
    let lab = start_lab("topologies/active-passive.yaml", &topo);
    let t = load_file(&topo).unwrap().topology;
    let west = t.clusters["west"].bootstrap.clone();
    // Newest checkpoint per partition of payments-ledger, once all six are there and
    // they stopped changing.
    let newest = || -> BTreeMap<i32, Checkpoint> {
        match read_topic_to_end(
            &ClientSettings::new(&west).timeout(T),
            "east.checkpoints.internal",
            T,
        ) {
            Ok(records) => records
                .iter()
                .filter_map(|r| Checkpoint::decode(r.key.as_deref(), r.value.as_deref()).ok())
                .filter(|c| c.group == "payments-ledger" && c.topic == "east.payments")
                .map(|c| (c.partition, c))
                .collect(),
            Err(_) => BTreeMap::new(),
        }
    };
    let cps = wait_for("stable checkpoints", T * 3, || {
        let a = newest();
        std::thread::sleep(Duration::from_millis(1500));
        (a.len() == 6 && newest() == a).then_some(a)
    });
    let out = kf()
        .args(["offsets", "reset"])
        .arg(&topo)
        .args([
            "--cluster",
            "west",
            "--group",
            "payments-ledger",
            "--translated-from",
            "east",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    let parts = v["groups"][0]["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 6, "{v:#}");
    for p in parts {
        assert_eq!(p["topic"], "east.payments");
        let cp = &cps[&(p["partition"].as_i64().unwrap() as i32)];
        assert_eq!(p["target"], json!(cp.downstream_offset), "{p:#}");
        assert_eq!(
            cp.upstream_offset, 10,
            "the lab commits groups at half of 20 records"
        );
        assert!(
            p["reason"]
                .as_str()
                .unwrap()
                .contains("checkpoint from east"),
            "{p:#}"
        );
    }
    interrupt(lab);
}
