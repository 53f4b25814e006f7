//! Producing records: for the lab's traffic and for tests. Records carry explicit
//! timestamps so that timestamp-based resets can be checked exactly.

use std::time::Duration;

use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};

use super::error::{ErrorCode, KafkaError};
use super::settings::ClientSettings;

pub struct RecordProducer {
    inner: ThreadedProducer<DefaultProducerContext>,
    settings: ClientSettings,
}

impl RecordProducer {
    pub fn new(settings: &ClientSettings) -> Result<RecordProducer, KafkaError> {
        let mut cfg = settings.to_rdkafka_config();
        cfg.set("linger.ms", "5")
            .set("acks", "all")
            .set("enable.idempotence", "true");
        let inner = cfg.create().map_err(|e| KafkaError::Config {
            property: None,
            message: settings.redact(&e.to_string()),
        })?;
        Ok(RecordProducer {
            inner,
            settings: settings.clone(),
        })
    }

    /// Queues one record; `partition: None` lets the partitioner choose by key.
    pub fn send(
        &self,
        topic: &str,
        partition: Option<i32>,
        key: &str,
        value: &str,
        timestamp_ms: i64,
    ) -> Result<(), KafkaError> {
        let mut rec = BaseRecord::<str, str>::to(topic)
            .key(key)
            .payload(value)
            .timestamp(timestamp_ms);
        if let Some(p) = partition {
            rec = rec.partition(p);
        }
        // A full local queue is transient: wait for deliveries and try again.
        let mut rec = rec;
        for _ in 0..100 {
            match self.inner.send(rec) {
                Ok(()) => return Ok(()),
                Err((e, r)) => {
                    if e.rdkafka_error_code() != Some(rdkafka::types::RDKafkaErrorCode::QueueFull) {
                        return Err(self.err(e));
                    }
                    rec = r;
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
        Err(KafkaError::Timeout {
            call: "Produce",
            after_ms: 1000,
        })
    }

    /// Waits until every queued record is delivered.
    pub fn flush(&self, timeout: Duration) -> Result<(), KafkaError> {
        self.inner.flush(timeout).map_err(|e| self.err(e))
    }

    fn err(&self, e: rdkafka::error::KafkaError) -> KafkaError {
        KafkaError::Other {
            code: ErrorCode::LOCAL_FAIL,
            message: self.settings.redact(&e.to_string()),
        }
    }
}

/// A record to write as bytes, to an explicit partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutRecord {
    pub topic: String,
    pub partition: i32,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    /// CreateTime in ms since the epoch; `None`: the producer's clock.
    pub timestamp_ms: Option<i64>,
}

/// Writes byte records and reports the offset each one was written at: what a mirror
/// needs to pair upstream and downstream offsets. Idempotent (`acks=all`), so records
/// to one partition land in the order they were sent, each once. A record that cannot
/// be delivered within the settings' timeout (`message.timeout.ms`) fails alone.
pub struct ByteProducer {
    inner: rdkafka::producer::FutureProducer,
    settings: ClientSettings,
}

impl ByteProducer {
    pub fn new(settings: &ClientSettings) -> Result<ByteProducer, KafkaError> {
        let mut cfg = settings.to_rdkafka_config();
        cfg.set("linger.ms", "5")
            .set("acks", "all")
            .set("enable.idempotence", "true")
            .set(
                "message.timeout.ms",
                settings.default_timeout().as_millis().max(1).to_string(),
            );
        let inner = cfg.create().map_err(|e| KafkaError::Config {
            property: None,
            message: settings.redact(&e.to_string()),
        })?;
        Ok(ByteProducer {
            inner,
            settings: settings.clone(),
        })
    }

    /// Sends every record (in order), then waits for each delivery: the offset each
    /// record was written at, or why it was not, in the order given.
    pub fn send_all(&self, records: &[OutRecord]) -> Vec<Result<i64, KafkaError>> {
        use rdkafka::producer::FutureRecord;
        let mut pending = Vec::with_capacity(records.len());
        for r in records {
            let mut rec = FutureRecord::<[u8], [u8]>::to(&r.topic).partition(r.partition);
            if let Some(k) = &r.key {
                rec = rec.key(k.as_slice());
            }
            if let Some(v) = &r.value {
                rec = rec.payload(v.as_slice());
            }
            if let Some(ts) = r.timestamp_ms {
                rec = rec.timestamp(ts);
            }
            pending.push(self.enqueue(rec));
        }
        pending
            .into_iter()
            .map(|p| {
                let fut = p?;
                match super::topics::block_on(fut) {
                    Ok(Ok(d)) => Ok(d.offset),
                    Ok(Err((e, _))) => Err(self.err(e)),
                    Err(_) => Err(KafkaError::Other {
                        code: ErrorCode::LOCAL_FAIL,
                        message: "the producer dropped a record without a delivery report".into(),
                    }),
                }
            })
            .collect()
    }

    /// Queues one record, waiting while the local queue is full.
    fn enqueue<'a>(
        &self,
        mut rec: rdkafka::producer::FutureRecord<'a, [u8], [u8]>,
    ) -> Result<rdkafka::producer::DeliveryFuture, KafkaError> {
        let until = std::time::Instant::now() + self.settings.default_timeout();
        loop {
            match self.inner.send_result(rec) {
                Ok(f) => return Ok(f),
                Err((e, r)) => {
                    let full =
                        e.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::QueueFull);
                    if !full || std::time::Instant::now() >= until {
                        return Err(self.err(e));
                    }
                    rec = r;
                    self.inner.poll(Duration::from_millis(10));
                }
            }
        }
    }

    fn err(&self, e: rdkafka::error::KafkaError) -> KafkaError {
        let code = e
            .rdkafka_error_code()
            .map_or(ErrorCode::LOCAL_FAIL, |c| ErrorCode(c as i32));
        KafkaError::from_code("Produce", code, self.settings.redact(&e.to_string()), None)
    }
}
