//! Real MirrorMaker 2 (Kafka 4.1.1) between two real single-node KRaft clusters,
//! `primary` and `standby` (shared by the tests of this binary; started once, in
//! parallel): as Kafka Connect connectors on a distributed worker (with basic auth), and
//! in dedicated mode from an `mm2.properties` file. Our MM2 record codec
//! (`offsets::mm2_records`) must read every checkpoint and offset sync the real MM2
//! writes, agree with Kafka's `RemoteClusterUtils.translateOffsets`, and re-encode them
//! byte for byte.
//!
//! `KAFKA_FAILOVER_WRITE_MM2_FIXTURES=1` rewrites `tests/fixtures/mm2/*.hex` from the
//! records of a run.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use kafka_failover::lab::connect_process::{BasicAuth, ConnectSpec};
use kafka_failover::offsets::mm2_records::{
    checkpoints_topic, offset_syncs_topic, Checkpoint, OffsetSync,
};

use support::connect::{
    mm2_connector_config, remote_cluster_utils_translate, KafkaConnect, MirrorMaker2,
};
use support::kafka::{
    commit_offsets, consume, create_topic, end_offsets, now_ms, produce_to_partition, read_all_raw,
    ClusterSpec, KafkaCluster, RawRecord,
};

const SOURCE: &str = "org.apache.kafka.connect.mirror.MirrorSourceConnector";
const CHECKPOINT: &str = "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";
const HEARTBEAT: &str = "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";

struct Pair {
    primary: KafkaCluster,
    standby: KafkaCluster,
}

/// The two clusters of this binary (never stopped: the tests run concurrently).
fn pair() -> &'static Pair {
    static PAIR: OnceLock<Pair> = OnceLock::new();
    PAIR.get_or_init(|| {
        let t0 = Instant::now();
        let mut clusters = KafkaCluster::start_all(vec![
            ClusterSpec::single("primary"),
            ClusterSpec::single("standby"),
        ]);
        eprintln!(
            "mm2_real: primary and standby up in {:.1}s",
            t0.elapsed().as_secs_f64()
        );
        let standby = clusters.pop().unwrap();
        let primary = clusters.pop().unwrap();
        Pair { primary, standby }
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn decode_checkpoint(r: &RawRecord) -> Checkpoint {
    let c = Checkpoint::decode(r.key.as_deref(), r.value.as_deref()).unwrap_or_else(|e| {
        panic!(
            "real checkpoint at {}/{} does not decode: {e} (key {}, value {})",
            r.partition,
            r.offset,
            hex(r.key.as_deref().unwrap_or_default()),
            hex(r.value.as_deref().unwrap_or_default())
        )
    });
    assert_eq!(
        (Some(c.encode_key()), Some(c.encode_value())),
        (r.key.clone(), r.value.clone()),
        "re-encoding the checkpoint at {}/{} ({c:?}) changes its bytes",
        r.partition,
        r.offset
    );
    c
}

fn decode_offset_sync(r: &RawRecord) -> OffsetSync {
    let s = OffsetSync::decode(r.key.as_deref(), r.value.as_deref()).unwrap_or_else(|e| {
        panic!(
            "real offset sync at {}/{} does not decode: {e} (key {}, value {})",
            r.partition,
            r.offset,
            hex(r.key.as_deref().unwrap_or_default()),
            hex(r.value.as_deref().unwrap_or_default())
        )
    });
    assert_eq!(
        (Some(s.encode_key()), Some(s.encode_value())),
        (r.key.clone(), r.value.clone()),
        "re-encoding the offset sync at {}/{} ({s:?}) changes its bytes",
        r.partition,
        r.offset
    );
    s
}

/// MM2's translation (OffsetSyncStore.translateDownstream) over the syncs we decoded: the
/// newest sync at or before the committed upstream offset; the same downstream offset
/// when it is exact, one past it otherwise.
fn translate(syncs: &[OffsetSync], topic: &str, partition: i32, upstream: i64) -> Option<i64> {
    syncs
        .iter()
        .filter(|s| s.topic == topic && s.partition == partition && s.upstream_offset <= upstream)
        .max_by_key(|s| s.upstream_offset)
        .map(|s| s.downstream_offset + i64::from(s.upstream_offset != upstream))
}

/// The newest checkpoint per (topic, partition) of `group`.
fn latest_checkpoints(all: &[Checkpoint], group: &str) -> BTreeMap<(String, i32), Checkpoint> {
    let mut out = BTreeMap::new();
    for c in all.iter().filter(|c| c.group == group) {
        out.insert((c.topic.clone(), c.partition), c.clone());
    }
    out
}

fn write_fixture(name: &str, comment: &str, r: &RawRecord) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mm2");
    fs::create_dir_all(&dir).unwrap();
    let text = format!(
        "{comment}key={}\nvalue={}\n",
        hex(r.key.as_deref().unwrap()),
        hex(r.value.as_deref().unwrap())
    );
    fs::write(dir.join(name), text).unwrap();
    eprintln!("mm2_real: wrote tests/fixtures/mm2/{name}");
}

#[test]
fn connect_worker_runs_mm2_and_our_codec_reads_its_records() {
    let Pair { primary, standby } = pair();
    let t0 = Instant::now();

    // A Connect cluster next to the standby, REST behind basic auth.
    let worker = KafkaConnect::start_spec(
        ConnectSpec::new("mm2-west", &standby.bootstrap(), 1).with_basic_auth("failover", "s3cret"),
    );
    let rest = worker.rest();
    assert_eq!(rest.with_auth(None).get("/connectors").status, 401);
    assert_eq!(rest.with_auth(None).get("/").status, 401);
    assert_eq!(rest.with_auth(None).get("/health").status, 401);
    let wrong = Some(BasicAuth::new("failover", "wrong"));
    assert_eq!(rest.with_auth(wrong).get("/connectors").status, 401);
    let root = rest.get("/");
    assert_eq!(root.status, 200, "{:?}", root.body);
    assert_eq!(root.body["version"], "4.1.1");
    let plugins = rest.get("/connector-plugins").body.to_string();
    for class in [SOURCE, CHECKPOINT, HEARTBEAT] {
        assert!(plugins.contains(class), "{class} missing in {plugins}");
    }

    // Data and a consumer group on the primary before MM2 starts. Current timestamps:
    // records stamped decades ago are deleted by time retention (7 days) at the broker's
    // first retention check, ~30 s after it started.
    create_topic(&primary.bootstrap(), "orders", 2, 1);
    produce_to_partition(&primary.bootstrap(), "orders", 0, 10, |_| now_ms());
    produce_to_partition(&primary.bootstrap(), "orders", 1, 6, |_| now_ms());
    let group = "orders-app";
    commit_offsets(
        &primary.bootstrap(),
        group,
        &[("orders", 0, 7), ("orders", 1, 6)],
    );

    let flow = (("primary", primary), ("standby", standby));
    let source = mm2_connector_config(
        SOURCE,
        flow.0,
        flow.1,
        &[
            ("topics", "orders"),
            ("replication.factor", "1"),
            ("offset-syncs.topic.replication.factor", "1"),
            ("refresh.topics.interval.seconds", "1"),
            ("sync.topic.acls.enabled", "false"),
        ],
    );
    let checkpoint = mm2_connector_config(
        CHECKPOINT,
        flow.0,
        flow.1,
        &[
            ("topics", "orders"),
            ("groups", "orders-.*"),
            ("emit.checkpoints.interval.seconds", "1"),
            ("sync.group.offsets.enabled", "false"),
            ("refresh.groups.interval.seconds", "1"),
            ("checkpoints.topic.replication.factor", "1"),
        ],
    );
    let heartbeat = mm2_connector_config(
        HEARTBEAT,
        flow.0,
        flow.1,
        &[
            ("heartbeats.topic.replication.factor", "1"),
            ("emit.heartbeats.interval.seconds", "1"),
        ],
    );
    rest.put_connector("primary-standby-source", &source);
    rest.put_connector("primary-standby-checkpoint", &checkpoint);
    rest.put_connector("primary-standby-heartbeat", &heartbeat);
    for name in [
        "primary-standby-source",
        "primary-standby-checkpoint",
        "primary-standby-heartbeat",
    ] {
        rest.wait_running(name, 1, Duration::from_secs(90));
    }
    eprintln!(
        "mm2_real: worker up and 3 connectors running after {:.1}s",
        t0.elapsed().as_secs_f64()
    );

    // Records arrive in `primary.orders`, same partitions, same order.
    let mirrored = consume(
        &standby.bootstrap(),
        "primary.orders",
        16,
        Duration::from_secs(60),
    );
    for p in [0, 1] {
        let keys: Vec<_> = mirrored
            .iter()
            .filter(|r| r.partition == p)
            .map(|r| (r.offset, r.key.clone().unwrap()))
            .collect();
        let n = if p == 0 { 10 } else { 6 };
        let expected: Vec<_> = (0..n).map(|i| (i as i64, format!("key-{i}"))).collect();
        let mut keys = keys;
        keys.sort();
        assert_eq!(keys, expected, "partition {p} of primary.orders");
    }
    eprintln!(
        "mm2_real: 16 records mirrored after {:.1}s",
        t0.elapsed().as_secs_f64()
    );

    // Offset syncs on the primary up to the last record of each partition.
    let syncs_topic = offset_syncs_topic("standby");
    assert_eq!(syncs_topic, "mm2-offset-syncs.standby.internal");
    let deadline = Instant::now() + Duration::from_secs(60);
    let (sync_records, syncs) = loop {
        let records = read_all_raw(&primary.bootstrap(), &syncs_topic, Duration::from_secs(30));
        let syncs: Vec<OffsetSync> = records.iter().map(decode_offset_sync).collect();
        let has = |p: i32, up: i64| {
            syncs
                .iter()
                .any(|s| s.topic == "orders" && s.partition == p && s.upstream_offset == up)
        };
        if has(0, 9) && has(1, 5) {
            break (records, syncs);
        }
        assert!(
            Instant::now() < deadline,
            "no offset syncs for the last records of orders: {syncs:?}"
        );
        thread::sleep(Duration::from_millis(500));
    };
    let orders_syncs: Vec<&OffsetSync> = syncs.iter().filter(|s| s.topic == "orders").collect();
    eprintln!("mm2_real: offset syncs of orders: {orders_syncs:?}");
    for s in &orders_syncs {
        // A fresh topic without transactions: offsets are the same on both sides.
        assert_eq!(s.upstream_offset, s.downstream_offset, "{s:?}");
    }

    // Checkpoints on the standby, translated the way MM2's OffsetSyncStore does it.
    let cp_topic = checkpoints_topic("primary");
    assert_eq!(cp_topic, "primary.checkpoints.internal");
    let expected: BTreeMap<(String, i32), i64> = [(0, 7), (1, 6)]
        .into_iter()
        .map(|(p, committed)| {
            let down = translate(&syncs, "orders", p, committed)
                .unwrap_or_else(|| panic!("no sync at or before {committed} on orders/{p}"));
            (("primary.orders".to_string(), p), down)
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    let (cp_records, latest) = loop {
        let records = read_all_raw(&standby.bootstrap(), &cp_topic, Duration::from_secs(30));
        let all: Vec<Checkpoint> = records.iter().map(decode_checkpoint).collect();
        let latest = latest_checkpoints(&all, group);
        let got: BTreeMap<(String, i32), i64> = latest
            .iter()
            .map(|(k, c)| (k.clone(), c.downstream_offset))
            .collect();
        if got == expected {
            break (records, latest);
        }
        assert!(
            Instant::now() < deadline,
            "checkpoints of {group}: {got:?}, expected {expected:?} (all: {all:?})"
        );
        thread::sleep(Duration::from_millis(500));
    };
    for ((topic, p), c) in &latest {
        assert_eq!(topic, "primary.orders");
        assert_eq!(c.upstream_offset, if *p == 0 { 7 } else { 6 }, "{c:?}");
        assert_eq!(c.metadata, "", "{c:?}");
    }
    eprintln!(
        "mm2_real: {} checkpoint and {} offset-sync records decoded and re-encoded; latest {latest:?}",
        cp_records.len(),
        sync_records.len()
    );

    // Kafka's own RemoteClusterUtils.translateOffsets reads the same checkpoints.
    let t_java = Instant::now();
    let kafka_says = remote_cluster_utils_translate(standby, "primary", group);
    eprintln!(
        "mm2_real: RemoteClusterUtils.translateOffsets {kafka_says:?} in {:.1}s",
        t_java.elapsed().as_secs_f64()
    );
    assert_eq!(kafka_says, expected);

    // The heartbeat connector writes `heartbeats` on the standby.
    let deadline = Instant::now() + Duration::from_secs(30);
    while end_offsets(&standby.bootstrap(), "heartbeats")
        .iter()
        .all(|&(_, end)| end == 0)
    {
        assert!(Instant::now() < deadline, "no heartbeats on the standby");
        thread::sleep(Duration::from_millis(500));
    }

    if std::env::var_os("KAFKA_FAILOVER_WRITE_MM2_FIXTURES").is_some() {
        let cp = latest[&("primary.orders".to_string(), 0)].clone();
        let raw = cp_records
            .iter()
            .rev()
            .find(|r| decode_checkpoint(r) == cp)
            .unwrap();
        write_fixture(
            "checkpoint.hex",
            &format!(
                "# A checkpoint written by MirrorMaker 2 (Kafka 4.1.1, MirrorCheckpointConnector) to\n\
                 # primary.checkpoints.internal: {cp:?}\n"
            ),
            raw,
        );
        let sync = OffsetSync {
            topic: "orders".into(),
            partition: 0,
            upstream_offset: 9,
            downstream_offset: 9,
        };
        let raw = sync_records
            .iter()
            .find(|r| decode_offset_sync(r) == sync)
            .unwrap();
        write_fixture(
            "offset-sync.hex",
            &format!(
                "# An offset sync written by MirrorMaker 2 (Kafka 4.1.1, MirrorSourceConnector) to\n\
                 # mm2-offset-syncs.standby.internal: {sync:?}\n"
            ),
            raw,
        );
    }

    let t_stop = Instant::now();
    worker.stop();
    eprintln!(
        "mm2_real: connect test done in {:.1}s (worker stop {:.1}s)",
        t0.elapsed().as_secs_f64(),
        t_stop.elapsed().as_secs_f64()
    );
}

fn mm2_properties(primary: &KafkaCluster, standby: &KafkaCluster, enabled: bool) -> String {
    format!(
        "# MirrorMaker 2, dedicated mode (tests/mm2_real.rs)\n\
         clusters = primary, standby\n\
         primary.bootstrap.servers = {}\n\
         standby.bootstrap.servers = {}\n\
         \n\
         primary->standby.enabled = {enabled}\n\
         primary->standby.topics = dedicated-.*\n\
         primary->standby.groups = dedicated-.*\n\
         standby->primary.enabled = false\n\
         \n\
         # single-broker clusters\n\
         replication.factor = 1\n\
         checkpoints.topic.replication.factor = 1\n\
         heartbeats.topic.replication.factor = 1\n\
         offset-syncs.topic.replication.factor = 1\n\
         offset.storage.replication.factor = 1\n\
         status.storage.replication.factor = 1\n\
         config.storage.replication.factor = 1\n\
         \n\
         refresh.topics.interval.seconds = 1\n\
         refresh.groups.interval.seconds = 1\n\
         emit.checkpoints.interval.seconds = 1\n\
         emit.heartbeats.interval.seconds = 1\n\
         sync.topic.acls.enabled = false\n\
         sync.group.offsets.enabled = false\n\
         offset.flush.interval.ms = 1000\n",
        primary.bootstrap(),
        standby.bootstrap()
    )
}

fn total(ends: &[(i32, i64)]) -> i64 {
    ends.iter().map(|&(_, e)| e).sum()
}

/// Waits until `topic` on `cluster` holds `n` records in total; panics with `mm2`'s log
/// tail otherwise.
fn wait_for_records(
    cluster: &KafkaCluster,
    topic: &str,
    n: i64,
    timeout: Duration,
    mm2: &MirrorMaker2,
) {
    let deadline = Instant::now() + timeout;
    loop {
        let got = total(&end_offsets(&cluster.bootstrap(), topic));
        if got == n {
            return;
        }
        assert!(
            got < n && Instant::now() < deadline,
            "{topic} on {} holds {got} records, expected {n}\n{}",
            cluster.name(),
            mm2.log_tail(80)
        );
        thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn dedicated_mm2_follows_its_properties_file_across_restarts() {
    let Pair { primary, standby } = pair();
    let t0 = Instant::now();
    create_topic(&primary.bootstrap(), "dedicated-orders", 1, 1);
    produce_to_partition(&primary.bootstrap(), "dedicated-orders", 0, 5, |_| now_ms());

    let dir = tempfile::tempdir().unwrap();
    let props = dir.path().join("mm2.properties");
    fs::write(&props, mm2_properties(primary, standby, true)).unwrap();
    // Like a deployment in the standby's DC: only the herders that write to `standby`.
    let mm2 = MirrorMaker2::start_for_clusters(&props, &["standby"]);
    wait_for_records(
        standby,
        "primary.dedicated-orders",
        5,
        Duration::from_secs(90),
        &mm2,
    );
    eprintln!(
        "mm2_real: dedicated MM2 mirrored 5 records after {:.1}s",
        t0.elapsed().as_secs_f64()
    );

    // Disable the flow and restart (what a reload command does). The restarted worker
    // first runs the source task of the stored (old) task config, until the connector,
    // now `enabled = false`, is reconfigured to no task (~2 s): wait for MM2 to log that
    // the task stopped. From then on no new record crosses.
    fs::write(&props, mm2_properties(primary, standby, false)).unwrap();
    let t_restart = Instant::now();
    mm2.restart();
    mm2.wait_for_log(
        "Stopping task-thread-MirrorSourceConnector-0 took",
        Duration::from_secs(60),
    );
    eprintln!(
        "mm2_real: disabled flow's task stopped {:.1}s after the restart began",
        t_restart.elapsed().as_secs_f64()
    );
    produce_to_partition(&primary.bootstrap(), "dedicated-orders", 0, 5, |_| now_ms());
    thread::sleep(Duration::from_secs(5));
    assert_eq!(
        total(&end_offsets(
            &standby.bootstrap(),
            "primary.dedicated-orders"
        )),
        5,
        "records crossed although primary->standby.enabled = false\n{}",
        mm2.log_tail(40)
    );

    // Enable it again: the 5 held-back records follow.
    fs::write(&props, mm2_properties(primary, standby, true)).unwrap();
    let t_restart = Instant::now();
    mm2.restart();
    wait_for_records(
        standby,
        "primary.dedicated-orders",
        10,
        Duration::from_secs(90),
        &mm2,
    );
    eprintln!(
        "mm2_real: re-enabled flow caught up {:.1}s after the restart",
        t_restart.elapsed().as_secs_f64()
    );
    mm2.stop();
    eprintln!(
        "mm2_real: dedicated test done in {:.1}s",
        t0.elapsed().as_secs_f64()
    );
}
