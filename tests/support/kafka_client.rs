//! rdkafka helpers for tests against a real broker (re-exported by
//! `support::kafka`): topic creation, producing, consuming, committing.
//! All calls block; they panic on failure with a message saying what failed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};

/// A name unique in this process and (practically) across runs:
/// `{prefix}-{pid}-{counter}-{micros}`; valid as topic and group name.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros()
        % 1_000_000_000;
    format!("{prefix}-{}-{n}-{micros}", std::process::id())
}

/// Milliseconds since the epoch, for record timestamps.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as i64
}

pub use kafka_failover::kafka::block_on;

fn client_config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap)
        .set("reconnect.backoff.max.ms", "1000");
    cfg
}

/// Creates a topic (rdkafka AdminClient CreateTopics) with `rf` replicas and
/// waits until every partition has a leader.
pub fn create_topic(bootstrap: &str, name: &str, partitions: i32, rf: i32) {
    let topic = NewTopic::new(name, partitions, TopicReplication::Fixed(rf));
    create(bootstrap, topic);
}

/// Creates a topic whose partition `i` has the replicas `assignment[i]`
/// (first = preferred leader) and waits until every partition has a leader.
pub fn create_topic_with_assignment(bootstrap: &str, name: &str, assignment: Vec<Vec<i32>>) {
    let slices: Vec<&[i32]> = assignment.iter().map(Vec::as_slice).collect();
    let topic = NewTopic::new(
        name,
        slices.len() as i32,
        TopicReplication::Variable(&slices),
    );
    create(bootstrap, topic);
}

/// Like [`create_topic`], with topic-level configs (e.g.
/// `min.insync.replicas`).
pub fn create_topic_with_configs(
    bootstrap: &str,
    name: &str,
    partitions: i32,
    rf: i32,
    configs: &[(&str, &str)],
) {
    let mut topic = NewTopic::new(name, partitions, TopicReplication::Fixed(rf));
    for (k, v) in configs {
        topic = topic.set(k, v);
    }
    create(bootstrap, topic);
}

fn create(bootstrap: &str, topic: NewTopic<'_>) {
    let admin: AdminClient<DefaultClientContext> = client_config(bootstrap)
        .create()
        .expect("create AdminClient");
    let opts = AdminOptions::new()
        .request_timeout(Some(Duration::from_secs(30)))
        .operation_timeout(Some(Duration::from_secs(30)));
    // Right after a cluster starts, librdkafka can fail the request with
    // `__DESTROY_BROKER` or a transport error: try again, and accept "already exists"
    // when an earlier attempt got through.
    let mut attempt = 0;
    loop {
        attempt += 1;
        let outcome = match block_on(admin.create_topics([&topic], &opts)) {
            Err(e) => Err(format!("{e}")),
            Ok(results) => match results.into_iter().next() {
                Some(Err((_, RDKafkaErrorCode::TopicAlreadyExists))) if attempt > 1 => Ok(()),
                Some(Err((name, code))) => Err(format!("{name}: {code:?}")),
                _ => Ok(()),
            },
        };
        match outcome {
            Ok(()) => break,
            Err(e) if attempt < 5 => {
                eprintln!(
                    "CreateTopics {} attempt {attempt} failed ({e}); retrying",
                    topic.name
                );
                thread::sleep(Duration::from_secs(1));
            }
            Err(e) => panic!("CreateTopics {} failed {attempt} times: {e}", topic.name),
        }
    }
    wait_for_topic(
        bootstrap,
        topic.name,
        topic.num_partitions,
        Duration::from_secs(30),
    );
}

/// Waits until every broker's metadata shows `partitions` partitions of
/// `topic`, each with a leader. KRaft brokers learn new topics from the
/// controller independently, so one broker knowing it does not mean the next
/// request (which may go to another broker) will see it.
pub fn wait_for_topic(bootstrap: &str, topic: &str, partitions: i32, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    for address in bootstrap.split(',') {
        loop {
            // A fresh client per attempt: its first request goes to the only
            // broker it knows, `address`.
            let client: BaseConsumer = client_config(address)
                .create()
                .expect("create metadata client");
            // A broker that does not answer at all (a test may have stopped
            // it) cannot serve stale metadata either: skip it.
            let Ok(md) = client.fetch_metadata(Some(topic), Duration::from_secs(5)) else {
                break;
            };
            {
                let ready = md.topics().iter().any(|t| {
                    t.name() == topic
                        && t.error().is_none()
                        && t.partitions().len() == partitions as usize
                        && t.partitions()
                            .iter()
                            .all(|p| p.error().is_none() && p.leader() >= 0)
                });
                if ready {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "topic {topic} did not get {partitions} led partitions on {address} within {timeout:?}"
            );
            thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Where a produced record landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Produced {
    pub partition: i32,
    pub offset: i64,
}

/// Produces `n` records (`key-i` / `value-i`, timestamp `timestamp_ms(i)`,
/// partition chosen by key hash) with acks=all and waits for each delivery.
pub fn produce(
    bootstrap: &str,
    topic: &str,
    n: usize,
    timestamp_ms: impl Fn(usize) -> i64,
) -> Vec<Produced> {
    produce_inner(bootstrap, topic, None, n, timestamp_ms)
}

/// Like [`produce`] but every record goes to `partition`.
pub fn produce_to_partition(
    bootstrap: &str,
    topic: &str,
    partition: i32,
    n: usize,
    timestamp_ms: impl Fn(usize) -> i64,
) -> Vec<Produced> {
    produce_inner(bootstrap, topic, Some(partition), n, timestamp_ms)
}

fn produce_inner(
    bootstrap: &str,
    topic: &str,
    partition: Option<i32>,
    n: usize,
    timestamp_ms: impl Fn(usize) -> i64,
) -> Vec<Produced> {
    let producer: FutureProducer = client_config(bootstrap)
        .set("acks", "all")
        .set("enable.idempotence", "true")
        .set("linger.ms", "5")
        .set("message.timeout.ms", "60000")
        .create()
        .expect("create producer");
    let mut futures = Vec::with_capacity(n);
    for i in 0..n {
        let key = format!("key-{i}");
        let value = format!("value-{i}");
        let mut record = FutureRecord::to(topic)
            .key(&key)
            .payload(&value)
            .timestamp(timestamp_ms(i));
        if let Some(p) = partition {
            record = record.partition(p);
        }
        match producer.send_result(record) {
            Ok(f) => futures.push(f),
            Err((e, _)) => panic!("enqueue record {i} to {topic}: {e}"),
        }
    }
    producer
        .flush(Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("flush producer for {topic}: {e}"));
    futures
        .into_iter()
        .enumerate()
        .map(|(i, f)| match block_on(f) {
            Ok(Ok(d)) => Produced {
                partition: d.partition,
                offset: d.offset,
            },
            Ok(Err((e, _))) => panic!("record {i} to {topic} not delivered: {e}"),
            Err(_) => panic!("record {i} to {topic}: producer dropped"),
        })
        .collect()
}

/// A consumed record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumed {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<String>,
    pub value: Option<String>,
    pub timestamp_ms: Option<i64>,
}

/// Reads every partition of `topic` from the beginning (assign, no group
/// commit) until `expected` records arrived; panics after `timeout`.
pub fn consume(bootstrap: &str, topic: &str, expected: usize, timeout: Duration) -> Vec<Consumed> {
    let consumer: BaseConsumer = client_config(bootstrap)
        .set("group.id", unique_name("fixture-reader"))
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "false")
        .create()
        .expect("create consumer");
    let md = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("metadata of {topic}: {e}"));
    let mut tpl = TopicPartitionList::new();
    for t in md.topics().iter().filter(|t| t.name() == topic) {
        for p in t.partitions() {
            tpl.add_partition_offset(topic, p.id(), Offset::Beginning)
                .expect("add partition");
        }
    }
    assert!(tpl.count() > 0, "topic {topic} has no partitions");
    consumer.assign(&tpl).expect("assign");
    let deadline = Instant::now() + timeout;
    let mut out = Vec::new();
    while out.len() < expected {
        assert!(
            Instant::now() < deadline,
            "consumed {} of {expected} records of {topic} within {timeout:?}",
            out.len()
        );
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => out.push(Consumed {
                partition: m.partition(),
                offset: m.offset(),
                key: m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                value: m.payload().map(|v| String::from_utf8_lossy(v).into_owned()),
                timestamp_ms: m.timestamp().to_millis(),
            }),
            Some(Err(e)) => eprintln!("consume {topic}: {e} (retrying)"),
            None => {}
        }
    }
    out
}

/// A record as its bytes (key and value not decoded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRecord {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
}

/// Every record of `topic` from the beginning up to the high watermarks at the time of
/// the call, in partition then offset order, bytes as they are (assign, no group
/// commit). A topic that does not exist yet reads as empty.
pub fn read_all_raw(bootstrap: &str, topic: &str, timeout: Duration) -> Vec<RawRecord> {
    let consumer: BaseConsumer = client_config(bootstrap)
        .set("group.id", unique_name("fixture-raw-reader"))
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "false")
        .create()
        .expect("create consumer");
    let md = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("metadata of {topic}: {e}"));
    let mut ends = Vec::new();
    for t in md
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
    {
        for p in t.partitions() {
            let (_, high) = consumer
                .fetch_watermarks(topic, p.id(), Duration::from_secs(10))
                .unwrap_or_else(|e| panic!("watermarks of {topic}/{}: {e}", p.id()));
            ends.push((p.id(), high));
        }
    }
    let mut tpl = TopicPartitionList::new();
    for &(p, high) in &ends {
        if high > 0 {
            tpl.add_partition_offset(topic, p, Offset::Beginning)
                .expect("add partition");
        }
    }
    let mut out: Vec<RawRecord> = Vec::new();
    if tpl.count() == 0 {
        return out;
    }
    consumer.assign(&tpl).expect("assign");
    // By position too: compaction and transaction markers leave gaps before the high
    // watermark.
    let done = |consumer: &BaseConsumer, out: &[RawRecord]| {
        let pos = consumer.position().ok();
        ends.iter().all(|&(p, high)| {
            let at = pos
                .as_ref()
                .and_then(|pos| pos.find_partition(topic, p))
                .and_then(|e| e.offset().to_raw())
                .unwrap_or(-1);
            high == 0 || at >= high || out.iter().any(|r| r.partition == p && r.offset + 1 >= high)
        })
    };
    let deadline = Instant::now() + timeout;
    while !done(&consumer, &out) {
        assert!(
            Instant::now() < deadline,
            "read {} records of {topic} within {timeout:?}, not yet up to {ends:?}",
            out.len()
        );
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => out.push(RawRecord {
                partition: m.partition(),
                offset: m.offset(),
                key: m.key().map(<[u8]>::to_vec),
                value: m.payload().map(<[u8]>::to_vec),
            }),
            Some(Err(e)) => eprintln!("read {topic}: {e} (retrying)"),
            None => {}
        }
    }
    out.retain(|r| {
        ends.iter()
            .any(|&(p, high)| p == r.partition && r.offset < high)
    });
    out.sort_by_key(|r| (r.partition, r.offset));
    out
}

/// The high watermarks of every partition of `topic` (empty when it does not exist).
pub fn end_offsets(bootstrap: &str, topic: &str) -> Vec<(i32, i64)> {
    let consumer: BaseConsumer = client_config(bootstrap).create().expect("create consumer");
    let md = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("metadata of {topic}: {e}"));
    let mut out = Vec::new();
    for t in md
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
    {
        for p in t.partitions() {
            // A topic just created (e.g. by MirrorMaker) may answer NotLeaderForPartition
            // for a moment: retry for 30 s.
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            let (_, high) = loop {
                match consumer.fetch_watermarks(topic, p.id(), Duration::from_secs(10)) {
                    Ok(w) => break w,
                    Err(e) if std::time::Instant::now() > deadline => {
                        panic!("watermarks of {topic}/{}: {e}", p.id())
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(300)),
                }
            };
            out.push((p.id(), high));
        }
    }
    out.sort();
    out
}

/// Commits `offsets` (topic, partition, offset) for `group` from a consumer
/// that assigns them without subscribing (so no rebalance, no member left
/// behind). Retries for 30 s while the coordinator is not available yet.
pub fn commit_offsets(bootstrap: &str, group: &str, offsets: &[(&str, i32, i64)]) {
    let consumer: BaseConsumer = client_config(bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .create()
        .expect("create committing consumer");
    let mut tpl = TopicPartitionList::new();
    for &(topic, partition, offset) in offsets {
        tpl.add_partition_offset(topic, partition, Offset::Offset(offset))
            .expect("add partition offset");
    }
    consumer.assign(&tpl).expect("assign");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match consumer.commit(&tpl, CommitMode::Sync) {
            Ok(()) => return,
            Err(e) if Instant::now() < deadline => {
                eprintln!("commit for group {group}: {e} (retrying)");
                thread::sleep(Duration::from_millis(500));
            }
            Err(e) => panic!("commit offsets for group {group}: {e}"),
        }
    }
}

/// The committed offsets of `group` for `partitions` of `topic` (`None` =
/// nothing committed), read with OffsetFetch; retries for 30 s on errors.
pub fn committed_offsets(
    bootstrap: &str,
    group: &str,
    topic: &str,
    partitions: &[i32],
) -> Vec<Option<i64>> {
    let consumer: BaseConsumer = client_config(bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .expect("create consumer");
    let mut tpl = TopicPartitionList::new();
    for &p in partitions {
        tpl.add_partition(topic, p);
    }
    // Right after a (re)start the coordinator answers NOT_COORDINATOR or
    // COORDINATOR_LOAD_IN_PROGRESS for a while; librdkafka does not retry.
    let deadline = Instant::now() + Duration::from_secs(30);
    let got = loop {
        match consumer.committed_offsets(tpl.clone(), Duration::from_secs(10)) {
            Ok(got) => break got,
            Err(e) if Instant::now() < deadline => {
                eprintln!("OffsetFetch for group {group}: {e} (retrying)");
                thread::sleep(Duration::from_millis(500));
            }
            Err(e) => panic!("OffsetFetch for group {group}: {e}"),
        }
    };
    partitions
        .iter()
        .map(
            |&p| match got.find_partition(topic, p).map(|e| e.offset()) {
                Some(Offset::Offset(o)) => Some(o),
                _ => None,
            },
        )
        .collect()
}

/// One row of `kafka-consumer-groups --describe --group G` (offsets view).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupOffsetRow {
    pub group: String,
    pub topic: String,
    pub partition: i32,
    /// `None` for `-` (no committed offset).
    pub current_offset: Option<i64>,
    pub log_end_offset: Option<i64>,
    pub lag: Option<i64>,
    pub consumer_id: String,
    pub host: String,
    pub client_id: String,
}

/// Parses the offsets table `ConsumerGroupCommand --describe --group` prints
/// (rows after the `GROUP TOPIC PARTITION ...` header; other lines ignored).
pub fn parse_group_describe(stdout: &str) -> Vec<GroupOffsetRow> {
    let num = |s: &str| s.parse::<i64>().ok();
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in stdout.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.first() == Some(&"GROUP") && cols.get(1) == Some(&"TOPIC") {
            in_table = true;
            continue;
        }
        if !in_table || cols.len() < 9 {
            continue;
        }
        let Ok(partition) = cols[2].parse() else {
            continue;
        };
        rows.push(GroupOffsetRow {
            group: cols[0].to_string(),
            topic: cols[1].to_string(),
            partition,
            current_offset: num(cols[3]),
            log_end_offset: num(cols[4]),
            lag: num(cols[5]),
            consumer_id: cols[6].to_string(),
            host: cols[7].to_string(),
            client_id: cols[8..].join(" "),
        });
    }
    rows
}

/// A consumer that subscribed to `topic` and got all its `partitions`
/// assigned: a live member of `group` (classic protocol). It stays a member
/// until dropped (heartbeats run on librdkafka's threads).
pub fn join_group(
    bootstrap: &str,
    group: &str,
    client_id: &str,
    topic: &str,
    partitions: usize,
) -> BaseConsumer {
    let consumer: BaseConsumer = client_config(bootstrap)
        .set("group.id", group)
        .set("client.id", client_id)
        .set("enable.auto.commit", "false")
        .set("session.timeout.ms", "45000")
        .create()
        .expect("create member consumer");
    consumer.subscribe(&[topic]).expect("subscribe");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(Err(e)) = consumer.poll(Duration::from_millis(200)) {
            eprintln!("member of {group}: {e}");
        }
        let assigned = consumer.assignment().map(|a| a.count()).unwrap_or(0);
        if assigned == partitions {
            return consumer;
        }
        assert!(
            Instant::now() < deadline,
            "member of {group} got {assigned} of {partitions} partitions in 60 s"
        );
    }
}

/// Produces raw key/value bytes to one partition (e.g. hand-built MM2 records),
/// with a timestamp, and waits for delivery.
pub fn produce_raw(
    bootstrap: &str,
    topic: &str,
    partition: i32,
    records: &[(Vec<u8>, Vec<u8>, i64)],
) {
    let producer: FutureProducer = client_config(bootstrap)
        .set("acks", "all")
        .set("message.timeout.ms", "60000")
        .create()
        .expect("create producer");
    for (i, (k, v, ts)) in records.iter().enumerate() {
        let rec = FutureRecord::to(topic)
            .key(k)
            .payload(v)
            .partition(partition)
            .timestamp(*ts);
        let f = producer
            .send_result(rec)
            .unwrap_or_else(|(e, _)| panic!("enqueue raw record {i} to {topic}: {e}"));
        match block_on(f) {
            Ok(Ok(_)) => {}
            other => panic!("raw record {i} to {topic} not delivered: {other:?}"),
        }
    }
}
