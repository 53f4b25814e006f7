//! Reading a whole (small) topic from its log start to its current end: how the
//! tool reads MirrorMaker 2's checkpoint and offset-sync topics. Raw bytes out;
//! decoding is the caller's business (`offsets::mm2_records`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};
use serde::Serialize;

use super::error::{ErrorCode, KafkaError};
use super::settings::ClientSettings;

/// One record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawRecord {
    pub partition: i32,
    pub offset: i64,
    /// CreateTime (or LogAppendTime) in ms since the epoch; `None` if the broker gave none.
    pub timestamp_ms: Option<i64>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
}

/// Every record of `topic` between each partition's log start and the end it had
/// when the read began, in partition then offset order. A topic that does not
/// exist is [`KafkaError::UnknownTopicOrPartition`]. Bounded by `timeout`.
pub fn read_topic_to_end(
    settings: &ClientSettings,
    topic: &str,
    timeout: Duration,
) -> Result<Vec<RawRecord>, KafkaError> {
    let deadline = Instant::now() + timeout;
    let consumer = consumer_with(
        settings,
        &[
            ("group.id", "kafka-failover-reader"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", "earliest"),
            ("enable.partition.eof", "false"),
            // Committed transactions only, as MM2's own readers do.
            ("isolation.level", "read_committed"),
        ],
    )?;
    let other = |e: rdkafka::error::KafkaError| KafkaError::Other {
        code: ErrorCode::LOCAL_FAIL,
        message: settings.redact(&e.to_string()),
    };
    let left = || deadline.saturating_duration_since(Instant::now());
    // A broker of the bootstrap list that just went away (a lost DC) can take the
    // first metadata request: ask again (librdkafka then picks a live one) until the
    // deadline.
    let md = loop {
        match consumer.fetch_metadata(Some(topic), left()) {
            Ok(md) => break md,
            Err(e) => match e.rdkafka_error_code() {
                Some(
                    rdkafka::types::RDKafkaErrorCode::BrokerTransportFailure
                    | rdkafka::types::RDKafkaErrorCode::AllBrokersDown,
                ) if !left().is_zero() => {
                    std::thread::sleep(Duration::from_millis(100).min(left()));
                }
                Some(rdkafka::types::RDKafkaErrorCode::OperationTimedOut) => {
                    return Err(KafkaError::Timeout {
                        call: "Metadata",
                        after_ms: timeout.as_millis() as u64,
                    })
                }
                _ => return Err(other(e)),
            },
        }
    };
    let Some(t) = md.topics().iter().find(|t| t.name() == topic) else {
        return Err(unknown(topic));
    };
    if t.error().is_some() || t.partitions().is_empty() {
        return Err(unknown(topic));
    }
    // Where each partition ends now: records appended later are not waited for.
    let mut ends: BTreeMap<i32, i64> = BTreeMap::new();
    let mut assignment = TopicPartitionList::new();
    for p in t.partitions() {
        // Its leader may be moving off a broker that just went away: ask again until
        // the deadline.
        let (low, high) = loop {
            match consumer.fetch_watermarks(topic, p.id(), left()) {
                Ok(w) => break w,
                Err(_) if left() > Duration::from_millis(200) => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(other(e)),
            }
        };
        if high > low {
            ends.insert(p.id(), high);
            assignment
                .add_partition_offset(topic, p.id(), Offset::Offset(low))
                .map_err(other)?;
        }
    }
    let mut records = Vec::new();
    if ends.is_empty() {
        return Ok(records);
    }
    consumer.assign(&assignment).map_err(other)?;
    let mut pending: BTreeMap<i32, i64> = ends.clone();
    while !pending.is_empty() {
        let wait = left();
        if wait.is_zero() {
            return Err(KafkaError::Timeout {
                call: "Fetch",
                after_ms: timeout.as_millis() as u64,
            });
        }
        let Some(msg) = consumer.poll(wait.min(Duration::from_millis(200))) else {
            continue;
        };
        let msg = match msg {
            Ok(m) => m,
            // A broker that went away (another may lead now): librdkafka reconnects
            // and refetches by itself; the deadline still bounds the read.
            Err(rdkafka::error::KafkaError::MessageConsumption(
                rdkafka::types::RDKafkaErrorCode::BrokerTransportFailure
                | rdkafka::types::RDKafkaErrorCode::AllBrokersDown,
            )) => continue,
            Err(e) => return Err(other(e)),
        };
        let (p, off) = (msg.partition(), msg.offset());
        let Some(&end) = pending.get(&p) else {
            continue;
        };
        if off < end {
            records.push(raw_record(&msg));
        }
        // Transaction markers and compaction leave gaps: the end may never be
        // a record's offset, so the next one at or past end - 1 finishes it.
        if off + 1 >= end {
            pending.remove(&p);
        } else if let Ok(pos) = consumer.position() {
            if pos
                .find_partition(topic, p)
                .and_then(|e| e.offset().to_raw())
                .is_some_and(|o| o >= end)
            {
                pending.remove(&p);
            }
        }
    }
    records.sort_by_key(|r| (r.partition, r.offset));
    Ok(records)
}

fn unknown(topic: &str) -> KafkaError {
    KafkaError::UnknownTopicOrPartition {
        topic: Some(topic.to_string()),
        partition: None,
        message: "the topic does not exist".into(),
    }
}

/// A record and the topic it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicRecord {
    pub topic: String,
    pub record: RawRecord,
}

/// Reads chosen partitions from chosen offsets, as bytes: a consumer that is assigned
/// partitions (no group membership, nothing committed) and polled. How the lab's mirror
/// reads its source. Offsets past the log end or before its start restart at the log
/// start (`auto.offset.reset=earliest`, as MirrorMaker 2's consumer does).
pub struct RecordReader {
    consumer: BaseConsumer,
    settings: ClientSettings,
}

impl RecordReader {
    pub fn new(settings: &ClientSettings) -> Result<RecordReader, KafkaError> {
        let consumer = consumer_with(
            settings,
            &[
                ("group.id", "kafka-failover-record-reader"),
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
                ("auto.offset.reset", "earliest"),
                ("enable.partition.eof", "false"),
            ],
        )?;
        Ok(RecordReader {
            consumer,
            settings: settings.clone(),
        })
    }

    /// Every topic of the cluster with its partition count (internal topics included).
    pub fn topics(&self, timeout: Duration) -> Result<Vec<(String, i32)>, KafkaError> {
        let md = self
            .consumer
            .fetch_metadata(None, timeout)
            .map_err(|e| self.err("Metadata", e))?;
        Ok(md
            .topics()
            .iter()
            .filter(|t| t.error().is_none())
            .map(|t| (t.name().to_string(), t.partitions().len() as i32))
            .collect())
    }

    /// Reads exactly these partitions from now on, each from its offset (`None`: the
    /// log start), replacing the previous assignment.
    pub fn assign(&self, from: &[(String, i32, Option<i64>)]) -> Result<(), KafkaError> {
        let mut tpl = TopicPartitionList::new();
        for (topic, partition, offset) in from {
            let at = offset.map_or(Offset::Beginning, Offset::Offset);
            tpl.add_partition_offset(topic, *partition, at)
                .map_err(|e| self.err("Assign", e))?;
        }
        self.consumer
            .assign(&tpl)
            .map_err(|e| self.err("Assign", e))
    }

    /// Up to `max` records, in the order each partition holds them, waiting at most
    /// `wait` for the first. An error librdkafka reports (a broker down) is returned only
    /// when no record came before it; reading goes on at the next call either way.
    pub fn poll(&self, max: usize, wait: Duration) -> Result<Vec<TopicRecord>, KafkaError> {
        let mut out = Vec::new();
        let mut timeout = wait;
        while out.len() < max {
            let Some(msg) = self.consumer.poll(timeout) else {
                break;
            };
            timeout = Duration::ZERO;
            match msg {
                Ok(m) => out.push(TopicRecord {
                    topic: m.topic().to_string(),
                    record: raw_record(&m),
                }),
                Err(e) if out.is_empty() => return Err(self.err("Fetch", e)),
                Err(_) => break,
            }
        }
        Ok(out)
    }

    fn err(&self, call: &'static str, e: rdkafka::error::KafkaError) -> KafkaError {
        client_error(&self.settings, call, e, None)
    }
}

/// A message as owned bytes.
pub(super) fn raw_record(m: &impl Message) -> RawRecord {
    RawRecord {
        partition: m.partition(),
        offset: m.offset(),
        timestamp_ms: m.timestamp().to_millis(),
        key: m.key().map(<[u8]>::to_vec),
        value: m.payload().map(<[u8]>::to_vec),
    }
}

/// An rdkafka client error sorted into [`KafkaError`], secrets masked. `group`: the
/// group whose offsets the call commits, if any.
pub(super) fn client_error(
    settings: &ClientSettings,
    call: &'static str,
    e: rdkafka::error::KafkaError,
    group: Option<&str>,
) -> KafkaError {
    let code = e
        .rdkafka_error_code()
        .map_or(ErrorCode::LOCAL_FAIL, |c| ErrorCode(c as i32));
    KafkaError::from_code(call, code, settings.redact(&e.to_string()), group)
}

/// A consumer built from `settings` plus `extra` properties, creation errors redacted.
pub(super) fn consumer_with(
    settings: &ClientSettings,
    extra: &[(&str, &str)],
) -> Result<BaseConsumer, KafkaError> {
    let mut cfg = settings.to_rdkafka_config();
    for (k, v) in extra {
        cfg.set(*k, *v);
    }
    cfg.create().map_err(|e| KafkaError::Config {
        property: None,
        message: settings.redact(&e.to_string()),
    })
}
